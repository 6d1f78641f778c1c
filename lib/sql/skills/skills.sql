-- one row: the skills.* catalog keys over [start, end) for the teams in scope, with the counts behind them
with staff as (
    select
        *,
        hire_date <= $start and not coalesce(termination_date <= $start, false) as active_at_start,
        hire_date <= $end and not coalesce(termination_date <= $end, false) as active_at_end
    from employees
    where ($all_teams or list_contains($teams, team))
),

headcount as (
    select
        count(*) filter (where active_at_end) as headcount_end,
        (count(*) filter (where active_at_start) + count(*) filter (where active_at_end)) / 2.0
            as average_headcount
    from staff
),

-- skills rows of employees active at the end, linked by employee id or work e-mail; a row
-- without its own target takes its team's (skill_targets)
held as (
    select
        skills.skill,
        staff.employee_id,
        skills.proficiency,
        coalesce(skills.target, skill_targets.target) as target
    from skills
    inner join person_links as links on links.person_id = skills.employee_id
    inner join staff on staff.employee_id = links.employee_id
    left join skill_targets on skill_targets.team = staff.team and skill_targets.skill = skills.skill
    where staff.active_at_end
),

held_by_skill as (
    select
        skill,
        count(distinct employee_id) filter (where proficiency >= 3) as holders
    from held
    group by skill
),

skill_summary as (
    select
        (select count(*) from held) as skills_rows,
        (select count(*) from held where target is not null) as skills_rows_with_target,
        (select count(*) from held where proficiency < target) as skills_rows_below_target,
        count(*) as skills_recorded,
        count(*) filter (where holders = 1) as bus_factor_risks
    from held_by_skill
),

scoped_learning as (
    -- org-wide, every learning row counts (people the HRIS does not know included);
    -- under a team filter, only rows that link to an employee of those teams
    select learning.*
    from learning
    left join person_links as links on links.person_id = learning.employee_id
    left join employees on employees.employee_id = links.employee_id
    where $all_teams or list_contains($teams, employees.team)
),

learned as (
    -- without any learning row at all the source is missing: null, not 0
    select
        (select count(*) > 0 from learning) as has_learning_data,
        -- completions without time spent (a file that gives none) make hours unknown, not 0
        (select count(hours) > 0 from learning) as has_learning_hours,
        coalesce(sum(hours) filter (where date >= $start and date < $end), 0) as learning_hours,
        count(*) filter (where date >= $start and date < $end and kind = 'certification') as certifications,
        count(*) filter (where date >= $start and date < $end and kind = 'experiment') as experiments
    from scoped_learning
),

usage as (
    select *
    from ai_usage_resolved
    where date >= $start
      and date < $end
      and ($all_teams or list_contains($teams, team))
),

ai_days as (
    -- active users summed over teams and tools, per day with data, in the period's last 28 days
    select
        date,
        sum(active_users) as active_users
    from usage
    where date >= greatest($start::date, $end::date - 28)
    group by date
),

ai as (
    select
        (select count(*) from ai_days) as ai_days_with_data,
        (select avg(active_users) from ai_days) as ai_active_users_daily_mean,
        sum(suggestions) as ai_suggestions,
        sum(acceptances) as ai_acceptances
    from usage
),

merged as (
    -- a PR's team (its own, else its repository's deploying team) matters only under a team
    -- filter; the whole organisation reads the table itself, without that join
    select ai_assisted
    from pull_requests
    where $all_teams
      and merged_at >= $start
      and merged_at < $end
    union all
    select ai_assisted
    from pull_requests_with_team
    where not $all_teams
      and merged_at >= $start
      and merged_at < $end
      and list_contains($teams, team)
),

merged_prs as (
    select
        count(*) filter (where ai_assisted is not null) as prs_with_ai_flag,
        count(*) filter (where ai_assisted) as ai_assisted_prs
    from merged
),

final as (
    select
        case when skills_recorded > 0 then bus_factor_risks end as bus_factor_risks,
        skills_recorded,
        skills_rows,
        skills_rows_with_target,
        skills_rows_below_target,
        skills_rows_below_target / nullif(skills_rows, 0) as skill_gap_share,
        case when has_learning_hours then learning_hours end as learning_hours,
        case when has_learning_hours then learning_hours / nullif(average_headcount, 0) * (365.0 / $days) end
            as learning_hours_per_engineer_annualized,
        case when has_learning_data then certifications end as certifications,
        case when has_learning_data then experiments end as experiments,
        ai_days_with_data,
        ai_active_users_daily_mean,
        headcount_end,
        people_share(ai_active_users_daily_mean, headcount_end) as ai_adoption_rate,
        people_exceed(ai_active_users_daily_mean, headcount_end) as ai_users_exceed_headcount,
        ai_suggestions,
        ai_acceptances,
        ai_acceptances / nullif(ai_suggestions, 0) as ai_acceptance_rate,
        prs_with_ai_flag,
        ai_assisted_prs,
        ai_assisted_prs / nullif(prs_with_ai_flag, 0) as ai_assisted_pr_share
    from headcount, skill_summary, learned, ai, merged_prs
)

select * from final
