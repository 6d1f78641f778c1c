-- one row per period bucket ($grain) of [start, end): business metrics of the months starting in it, next to
-- engineering output, with the catalog's business ratios per bucket; money is annualised over the days of the
-- months it sums (a week holding a month start carries that month's revenue, for that month's days)
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

months as (
    select
        date_trunc($grain, period_start)::date as period,
        period_start,
        lower(trim(metric)) as metric,
        value
    from business_metrics
    where period_start >= $start
      and period_start < $end
),

business_by_bucket as (
    -- flows (revenue, spend) add up; stocks (arr, customers) take the last month; rates average
    select
        period,
        sum(value) filter (where metric = 'revenue') as revenue,
        sum(value) filter (where metric = 'rnd_spend') as rnd_spend,
        arg_max(value, period_start) filter (where metric = 'arr') as arr,
        arg_max(value, period_start) filter (where metric = 'customers') as customers,
        avg(value) filter (where metric = 'nps') as nps,
        avg(value) filter (where metric = 'churn_rate') as churn_rate,
        arg_max(value, period_start) filter (where metric = 'company_headcount') as company_headcount
    from months
    group by period
),

revenue_days as (
    -- the days of the months whose revenue a bucket sums: what its annualisation divides by
    select period, sum(((period_start + interval 1 month)::date - period_start)) as revenue_days
    from (select distinct period, period_start from months where metric = 'revenue')
    group by period
),

headcount as (
    -- org-wide, like revenue
    select
        buckets.period,
        (
            count(employees.employee_id) filter (
                where employees.hire_date <= buckets.bucket_start
                  and not coalesce(employees.termination_date <= buckets.bucket_start, false)
            )
            + count(employees.employee_id) filter (
                where employees.hire_date <= buckets.bucket_end
                  and not coalesce(employees.termination_date <= buckets.bucket_end, false)
            )
        ) / 2.0 as average_headcount
    from buckets
    left join employees on employees.hire_date <= buckets.bucket_end
    group by buckets.period
),

output as (
    select
        date_trunc($grain, completed_at)::date as period,
        count(*) as items_completed,
        count(*) filter (where lower(trim(type)) = 'feature') as features_completed,
        coalesce(sum(coalesce(effort, 1.0)) filter (where lower(trim(type)) = 'feature'), 0)
        / nullif(sum(coalesce(effort, 1.0)), 0) as feature_share
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
    group by period
),

final as (
    select
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        b.revenue,
        b.rnd_spend,
        b.rnd_spend / nullif(b.revenue, 0) as rnd_pct_revenue,
        case when $all_teams then b.revenue / nullif(h.average_headcount, 0) * (365.0 / rd.revenue_days) end
            as revenue_per_engineer_annualized,
        b.arr,
        b.customers,
        b.nps,
        b.churn_rate,
        b.company_headcount,
        b.arr / nullif(b.company_headcount, 0) as arr_per_employee,
        coalesce(o.items_completed, 0) as items_completed,
        coalesce(o.features_completed, 0) as features_completed,
        o.feature_share,
        case when $all_teams then b.rnd_spend / nullif(o.features_completed, 0) end as cost_per_feature,
        case when $all_teams then b.rnd_spend * o.feature_share end as capitalizable_rnd_estimate
    from buckets
    left join business_by_bucket as b using (period)
    left join revenue_days as rd using (period)
    left join headcount as h using (period)
    left join output as o using (period)
    order by buckets.period
)

select * from final
