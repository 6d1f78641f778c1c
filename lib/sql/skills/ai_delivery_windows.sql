-- one row per unit × side ('before' / 'after') of its AI adoption week, and one row (side null) per unit
-- in scope that never adopted: the DORA keys of lib/sql/delivery/dora.sql over equal windows either side.
-- A unit is a team ($unit = 'team') or an org of the teams table ('org'). Its adoption week is the first
-- week (Monday) whose highest daily active AI users (summed over tools) reached $share of the unit's
-- headcount at the week's end; each window is min($window_days, days from adoption to $end) long.
with staff as (
    select
        employees.employee_id,
        employees.hire_date,
        employees.termination_date,
        case $unit when 'team' then employees.team else coalesce(teams.org, '(no org)') end as unit
    from employees
    left join teams using (team)
    where employees.team is not null
      and ($all_teams or list_contains($teams, employees.team))
),

daily as (
    select
        case $unit when 'team' then usage.team else coalesce(teams.org, '(no org)') end as unit,
        usage.date,
        sum(usage.active_users) as active_users
    from ai_usage_resolved as usage
    left join teams using (team)
    where usage.team <> '(all teams)'
      and usage.date < $end
      and ($all_teams or list_contains($teams, usage.team))
    group by all
),

weekly as (
    select
        unit,
        date_trunc('week', date)::date as week,
        max(active_users) as peak_active_users
    from daily
    group by all
),

weekly_share as (
    select
        weekly.unit,
        weekly.week,
        weekly.peak_active_users,
        count(staff.employee_id) as headcount
    from weekly
    left join staff
        on staff.unit = weekly.unit
        and staff.hire_date <= weekly.week + 7
        and not coalesce(staff.termination_date <= weekly.week + 7, false)
    group by all
),

adoption as (
    select
        unit,
        min(week) filter (where headcount > 0 and peak_active_users >= $share * headcount) as adopted_week,
        max(peak_active_users / nullif(headcount, 0)) as peak_share
    from weekly_share
    group by unit
),

units as (
    select distinct unit from staff
),

windows as (
    select
        units.unit,
        adoption.adopted_week,
        adoption.peak_share,
        least($window_days, date_diff('day', adoption.adopted_week, $end::date))::integer as window_days
    from units
    left join adoption using (unit)
),

sides as (
    select unit, adopted_week, peak_share, window_days, 'before' as side,
           adopted_week - window_days as window_start, adopted_week as window_end
    from windows
    where adopted_week is not null
    union all
    select unit, adopted_week, peak_share, window_days, 'after' as side,
           adopted_week as window_start, adopted_week + window_days as window_end
    from windows
    where adopted_week is not null
),

scoped as (
    select
        sides.unit,
        sides.side,
        deployments.*
    from deployments
    left join teams using (team)
    inner join sides
        on sides.unit = case $unit when 'team' then deployments.team else coalesce(teams.org, '(no org)') end
        and deployments.deployed_at >= sides.window_start
        and deployments.deployed_at < sides.window_end
    where ($all_teams or list_contains($teams, deployments.team))
),

-- the production and failure rules of delivery/dora.sql, per window
environment_given as (
    select unit, side, count(nullif(trim(environment), '')) > 0 as any_environment
    from scoped
    group by all
),

named_by_incident as (
    select distinct caused_by_deploy_id as deploy_id
    from incidents
    where caused_by_deploy_id is not null
),

flagged as (
    select
        scoped.unit,
        scoped.side,
        scoped.deployed_at,
        scoped.commit_at,
        scoped.is_rework,
        lower(trim(scoped.status)) = 'success' as is_success,
        coalesce(lower(trim(scoped.status)) in ('failure', 'rollback'), false)
            or named_by_incident.deploy_id is not null as is_failed
    from scoped
    inner join environment_given using (unit, side)
    left join named_by_incident using (deploy_id)
    where not environment_given.any_environment
       or lower(trim(scoped.environment)) in ('production', 'prod')
),

summary as (
    select
        unit,
        side,
        count(*) as deployments,
        count(*) filter (where is_success) as successful_deployments,
        count(*) filter (where is_failed) as failed_deployments,
        count(*) filter (where is_rework) as rework_deployments,
        count(is_rework) as rework_known,
        count(*) filter (where is_success and commit_at is not null) as lead_time_samples,
        median(epoch(deployed_at - commit_at) / 3600.0)
            filter (where is_success and commit_at is not null) as lead_time_hours_p50
    from flagged
    group by all
),

final as (
    select
        windows.unit,
        windows.adopted_week,
        windows.peak_share,
        sides.side,
        sides.window_start,
        sides.window_end,
        sides.window_days,
        coalesce(summary.deployments, 0) as deployments,
        coalesce(summary.successful_deployments, 0) as successful_deployments,
        coalesce(summary.successful_deployments, 0) / nullif(sides.window_days / 7.0, 0) as deployments_per_week,
        summary.lead_time_hours_p50,
        coalesce(summary.lead_time_samples, 0) as lead_time_samples,
        coalesce(summary.failed_deployments, 0) as failed_deployments,
        summary.failed_deployments / nullif(summary.deployments, 0) as change_failure_rate,
        coalesce(summary.rework_deployments, 0) as rework_deployments,
        case when summary.rework_known > 0 then summary.rework_deployments / nullif(summary.deployments, 0) end
            as rework_rate
    from windows
    left join sides using (unit)
    left join summary on summary.unit = sides.unit and summary.side = sides.side
    order by windows.unit, sides.side desc
)

select * from final
