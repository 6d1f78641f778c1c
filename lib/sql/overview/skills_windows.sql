-- one row per window: AI adoption and learning hours per engineer (as skills/skills.sql) over $windows consecutive periods of $days days ending at $end, window 0 being [end - days, end), for the teams in scope
with windows as (
    select
        k as window_index,
        $end::date - ((k + 1) * $days)::integer as window_start,
        $end::date - (k * $days)::integer as window_end
    from range(0, $windows) as r (k)
),

staff as (
    select employee_id, hire_date, termination_date
    from employees
    where ($all_teams or list_contains($teams, team))
),

headcount as (
    select
        w.window_index,
        count(s.employee_id) filter (
            where s.hire_date <= w.window_start and not coalesce(s.termination_date <= w.window_start, false)
        ) as headcount_start,
        count(s.employee_id) filter (
            where s.hire_date <= w.window_end and not coalesce(s.termination_date <= w.window_end, false)
        ) as headcount_end
    from windows as w
    left join staff as s on true
    group by w.window_index
),

ai_days as (
    -- active users summed over teams and tools, per day with data, in each window's last 28 days
    select
        w.window_index,
        u.date,
        sum(u.active_users) as active_users
    from ai_usage_resolved as u
    inner join windows as w
        on u.date >= greatest(w.window_start, w.window_end - 28)
        and u.date < w.window_end
    where ($all_teams or list_contains($teams, u.team))
    group by all
),

ai as (
    select
        window_index,
        count(*) as ai_days_with_data,
        avg(active_users) as ai_active_users_daily_mean
    from ai_days
    group by window_index
),

scoped_learning as (
    -- org-wide every learning row counts; under a team filter only rows that link to an employee of those teams
    select learning.date, learning.hours
    from learning
    left join person_links as links on links.person_id = learning.employee_id
    left join employees on employees.employee_id = links.employee_id
    where ($all_teams or list_contains($teams, employees.team))
      and learning.date >= $end::date - ($windows * $days)::integer
      and learning.date < $end::date
),

learned as (
    select
        (($end::date - date) - 1) // $days as window_index,
        coalesce(sum(hours), 0) as learning_hours,
        coalesce(sum(hours * hours), 0) as learning_hours_squared,
        count(*) as learning_records
    from scoped_learning
    group by all
),

has_learning as (
    select count(*) > 0 as has_learning_data from learning
),

final as (
    select
        w.window_index,
        w.window_start,
        w.window_end,
        h.headcount_start,
        h.headcount_end,
        coalesce(a.ai_days_with_data, 0) as ai_days_with_data,
        a.ai_active_users_daily_mean,
        people_share(a.ai_active_users_daily_mean, h.headcount_end) as ai_adoption_rate,
        people_exceed(a.ai_active_users_daily_mean, h.headcount_end) as ai_users_exceed_headcount,
        case when l.has_learning_data then coalesce(x.learning_records, 0) end as learning_records,
        case when l.has_learning_data then coalesce(x.learning_hours, 0) end as learning_hours,
        case when l.has_learning_data then coalesce(x.learning_hours_squared, 0) end as learning_hours_squared,
        (h.headcount_start + h.headcount_end) / 2.0 as average_headcount,
        case when l.has_learning_data
            then coalesce(x.learning_hours, 0) / nullif((h.headcount_start + h.headcount_end) / 2.0, 0) * (365.0 / $days)
        end as learning_hours_per_engineer_annualized
    from windows as w
    cross join has_learning as l
    inner join headcount as h using (window_index)
    left join ai as a using (window_index)
    left join learned as x using (window_index)
    order by w.window_index
)

select * from final
