-- one row per manager of employees of the scope's teams active at period end, reduced to what the charts need: the manager's org (that of most of their reports) and how many active direct reports they have; no manager id leaves this query
with active as (
    select e.manager_id, coalesce(t.org, '(no org)') as org
    from employees as e
    left join teams as t on t.team = e.team
    where ($all_teams or list_contains($teams, e.team))
      and e.manager_id is not null
      and e.hire_date <= $end and not coalesce(e.termination_date <= $end, false)
),

final as (
    select mode(org) as org, count(*) as direct_reports
    from active
    group by manager_id
    order by all
)

select * from final
