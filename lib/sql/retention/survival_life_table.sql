-- one row per group ($group: cohort, location, sourcing, acquired, all) per tenure length in days and outcome: stints of the scope's teams hired since the first recorded separation and before end, how many left after that many days (before end) and how many were still employed at end (censored)
with observed as (
    -- before the first separation the data holds, leavers may be missing: earlier hires are left out
    select min(termination_date) as observed_from from employees
),

staff as (
    select
        e.hire_date,
        e.termination_date,
        case $group
            when 'cohort' then strftime(e.hire_date, '%Y')
            when 'location' then coalesce(e.location, t.location, '(no location)')
            when 'sourcing' then coalesce(e.sourcing, t.sourcing, '(sourcing not set)')
            when 'acquired' then coalesce(e.acquired_from, 'Organic')
            else 'All'
        end as grp
    from employees as e
    left join teams as t on t.team = e.team
    cross join observed
    where ($all_teams or list_contains($teams, e.team))
      and e.hire_date >= observed.observed_from
      and e.hire_date < $end
),

final as (
    select
        grp as "group",
        (least(coalesce(termination_date, $end::date), $end::date) - hire_date)::integer as days,
        coalesce(termination_date < $end, false) as left_company,
        count(*) as people
    from staff
    where coalesce(termination_date, $end::date) >= hire_date
    group by all
    order by all
)

select * from final
