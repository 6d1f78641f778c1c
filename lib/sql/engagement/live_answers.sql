-- one row per survey × respondent × dimension with at least one score, from the live survey_responses: the respondent's one team in that survey, the first and last survey_date of those answers, how many answers and how many were favourable / neutral / unfavourable
with scored as (
    -- who counts (SPEC §6): an answer is a row with a score and a dimension; a respondent
    -- whose scores are all empty is in no figure at all
    select
        survey_id,
        respondent_id,
        team,
        case when lower(trim(dimension)) = 'enps' then 'enps' else dimension end as dimension,
        survey_date,
        score
    from survey_responses
    where score is not null
      and nullif(trim(dimension), '') is not null
      -- a stored ±infinity date (no import writes one: SPEC §4) is in no wave
      and coalesce(isfinite(survey_date), true)
      and (len($surveys) = 0 or list_contains($surveys, survey_id))
),

team_votes as (
    select
        survey_id,
        respondent_id,
        team,
        count(*) as answers
    from scored
    group by survey_id, respondent_id, team
),

respondent_team as (
    -- one team per respondent per survey, so every count adds up across teams: the team of
    -- most of their answers, a named team before none, then the first name alphabetically
    select
        survey_id,
        respondent_id,
        first(team order by answers desc, team is null, team) as team
    from team_votes
    group by survey_id, respondent_id
),

final as (
    select
        scored.survey_id,
        scored.respondent_id,
        scored.dimension,
        respondent_team.team,
        min(scored.survey_date) as first_date,
        max(scored.survey_date) as last_date,
        count(*)::integer as answers,
        sum(scored.score) as score_sum,
        count(*) filter (
            where (scored.dimension = 'enps' and scored.score >= 9)
               or (scored.dimension <> 'enps' and scored.score >= 4)
        )::integer as favorable,
        count(*) filter (
            where (scored.dimension = 'enps' and scored.score > 6 and scored.score < 9)
               or (scored.dimension <> 'enps' and scored.score > 2 and scored.score < 4)
        )::integer as neutral,
        count(*) filter (
            where (scored.dimension = 'enps' and scored.score <= 6)
               or (scored.dimension <> 'enps' and scored.score <= 2)
        )::integer as unfavorable
    from scored
    inner join respondent_team using (survey_id, respondent_id)
    group by scored.survey_id, scored.respondent_id, scored.dimension, respondent_team.team
)

select * from final
order by survey_id, respondent_id, dimension
