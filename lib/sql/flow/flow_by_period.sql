-- one row per period bucket ($grain) of [start, end): flow velocity, time, load, distribution, efficiency
with days as (
    select d::date as day
    from range($start::timestamp, $end::timestamp, interval 1 day) as t (d)
),

buckets as (
    select
        date_trunc($grain, day)::date as period,
        min(day) as bucket_start,
        max(day) + 1 as bucket_end,
        count(*) as days
    from days
    group by all
),

items as (
    select *
    from work_items
    where ($all_teams or list_contains($teams, team))
),

completed as (
    select
        item_id,
        date_trunc($grain, completed_at)::date as period,
        lower(trim(type)) as type,
        coalesce(started_at, created_at) as flow_start,
        completed_at
    from items
    where completed_at >= $start
      and completed_at < $end
),

completed_by_period as (
    select
        period,
        count(*) as velocity,
        median(epoch(completed_at - flow_start) / 86400.0) as time_days_p50,
        count(*) filter (where type = 'feature') / count(*) as distribution_feature,
        count(*) filter (where type = 'defect') / count(*) as distribution_defect,
        count(*) filter (where type = 'risk') / count(*) as distribution_risk,
        count(*) filter (where type = 'debt') / count(*) as distribution_debt
    from completed
    group by period
),

load_at_bucket_end as (
    select
        buckets.period,
        count(items.item_id) as load
    from buckets
    left join items
        on coalesce(items.started_at, items.created_at) < buckets.bucket_end
        and not coalesce(items.completed_at < buckets.bucket_end, false)
        and not coalesce(items.canceled_at < buckets.bucket_end, false)
    group by buckets.period
),

transitions as (
    select
        c.period,
        t.item_id,
        t.changed_at,
        coalesce(t.active, false) as active,
        c.flow_start,
        c.completed_at,
        lead(t.changed_at) over (partition by t.item_id order by t.changed_at) as next_changed_at
    from work_item_transitions as t
    inner join completed as c using (item_id)
),

item_active as (
    select
        period,
        item_id,
        any_value(epoch(completed_at - flow_start)) as flow_seconds,
        coalesce(
            sum(
                greatest(
                    epoch(
                        least(coalesce(next_changed_at, completed_at), completed_at)
                        - greatest(changed_at, flow_start)
                    ),
                    0
                )
            ) filter (where active),
            0
        ) as active_seconds
    from transitions
    group by period, item_id
),

efficiency_by_period as (
    select
        period,
        sum(active_seconds) / nullif(sum(flow_seconds), 0) as efficiency
    from item_active
    group by period
),

final as (
    select
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        coalesce(c.velocity, 0) as velocity,
        coalesce(c.velocity, 0) / (buckets.days / 7.0) as velocity_per_week,
        c.time_days_p50,
        l.load,
        c.distribution_feature,
        c.distribution_defect,
        c.distribution_risk,
        c.distribution_debt,
        e.efficiency
    from buckets
    left join completed_by_period as c using (period)
    left join load_at_bucket_end as l using (period)
    left join efficiency_by_period as e using (period)
    order by buckets.period
)

select * from final
