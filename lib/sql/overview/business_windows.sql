-- one row per window: revenue, R&D spend, R&D as a share of revenue and revenue per engineer (as business/business.sql over whole months) over $windows consecutive blocks of $months whole months ending at $month_end (the first day after the period's whole months), window 0 being the period's own months
with windows as (
    select
        k as window_index,
        ($month_end::date - to_months(((k + 1) * $months)::integer))::date as window_start,
        ($month_end::date - to_months((k * $months)::integer))::date as window_end
    from range(0, $windows) as r (k)
),

months as (
    select
        w.window_index,
        lower(trim(b.metric)) as metric,
        b.period_start,
        b.value
    from business_metrics as b
    inner join windows as w on b.period_start >= w.window_start and b.period_start < w.window_end
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
        $months as month_starts,
        coalesce(m.revenue_months, 0) as revenue_months,
        coalesce(m.rnd_spend_months, 0) as rnd_spend_months,
        m.revenue,
        m.rnd_spend,
        m.rnd_spend / nullif(m.revenue, 0) as rnd_pct_revenue,
        h.average_headcount,
        case when $all_teams
            then m.revenue / nullif(h.average_headcount, 0) * (365.0 / (w.window_end - w.window_start))
        end as revenue_per_engineer_annualized
    from windows as w
    inner join headcount as h using (window_index)
    left join money as m using (window_index)
    order by w.window_index
)

select * from final
