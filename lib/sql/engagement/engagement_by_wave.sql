-- one row per survey with survey_date in [start, end): respondents, participation, eNPS, engagement index; numbers null below $threshold respondents
with surveys as (
    -- every survey the scope answered, even when the plan hides all of its cells
    select
        survey_id,
        max(survey_date) as survey_date
    from survey_responses
    where survey_date >= $start
      and survey_date < $end
      and ($all_teams or list_contains($teams, team))
    group by survey_id
),

answers as (
    select
        survey_id,
        survey_date,
        respondent_id,
        team,
        dimension,
        coalesce(lower(trim(dimension)) = 'enps', false) as is_enps,
        score
    from survey_responses
    where survey_date >= $start
      and survey_date < $end
      and ($all_teams or list_contains($teams, team))
      -- a filtered figure never includes a cell the anonymity plan hides (lib/anonymity.py)
      and ($all_teams or not list_contains($hidden, concat_ws(chr(31), survey_id, team, dimension)))
),

by_survey as (
    select
        survey_id,
        count(distinct respondent_id) as respondents,
        100.0 * (
            count(*) filter (where is_enps and score >= 9)
            - count(*) filter (where is_enps and score <= 6)
        ) / nullif(count(score) filter (where is_enps), 0) as enps,
        count(*) filter (where not is_enps and score >= 4)
            / nullif(count(score) filter (where not is_enps), 0) as engagement_index
    from answers
    group by survey_id
),

staff as (
    select *
    from employees
    where ($all_teams or list_contains($teams, team))
),

eligible as (
    select
        surveys.survey_id,
        count(staff.employee_id) as employees_active
    from surveys
    left join staff
        on staff.hire_date <= surveys.survey_date
        and not coalesce(staff.termination_date <= surveys.survey_date, false)
        and ($all_teams or not list_contains($hidden_teams, concat_ws(chr(31), surveys.survey_id, staff.team)))
    group by surveys.survey_id
),

final as (
    select
        surveys.survey_id,
        surveys.survey_date,
        coalesce(by_survey.respondents, 0) < $threshold as suppressed,
        case when not suppressed then by_survey.respondents end as respondents,
        case when not suppressed then eligible.employees_active end as employees_active,
        case when not suppressed then by_survey.respondents / nullif(eligible.employees_active, 0) end
            as participation_rate,
        case when not suppressed then by_survey.enps end as enps,
        case when not suppressed then by_survey.engagement_index end as engagement_index
    from surveys
    inner join eligible using (survey_id)
    left join by_survey using (survey_id)
    order by surveys.survey_date, surveys.survey_id
)

select * from final
