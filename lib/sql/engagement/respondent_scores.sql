-- one row per respondent per dimension of survey $survey in scope: the respondent's mean score (input to correlations only, never shown)
with answers as (
    select
        respondent_id,
        dimension,
        score
    from survey_responses
    where survey_id = $survey
      and score is not null
      and dimension is not null
      and ($all_teams or list_contains($teams, team))
      and ($all_teams or not list_contains($hidden, concat_ws(chr(31), survey_id, team, dimension)))
),

final as (
    select
        respondent_id,
        dimension,
        avg(score) as mean_score
    from answers
    group by respondent_id, dimension
)

select * from final
