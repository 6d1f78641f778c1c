-- one row per team per period bucket ($grain) of [start, end): each team's own flow velocity and flow time
with days as (
    select d::date as day
    from range($start::timestamp, $end::timestamp, interval 1 day) as t (d)
),

buckets as (
    select
        date_trunc($grain, day)::date as period,
        count(*) as days
    from days
    group by all
),

completed as (
    select
        team,
        date_trunc($grain, completed_at)::date as period,
        epoch(completed_at - coalesce(started_at, created_at)) / 86400.0 as flow_days
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and team is not null
      and ($all_teams or list_contains($teams, team))
),

teams as (
    select distinct team from completed
),

by_team_period as (
    select team, period, count(*) as velocity, median(flow_days) as time_days_p50
    from completed
    group by team, period
),

final as (
    select
        teams.team,
        buckets.period,
        buckets.days,
        coalesce(c.velocity, 0) as velocity,
        coalesce(c.velocity, 0) / (buckets.days / 7.0) as velocity_per_week,
        c.time_days_p50
    from teams
    cross join buckets
    left join by_team_period as c on c.team = teams.team and c.period = buckets.period
    order by teams.team, buckets.period
)

select * from final
