-- one row per survey that has scored answers or was ever compared: its live fingerprint (empty when no scored answer is left) beside the fingerprint, threshold, hold-back flag and time of its last comparison
with scored as (
    select
        survey_id,
        hash(respondent_id, team, question_id, dimension, survey_date, score) as row_hash
    from survey_responses
    where score is not null
      and nullif(trim(dimension), '') is not null
),

live as (
    select
        survey_id,
        count(*)::varchar || ':' || sum(row_hash::hugeint)::varchar as fingerprint
    from scored
    group by survey_id
),

final as (
    select
        coalesce(live.survey_id, survey_sync.survey_id) as survey_id,
        coalesce(live.fingerprint, '') as live_fingerprint,
        survey_sync.live_fingerprint as synced_fingerprint,
        survey_sync.threshold as synced_threshold,
        survey_sync.held_back,
        survey_sync.checked_at
    from live
    full outer join survey_sync using (survey_id)
)

select * from final
order by survey_id
