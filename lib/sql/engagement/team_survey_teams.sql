-- one row per team that answered survey $survey, teams in scope: respondents and its psychological-safety favourability
with answers as (
    select
        team,
        respondent_id,
        dimension,
        score
    from survey_responses
    where survey_id = $survey
      and score is not null
      and team is not null
      and ($all_teams or list_contains($teams, team))
),

final as (
    select
        team,
        count(distinct respondent_id) as respondents,
        count(distinct respondent_id) filter (where dimension = 'psychological_safety') as safety_respondents,
        avg(case when score >= 4 then 1.0 else 0.0 end) filter (where dimension = 'psychological_safety')
            as psychological_safety
    from answers
    group by team
)

select * from final
order by team
