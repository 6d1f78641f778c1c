-- one row: revenue, R&D spend and their ratios, investment mix, cost per feature and the capitalisable R&D
-- estimate over [start, end)
with months as (
    select
        lower(trim(metric)) as metric,
        value
    from business_metrics
    where period_start >= $start
      and period_start < $end
),

money as (
    select
        sum(value) filter (where metric = 'revenue') as revenue,
        sum(value) filter (where metric = 'rnd_spend') as rnd_spend
    from months
),

staff as (
    select
        hire_date <= $start and not coalesce(termination_date <= $start, false) as active_at_start,
        hire_date <= $end and not coalesce(termination_date <= $end, false) as active_at_end
    from employees
),

headcount as (
    -- org-wide: revenue has no team, so it is divided by the whole organisation
    select (count(*) filter (where active_at_start) + count(*) filter (where active_at_end)) / 2.0
        as average_headcount
    from staff
),

completed as (
    select
        lower(trim(type)) as type,
        coalesce(effort, 1.0) as weight
    from work_items
    where completed_at >= $start
      and completed_at < $end
      and ($all_teams or list_contains($teams, team))
),

mix as (
    select
        count(*) filter (where type = 'feature') as features_completed,
        coalesce(sum(weight) filter (where type = 'feature'), 0) / nullif(sum(weight), 0) as investment_mix_feature,
        coalesce(sum(weight) filter (where type = 'defect'), 0) / nullif(sum(weight), 0) as investment_mix_defect,
        coalesce(sum(weight) filter (where type = 'risk'), 0) / nullif(sum(weight), 0) as investment_mix_risk,
        coalesce(sum(weight) filter (where type = 'debt'), 0) / nullif(sum(weight), 0) as investment_mix_debt
    from completed
),

final as (
    select
        revenue,
        rnd_spend,
        rnd_spend / nullif(revenue, 0) as rnd_pct_revenue,
        average_headcount,
        case when $all_teams then revenue / nullif(average_headcount, 0) * (365.0 / $days) end
            as revenue_per_engineer_annualized,
        investment_mix_feature,
        investment_mix_defect,
        investment_mix_risk,
        investment_mix_debt,
        features_completed,
        case when $all_teams then rnd_spend / nullif(features_completed, 0) end as cost_per_feature,
        -- the organisation's spend × its own feature share; a team's share would mix two scopes
        case when $all_teams then rnd_spend * investment_mix_feature end as capitalizable_rnd_estimate
    from money, headcount, mix
)

select * from final
