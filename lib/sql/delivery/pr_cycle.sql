-- median PR pickup, review and deploy time over PRs merged in [start, end) for the teams in scope:
-- one row for the whole period, or with $by_period one row per period bucket ($grain, by merge date)
with buckets as (
    select period from period_buckets($start, $end, $grain)
    where $by_period
    union all
    select null::date as period
    where not $by_period
),

merged as (
    select
        pr_id,
        lower(regexp_extract(repo, '[^/]+$')) as repo_name,
        opened_at,
        first_review_at,
        merged_at,
        ai_assisted
    from pull_requests_with_team
    where merged_at >= $start
      and merged_at < $end
      and ($all_teams or list_contains($teams, team))
),

service_deploys as (
    -- a PR merged in the period deploys at or after the period start
    select lower(regexp_extract(trim(service), '[^/]+$')) as service, environment, status, deployed_at
    from deployments
    where service is not null
      and deployed_at >= $start
),

service_rule as (
    -- the production rule decides per service (the scope a PR's deploy stage looks in), over its
    -- deployments from the period start on; evaluated once per distinct environment
    select
        service,
        environment,
        counts_as_production(environment, bool_or(names_environment(environment)) over (partition by service))
            as is_production
    from (select distinct service, environment from service_deploys)
),

production as (
    -- successful production deployments
    select service_deploys.service, service_deploys.deployed_at
    from service_deploys
    inner join service_rule
        on service_rule.service = service_deploys.service
        and service_rule.environment is not distinct from service_deploys.environment
    where service_rule.is_production
      and lower(trim(service_deploys.status)) = 'success'
),

first_deploy as (
    -- the first successful production deployment, at or after the merge, of the service named
    -- like the PR's repository (acme/ledger → ledger)
    select merged.pr_id, production.deployed_at
    from merged
    asof inner join production
        on production.service = merged.repo_name
        and production.deployed_at >= merged.merged_at
),

stages as (
    -- a span that runs backwards has no duration (span_hours is null): left out of every median
    select
        case when $by_period then date_trunc($grain, merged.merged_at)::date end as period,
        span_hours(merged.opened_at, merged.first_review_at) as pickup_hours,
        span_hours(merged.first_review_at, merged.merged_at) as review_hours,
        span_hours(merged.merged_at, first_deploy.deployed_at) as deploy_hours,
        span_hours(merged.opened_at, merged.merged_at) as open_to_merge_hours,
        runs_backwards(merged.opened_at, merged.first_review_at)
            or runs_backwards(merged.first_review_at, merged.merged_at)
            or runs_backwards(merged.opened_at, merged.merged_at) as runs_backwards,
        merged.first_review_at is not null as reviewed,
        first_deploy.deployed_at is not null as deployed,
        merged.ai_assisted
    from merged
    left join first_deploy using (pr_id)
),

by_bucket as (
    select
        period,
        count(*) as merged_prs,
        count(*) filter (where reviewed) as reviewed_prs,
        count(*) filter (where deployed) as deployed_prs,
        count(ai_assisted) as ai_known_prs,
        count(*) filter (where ai_assisted) as ai_assisted_prs,
        count(*) filter (where runs_backwards) as backwards_prs,
        median(pickup_hours) as pickup_hours_p50,
        median(review_hours) as review_hours_p50,
        median(deploy_hours) as deploy_hours_p50,
        median(open_to_merge_hours) as open_to_merge_hours_p50
    from stages
    group by period
),

final as (
    select
        buckets.period,
        coalesce(b.merged_prs, 0) as merged_prs,
        coalesce(b.reviewed_prs, 0) as reviewed_prs,
        coalesce(b.deployed_prs, 0) as deployed_prs,
        coalesce(b.ai_known_prs, 0) as ai_known_prs,
        coalesce(b.ai_assisted_prs, 0) as ai_assisted_prs,
        coalesce(b.backwards_prs, 0) as backwards_prs,
        b.pickup_hours_p50,
        b.review_hours_p50,
        b.deploy_hours_p50,
        b.open_to_merge_hours_p50
    from buckets
    left join by_bucket as b on b.period is not distinct from buckets.period
    order by buckets.period
)

select * from final
