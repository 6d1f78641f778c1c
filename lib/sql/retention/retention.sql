-- one row: headcount, hires, separations, annualised attrition, tenure and promotions over [start, end)
with staff as (
    select
        *,
        hire_date <= $start and not coalesce(termination_date <= $start, false) as active_at_start,
        hire_date <= $end and not coalesce(termination_date <= $end, false) as active_at_end,
        termination_date >= $start and termination_date < $end as separated_in_period
    from employees
    where ($all_teams or list_contains($teams, team))
),

people as (
    select
        count(*) filter (where active_at_start) as headcount_start,
        count(*) filter (where active_at_end) as headcount_end,
        count(*) filter (where hire_date >= $start and hire_date < $end) as hires,
        count(*) filter (where separated_in_period) as separations,
        count(*) filter (
            where separated_in_period and lower(trim(termination_type)) = 'voluntary'
        ) as voluntary_separations,
        count(*) filter (where separated_in_period and regretted) as regretted_separations,
        median(($end::date - hire_date) / 365.25) filter (where active_at_end) as median_tenure_years
    from staff
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
        median_tenure_years,
        case when has_promotion_data then promotions end as promotions,
        case when has_promotion_data then promotions / nullif(average_headcount, 0) * (365.0 / $days) end
            as promotion_rate_annualized
    from people, promoted
)

select * from final
