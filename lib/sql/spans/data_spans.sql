-- one row per source table per unit (the whole scope when $unit = 'all', else each team or org of the
-- teams in scope): the first and last day its rows cover, and how many rows, at any date; each table is
-- reduced to one row per team first, so the spans cost one aggregate scan per table
with team_units as (
    select team, coalesce(org, '(no org)') as org
    from teams
),

service_team as (
    -- a pull request without a team takes the team that deploys its repository's service (as
    -- pull_requests_with_team, migration 003)
    select lower(regexp_extract(trim(service), '[^/]+$')) as repo_name, mode(team) as team
    from deployments
    where service is not null
      and nullif(trim(team), '') is not null
    group by all
),

pull_request_repos as (
    select
        nullif(trim(team), '') as team,
        lower(regexp_extract(repo, '[^/]+$')) as repo_name,
        min(opened_at::date) filter (where opened_at::date between $low and $high) as first_day,
        max(greatest(opened_at, merged_at)::date) filter (where opened_at::date between $low and $high) as last_day,
        count(*) filter (where opened_at::date between $low and $high) as rows,
        count(*) as all_rows
    from pull_requests
    group by all
),

per_team as (
    select
        'deployments' as source,
        team,
        min(deployed_at::date) filter (where deployed_at::date between $low and $high) as first_day,
        max(deployed_at::date) filter (where deployed_at::date between $low and $high) as last_day,
        count(*) filter (where deployed_at::date between $low and $high) as rows,
        count(*) as all_rows
    from deployments
    group by team
    union all
    select
        'incidents',
        team,
        min(started_at::date) filter (where started_at::date between $low and $high),
        max(started_at::date) filter (where started_at::date between $low and $high),
        count(*) filter (where started_at::date between $low and $high),
        count(*)
    from incidents
    group by team
    union all
    select
        'work_items',
        team,
        min(least(created_at, started_at, completed_at, canceled_at)::date)
            filter (where least(created_at, started_at, completed_at, canceled_at)::date between $low and $high),
        max(greatest(created_at, started_at, completed_at, canceled_at)::date)
            filter (where least(created_at, started_at, completed_at, canceled_at)::date between $low and $high),
        count(*) filter (where least(created_at, started_at, completed_at, canceled_at)::date between $low and $high),
        count(*)
    from work_items
    group by team
    union all
    select
        'pull_requests',
        coalesce(pull_request_repos.team, service_team.team),
        min(pull_request_repos.first_day),
        max(pull_request_repos.last_day),
        sum(pull_request_repos.rows),
        sum(pull_request_repos.all_rows)
    from pull_request_repos
    left join service_team using (repo_name)
    group by all
    union all
    select
        'ai_usage',
        team,
        min(date) filter (where date between $low and $high),
        max(date) filter (where date between $low and $high),
        count(*) filter (where date between $low and $high),
        count(*)
    from ai_usage
    group by team
    union all
    select
        'survey_responses',
        team,
        min(survey_date) filter (where survey_date between $low and $high),
        max(survey_date) filter (where survey_date between $low and $high),
        count(*) filter (where survey_date between $low and $high),
        count(*)
    from survey_responses
    group by team
    union all
    select
        'employees',
        team,
        min(hire_date) filter (where hire_date between $low and $high),
        max(greatest(hire_date, termination_date)) filter (where hire_date between $low and $high),
        count(*) filter (where hire_date between $low and $high),
        count(*)
    from employees
    group by team
),

table_rows as (
    select source, sum(all_rows) as table_rows
    from per_team
    group by source
),

scoped as (
    select
        per_team.source,
        case $unit
            when 'all' then 'All teams'
            when 'team' then per_team.team
            else coalesce(team_units.org, '(no org)')
        end as unit,
        per_team.first_day,
        per_team.last_day,
        per_team.rows
    from per_team
    left join team_units using (team)
    where ($all_teams or list_contains($teams, per_team.team))
      and ($unit = 'all' or per_team.team is not null)
      and per_team.rows > 0
),

final as (
    select
        table_rows.source,
        scoped.unit,
        min(scoped.first_day) as first_day,
        least(max(scoped.last_day), $high) as last_day,
        coalesce(sum(scoped.rows), 0) as rows,
        table_rows.table_rows
    from table_rows
    left join scoped using (source)
    group by all
    order by table_rows.source, scoped.unit
)

select * from final
