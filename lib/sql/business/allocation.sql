-- one row per unit per period bucket ($grain) per category of [start, end): items completed, their effort and
-- its share, and the FTE and cost that effort stands for; category is the flow type ($dimension = 'type') or the
-- business initiative ('initiative'); unit is the whole scope ($unit = 'all'), each team ('team') or each org ('org');
-- with $whole the period is one bucket starting at $start
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
    where not $whole
    union all
    select $start::date, $start::date, $end::date, date_diff('day', $start::date, $end::date)
    where $whole
),

rate_card as (
    select lower(trim(location)) as location, lower(trim(sourcing)) as sourcing, avg(annual_cost) as annual_cost
    from engineer_costs
    where annual_cost is not null
    group by all
),

people as (
    -- a person's own location and sourcing, else their team's
    select
        employees.employee_id,
        employees.team,
        employees.hire_date,
        employees.termination_date,
        lower(trim(coalesce(nullif(trim(employees.location), ''), teams.location))) as location,
        lower(trim(coalesce(nullif(trim(employees.sourcing), ''), teams.sourcing))) as sourcing
    from employees
    left join teams using (team)
    where nullif(trim(employees.team), '') is not null
),

costed as (
    select
        people.*,
        coalesce(exact.annual_cost, anywhere.annual_cost) as annual_cost
    from people
    left join rate_card as exact on exact.location = people.location and exact.sourcing = people.sourcing
    left join rate_card as anywhere on anywhere.location = '*' and anywhere.sourcing = people.sourcing
),

presence as (
    -- (active at the bucket start + active at its end) ÷ 2: the average headcount of SPEC §5
    select
        costed.team,
        buckets.period,
        buckets.days,
        costed.annual_cost,
        (
            case when costed.hire_date <= buckets.bucket_start
                and not coalesce(costed.termination_date <= buckets.bucket_start, false) then 0.5 else 0 end
            + case when costed.hire_date <= buckets.bucket_end
                and not coalesce(costed.termination_date <= buckets.bucket_end, false) then 0.5 else 0 end
        ) as fte
    from buckets
    inner join costed
        on costed.hire_date <= buckets.bucket_end
       and coalesce(costed.termination_date > buckets.bucket_start, true)
),

team_fte as (
    -- every team, whatever the filter: R&D spend is shared out over the whole organisation
    select
        team,
        period,
        any_value(days) as days,
        sum(fte) as fte,
        sum(fte * annual_cost) as fte_annual_cost,
        sum(fte) filter (where annual_cost is null) as fte_without_cost
    from presence
    group by all
    having sum(fte) > 0
),

spend as (
    select buckets.period, sum(business_metrics.value) as rnd_spend
    from buckets
    inner join business_metrics
        on business_metrics.period_start >= buckets.bucket_start
       and business_metrics.period_start < buckets.bucket_end
    where lower(trim(business_metrics.metric)) = 'rnd_spend'
    group by all
),

weighted as (
    -- R&D spend goes to teams by headcount × loaded cost when every person has a cost, else by
    -- headcount; shares are taken over the whole organisation before any team filter
    select
        team_fte.*,
        case when sum(coalesce(fte_without_cost, 0)) over (partition by period) = 0
            then fte_annual_cost / nullif(sum(fte_annual_cost) over (partition by period), 0)
            else fte / nullif(sum(fte) over (partition by period), 0)
        end as spend_share
    from team_fte
),

team_cost as (
    select
        weighted.team,
        weighted.period,
        weighted.fte,
        case when coalesce(weighted.fte_without_cost, 0) = 0 then weighted.fte_annual_cost * weighted.days / 365.0 end
            as cost_loaded,
        spend.rnd_spend * weighted.spend_share as cost_rnd_spend
    from weighted
    left join spend using (period)
    where $all_teams or list_contains($teams, weighted.team)
),

team_units as (
    select
        team,
        case $unit when 'org' then coalesce(org, '(no org)') when 'team' then team else 'All teams' end as unit
    from teams
),

resolved as (
    select work_initiative, initiative, mapped_by
    from work_item_business_initiative
),

completed as (
    select
        work_items.team,
        coalesce(
            team_units.unit,
            case $unit when 'all' then 'All teams' when 'team' then work_items.team else '(no org)' end
        ) as unit,
        case when $whole then $start::date else date_trunc($grain, work_items.completed_at)::date end as period,
        case
            when $dimension = 'type' then coalesce(lower(trim(work_items.type)), '(no type)')
            when nullif(trim(work_items.initiative), '') is null then '(no initiative)'
            when resolved.mapped_by is null then '(not mapped)'
            else coalesce(resolved.initiative, '(not an initiative)')
        end as category,
        coalesce(work_items.effort, 1.0) as weight
    from work_items
    left join team_units using (team)
    left join resolved on resolved.work_initiative = work_items.initiative
    where work_items.completed_at >= $start
      and work_items.completed_at < $end
      and ($all_teams or list_contains($teams, work_items.team))
      and ($unit = 'all' or work_items.team is not null)
),

team_mix as (
    -- each team's own shares: its people are allocated by the work it completed
    select
        team,
        period,
        category,
        sum(weight) / nullif(sum(sum(weight)) over (partition by team, period), 0) as team_share
    from completed
    where team is not null
    group by team, period, category
),

allocated as (
    select
        coalesce(
            team_units.unit,
            case $unit when 'all' then 'All teams' when 'team' then team_cost.team else '(no org)' end
        ) as unit,
        team_cost.period,
        coalesce(team_mix.category, '(no completed work)') as category,
        team_cost.fte * coalesce(team_mix.team_share, 1.0) as fte,
        team_cost.cost_loaded * coalesce(team_mix.team_share, 1.0) as cost_loaded,
        team_cost.cost_rnd_spend * coalesce(team_mix.team_share, 1.0) as cost_rnd_spend,
        team_cost.cost_loaded is null as uncosted
    from team_cost
    left join team_units using (team)
    left join team_mix on team_mix.team = team_cost.team and team_mix.period = team_cost.period
),

effort as (
    select unit, period, category, count(*) as items, sum(weight) as effort
    from completed
    group by all
),

people_cost as (
    select
        unit,
        period,
        category,
        sum(fte) as fte,
        -- a unit's loaded cost is unknown when any of its people has no cost
        case when bool_or(uncosted) then null else sum(cost_loaded) end as cost_loaded,
        sum(cost_rnd_spend) as cost_rnd_spend
    from allocated
    group by unit, period, category
),

final as (
    select
        coalesce(effort.unit, people_cost.unit) as unit,
        coalesce(effort.period, people_cost.period) as period,
        coalesce(effort.category, people_cost.category) as category,
        coalesce(effort.items, 0) as items,
        coalesce(effort.effort, 0) as effort,
        effort.effort / nullif(sum(effort.effort) over (
            partition by coalesce(effort.unit, people_cost.unit), coalesce(effort.period, people_cost.period)
        ), 0) as share,
        coalesce(people_cost.fte, 0) as fte,
        people_cost.cost_loaded,
        people_cost.cost_rnd_spend
    from effort
    full outer join people_cost
        on people_cost.unit = effort.unit
       and people_cost.period = effort.period
       and people_cost.category = effort.category
    order by unit, period, category
)

select * from final
