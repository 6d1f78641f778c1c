-- one row per period bucket ($grain) per severity: incidents started in [start, end) for the teams in scope
with buckets as (
    select period
    from period_buckets($start, $end, $grain)
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
