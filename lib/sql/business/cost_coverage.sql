-- one row per location and sourcing of the people in scope at the period end: how many there are and their loaded
-- annual cost from the rate card (null when the rate card has none for them)
with rate_card as (
    select lower(trim(location)) as location, lower(trim(sourcing)) as sourcing, avg(annual_cost) as annual_cost
    from engineer_costs
    where annual_cost is not null
    group by all
),

people as (
    select
        coalesce(nullif(trim(employees.location), ''), teams.location) as location,
        coalesce(nullif(trim(employees.sourcing), ''), teams.sourcing) as sourcing
    from employees
    left join teams using (team)
    where employees.hire_date <= $end
      and not coalesce(employees.termination_date <= $end, false)
      and nullif(trim(employees.team), '') is not null
      and ($all_teams or list_contains($teams, employees.team))
),

final as (
    select
        people.location,
        people.sourcing,
        count(*) as people,
        coalesce(exact.annual_cost, anywhere.annual_cost) as annual_cost
    from people
    left join rate_card as exact
        on exact.location = lower(trim(people.location)) and exact.sourcing = lower(trim(people.sourcing))
    left join rate_card as anywhere
        on anywhere.location = '*' and anywhere.sourcing = lower(trim(people.sourcing))
    group by all
    order by people desc, people.location
)

select * from final
