-- one row per unit per period bucket ($grain) of [start, end): merged pull requests, how many carry the
-- AI-assisted flag and how many are AI-assisted; a unit is the whole scope ($unit = 'all'), each team
-- ('team') or each org of the teams table ('org')
with buckets as (
    select period, bucket_start, bucket_end, days
    from period_buckets($start, $end, $grain)
),

merged as (
    -- the whole organisation reads the table itself; teams need the PR's team (its own, else
    -- the team that deploys its repository)
    select
        'All teams' as unit,
        date_trunc($grain, merged_at)::date as period,
        ai_assisted
    from pull_requests
    where $all_teams
      and $unit = 'all'
      and merged_at >= $start
      and merged_at < $end
    union all
    select
        case $unit
            when 'all' then 'All teams'
            when 'team' then prs.team
            else coalesce(teams.org, '(no org)')
        end as unit,
        date_trunc($grain, prs.merged_at)::date as period,
        prs.ai_assisted
    from pull_requests_with_team as prs
    left join teams using (team)
    where not ($all_teams and $unit = 'all')
      and prs.merged_at >= $start
      and prs.merged_at < $end
      and ($all_teams or list_contains($teams, prs.team))
      and ($unit = 'all' or prs.team is not null)
),

counted as (
    select
        unit,
        period,
        count(*) as merged_prs,
        count(ai_assisted) as prs_with_ai_flag,
        count(*) filter (where ai_assisted) as ai_assisted_prs
    from merged
    group by unit, period
),

units as (
    select distinct unit from counted
    union
    select 'All teams' as unit where $unit = 'all'
),

final as (
    select
        units.unit,
        buckets.period,
        buckets.bucket_start,
        buckets.bucket_end,
        coalesce(c.merged_prs, 0) as merged_prs,
        coalesce(c.prs_with_ai_flag, 0) as prs_with_ai_flag,
        coalesce(c.ai_assisted_prs, 0) as ai_assisted_prs,
        c.ai_assisted_prs / nullif(c.prs_with_ai_flag, 0) as ai_assisted_pr_share
    from units
    cross join buckets
    left join counted as c on c.unit = units.unit and c.period = buckets.period
    order by units.unit, buckets.period
)

select * from final
