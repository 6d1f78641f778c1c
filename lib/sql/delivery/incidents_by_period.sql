-- one row per period bucket ($grain) per severity: incidents started in [start, end) for the teams in scope
with days as (
    select d::date as day
    from range($start::timestamp, $end::timestamp, interval 1 day) as t (d)
),

buckets as (
    select distinct date_trunc($grain, day)::date as period
    from days
),

scoped as (
    select
        date_trunc($grain, started_at)::date as period,
        coalesce(nullif(trim(severity), ''), '(none)') as severity,
        started_at,
        resolved_at
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
),

severities as (
    select distinct severity from scoped
),

counted as (
    select period, severity, count(*) as incidents
    from scoped
    group by period, severity
),

final as (
    select
        buckets.period,
        severities.severity,
        coalesce(counted.incidents, 0) as incidents
    from buckets
    cross join severities
    left join counted using (period, severity)
    order by buckets.period, severities.severity
)

select * from final
