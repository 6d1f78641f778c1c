-- one row: how many records of each team-bearing table fall in the period [start, end) for the teams in scope, and the span of all data
with in_period as (
    select
        (select count(*) from deployments
            where deployed_at >= $start and deployed_at < $end and ($all_teams or list_contains($teams, team)))
        + (select count(*) from incidents
            where started_at >= $start and started_at < $end and ($all_teams or list_contains($teams, team)))
        + (select count(*) from work_items
            where coalesce(completed_at, created_at) >= $start and coalesce(completed_at, created_at) < $end
              and ($all_teams or list_contains($teams, team)))
        + (select count(*) from pull_requests
            where opened_at >= $start and opened_at < $end and ($all_teams or list_contains($teams, team)))
        + (select count(*) from survey_responses
            where survey_date >= $start and survey_date < $end and ($all_teams or list_contains($teams, team)))
        + (select count(*) from ai_usage
            where date >= $start and date < $end and ($all_teams or list_contains($teams, team)))
        + (select count(*) from employees
            where hire_date < $end and (termination_date is null or termination_date >= $start)
              and ($all_teams or list_contains($teams, team)))
        + (select count(*) from business_metrics
            where period_start >= $start and period_start < $end and $all_teams)
        as records_in_period
),

span as (
    select min(d) as first_day, max(d) as last_day
    from (
        select min(deployed_at)::date as d from deployments
        union all select max(deployed_at)::date from deployments
        union all select min(created_at)::date from work_items
        union all select max(coalesce(completed_at, created_at))::date from work_items
        union all select min(started_at)::date from incidents
        union all select max(started_at)::date from incidents
        union all select min(survey_date) from survey_responses
        union all select max(survey_date) from survey_responses
        union all select min(hire_date) from employees
        union all select max(greatest(hire_date, termination_date)) from employees
    )
),

final as (
    select in_period.records_in_period, span.first_day, span.last_day
    from in_period, span
)

select * from final
