-- one row per team in $link_teams: successful production deployments per week, change failure rate and
-- annualised attrition over [start, end), each by the same rules as delivery/dora.sql and
-- retention/retention.sql applied to that team alone (so a team's environment rule is its own)
with wanted as (
    select unnest($link_teams::varchar[]) as team
),

scoped as (
    select deployments.*
    from deployments
    join wanted using (team)
    where deployed_at >= $start
      and deployed_at < $end
),

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

production as (
    -- the production rule per team (migration 006), as the catalog applies it under a team filter
    select
        scoped.team,
        lower(trim(scoped.status)) in ('success', 'rollback') as is_deployment,
        lower(trim(scoped.status)) = 'success' as is_success,
        lower(trim(scoped.status)) = 'rollback' or named_by_incident.deploy_id is not null as is_named
    from scoped
    left join named_by_incident using (deploy_id)
    qualify counts_as_production(
        scoped.environment, bool_or(names_environment(scoped.environment)) over (partition by scoped.team)
    )
),

deploys as (
    select
        team,
        count(*) as production_runs,
        count(*) filter (where is_deployment) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_deployment and is_named) as change_failures
    from production
    group by team
),

runs as (
    select team, count(*) as deployment_runs from scoped group by team
),

staff as (
    select
        team,
        hire_date <= $start and not coalesce(termination_date <= $start, false) as active_at_start,
        hire_date <= $end and not coalesce(termination_date <= $end, false) as active_at_end,
        termination_date >= $start and termination_date < $end as separated_in_period
    from employees
    join wanted using (team)
),

people as (
    select
        team,
        (count(*) filter (where active_at_start) + count(*) filter (where active_at_end)) / 2.0
            as average_headcount,
        count(*) filter (where separated_in_period) as separations
    from staff
    group by team
),

final as (
    select
        wanted.team,
        case
            -- deployments but none to production: unknown, as delivery/dora.sql says
            when coalesce(runs.deployment_runs, 0) > 0 and coalesce(deploys.production_runs, 0) = 0 then null
            else coalesce(deploys.successful_deployments, 0) / ($days / 7.0)
        end as deploys_per_week,
        deploys.change_failures / nullif(deploys.deployments, 0) as change_failure_rate,
        people.separations / nullif(people.average_headcount, 0) * (365.0 / $days) as attrition_rate
    from wanted
    left join deploys using (team)
    left join runs using (team)
    left join people using (team)
)

select * from final
order by team
