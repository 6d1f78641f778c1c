-- one row: the spread of flow time (days) over items completed in [start, end) for the teams in scope
with completed as (
    select item_flow_days(created_at, started_at, completed_at) as flow_days
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
      and not item_runs_backwards(created_at, started_at, completed_at)
),

final as (
    select
        count(*) as items,
        quantile_cont(flow_days, 0.10) as p10,
        quantile_cont(flow_days, 0.25) as p25,
        quantile_cont(flow_days, 0.50) as p50,
        quantile_cont(flow_days, 0.75) as p75,
        quantile_cont(flow_days, 0.90) as p90
    from completed
)

select * from final
