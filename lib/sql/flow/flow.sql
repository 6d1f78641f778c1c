-- one row: the Flow Framework keys over the period [start, end) for the teams in scope
with items as (
    select *
    from work_items
    where ($all_teams or list_contains($teams, team))
),

completed as (
    select
        item_id,
        lower(trim(type)) as type,
        coalesce(started_at, created_at) as flow_start,
        completed_at,
        item_flow_days(created_at, started_at, completed_at) as flow_days,
        item_runs_backwards(created_at, started_at, completed_at) as runs_backwards
    from items
    where completed_at >= $start
      and completed_at < $end
),

completed_summary as (
    select
        count(*) as velocity,
        median(flow_days) as time_days_p50,
        count(*) filter (where runs_backwards) as items_backwards,
        count(*) filter (where type = 'feature') / nullif(count(*), 0) as distribution_feature,
        count(*) filter (where type = 'defect') / nullif(count(*), 0) as distribution_defect,
        count(*) filter (where type = 'risk') / nullif(count(*), 0) as distribution_risk,
        count(*) filter (where type = 'debt') / nullif(count(*), 0) as distribution_debt
    from completed
),

wip as (
    select count(*) as load
    from items
    where coalesce(started_at, created_at) < $end
      and not coalesce(completed_at < $end, false)
      and not coalesce(canceled_at < $end, false)
),

transitions as (
    select
        t.item_id,
        t.changed_at,
        coalesce(t.active, false) as active,
        c.flow_start,
        c.completed_at,
        lead(t.changed_at) over (partition by t.item_id order by t.changed_at) as next_changed_at
    from work_item_transitions as t
    inner join completed as c using (item_id)
),

segments as (
    -- each status lasts until the next transition, clipped to the item's flow time
    select
        item_id,
        active,
        greatest(
            epoch(
                least(coalesce(next_changed_at, completed_at), completed_at)
                - greatest(changed_at, flow_start)
            ),
            0
        ) as seconds
    from transitions
),

with_history as (
    select
        c.item_id,
        epoch(c.completed_at - c.flow_start) as flow_seconds,
        s.active_seconds
    from completed as c
    inner join (
        select item_id, sum(seconds) filter (where active) as active_seconds
        from segments
        group by item_id
    ) as s using (item_id)
    where not c.runs_backwards  -- its flow time is unknown, so its share of active time is too
),

efficiency as (
    select
        count(*) as items_with_history,
        coalesce(sum(active_seconds), 0) / nullif(sum(flow_seconds), 0) as efficiency
    from with_history
),

item_table as (
    -- counts over a table that was never loaded are unknown, not zero
    select count(*) > 0 as loaded from work_items
),

final as (
    select
        case when loaded then velocity end as velocity,
        case when loaded then velocity / ($days / 7.0) end as velocity_per_week,
        time_days_p50,
        case when loaded then load end as load,
        distribution_feature,
        distribution_defect,
        distribution_risk,
        distribution_debt,
        items_backwards,
        items_with_history,
        case when items_with_history > 0 then efficiency end as efficiency
    from completed_summary, wip, efficiency, item_table
)

select * from final
