-- one row per level people were promoted from, for the scope's teams over [start, end): promotions, people at that level at start and end, annualised promotion rate, median years in the level before promotion (since the previous promotion, else the hire)
with staff as (
    select employee_id, level, hire_date, termination_date
    from employees
    where ($all_teams or list_contains($teams, team))
),

promoted as (
    select
        p.employee_id,
        p.promoted_at,
        p.from_level,
        coalesce(
            lag(p.promoted_at) over (partition by p.employee_id order by p.promoted_at), s.hire_date
        ) as in_level_since
    from promotions as p
    inner join staff as s using (employee_id)
),

level_at as (
    -- the level someone held on a date: what they were promoted from next, else their level now
    select
        d.bound,
        s.employee_id,
        coalesce(arg_min(p.from_level, p.promoted_at) filter (where p.promoted_at > d.day), any_value(s.level))
            as level
    from staff as s
    cross join (select 'start' as bound, $start::date as day union all select 'end', $end::date) as d
    left join promotions as p using (employee_id)
    where s.hire_date <= d.day and not coalesce(s.termination_date <= d.day, false)
    group by d.bound, s.employee_id
),

headcount as (
    select
        level,
        count(*) filter (where bound = 'start') as headcount_start,
        count(*) filter (where bound = 'end') as headcount_end
    from level_at
    group by level
),

in_period as (
    select
        from_level as level,
        count(*) as promotions,
        median((promoted_at - in_level_since) / 365.25) as years_in_level_p50
    from promoted
    where promoted_at >= $start and promoted_at < $end and in_level_since <= promoted_at
    group by from_level
),

final as (
    select
        coalesce(h.level, i.level) as level,
        coalesce(i.promotions, 0) as promotions,
        coalesce(h.headcount_start, 0) as headcount_start,
        coalesce(h.headcount_end, 0) as headcount_end,
        coalesce(i.promotions, 0) / nullif((coalesce(h.headcount_start, 0) + coalesce(h.headcount_end, 0)) / 2.0, 0)
            * (365.0 / $days) as promotion_rate_annualized,
        i.years_in_level_p50
    from headcount as h
    full outer join in_period as i using (level)
    where coalesce(h.level, i.level) is not null
    order by level
)

select * from final
