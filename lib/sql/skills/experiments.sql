-- one row per experiment (learning rows of kind experiment, by title) dated in [start, end): participants, teams, hours
with runs as (
    select
        learning.title,
        learning.date,
        learning.hours,
        learning.employee_id,
        employees.team
    from learning
    left join person_links as links on links.person_id = learning.employee_id
    left join employees on employees.employee_id = links.employee_id
    where learning.kind = 'experiment'
      and learning.date >= $start
      and learning.date < $end
      and ($all_teams or list_contains($teams, employees.team))
),

final as (
    select
        title,
        count(distinct employee_id) as participants,
        count(distinct team) as teams,
        sum(hours) as hours,
        min(date) as first_date,
        max(date) as last_date
    from runs
    group by title
    order by participants desc, hours desc nulls last, title
)

select * from final
