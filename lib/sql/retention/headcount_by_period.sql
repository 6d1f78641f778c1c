-- one row per period bucket ($grain) of [start, end): headcount at bucket start and end, hires, separations, annualised attrition
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

staff as (
    select *
    from employees
    where ($all_teams or list_contains($teams, team))
),

by_bucket as (
    select
        buckets.period,
        count(staff.employee_id) filter (
            where staff.hire_date <= buckets.bucket_start
              and not coalesce(staff.termination_date <= buckets.bucket_start, false)
        ) as headcount_start,
        count(staff.employee_id) filter (
            where staff.hire_date <= buckets.bucket_end
              and not coalesce(staff.termination_date <= buckets.bucket_end, false)
        ) as headcount_end,
        count(staff.employee_id) filter (
            where staff.hire_date >= buckets.bucket_start and staff.hire_date < buckets.bucket_end
        ) as hires,
        count(staff.employee_id) filter (
            where staff.termination_date >= buckets.bucket_start
              and staff.termination_date < buckets.bucket_end
        ) as separations,
        count(staff.employee_id) filter (
            where staff.termination_date >= buckets.bucket_start
              and staff.termination_date < buckets.bucket_end
              and lower(trim(staff.termination_type)) = 'voluntary'
        ) as voluntary_separations,
        count(staff.employee_id) filter (
            where staff.termination_date >= buckets.bucket_start
              and staff.termination_date < buckets.bucket_end
              and staff.regretted
        ) as regretted_separations
    from buckets
    left join staff on staff.hire_date <= buckets.bucket_end
    group by buckets.period
),

final as (
    select
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        b.headcount_start,
        b.headcount_end,
        b.hires,
        b.separations,
        b.voluntary_separations,
        b.regretted_separations,
        b.separations / nullif((b.headcount_start + b.headcount_end) / 2.0, 0) * (365.0 / buckets.days)
            as attrition_rate_annualized,
        b.voluntary_separations / nullif((b.headcount_start + b.headcount_end) / 2.0, 0)
            * (365.0 / buckets.days) as voluntary_attrition_rate_annualized,
        b.regretted_separations / nullif((b.headcount_start + b.headcount_end) / 2.0, 0)
            * (365.0 / buckets.days) as regretted_attrition_rate_annualized
    from buckets
    inner join by_bucket as b using (period)
    order by buckets.period
)

select * from final
