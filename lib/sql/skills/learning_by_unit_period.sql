-- one row per unit per period bucket ($grain) of [start, end): learning hours, activities by kind and
-- the average headcount behind them; a unit is the whole scope ($unit = 'all'), each team ('team'),
-- each org of the teams table ('org') or each employee location ('location')
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

staff as (
    select
        employees.employee_id,
        employees.hire_date,
        employees.termination_date,
        case $unit
            when 'all' then 'All teams'
            when 'team' then employees.team
            when 'org' then coalesce(teams.org, '(no org)')
            else coalesce(employees.location, teams.location, '(no location)')
        end as unit
    from employees
    left join teams using (team)
    where ($all_teams or list_contains($teams, employees.team))
      and ($unit = 'all' or employees.team is not null)
),

-- learning of people the HRIS does not know counts for the whole organisation only
activities as (
    select
        coalesce(staff.unit, 'All teams') as unit,
        date_trunc($grain, learning.date)::date as period,
        learning.hours,
        learning.kind
    from learning
    left join person_links as links on links.person_id = learning.employee_id
    left join staff on staff.employee_id = links.employee_id
    where learning.date >= $start
      and learning.date < $end
      and (staff.unit is not null or ($all_teams and $unit = 'all'))
),

learned as (
    select
        unit,
        period,
        coalesce(sum(hours), 0) as learning_hours,
        count(*) as activities,
        count(*) filter (where kind = 'course') as courses,
        count(*) filter (where kind = 'certification') as certifications,
        count(*) filter (where kind = 'conference') as conferences,
        count(*) filter (where kind = 'experiment') as experiments
    from activities
    group by unit, period
),

units as (
    select distinct unit from staff
    union
    select unit from learned
),

headcount as (
    select
        units.unit,
        buckets.period,
        (
            count(staff.employee_id) filter (
                where staff.hire_date <= buckets.bucket_start
                  and not coalesce(staff.termination_date <= buckets.bucket_start, false)
            )
            + count(staff.employee_id) filter (
                where staff.hire_date <= buckets.bucket_end
                  and not coalesce(staff.termination_date <= buckets.bucket_end, false)
            )
        ) / 2.0 as average_headcount
    from units
    cross join buckets
    left join staff on staff.unit = units.unit
    group by units.unit, buckets.period
),

-- no learning row with time spent (completion reports without hours): hours unknown, not 0
hours_known as (
    select count(hours) > 0 as known from learning
),

final as (
    select
        units.unit,
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        buckets.days,
        case when hours_known.known then coalesce(learned.learning_hours, 0) end as learning_hours,
        coalesce(learned.activities, 0) as activities,
        coalesce(learned.courses, 0) as courses,
        coalesce(learned.certifications, 0) as certifications,
        coalesce(learned.conferences, 0) as conferences,
        coalesce(learned.experiments, 0) as experiments,
        headcount.average_headcount,
        case when hours_known.known then coalesce(learned.learning_hours, 0) end
        / nullif(headcount.average_headcount, 0) * (365.0 / buckets.days) as learning_hours_per_engineer_annualized
    from units
    cross join buckets
    cross join hours_known
    left join learned on learned.unit = units.unit and learned.period = buckets.period
    left join headcount on headcount.unit = units.unit and headcount.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
