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

environment_given as (
    select team, count(nullif(trim(environment), '')) > 0 as any_environment
    from scoped
    group by team
),

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

production as (
    select
        scoped.team,
        lower(trim(scoped.status)) = 'success' as is_success,
        coalesce(lower(trim(scoped.status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as is_failed
    from scoped
    join environment_given using (team)
    left join named_by_incident using (deploy_id)
    where not any_environment
       or lower(trim(scoped.environment)) in ('production', 'prod')
),

deploys as (
    select
        team,
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments
    from production
    group by team
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
        coalesce(deploys.successful_deployments, 0) / ($days / 7.0) as deploys_per_week,
        deploys.failed_deployments / nullif(deploys.deployments, 0) as change_failure_rate,
        people.separations / nullif(people.average_headcount, 0) * (365.0 / $days) as attrition_rate
    from wanted
    left join deploys using (team)
    left join people using (team)
)

select * from final
order by team
