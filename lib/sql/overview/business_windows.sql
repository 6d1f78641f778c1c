-- one row per window: revenue, R&D spend, R&D as a share of revenue and revenue per engineer (as business/business.sql) over $windows consecutive periods of $days days ending at $end, window 0 being [end - days, end), with the months behind them
with windows as (
    select
        k as window_index,
        $end::date - ((k + 1) * $days)::integer as window_start,
        $end::date - (k * $days)::integer as window_end
    from range(0, $windows) as r (k)
),

month_starts as (
    -- the first days of months in each window: the months whose figures it sums
    select
        w.window_index,
        count(*) as month_starts
    from windows as w
    inner join range(
        date_trunc('month', $end::date - ($windows * $days)::integer)::timestamp,
        $end::date::timestamp,
        interval 1 month
    ) as m (month_start)
        on m.month_start::date >= w.window_start and m.month_start::date < w.window_end
    group by w.window_index
),

months as (
    select
        (($end::date - period_start) - 1) // $days as window_index,
        lower(trim(metric)) as metric,
        period_start,
        value
    from business_metrics
    where period_start >= $end::date - ($windows * $days)::integer
      and period_start < $end::date
),

money as (
    select
        window_index,
        sum(value) filter (where metric = 'revenue') as revenue,
        sum(value) filter (where metric = 'rnd_spend') as rnd_spend,
        count(distinct period_start) filter (where metric = 'revenue') as revenue_months,
        count(distinct period_start) filter (where metric = 'rnd_spend') as rnd_spend_months
    from months
    group by window_index
),

headcount as (
    -- org-wide: revenue has no team, so it is divided by the whole organisation
    select
        w.window_index,
        (
            count(e.employee_id) filter (
                where e.hire_date <= w.window_start and not coalesce(e.termination_date <= w.window_start, false)
            )
            + count(e.employee_id) filter (
                where e.hire_date <= w.window_end and not coalesce(e.termination_date <= w.window_end, false)
            )
        ) / 2.0 as average_headcount
    from windows as w
    left join employees as e on true
    group by w.window_index
),

final as (
    select
        w.window_index,
        w.window_start,
        w.window_end,
        coalesce(s.month_starts, 0) as month_starts,
        coalesce(m.revenue_months, 0) as revenue_months,
        coalesce(m.rnd_spend_months, 0) as rnd_spend_months,
        m.revenue,
        m.rnd_spend,
        m.rnd_spend / nullif(m.revenue, 0) as rnd_pct_revenue,
        h.average_headcount,
        case when $all_teams then m.revenue / nullif(h.average_headcount, 0) * (365.0 / $days) end
            as revenue_per_engineer_annualized
    from windows as w
    inner join headcount as h using (window_index)
    left join month_starts as s using (window_index)
    left join money as m using (window_index)
    order by w.window_index
)

select * from final
