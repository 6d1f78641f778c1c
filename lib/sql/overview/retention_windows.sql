-- one row per window: trailing-twelve-month and first-year attrition (as retention/retention.sql) at the end of each of $windows consecutive periods of $days days ending at $end, window 0 being [end - days, end), for the teams in scope
with windows as (
    select
        k as window_index,
        $end::date - ((k + 1) * $days)::integer as window_start,
        $end::date - (k * $days)::integer as window_end
    from range(0, $windows) as r (k)
),

staff as (
    select employee_id, hire_date, termination_date
    from employees
    where ($all_teams or list_contains($teams, team))
),

per_window as (
    select
        w.window_index,
        count(s.employee_id) filter (
            where s.hire_date <= w.window_end and not coalesce(s.termination_date <= w.window_end, false)
        ) as headcount_end,
        count(s.employee_id) filter (
            where s.hire_date <= w.window_end - 365 and not coalesce(s.termination_date <= w.window_end - 365, false)
        ) as headcount_year_ago,
        count(s.employee_id) filter (
            where s.termination_date >= w.window_end - 365 and s.termination_date < w.window_end
        ) as separations_ttm,
        count(s.employee_id) filter (
            where s.hire_date >= w.window_end - 730 and s.hire_date < w.window_end - 365
        ) as first_year_cohort,
        count(s.employee_id) filter (
            where s.hire_date >= w.window_end - 730 and s.hire_date < w.window_end - 365
              and s.termination_date < s.hire_date + 365
        ) as first_year_leavers
    from windows as w
    left join staff as s on true
    group by w.window_index
),

final as (
    select
        w.window_index,
        w.window_start,
        w.window_end,
        p.headcount_end,
        p.headcount_year_ago,
        p.separations_ttm,
        p.separations_ttm / nullif((p.headcount_year_ago + p.headcount_end) / 2.0, 0) as attrition_rate_ttm,
        p.first_year_cohort,
        p.first_year_leavers,
        p.first_year_leavers / nullif(p.first_year_cohort, 0) as first_year_attrition_rate
    from windows as w
    inner join per_window as p using (window_index)
    order by w.window_index
)

select * from final
