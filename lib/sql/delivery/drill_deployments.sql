-- one row per production deployment in [start, end) for the teams in scope ($subset: all, failed, lead_time, rework), newest first, at most $row_limit
with scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and ($all_teams or list_contains($teams, team))
),

environment_given as (
    select count(nullif(trim(environment), '')) > 0 as any_environment
    from scoped
),

named_by_incident as (
    select caused_by_deploy_id as deploy_id, string_agg(incident_id, ', ' order by incident_id) as incident_ids
    from incidents
    where caused_by_deploy_id is not null
    group by caused_by_deploy_id
),

production as (
    select
        scoped.deploy_id,
        scoped.deployed_at,
        scoped.service,
        scoped.team,
        scoped.environment,
        scoped.status,
        coalesce(lower(trim(scoped.status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as counts_as_failure,
        named_by_incident.incident_ids as caused_incidents,
        scoped.commit_at,
        case when lower(trim(scoped.status)) = 'success'
            then epoch(scoped.deployed_at - scoped.commit_at) / 3600.0 end as lead_time_hours,
        scoped.is_rework
    from scoped
    cross join environment_given
    left join named_by_incident using (deploy_id)
    where not any_environment
       or lower(trim(scoped.environment)) in ('production', 'prod')
),

chosen as (
    select
        deploy_id, deployed_at, service, team, environment, status, lead_time_hours,
        counts_as_failure, caused_incidents, is_rework, commit_at
    from production
    where $subset = 'all'
       or ($subset = 'failed' and counts_as_failure)
       or ($subset = 'lead_time' and lead_time_hours is not null)
       or ($subset = 'rework' and is_rework)
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by deployed_at desc, deploy_id
    limit $row_limit
)

select * from final
