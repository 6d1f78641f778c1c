-- one row per incident started in [start, end) for the teams in scope, newest first, at most $row_limit
with chosen as (
    select
        incident_id,
        started_at,
        resolved_at,
        epoch(resolved_at - started_at) / 3600.0 as recovery_hours,
        service,
        team,
        severity,
        caused_by_deploy_id
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by started_at desc, incident_id
    limit $row_limit
)

select * from final
