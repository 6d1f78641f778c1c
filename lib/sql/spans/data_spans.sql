-- one row per source table per unit (the whole scope when $unit = 'all', else each team or org of the
-- teams in scope): the first and last day its rows cover, and how many rows, at any date
with team_units as (
    select team, coalesce(org, '(no org)') as org
    from teams
),

events as (
    select 'deployments' as source, team, deployed_at::date as first_day, deployed_at::date as last_day
    from deployments
    union all
    select 'incidents', team, started_at::date, started_at::date
    from incidents
    union all
    select
        'work_items',
        team,
        least(created_at, started_at, completed_at, canceled_at)::date,
        greatest(created_at, started_at, completed_at, canceled_at)::date
    from work_items
    union all
    select 'pull_requests', team, opened_at::date, greatest(opened_at, merged_at)::date
    from pull_requests_with_team
    union all
    select 'ai_usage', team, date, date
    from ai_usage
    union all
    select 'survey_responses', team, survey_date, survey_date
    from survey_responses
    union all
    select 'employees', team, hire_date, greatest(hire_date, termination_date)
    from employees
),

table_rows as (
    select source, count(*) as table_rows
    from events
    group by source
),

scoped as (
    select
        events.source,
        case $unit
            when 'all' then 'All teams'
            when 'team' then events.team
            else coalesce(team_units.org, '(no org)')
        end as unit,
        events.first_day,
        events.last_day
    from events
    left join team_units using (team)
    where ($all_teams or list_contains($teams, events.team))
      and ($unit = 'all' or events.team is not null)
      and events.first_day between $low and $high
),

final as (
    select
        table_rows.source,
        scoped.unit,
        min(scoped.first_day) as first_day,
        max(least(scoped.last_day, $high)) as last_day,
        count(scoped.unit) as rows,
        table_rows.table_rows
    from table_rows
    left join scoped using (source)
    group by all
    order by table_rows.source, scoped.unit
)

select * from final
