-- one row per dimension of survey $survey in scope: respondents, favourable / neutral / unfavourable shares (Likert), promoter / passive / detractor shares (eNPS)
with answers as (
    select
        respondent_id,
        dimension,
        coalesce(lower(trim(dimension)) = 'enps', false) as is_enps,
        score
    from survey_responses
    where survey_id = $survey
      and score is not null
      and dimension is not null
      and ($all_teams or list_contains($teams, team))
      -- filtered figures leave out every cell the anonymity plan hides (lib/anonymity.py)
      and ($all_teams or not list_contains($hidden, concat_ws(chr(31), survey_id, team, dimension)))
),

final as (
    select
        dimension,
        any_value(is_enps) as is_enps,
        count(distinct respondent_id) as respondents,
        count(*) as answers,
        avg(case when is_enps then null when score >= 4 then 1.0 else 0.0 end) as favorable,
        avg(case when is_enps then null when score > 2 and score < 4 then 1.0 else 0.0 end) as neutral,
        avg(case when is_enps then null when score <= 2 then 1.0 else 0.0 end) as unfavorable,
        avg(case when not is_enps then null when score >= 9 then 1.0 else 0.0 end) as promoters,
        avg(case when not is_enps then null when score > 6 and score < 9 then 1.0 else 0.0 end) as passives,
        avg(case when not is_enps then null when score <= 6 then 1.0 else 0.0 end) as detractors,
        $all_teams and list_contains($hidden_org, concat_ws(chr(31), $survey, '*', dimension)) as hidden_org
    from answers
    group by dimension
)

select * from final
order by dimension
