-- one row per unit per period bucket ($grain) of [start, end): DORA keys per bucket, where a unit is
-- the whole scope ($unit = 'all'), each team ('team') or each org of the teams table ('org')
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

team_units as (
    select
        team,
        case $unit when 'org' then coalesce(org, '(no org)') else team end as unit
    from teams
),

scoped as (
    select
        deployments.*,
        case $unit
            when 'all' then 'All teams'
            when 'team' then deployments.team
            else coalesce(team_units.unit, '(no org)')
        end as unit
    from deployments
    left join team_units using (team)
    where deployments.deployed_at >= $start
      and deployments.deployed_at < $end
      and ($all_teams or list_contains($teams, deployments.team))
      and ($unit = 'all' or deployments.team is not null)
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
        scoped.unit,
        date_trunc($grain, scoped.deployed_at)::date as period,
        scoped.deployed_at,
        scoped.commit_at,
        scoped.is_rework,
        lower(trim(scoped.status)) = 'success' as is_success,
        coalesce(lower(trim(scoped.status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as is_failed
    from scoped
    cross join environment_given
    left join named_by_incident using (deploy_id)
    where not any_environment
       or lower(trim(scoped.environment)) in ('production', 'prod')
),

-- the whole scope is always one unit, so a trend has its buckets even with no deployments
units as (
    select distinct unit from production
    union
    select 'All teams' as unit where $unit = 'all'
),

deploys as (
    select
        unit,
        period,
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments,
        count(*) filter (where is_rework) as rework_deployments,
        count(is_rework) as rework_known,
        median(epoch(deployed_at - commit_at) / 3600.0)
            filter (where is_success and commit_at is not null) as lead_time_hours_p50
    from production
    group by unit, period
),

recovery as (
    select
        case $unit
            when 'all' then 'All teams'
            when 'team' then incidents.team
            else coalesce(team_units.unit, '(no org)')
        end as unit,
        date_trunc($grain, incidents.started_at)::date as period,
        count(*) as incidents,
        median(epoch(incidents.resolved_at - incidents.started_at) / 3600.0)
            filter (where incidents.resolved_at is not null) as recovery_time_hours_p50
    from incidents
    left join team_units using (team)
    where incidents.started_at >= $start
      and incidents.started_at < $end
      and ($all_teams or list_contains($teams, incidents.team))
    group by all
),

final as (
    select
        units.unit,
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        coalesce(d.deployments, 0) as deployments,
        coalesce(d.successful_deployments, 0) as successful_deployments,
        coalesce(d.successful_deployments, 0) / (buckets.days / 7.0) as deployment_frequency_per_week,
        d.lead_time_hours_p50,
        coalesce(d.failed_deployments, 0) as failed_deployments,
        d.failed_deployments / nullif(d.deployments, 0) as change_failure_rate,
        coalesce(r.incidents, 0) as incidents,
        r.recovery_time_hours_p50,
        case when d.rework_known > 0 then d.rework_deployments / nullif(d.deployments, 0) end as rework_rate
    from units
    cross join buckets
    left join deploys as d on d.unit = units.unit and d.period = buckets.period
    left join recovery as r on r.unit = units.unit and r.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
