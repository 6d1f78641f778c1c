-- one row per survey per Likert dimension, surveys with survey_date in [start, end): favourability, null below $threshold respondents
with answers as (
    select
        survey_id,
        survey_date,
        respondent_id,
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
        max(survey_date) as survey_date,
        count(distinct respondent_id) as survey_respondents
    from answers
    group by survey_id
),

by_dimension as (
    select
        survey_id,
        dimension,
        count(distinct respondent_id) as dimension_respondents,
        count(*) filter (where score >= 4) / nullif(count(score), 0) as favorability
    from answers
    where not is_enps
      and dimension is not null
    group by survey_id, dimension
),

final as (
    select
        by_survey.survey_id,
        by_survey.survey_date,
        by_dimension.dimension,
        by_survey.survey_respondents < $threshold
            or by_dimension.dimension_respondents < $threshold
            or ($all_teams and list_contains($hidden_org, concat_ws(chr(31), by_survey.survey_id, '*', by_dimension.dimension)))
            as suppressed,
        case when not suppressed then by_dimension.dimension_respondents end as respondents,
        case when not suppressed then by_dimension.favorability end as favorability
    from by_dimension
    inner join by_survey using (survey_id)
    order by by_survey.survey_date, by_survey.survey_id, by_dimension.dimension
)

select * from final
