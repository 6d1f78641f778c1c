-- one row per date in $dates × team (teams in scope): employees active on that date (hire_date <= date and no termination_date <= date)
with dates as (
    select unnest($dates::date[]) as day
),

staff as (
    select
        team,
        hire_date,
        termination_date
    from employees
    where $all_teams or list_contains($teams, team)
),

final as (
    select
        dates.day,
        staff.team,
        count(*) as employees_active
    from dates
    inner join staff
        on staff.hire_date <= dates.day
        and not coalesce(staff.termination_date <= dates.day, false)
    group by dates.day, staff.team
)

select * from final
order by day, team
