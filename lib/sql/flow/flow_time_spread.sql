-- one row: the spread of flow time (days) over items completed in [start, end) for the teams in scope
with completed as (
    select epoch(completed_at - coalesce(started_at, created_at)) / 86400.0 as flow_days
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
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
