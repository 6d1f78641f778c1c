-- one row per production deployment run in [start, end) for the teams in scope ($subset: all, failed, lead_time, rework, failed_runs), newest first, at most $row_limit
with scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and ($all_teams or list_contains($teams, team))
),

named_by_incident as (
    select caused_by_deploy_id as deploy_id, string_agg(incident_id, ', ' order by incident_id) as incident_ids
    from incidents
    where caused_by_deploy_id is not null
    group by caused_by_deploy_id
),

production as (
    -- the production rule over this scope (migration 006), as the catalog applies it
    select
        scoped.deploy_id,
        scoped.deployed_at,
        scoped.service,
        scoped.team,
        scoped.environment,
        scoped.status,
        lower(trim(scoped.status)) in ('success', 'rollback') as is_deployment,
        lower(trim(scoped.status)) = 'failure' as is_failed_run,
        coalesce(lower(trim(scoped.status)) = 'rollback' or named_by_incident.deploy_id is not null, false)
            as counts_as_failure,
        named_by_incident.incident_ids as caused_incidents,
        scoped.commit_at,
        case when lower(trim(scoped.status)) = 'success'
            then span_hours(scoped.commit_at, scoped.deployed_at) end as lead_time_hours,
        lower(trim(scoped.status)) = 'success' and runs_backwards(scoped.commit_at, scoped.deployed_at)
            as runs_backwards,
        scoped.is_rework
    from scoped
    left join named_by_incident using (deploy_id)
    qualify counts_as_production(scoped.environment, bool_or(names_environment(scoped.environment)) over ())
),

chosen as (
    select
        deploy_id, deployed_at, service, team, environment, status, lead_time_hours, runs_backwards,
        counts_as_failure and is_deployment as counts_as_failure, caused_incidents, is_rework, commit_at
    from production
    where ($subset = 'all' and is_deployment)
       or ($subset = 'failed' and is_deployment and counts_as_failure)
       or ($subset = 'lead_time' and lower(trim(status)) = 'success' and commit_at is not null)
       or ($subset = 'rework' and is_deployment and is_rework)
       or ($subset = 'failed_runs' and is_failed_run)
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by deployed_at desc, deploy_id
    limit $row_limit
)

select * from final
