-- one row per group ($group: all, org, team, location, sourcing, acquired) per period bucket ($grain) of [start, end): headcount at the bucket's end and a year before it, trailing-twelve-month separations (total, voluntary, regretted) and rates, hires and separations in the bucket
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

staff as (
    select
        e.hire_date,
        e.termination_date,
        lower(trim(e.termination_type)) as kind,
        e.regretted,
        case $group
            when 'org' then coalesce(t.org, '(no org)')
            when 'team' then coalesce(e.team, '(no team)')
            when 'location' then coalesce(e.location, t.location, '(no location)')
            when 'sourcing' then coalesce(e.sourcing, t.sourcing, '(sourcing not set)')
            when 'acquired' then coalesce(e.acquired_from, 'Organic')
            else 'All'
        end as grp
    from employees as e
    left join teams as t on t.team = e.team
    where ($all_teams or list_contains($teams, e.team))
),

known as (
    -- whether any leaver in scope has a type or a regretted value at all: else those rates are no data
    select
        count(*) filter (where kind in ('voluntary', 'involuntary')) > 0 as has_types,
        count(*) filter (where regretted is not null) > 0 as has_regret
    from staff
    where termination_date is not null
),

grid as (
    select buckets.*, g.grp
    from buckets
    cross join (select distinct grp from staff) as g
),

counted as (
    select
        grid.period,
        grid.grp,
        count(s.hire_date) filter (
            where not coalesce(s.termination_date <= grid.bucket_end, false)
        ) as headcount_end,
        count(s.hire_date) filter (
            where s.hire_date <= grid.bucket_end - 365
              and not coalesce(s.termination_date <= grid.bucket_end - 365, false)
        ) as headcount_year_ago,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_end - 365 and s.termination_date < grid.bucket_end
        ) as separations_ttm,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_end - 365 and s.termination_date < grid.bucket_end
              and s.kind = 'voluntary'
        ) as voluntary_ttm,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_end - 365 and s.termination_date < grid.bucket_end
              and s.regretted
        ) as regretted_ttm,
        count(s.hire_date) filter (
            where s.hire_date >= grid.bucket_start and s.hire_date < grid.bucket_end
        ) as hires,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_start and s.termination_date < grid.bucket_end
        ) as separations,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_start and s.termination_date < grid.bucket_end
              and s.kind = 'voluntary'
        ) as voluntary_separations,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_start and s.termination_date < grid.bucket_end
              and s.kind = 'involuntary'
        ) as involuntary_separations,
        count(s.hire_date) filter (
            where s.termination_date >= grid.bucket_start and s.termination_date < grid.bucket_end
              and s.regretted
        ) as regretted_separations,
        -- everyone employed at some time in the trailing year: the people behind its figures
        count(s.hire_date) filter (
            where s.hire_date < grid.bucket_end
              and coalesce(s.termination_date, grid.bucket_end) > grid.bucket_end - 365
        ) as people
    from grid
    left join staff as s on s.grp = grid.grp and s.hire_date <= grid.bucket_end
    group by all
),

final as (
    select
        grid.period,
        grid.bucket_start,
        grid.bucket_end,
        grid.days,
        grid.grp as "group",
        c.headcount_end,
        c.headcount_year_ago,
        c.hires,
        c.separations,
        c.voluntary_separations,
        c.involuntary_separations,
        c.regretted_separations,
        c.separations_ttm,
        c.voluntary_ttm,
        c.regretted_ttm,
        c.people,
        -- a group nobody was in a year before has no twelve months to average over: no rate
        -- (the whole organisation's last bucket is still `retention.attrition_rate_ttm`)
        case when c.headcount_year_ago > 0 or $group = 'all' then
            c.separations_ttm / nullif((c.headcount_year_ago + c.headcount_end) / 2.0, 0)
        end as attrition_rate_ttm,
        case when known.has_types and (c.headcount_year_ago > 0 or $group = 'all') then
            c.voluntary_ttm / nullif((c.headcount_year_ago + c.headcount_end) / 2.0, 0)
        end as voluntary_attrition_rate_ttm,
        case when known.has_regret and (c.headcount_year_ago > 0 or $group = 'all') then
            c.regretted_ttm / nullif((c.headcount_year_ago + c.headcount_end) / 2.0, 0)
        end as regretted_attrition_rate_ttm
    from grid
    inner join counted as c using (period, grp)
    cross join known
    order by grid.grp, grid.period
)

select * from final
