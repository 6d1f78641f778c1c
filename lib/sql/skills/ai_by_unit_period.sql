-- one row per unit per period bucket ($grain) of [start, end): AI usage (daily means over days with data),
-- seats, suggestions and acceptances, and headcount at the bucket's end; a unit is the whole scope
-- ($unit = 'all'), each tool ('tool'), each team ('team') or each org of the teams table ('org')
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

usage as (
    select
        ai_usage_resolved.*,
        case $unit
            when 'all' then 'All teams'
            when 'tool' then ai_usage_resolved.tool
            when 'team' then ai_usage_resolved.team
            else coalesce(teams.org, '(no org)')
        end as unit
    from ai_usage_resolved
    left join teams using (team)
    where ai_usage_resolved.date >= $start
      and ai_usage_resolved.date < $end
      and ($all_teams or list_contains($teams, ai_usage_resolved.team))
      and ($unit in ('all', 'tool') or ai_usage_resolved.team <> '(all teams)')
),

usage_by_day as (
    select
        unit,
        date,
        date_trunc($grain, date)::date as period,
        sum(active_users) as active_users,
        sum(engaged_users) as engaged_users,
        sum(seats) as seats,
        sum(suggestions) as suggestions,
        sum(acceptances) as acceptances
    from usage
    group by unit, date
),

usage_by_period as (
    select
        unit,
        period,
        count(*) as days_with_data,
        avg(active_users) as active_users_daily_mean,
        avg(engaged_users) as engaged_users_daily_mean,
        avg(seats) as seats_daily_mean,
        sum(suggestions) as suggestions,
        sum(acceptances) as acceptances
    from usage_by_day
    group by unit, period
),

staff as (
    select
        employees.employee_id,
        employees.hire_date,
        employees.termination_date,
        case $unit
            when 'team' then employees.team
            when 'org' then coalesce(teams.org, '(no org)')
            else null
        end as unit
    from employees
    left join teams using (team)
    where ($all_teams or list_contains($teams, employees.team))
),

units as (
    select distinct unit from usage
    union
    select 'All teams' as unit where $unit = 'all'
),

headcount as (
    -- per team or org its own people; per tool (and for the whole scope) everyone in scope
    select
        units.unit,
        buckets.period,
        count(staff.employee_id) as headcount_end
    from units
    cross join buckets
    left join staff
        on (staff.unit = units.unit or $unit in ('all', 'tool'))
        and staff.hire_date <= buckets.bucket_end
        and not coalesce(staff.termination_date <= buckets.bucket_end, false)
    group by units.unit, buckets.period
),

final as (
    select
        units.unit,
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        coalesce(u.days_with_data, 0) as days_with_data,
        u.active_users_daily_mean,
        u.engaged_users_daily_mean,
        u.seats_daily_mean,
        u.suggestions,
        u.acceptances,
        u.acceptances / nullif(u.suggestions, 0) as acceptance_rate,
        h.headcount_end,
        people_share(u.active_users_daily_mean, h.headcount_end) as ai_adoption_rate,
        people_exceed(u.active_users_daily_mean, h.headcount_end) as ai_users_exceed_headcount,
        people_share(u.engaged_users_daily_mean, h.headcount_end) as engaged_rate,
        u.seats_daily_mean / nullif(h.headcount_end, 0) as seats_per_head
    from units
    cross join buckets
    left join usage_by_period as u on u.unit = units.unit and u.period = buckets.period
    left join headcount as h on h.unit = units.unit and h.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
