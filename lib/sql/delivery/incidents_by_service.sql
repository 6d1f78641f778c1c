-- one row per service per severity: incidents started in [start, end) for the teams in scope
with scoped as (
    select
        coalesce(nullif(trim(service), ''), '(no service)') as service,
        coalesce(nullif(trim(severity), ''), '(none)') as severity,
        started_at,
        resolved_at
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
),

final as (
    select
        service,
        severity,
        count(*) as incidents,
        count(resolved_at) as resolved,
        median(span_hours(started_at, resolved_at)) as recovery_time_hours_p50
    from scoped
    group by service, severity
    order by service, severity
)

select * from final
