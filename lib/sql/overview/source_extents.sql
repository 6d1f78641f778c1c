-- one row: the rows and the first and last dates of each headline source, organisation-wide (a period outside them is not compared; a pillar without rows says what to load)
with final as (
    select
        (select count(*) from deployments) as deployments_rows,
        (select min(deployed_at)::date from deployments) as deployments_first,
        (select max(deployed_at)::date from deployments) as deployments_last,
        (select count(*) from incidents) as incidents_rows,
        (select min(started_at)::date from incidents) as incidents_first,
        (select max(started_at)::date from incidents) as incidents_last,
        (select count(*) from work_items) as work_items_rows,
        (select count(*) from survey_responses) as survey_rows,
        (select count(*) from employees) as employees_rows,
        (select min(termination_date) from employees) as separations_first,
        (select count(*) from ai_usage) as ai_usage_rows,
        (select min(date) from ai_usage) as ai_usage_first,
        (select max(date) from ai_usage) as ai_usage_last,
        (select count(*) from learning) as learning_rows,
        (select min(date) from learning) as learning_first,
        (select max(date) from learning) as learning_last,
        (select count(*) from business_metrics) as business_rows
)

select * from final
