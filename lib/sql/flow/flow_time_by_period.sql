-- one row per period bucket ($grain) of [start, end): the spread of flow time (days) of items completed in the bucket
with buckets as (
    select period
    from period_buckets($start, $end, $grain)
),

completed as (
    select
        date_trunc($grain, completed_at)::date as period,
        item_flow_days(created_at, started_at, completed_at) as flow_days
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
      and not item_runs_backwards(created_at, started_at, completed_at)
),

spread as (
    select
        period,
        count(*) as items,
        quantile_cont(flow_days, 0.10) as p10,
        quantile_cont(flow_days, 0.25) as p25,
        quantile_cont(flow_days, 0.50) as p50,
        quantile_cont(flow_days, 0.75) as p75,
        quantile_cont(flow_days, 0.90) as p90,
        avg(flow_days) as mean
    from completed
    group by period
),

final as (
    select
        buckets.period,
        coalesce(spread.items, 0) as items,
        spread.p10,
        spread.p25,
        spread.p50,
        spread.p75,
        spread.p90,
        spread.mean
    from buckets
    left join spread using (period)
    order by buckets.period
)

select * from final
