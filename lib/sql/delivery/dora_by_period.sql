-- one row per period bucket ($grain) of [start, end): DORA keys per bucket
with days as (
    select d::date as day
    from range($start::timestamp, $end::timestamp, interval 1 day) as t (d)
),

buckets as (
    select
        date_trunc($grain, day)::date as period,
        min(day) as bucket_start,
        max(day) + 1 as bucket_end,
        count(*) as days
    from days
    group by all
),

scoped as (
    select *
    from deployments
    where deployed_at >= $start
      and deployed_at < $end
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

deploys_by_period as (
    select
        period,
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments,
        count(*) filter (where is_rework) as rework_deployments,
        count(is_rework) as rework_known,
        median(epoch(deployed_at - commit_at) / 3600.0)
            filter (where is_success and commit_at is not null) as lead_time_hours_p50
    from production
    group by period
),

incidents_by_period as (
    select
        date_trunc($grain, started_at)::date as period,
        count(*) as incidents,
        median(epoch(resolved_at - started_at) / 3600.0)
            filter (where resolved_at is not null) as recovery_time_hours_p50
    from incidents
    where started_at >= $start
      and started_at < $end
      and ($all_teams or list_contains($teams, team))
    group by period
),

final as (
    select
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
        coalesce(i.incidents, 0) as incidents,
        i.recovery_time_hours_p50,
        case when d.rework_known > 0 then d.rework_deployments / nullif(d.deployments, 0) end as rework_rate
    from buckets
    left join deploys_by_period as d using (period)
    left join incidents_by_period as i using (period)
    order by buckets.period
)

select * from final
