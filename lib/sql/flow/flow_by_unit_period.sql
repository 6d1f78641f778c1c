-- one row per unit per period bucket ($grain) of [start, end): flow velocity and flow time, where a
-- unit is each team ($unit = 'team') or each org of the teams table ('org')
with buckets as (
    select period, days
    from period_buckets($start, $end, $grain)
),

completed as (
    select
        case $unit when 'org' then coalesce(teams.org, '(no org)') else work_items.team end as unit,
        date_trunc($grain, work_items.completed_at)::date as period,
        item_flow_days(work_items.created_at, work_items.started_at, work_items.completed_at) as flow_days
    from work_items
    left join teams using (team)
    where work_items.completed_at >= $start
      and work_items.completed_at < $end
      and work_items.team is not null
      and ($all_teams or list_contains($teams, work_items.team))
),

units as (
    select distinct unit from completed
),

by_unit_period as (
    select unit, period, count(*) as velocity, median(flow_days) as time_days_p50
    from completed
    group by unit, period
),

final as (
    select
        units.unit,
        buckets.period,
        buckets.days,
        coalesce(c.velocity, 0) as velocity,
        coalesce(c.velocity, 0) / (buckets.days / 7.0) as velocity_per_week,
        c.time_days_p50
    from units
    cross join buckets
    left join by_unit_period as c on c.unit = units.unit and c.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
