-- one row per survey × team × dimension, per survey × team, per survey × dimension and per survey: distinct respondents (the counts the anonymity plan works on)
with answers as (
    select
        survey_id,
        team,
        dimension,
        respondent_id
    from survey_responses
    where score is not null
      and dimension is not null
      and (len($surveys) = 0 or list_contains($surveys, survey_id))
),

final as (
    select
        survey_id,
        team,
        dimension,
        grouping(team) = 1 as all_teams,
        grouping(dimension) = 1 as all_dimensions,
        count(distinct respondent_id) as respondents
    from answers
    group by grouping sets ((survey_id, team, dimension), (survey_id, team), (survey_id, dimension), (survey_id))
)

select * from final
order by survey_id, all_teams, team, all_dimensions, dimension
