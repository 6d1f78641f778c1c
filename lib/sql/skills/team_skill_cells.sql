-- one row per team × skill (teams in scope; skills their people rate or the team targets), over employees active at $end
with staff as (
    select
        employees.employee_id,
        employees.team,
        coalesce(teams.org, '(no org)') as org
    from employees
    left join teams using (team)
    where employees.hire_date <= $end
      and not coalesce(employees.termination_date <= $end, false)
      and employees.team is not null
      and ($all_teams or list_contains($teams, employees.team))
),

team_size as (
    select team, any_value(org) as org, count(*) as headcount
    from staff
    group by team
),

team_targets as (
    select skill_targets.team, skill_targets.skill, skill_targets.target as team_target
    from skill_targets
    inner join team_size using (team)
    where skill_targets.target is not null
),

rated as (
    select
        staff.team,
        skills.skill,
        staff.employee_id,
        skills.proficiency,
        coalesce(skills.target, team_targets.team_target) as target,
        team_targets.team_target
    from skills
    inner join person_links as links on links.person_id = skills.employee_id
    inner join staff on staff.employee_id = links.employee_id
    left join team_targets on team_targets.team = staff.team and team_targets.skill = skills.skill
),

cells as (
    select
        team,
        skill,
        count(distinct employee_id) filter (where proficiency is not null) as people_rated,
        sum(proficiency) as proficiency_sum,
        count(target) filter (where proficiency is not null) as rows_with_target,
        sum(target) filter (where proficiency is not null) as target_sum,
        count(*) filter (where proficiency < target) as rows_below_target,
        count(distinct employee_id) filter (where proficiency >= 3) as holders,
        count(distinct employee_id) filter (where proficiency >= team_target) as people_at_team_target
    from rated
    group by team, skill
),

final as (
    select
        coalesce(cells.team, team_targets.team) as team,
        team_size.org,
        coalesce(cells.skill, team_targets.skill) as skill,
        team_size.headcount,
        coalesce(cells.people_rated, 0) as people_rated,
        cells.proficiency_sum / nullif(cells.people_rated, 0) as proficiency_mean,
        cells.proficiency_sum,
        coalesce(cells.rows_with_target, 0) as rows_with_target,
        cells.target_sum,
        cells.target_sum / nullif(cells.rows_with_target, 0) as target_mean,
        coalesce(cells.rows_below_target, 0) as rows_below_target,
        team_targets.team_target,
        coalesce(cells.holders, 0) as holders,
        coalesce(cells.people_at_team_target, 0) as people_at_team_target,
        team_targets.team_target is not null and coalesce(cells.people_at_team_target, 0) = 0 as coverage_gap,
        coalesce(cells.holders, 0) = 1 as single_holder
    from cells
    full join team_targets on team_targets.team = cells.team and team_targets.skill = cells.skill
    left join team_size on team_size.team = coalesce(cells.team, team_targets.team)
    order by team, skill
)

select * from final
