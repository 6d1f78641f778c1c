-- one row per flow-time band per work type: items completed in [start, end) for the teams in scope
with bands (band, low_days, high_days, band_order) as (
    values
        ('< 1', 0.0, 1.0, 1),
        ('1–2', 1.0, 2.0, 2),
        ('2–5', 2.0, 5.0, 3),
        ('5–10', 5.0, 10.0, 4),
        ('10–20', 10.0, 20.0, 5),
        ('20–40', 20.0, 40.0, 6),
        ('40+', 40.0, 1e9, 7)
),

completed as (
    select
        coalesce(nullif(lower(trim(type)), ''), 'unknown') as type,
        item_flow_days(created_at, started_at, completed_at) as flow_days
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
      and not item_runs_backwards(created_at, started_at, completed_at)
),

types as (
    select distinct type from completed
),

counted as (
    select bands.band, completed.type, count(*) as items
    from completed
    inner join bands on completed.flow_days >= bands.low_days and completed.flow_days < bands.high_days
    group by bands.band, completed.type
),

final as (
    select
        bands.band,
        bands.band_order,
        types.type,
        coalesce(counted.items, 0) as items
    from bands
    cross join types
    left join counted on counted.band = bands.band and counted.type = types.type
    order by bands.band_order, types.type
)

select * from final
