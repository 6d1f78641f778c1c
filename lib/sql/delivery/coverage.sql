-- one row: which delivery data exists, in the tables and in the period [start, end) for the teams in scope
with deploys as (
    select
        count(*) as deployments_total,
        count(*) filter (where deployed_at >= $start and deployed_at < $end
            and ($all_teams or list_contains($teams, team))) as deployments_in_period,
        count(commit_at) filter (where deployed_at >= $start and deployed_at < $end
            and ($all_teams or list_contains($teams, team))) as deployments_with_commit,
        count(is_rework) filter (where deployed_at >= $start and deployed_at < $end
            and ($all_teams or list_contains($teams, team))) as deployments_with_rework_flag
    from deployments
),

incident_rows as (
    select
        count(*) as incidents_total,
        count(caused_by_deploy_id) as incidents_naming_a_deploy,
        count(*) filter (where started_at >= $start and started_at < $end
            and ($all_teams or list_contains($teams, team))) as incidents_in_period
    from incidents
),

items as (
    select
        count(*) as work_items_total,
        count(*) filter (where completed_at >= $start and completed_at < $end
            and ($all_teams or list_contains($teams, team))) as items_completed_in_period
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
            and ($all_teams or list_contains($teams, team))) as pull_requests_merged_in_period
    from pull_requests_with_team
),

final as (
    select * from deploys, incident_rows, items, history, prs
)

select * from final
