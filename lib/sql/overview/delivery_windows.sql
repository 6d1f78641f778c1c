-- one row per window: the four DORA keys (as delivery/dora.sql) over $windows consecutive periods of $days days ending at $end, window 0 being [end - days, end), for the teams in scope, with the counts behind them
with windows as (
    select
        k as window_index,
        $end::date - ((k + 1) * $days)::integer as window_start,
        $end::date - (k * $days)::integer as window_end
    from range(0, $windows) as r (k)
),

scoped as (
    select
        *,
        (($end::date - deployed_at::date) - 1) // $days as window_index
    from deployments
    where deployed_at >= $end::date - ($windows * $days)::integer
      and deployed_at < $end::date
      and ($all_teams or list_contains($teams, team))
),

environments as (
    -- the production rule's parts, once per distinct environment rather than once per row
    select
        environment,
        is_production_environment(environment) as is_production,
        names_environment(environment) as names
    from scoped
    group by environment
),

production as (
    -- the production rule over each window's scope, as dora.sql applies it over the period
    -- (counts_as_production: every run counts when no run of the window names an environment)
    select scoped.*, lower(trim(scoped.status)) as run_status
    from scoped
    left join environments on scoped.environment is not distinct from environments.environment
    qualify not coalesce(bool_or(environments.names) over (partition by scoped.window_index), false)
        or environments.is_production
),

named_by_incident as (
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
        window_index,
        count(*) as production_runs,
        count(*) filter (where is_deployment) as deployments,
        -- a run without a status (or another one) may or may not have reached production
        count(*) filter (where run_status is null or run_status not in ('success', 'rollback', 'failure'))
            as runs_without_status,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_deployment and is_named) as change_failures,
        median(span_hours(commit_at, deployed_at)) filter (where is_success) as lead_time_hours_p50,
        count(span_hours(commit_at, deployed_at)) filter (where is_success) as lead_times,
        -- the spread of the middle half, for the median's sampling error
        quantile_cont(span_hours(commit_at, deployed_at), [0.25, 0.75]) filter (where is_success) as lead_time_quartiles
    from flagged
    group by window_index
),

scope_runs as (
    select window_index, count(*) as deployment_runs
    from scoped
    group by window_index
),

table_runs as (
    select
        coalesce(sum(runs), 0) as table_runs,
        coalesce(sum(runs) filter (where is_production_environment(environment) or not names_environment(environment)), 0)
            as table_production_candidates
    from (select environment, count(*) as runs from deployments group by environment)
),

incident_summary as (
    select
        (($end::date - started_at::date) - 1) // $days as window_index,
        median(span_hours(started_at, resolved_at)) as recovery_time_hours_p50,
        count(span_hours(started_at, resolved_at)) as recoveries,
        quantile_cont(span_hours(started_at, resolved_at), [0.25, 0.75]) as recovery_quartiles
    from incidents
    where started_at >= $end::date - ($windows * $days)::integer
      and started_at < $end::date
      and ($all_teams or list_contains($teams, team))
    group by all
),

final as (
    select
        w.window_index,
        w.window_start,
        w.window_end,
        case when t.table_runs > 0 then coalesce(d.deployments, 0) end as deployments,
        coalesce(d.successful_deployments, 0) as successful_deployments,
        case
            when t.table_runs = 0 or t.table_production_candidates = 0 then null
            when coalesce(r.deployment_runs, 0) > 0 and coalesce(d.production_runs, 0) = 0 then null
            -- no production run says whether it succeeded: the frequency is unknown, not 0
            when d.production_runs > 0 and d.runs_without_status = d.production_runs then null
            else coalesce(d.successful_deployments, 0) / ($days / 7.0)
        end as deployment_frequency_per_week,
        d.lead_time_hours_p50,
        coalesce(d.lead_times, 0) as lead_times,
        d.lead_time_quartiles[2] - d.lead_time_quartiles[1] as lead_time_iqr,
        coalesce(d.change_failures, 0) as change_failures,
        d.change_failures / nullif(d.deployments, 0) as change_failure_rate,
        i.recovery_time_hours_p50,
        coalesce(i.recoveries, 0) as recoveries,
        i.recovery_quartiles[2] - i.recovery_quartiles[1] as recovery_iqr
    from windows as w
    cross join table_runs as t
    left join deploy_summary as d using (window_index)
    left join scope_runs as r using (window_index)
    left join incident_summary as i using (window_index)
    order by w.window_index
)

select * from final
