-- one row: the DORA keys over the period [start, end) for the teams in scope
with scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and ($all_teams or list_contains($teams, team))
),

production as (
    -- the production rule over this scope (migration 006)
    select *, lower(trim(status)) as run_status
    from scoped
    qualify counts_as_production(environment, bool_or(names_environment(environment)) over ())
),

named_by_incident as (
    -- an incident names its deployment whatever the incident's team or date
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

flagged as (
    select
        production.*,
        run_status in ('success', 'rollback') as is_deployment,
        run_status = 'success' as is_success,
        run_status = 'rollback' or named_by_incident.deploy_id is not null as is_named
    from production
    left join named_by_incident using (deploy_id)
),

deploy_summary as (
    select
        count(*) as production_runs,
        count(*) filter (where is_deployment) as deployments,
        count(*) filter (where run_status = 'failure') as failed_deployment_runs,
        -- a run without a status (or another one) may or may not have reached production: neither
        -- a deployment nor a failed run, counted so the page and the catalog can say so
        count(*) filter (where run_status is null or run_status not in ('success', 'rollback', 'failure'))
            as runs_without_status,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_deployment and is_named) as change_failures,
        count(*) filter (where is_deployment and is_rework) as rework_deployments,
        count(is_rework) filter (where is_deployment) as rework_known,
        median(span_hours(commit_at, deployed_at)) filter (where is_success) as lead_time_hours_p50,
        count(span_hours(commit_at, deployed_at)) filter (where is_success) as lead_times,
        count(*) filter (where is_success and runs_backwards(commit_at, deployed_at)) as lead_time_backwards
    from flagged
),

scope_runs as (
    select count(*) as deployment_runs from scoped
),

table_runs as (
    -- a table whose every deployment names a non-production environment has no production data
    -- (the rule is checked once per distinct environment, not once per row)
    select
        coalesce(sum(runs), 0) as table_runs,
        coalesce(sum(runs) filter (where is_production_environment(environment) or not names_environment(environment)), 0)
            as table_production_candidates
    from (select environment, count(*) as runs from deployments group by environment)
),

incident_summary as (
    select
        count(*) as incidents,
        count(resolved_at) as resolved_incidents,
        count(*) filter (where nullif(trim(caused_by_deploy_id), '') is null) as incidents_without_deploy,
        median(span_hours(started_at, resolved_at)) as recovery_time_hours_p50,
        count(span_hours(started_at, resolved_at)) as recoveries,
        count(*) filter (where runs_backwards(started_at, resolved_at)) as recovery_backwards
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
),

incident_table as (
    select count(*) as incident_rows from incidents
),

final as (
    select
        case when table_runs > 0 then deployments end as deployments,
        case when table_runs > 0 then failed_deployment_runs end as failed_deployment_runs,
        case when table_runs > 0 then runs_without_status end as runs_without_status,
        successful_deployments,
        case
            when table_runs = 0 or table_production_candidates = 0 then null
            when deployment_runs > 0 and production_runs = 0 then null
            -- no production run says whether it succeeded: the frequency is unknown, not 0
            when production_runs > 0 and runs_without_status = production_runs then null
            else successful_deployments / ($days / 7.0)
        end as deployment_frequency_per_week,
        lead_time_hours_p50,
        lead_times,
        lead_time_backwards,
        change_failures,
        change_failures / nullif(deployments, 0) as change_failure_rate,
        incidents,
        resolved_incidents,
        case when incident_rows > 0 then incidents_without_deploy end as incidents_without_deploy,
        recovery_time_hours_p50,
        recoveries,
        recovery_backwards,
        rework_deployments,
        case when rework_known > 0 then rework_deployments / nullif(deployments, 0) end as rework_rate,
        deployment_runs,
        production_runs,
        table_runs > 0 and (table_production_candidates = 0 or (deployment_runs > 0 and production_runs = 0))
            as no_production,
        production_runs > 0 and runs_without_status = production_runs as no_status
    from deploy_summary, scope_runs, table_runs, incident_summary, incident_table
)

select * from final
