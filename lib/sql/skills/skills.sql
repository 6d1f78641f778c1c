-- one row: bus-factor risks, learning hours and AI adoption over [start, end)
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

held_skills as (
    select
        skills.skill,
        count(distinct skills.employee_id) filter (where skills.proficiency >= 3) as experts
    from skills
    inner join staff using (employee_id)
    where staff.active_at_end
    group by skills.skill
),

bus_factor as (
    select
        count(*) as skills_recorded,
        count(*) filter (where experts = 1) as bus_factor_risks
    from held_skills
),

scoped_learning as (
    select learning.*
    from learning
    left join employees using (employee_id)
    where ($all_teams or list_contains($teams, employees.team))
),

learned as (
    -- without any learning row at all the source is missing: null, not 0 hours
    select
        (select count(*) > 0 from learning) as has_learning_data,
        coalesce(sum(hours) filter (where date >= $start and date < $end), 0) as learning_hours
    from scoped_learning
),

ai_days as (
    -- active users summed over teams and tools, per day with data, in the period's last 28 days
    select
        date,
        sum(active_users) as active_users
    from ai_usage
    where date >= greatest($start::date, $end::date - 28)
      and date < $end
      and ($all_teams or list_contains($teams, team))
    group by date
),

ai as (
    select
        count(*) as ai_days_with_data,
        avg(active_users) as ai_active_users_daily_mean
    from ai_days
),

final as (
    select
        case when skills_recorded > 0 then bus_factor_risks end as bus_factor_risks,
        skills_recorded,
        case when has_learning_data then learning_hours end as learning_hours,
        case when has_learning_data then learning_hours / nullif(average_headcount, 0) * (365.0 / $days) end
            as learning_hours_per_engineer_annualized,
        ai_days_with_data,
        ai_active_users_daily_mean,
        headcount_end,
        ai_active_users_daily_mean / nullif(headcount_end, 0) as ai_adoption_rate
    from headcount, bus_factor, learned, ai
)

select * from final
