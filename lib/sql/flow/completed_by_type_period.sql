-- one row per period bucket ($grain) per work type: items completed in the bucket, per week, and their share
with buckets as (
    select period, days
    from period_buckets($start, $end, $grain)
),

types (type, type_order) as (
    values ('feature', 1), ('defect', 2), ('risk', 3), ('debt', 4)
),

completed as (
    select
        date_trunc($grain, completed_at)::date as period,
        lower(trim(type)) as type
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
),

counted as (
    select period, type, count(*) as items
    from completed
    group by period, type
),

final as (
    select
        buckets.period,
        buckets.days,
        types.type,
        coalesce(counted.items, 0) as items,
        coalesce(counted.items, 0) / (buckets.days / 7.0) as items_per_week,
        coalesce(counted.items, 0) / nullif(sum(coalesce(counted.items, 0)) over (partition by buckets.period), 0)
            as share
    from buckets
    cross join types
    left join counted on counted.period = buckets.period and counted.type = types.type
    order by buckets.period, types.type_order
)

select * from final
