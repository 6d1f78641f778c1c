-- one row per period bucket ($grain) of [start, end): flow velocity, time, load, distribution, efficiency
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
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
        completed_at,
        item_flow_days(created_at, started_at, completed_at) as flow_days,
        item_runs_backwards(created_at, started_at, completed_at) as runs_backwards
    from items
    where completed_at >= $start
      and completed_at < $end
),

completed_by_period as (
    select
        period,
        count(*) as velocity,
        median(flow_days) as time_days_p50,
        count(*) filter (where type = 'feature') / count(*) as distribution_feature,
        count(*) filter (where type = 'defect') / count(*) as distribution_defect,
        count(*) filter (where type = 'risk') / count(*) as distribution_risk,
        count(*) filter (where type = 'debt') / count(*) as distribution_debt
    from completed
    group by period
),

load_events as (
    -- an item is in progress from its flow start until it is completed or canceled:
    -- +1 when it starts, -1 when it closes (items closed before they start never count)
    select
        coalesce(started_at, created_at) as event_at,
        1 as delta
    from items
    where least(completed_at, canceled_at) is null
       or least(completed_at, canceled_at) > coalesce(started_at, created_at)
    union all
    select
        least(completed_at, canceled_at) as event_at,
        -1 as delta
    from items
    where least(completed_at, canceled_at) > coalesce(started_at, created_at)
),

load_before_period as (
    select coalesce(sum(delta), 0) as load
    from load_events
    where event_at < $start
),

load_change_by_period as (
    select
        date_trunc($grain, event_at)::date as period,
        sum(delta) as delta
    from load_events
    where event_at >= $start
      and event_at < $end
    group by period
),

load_at_bucket_end as (
    -- events strictly before the bucket's end: the start of the period plus every bucket so far
    select
        buckets.period,
        (
            load_before_period.load
            + sum(coalesce(load_change_by_period.delta, 0)) over (order by buckets.period)
        )::bigint as load
    from buckets
    cross join load_before_period
    left join load_change_by_period using (period)
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
    where not c.runs_backwards
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
