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

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

production as (
    -- the production rule decides per unit and bucket: each point is the catalog's number for
    -- that bucket and that team, org or whole scope (migration 006)
    select
        scoped.unit,
        date_trunc($grain, scoped.deployed_at)::date as period,
        scoped.deployed_at,
        scoped.commit_at,
        scoped.is_rework,
        lower(trim(scoped.status)) as run_status,
        lower(trim(scoped.status)) in ('success', 'rollback') as is_deployment,
        lower(trim(scoped.status)) = 'success' as is_success,
        lower(trim(scoped.status)) = 'rollback' or named_by_incident.deploy_id is not null as is_named
    from scoped
    left join named_by_incident using (deploy_id)
    qualify counts_as_production(
        scoped.environment,
        bool_or(names_environment(scoped.environment)) over (partition by scoped.unit, period)
    )
),

scope_runs as (
    select unit, date_trunc($grain, deployed_at)::date as period, count(*) as deployment_runs
    from scoped
    group by all
),

tables as (
    -- a table whose every deployment names a non-production environment has no production data
    select coalesce(bool_or(is_production_environment(environment) or not names_environment(environment)), false)
        as may_have_production
    from (select distinct environment from deployments)
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
        count(*) as production_runs,
        count(*) filter (where is_deployment) as deployments,
        count(*) filter (where run_status = 'failure') as failed_deployment_runs,
        count(*) filter (where run_status in ('success', 'rollback', 'failure')) as runs_with_status,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_deployment and is_named) as change_failures,
        count(*) filter (where is_deployment and is_rework) as rework_deployments,
        count(is_rework) filter (where is_deployment) as rework_known,
        median(span_hours(commit_at, deployed_at)) filter (where is_success) as lead_time_hours_p50
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
        median(span_hours(incidents.started_at, incidents.resolved_at)) as recovery_time_hours_p50
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
        coalesce(d.failed_deployment_runs, 0) as failed_deployment_runs,
        case
            when not tables.may_have_production then null
            when coalesce(s.deployment_runs, 0) > 0 and coalesce(d.production_runs, 0) = 0 then null
            -- production runs without a status: whether any reached production is unknown
            when d.production_runs > 0 and d.runs_with_status = 0 then null
            else coalesce(d.successful_deployments, 0) / (buckets.days / 7.0)
        end as deployment_frequency_per_week,
        d.lead_time_hours_p50,
        coalesce(d.change_failures, 0) as change_failures,
        d.change_failures / nullif(d.deployments, 0) as change_failure_rate,
        coalesce(r.incidents, 0) as incidents,
        r.recovery_time_hours_p50,
        case when d.rework_known > 0 then d.rework_deployments / nullif(d.deployments, 0) end as rework_rate
    from units
    cross join buckets
    cross join tables
    left join deploys as d on d.unit = units.unit and d.period = buckets.period
    left join scope_runs as s on s.unit = units.unit and s.period = buckets.period
    left join recovery as r on r.unit = units.unit and r.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
