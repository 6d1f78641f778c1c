-- one row: which delivery data exists, in the tables and in the period [start, end) for the teams in scope
with scoped as (
    select *, lower(trim(status)) as run_status
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and ($all_teams or list_contains($teams, team))
),

production as (
    -- the production rule over this scope (migration 006), as the catalog applies it
    select *
    from scoped
    qualify counts_as_production(environment, bool_or(names_environment(environment)) over ())
),

deploy_table as (
    -- the rule is checked once per distinct environment, not once per row
    select
        coalesce(sum(runs), 0) as deployments_total,
        coalesce(sum(runs) filter (where is_production_environment(environment) or not names_environment(environment)), 0)
            as deployments_production_candidates
    from (select environment, count(*) as runs from deployments group by environment)
),

deploy_scope as (
    select
        count(*) as deployments_in_period,
        string_agg(distinct trim(environment), ', ' order by trim(environment))
            filter (where names_environment(environment)) as environments_in_period,
        -- runs without an environment in a scope where others name one: not production here
        case when bool_or(names_environment(environment))
            then count(*) filter (where not names_environment(environment)) else 0 end
            as unnamed_left_out_in_period
    from scoped
),

deploy_production as (
    select
        count(*) as production_runs_in_period,
        count(*) filter (where run_status in ('success', 'rollback')) as production_deployments_in_period,
        count(*) filter (where run_status = 'failure') as failed_runs_in_period,
        count(*) filter (where run_status is null or run_status not in ('success', 'rollback', 'failure'))
            as other_status_in_period,
        count(commit_at) filter (where run_status = 'success') as deployments_with_commit,
        count(is_rework) filter (where run_status in ('success', 'rollback')) as deployments_with_rework_flag,
        count(*) filter (where run_status = 'success' and runs_backwards(commit_at, deployed_at))
            as lead_time_backwards
    from production
),

incident_rows as (
    select
        count(*) as incidents_total,
        count(caused_by_deploy_id) as incidents_naming_a_deploy,
        count(*) filter (where started_at >= $start and started_at < $end
            and ($all_teams or list_contains($teams, team))) as incidents_in_period,
        count(*) filter (where started_at >= $start and started_at < $end
            and ($all_teams or list_contains($teams, team))
            and nullif(trim(caused_by_deploy_id), '') is null) as incidents_without_deploy_in_period,
        count(*) filter (where started_at >= $start and started_at < $end
            and ($all_teams or list_contains($teams, team))
            and runs_backwards(started_at, resolved_at)) as recovery_backwards
    from incidents
),

items as (
    select
        count(*) as work_items_total,
        count(*) filter (where completed_at >= $start and completed_at < $end
            and ($all_teams or list_contains($teams, team))) as items_completed_in_period,
        count(*) filter (where completed_at >= $start and completed_at < $end
            and ($all_teams or list_contains($teams, team))
            and item_runs_backwards(created_at, started_at, completed_at)) as items_backwards
    from work_items
),

history as (
    select count(distinct item_id) as items_with_history_total
    from work_item_transitions
),

prs as (
    select
        count(*) as pull_requests_total,
        count(*) filter (where merged_at >= $start and merged_at < $end
            and ($all_teams or list_contains($teams, team))) as pull_requests_merged_in_period,
        count(*) filter (where merged_at >= $start and merged_at < $end
            and ($all_teams or list_contains($teams, team))
            and (runs_backwards(opened_at, first_review_at)
                or runs_backwards(first_review_at, merged_at)
                or runs_backwards(opened_at, merged_at))) as pull_requests_backwards
    from pull_requests_with_team
),

final as (
    select
        array_to_string(production_environment_names(), ', ') as production_names,
        *
    from deploy_table, deploy_scope, deploy_production, incident_rows, items, history, prs
)

select * from final
