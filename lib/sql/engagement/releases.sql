-- one row per release of every wave: its number, time and the threshold it was planned under
with releases as (
    select
        survey_id,
        release,
        released_at,
        threshold
    from survey_releases
),

final as (
    select * from releases
)

select * from final
order by survey_id, release
