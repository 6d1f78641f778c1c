-- one row per incident started in [start, end) for the teams in scope ($subset: all, without_deploy), newest first, at most $row_limit
with chosen as (
    select
        incident_id,
        started_at,
        resolved_at,
        span_hours(started_at, resolved_at) as recovery_hours,
        runs_backwards(started_at, resolved_at) as runs_backwards,
        service,
        team,
        severity,
        caused_by_deploy_id
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
      and ($subset = 'all' or nullif(trim(caused_by_deploy_id), '') is null)
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by started_at desc, incident_id
    limit $row_limit
)

select * from final
