-- one row per team per dimension of survey $survey, teams in scope: respondents, favourable share (Likert) or eNPS (-100..100)
with answers as (
    select
        team,
        respondent_id,
        dimension,
        coalesce(lower(trim(dimension)) = 'enps', false) as is_enps,
        score
    from survey_responses
    where survey_id = $survey
      and score is not null
      and dimension is not null
      and team is not null
      and ($all_teams or list_contains($teams, team))
),

final as (
    select
        team,
        dimension,
        any_value(is_enps) as is_enps,
        count(distinct respondent_id) as respondents,
        case
            when any_value(is_enps)
                then 100.0 * (avg(case when score >= 9 then 1.0 else 0.0 end)
                    - avg(case when score <= 6 then 1.0 else 0.0 end))
            else avg(case when score >= 4 then 1.0 else 0.0 end)
        end as value
    from answers
    group by team, dimension
)

select * from final
order by team, dimension
