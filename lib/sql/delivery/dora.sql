-- one row: the DORA keys over the period [start, end) for the teams in scope
with scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and ($all_teams or list_contains($teams, team))
),

environment_given as (
    -- when no deployment in scope names an environment, every deployment counts as production
    select count(nullif(trim(environment), '')) > 0 as any_environment
    from scoped
),

production as (
    select scoped.*
    from scoped, environment_given
    where not any_environment
       or lower(trim(environment)) in ('production', 'prod')
),

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

flagged as (
    select
        production.*,
        lower(trim(status)) = 'success' as is_success,
        coalesce(lower(trim(status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as is_failed
    from production
    left join named_by_incident using (deploy_id)
),

deploy_summary as (
    select
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments,
        count(*) filter (where is_rework) as rework_deployments,
        count(is_rework) as rework_known,
        median(epoch(deployed_at - commit_at) / 3600.0)
            filter (where is_success and commit_at is not null) as lead_time_hours_p50
    from flagged
),

incident_summary as (
    select
        count(*) as incidents,
        count(resolved_at) as resolved_incidents,
        median(epoch(resolved_at - started_at) / 3600.0)
            filter (where resolved_at is not null) as recovery_time_hours_p50
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
),

final as (
    select
        deployments,
        successful_deployments,
        successful_deployments / ($days / 7.0) as deployment_frequency_per_week,
        lead_time_hours_p50,
        failed_deployments,
        failed_deployments / nullif(deployments, 0) as change_failure_rate,
        incidents,
        resolved_incidents,
        recovery_time_hours_p50,
        rework_deployments,
        case when rework_known > 0 then rework_deployments / nullif(deployments, 0) end as rework_rate
    from deploy_summary, incident_summary
)

select * from final
