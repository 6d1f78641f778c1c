-- one row per hire quarter (with a whole first year behind it by end) per group ($group: all, acquired, location, sourcing) in [start, end − 365 days): people hired, how many left before their first anniversary, and that share
with staff as (
    select
        e.hire_date,
        e.termination_date,
        case $group
            when 'location' then coalesce(e.location, t.location, '(no location)')
            when 'sourcing' then coalesce(e.sourcing, t.sourcing, '(sourcing not set)')
            when 'acquired' then coalesce(e.acquired_from, 'Organic')
            else 'All'
        end as grp
    from employees as e
    left join teams as t on t.team = e.team
    where ($all_teams or list_contains($teams, e.team))
      and e.hire_date >= $start
      and e.hire_date < $end - 365
),

final as (
    select
        date_trunc('quarter', hire_date)::date as cohort,
        grp as "group",
        count(*) as hired,
        count(*) filter (where termination_date < hire_date + 365) as left_in_first_year,
        left_in_first_year / count(*) as first_year_attrition_rate
    from staff
    group by all
    order by all
)

select * from final
