-- one row per survey with any answer from teams in scope, any date: survey_id, survey_date, respondents (before suppression; for choosing waves only)
with answers as (
    select survey_id, survey_date, respondent_id
    from survey_responses
    where ($all_teams or list_contains($teams, team))
),

final as (
    select
        survey_id,
        max(survey_date) as survey_date,
        count(distinct respondent_id) as respondents
    from answers
    group by survey_id
)

select * from final
order by survey_date, survey_id
