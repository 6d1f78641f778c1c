-- one row per group ($group: all, org, team, location, sourcing) per period bucket ($grain) of [start, end): employees active at the bucket's end, those with a manager, and those of them with a one-on-one in the 30 days before it
with buckets as (
    select period, bucket_end from period_buckets($start, $end, $grain)
),

staff as (
    select
        e.employee_id,
        e.manager_id,
        e.hire_date,
        e.termination_date,
        case $group
            when 'org' then coalesce(t.org, '(no org)')
            when 'team' then coalesce(e.team, '(no team)')
            when 'location' then coalesce(e.location, t.location, '(no location)')
            when 'sourcing' then coalesce(e.sourcing, t.sourcing, '(sourcing not set)')
            else 'All'
        end as grp
    from employees as e
    left join teams as t on t.team = e.team
    where ($all_teams or list_contains($teams, e.team))
),

active as (
    select buckets.period, buckets.bucket_end, staff.*
    from buckets
    inner join staff
        on staff.hire_date <= buckets.bucket_end
        and not coalesce(staff.termination_date <= buckets.bucket_end, false)
),

met as (
    select distinct active.period, active.employee_id
    from active
    inner join one_on_ones as o
        on o.employee_id = active.employee_id
        and o.held_at >= active.bucket_end - 30 and o.held_at < active.bucket_end
),

final as (
    select
        active.period,
        active.bucket_end,
        active.grp as "group",
        count(*) as active,
        count(*) filter (where active.manager_id is not null) as with_manager,
        count(met.employee_id) filter (where active.manager_id is not null) as covered,
        covered / count(*) as one_on_one_coverage
    from active
    left join met using (period, employee_id)
    group by all
    order by all
)

select * from final
