-- Schema version 11: business alignment inputs.
-- business_metrics gains `unit` (USD / EUR / … for money, `%` for a fraction 0–1, `score`,
-- `count`), written by the finance import from the file's symbols and headers; the table is
-- rebuilt so `import_id` stays its last column, as in every canonical table.
-- initiatives: the business initiatives work serves, each with an owner (a role or team)
-- and the business metric it is meant to move; `epics` lists the work items' epic /
-- initiative / project names or keys that belong to it (`;` or `,` separated).
-- engineer_costs: the loaded annual cost of one engineer (FTE) by location and sourcing;
-- location `*` stands for every location of that sourcing.
-- initiative_links: the Business alignment page's mapping step (not an import): a work
-- item's initiative value → a business initiative, or null for "not an initiative".
-- work_item_business_initiative: each distinct work_items.initiative value resolved to a
-- business initiative: the page's link first, else the initiatives file's `epics` list,
-- else an initiative of the same name (case and surrounding spaces ignored).

create table business_metrics_v11 (
    period_start date not null,
    metric varchar not null,
    value double,
    unit varchar,
    import_id varchar
);

insert into business_metrics_v11
select period_start, metric, value, null, import_id from business_metrics;

drop table business_metrics;

alter table business_metrics_v11 rename to business_metrics;

create table if not exists initiatives (
    initiative varchar not null,
    owner varchar,
    business_metric varchar,
    epics varchar,
    description varchar,
    import_id varchar
);

create table if not exists engineer_costs (
    location varchar not null,
    sourcing varchar not null,
    annual_cost double,
    import_id varchar
);

create table if not exists initiative_links (
    work_initiative varchar not null,
    initiative varchar,
    saved_at timestamp
);

create or replace view work_item_business_initiative as
with work_values as (
    select distinct initiative as work_initiative
    from work_items
    where nullif(trim(initiative), '') is not null
),

linked as (
    select lower(trim(work_initiative)) as k, any_value(initiative) as initiative
    from initiative_links
    group by all
),

listed as (
    select k, min(initiative) as initiative
    from (
        select lower(trim(unnest(string_split_regex(epics, '[;,]')))) as k, initiative
        from initiatives
        where epics is not null
    )
    where k <> ''
    group by k
),

named as (
    select lower(trim(initiative)) as k, min(initiative) as initiative
    from initiatives
    group by all
),

final as (
    select
        work_values.work_initiative,
        case
            when linked.k is not null then linked.initiative
            else coalesce(listed.initiative, named.initiative)
        end as initiative,
        case
            when linked.k is not null then 'page'
            when listed.k is not null then 'initiatives file'
            when named.k is not null then 'same name'
        end as mapped_by
    from work_values
    left join linked on linked.k = lower(trim(work_values.work_initiative))
    left join listed on listed.k = lower(trim(work_values.work_initiative))
    left join named on named.k = lower(trim(work_values.work_initiative))
)

select * from final;
