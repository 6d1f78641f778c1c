-- one row per period bucket ($grain) of [start, end): AI tool usage, acceptance and adoption against headcount
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

usage_by_day as (
    select
        date,
        date_trunc($grain, date)::date as period,
        sum(active_users) as active_users,
        sum(engaged_users) as engaged_users,
        sum(suggestions) as suggestions,
        sum(acceptances) as acceptances,
        sum(seats) as seats
    from ai_usage_resolved
    where date >= $start
      and date < $end
      and ($all_teams or list_contains($teams, team))
    group by date
),

usage_by_period as (
    select
        period,
        count(*) as days_with_data,
        avg(active_users) as active_users_daily_mean,
        avg(engaged_users) as engaged_users_daily_mean,
        avg(seats) as seats_daily_mean,
        sum(suggestions) as suggestions,
        sum(acceptances) as acceptances
    from usage_by_day
    group by period
),

staff as (
    select *
    from employees
    where ($all_teams or list_contains($teams, team))
),

headcount as (
    select
        buckets.period,
        count(staff.employee_id) as headcount_end
    from buckets
    left join staff
        on staff.hire_date <= buckets.bucket_end
        and not coalesce(staff.termination_date <= buckets.bucket_end, false)
    group by buckets.period
),

final as (
    select
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
        people_exceed(u.active_users_daily_mean, h.headcount_end) as ai_users_exceed_headcount
    from buckets
    left join usage_by_period as u using (period)
    left join headcount as h using (period)
    order by buckets.period
)

select * from final
