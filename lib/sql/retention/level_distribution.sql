-- one row per level held by employees of the scope's teams active at period end: headcount and share of the headcount
with active as (
    select coalesce(nullif(trim(level), ''), '(no level)') as level
    from employees
    where ($all_teams or list_contains($teams, team))
      and hire_date <= $end and not coalesce(termination_date <= $end, false)
),

final as (
    select level, count(*) as headcount, count(*) / sum(count(*)) over () as share
    from active
    group by level
    order by level
)

select * from final
