-- one row per survey with a scored answer in the live survey_responses: a fingerprint of its scored rows (changes with any import, update or undo that touches them)
with scored as (
    select
        survey_id,
        hash(respondent_id, team, question_id, dimension, survey_date, score) as row_hash
    from survey_responses
    where score is not null
      and nullif(trim(dimension), '') is not null
),

final as (
    select
        survey_id,
        count(*)::varchar || ':' || sum(row_hash::hugeint)::varchar as fingerprint
    from scored
    group by survey_id
)

select * from final
order by survey_id
