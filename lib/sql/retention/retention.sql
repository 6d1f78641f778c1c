-- one row: headcount, hires, separations, annualised and trailing-twelve-month attrition, first-year attrition, span of control, 1:1 coverage, tenure and promotions over [start, end)
with staff as (
    select
        *,
        hire_date <= $start and not coalesce(termination_date <= $start, false) as active_at_start,
        hire_date <= $end and not coalesce(termination_date <= $end, false) as active_at_end,
        hire_date <= $end - 365 and not coalesce(termination_date <= $end - 365, false) as active_year_ago,
        termination_date >= $start and termination_date < $end as separated_in_period
    from employees
    where ($all_teams or list_contains($teams, team))
),

people as (
    select
        count(*) filter (where active_at_start) as headcount_start,
        count(*) filter (where active_at_end) as headcount_end,
        count(*) filter (where active_year_ago) as headcount_year_ago,
        count(*) filter (where hire_date >= $start and hire_date < $end) as hires,
        count(*) filter (where separated_in_period) as separations,
        count(*) filter (
            where separated_in_period and lower(trim(termination_type)) = 'voluntary'
        ) as voluntary_separations,
        count(*) filter (where separated_in_period and regretted) as regretted_separations,
        count(*) filter (
            where termination_date >= $end - 365 and termination_date < $end
        ) as separations_ttm,
        count(*) filter (where hire_date >= $end - 730 and hire_date < $end - 365) as first_year_cohort,
        count(*) filter (
            where hire_date >= $end - 730 and hire_date < $end - 365
              and termination_date < hire_date + 365
        ) as first_year_leavers,
        median(($end::date - hire_date) / 365.25) filter (where active_at_end) as median_tenure_years
    from staff
),

spans as (
    -- each manager of someone active at the end, with their direct reports active then
    select manager_id, count(*) as direct_reports
    from staff
    where active_at_end and manager_id is not null
    group by manager_id
),

span as (
    select median(direct_reports) as span_of_control_median, count(*) as managers from spans
),

recent_one_on_ones as (
    select distinct employee_id
    from one_on_ones
    where held_at >= $end - 30 and held_at < $end
),

coverage as (
    -- without any one-on-one row at all the source is missing: null, not a coverage of 0
    select
        (select count(*) > 0 from one_on_ones) as has_one_on_one_data,
        count(*) filter (
            where staff.manager_id is not null and recent.employee_id is not null
        ) as covered_by_one_on_one
    from staff
    left join recent_one_on_ones as recent using (employee_id)
    where staff.active_at_end
),

scoped_promotions as (
    select promotions.*
    from promotions
    left join employees using (employee_id)
    where ($all_teams or list_contains($teams, employees.team))
),

promoted as (
    -- without any promotion row at all the source is missing: null, not a rate of 0
    select
        (select count(*) > 0 from promotions) as has_promotion_data,
        count(*) filter (where promoted_at >= $start and promoted_at < $end) as promotions
    from scoped_promotions
),

final as (
    select
        headcount_start,
        headcount_end,
        (headcount_start + headcount_end) / 2.0 as average_headcount,
        hires,
        separations,
        voluntary_separations,
        regretted_separations,
        separations / nullif(average_headcount, 0) * (365.0 / $days) as attrition_rate_annualized,
        voluntary_separations / nullif(average_headcount, 0) * (365.0 / $days)
            as voluntary_attrition_rate_annualized,
        regretted_separations / nullif(average_headcount, 0) * (365.0 / $days)
            as regretted_attrition_rate_annualized,
        headcount_year_ago,
        separations_ttm,
        separations_ttm / nullif((headcount_year_ago + headcount_end) / 2.0, 0) as attrition_rate_ttm,
        first_year_cohort,
        first_year_leavers,
        first_year_leavers / nullif(first_year_cohort, 0) as first_year_attrition_rate,
        managers,
        span_of_control_median,
        covered_by_one_on_one,
        case when has_one_on_one_data then covered_by_one_on_one / nullif(headcount_end, 0) end
            as one_on_one_coverage,
        median_tenure_years,
        case when has_promotion_data then promotions end as promotions,
        case when has_promotion_data then promotions / nullif(average_headcount, 0) * (365.0 / $days) end
            as promotion_rate_annualized
    from people, span, coverage, promoted
)

select * from final
