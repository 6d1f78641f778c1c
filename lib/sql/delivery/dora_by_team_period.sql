-- one row per team per period bucket ($grain) of [start, end): each team's own DORA trend
with days as (
    select d::date as day
    from range($start::timestamp, $end::timestamp, interval 1 day) as t (d)
),

buckets as (
    select
        date_trunc($grain, day)::date as period,
        count(*) as days
    from days
    group by all
),

scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
      and team is not null
      and ($all_teams or list_contains($teams, team))
),

environment_given as (
    select count(nullif(trim(environment), '')) > 0 as any_environment
    from scoped
),

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

production as (
    select
        scoped.team,
        date_trunc($grain, scoped.deployed_at)::date as period,
        epoch(scoped.deployed_at - scoped.commit_at) / 3600.0 as lead_time_hours,
        lower(trim(scoped.status)) = 'success' as is_success,
        coalesce(lower(trim(scoped.status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as is_failed
    from scoped
    cross join environment_given
    left join named_by_incident using (deploy_id)
    where not any_environment
       or lower(trim(scoped.environment)) in ('production', 'prod')
),

teams as (
    select distinct team from production
),

by_team_period as (
    select
        team,
        period,
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments,
        median(lead_time_hours) filter (where is_success and lead_time_hours is not null) as lead_time_hours_p50
    from production
    group by team, period
),

recovery as (
    select
        team,
        date_trunc($grain, started_at)::date as period,
        median(epoch(resolved_at - started_at) / 3600.0) filter (where resolved_at is not null)
            as recovery_time_hours_p50
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
    group by team, period
),

final as (
    select
        teams.team,
        buckets.period,
        buckets.days,
        coalesce(d.deployments, 0) as deployments,
        coalesce(d.successful_deployments, 0) / (buckets.days / 7.0) as deployment_frequency_per_week,
        d.lead_time_hours_p50,
        d.failed_deployments / nullif(d.deployments, 0) as change_failure_rate,
        r.recovery_time_hours_p50
    from teams
    cross join buckets
    left join by_team_period as d on d.team = teams.team and d.period = buckets.period
    left join recovery as r on r.team = teams.team and r.period = buckets.period
    order by teams.team, buckets.period
)

select * from final
