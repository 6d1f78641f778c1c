-- one row: how much skills, learning and AI data exists, table-wide and for the teams in scope, so the page
-- names what is missing instead of drawing zeros
with final as (
    select
        (select count(*) from skills) as skills_rows,
        (select count(*) from skill_targets) as skill_target_rows,
        (select count(*) from learning) as learning_rows,
        (select count(*) from learning where date >= $start and date < $end) as learning_rows_in_period,
        (select count(*) from ai_usage) as ai_usage_rows,
        (
            select count(*) from ai_usage
            where date < $end and ($all_teams or list_contains($teams, team)) and team <> '(all teams)'
        ) as ai_team_rows,
        (select count(*) from ai_usage where team = '(all teams)') as ai_org_rows,
        (select count(*) from ai_usage where suggestions is not null) as ai_rows_with_suggestions,
        (select count(*) from ai_usage where seats is not null) as ai_rows_with_seats,
        (select count(*) from pull_requests) as pull_requests,
        (select count(ai_assisted) from pull_requests) as pull_requests_with_ai_flag,
        (select count(*) from employees) as employees,
        (select count(*) from deployments) as deployments
)

select * from final
