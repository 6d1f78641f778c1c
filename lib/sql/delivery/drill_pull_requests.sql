-- one row per pull request merged in [start, end) for the teams in scope, newest first, at most $row_limit (no author)
with chosen as (
    select
        pr_id,
        repo,
        team,
        opened_at,
        first_review_at,
        merged_at,
        span_hours(opened_at, first_review_at) as pickup_hours,
        span_hours(first_review_at, merged_at) as review_hours,
        runs_backwards(opened_at, first_review_at)
            or runs_backwards(first_review_at, merged_at)
            or runs_backwards(opened_at, merged_at) as runs_backwards,
        additions,
        deletions,
        ai_assisted
    from pull_requests_with_team
    where merged_at >= $start
      and merged_at < $end
      and ($all_teams or list_contains($teams, team))
),

final as (
    select *, count(*) over () as total_rows
    from chosen
    order by merged_at desc, pr_id
    limit $row_limit
)

select * from final
