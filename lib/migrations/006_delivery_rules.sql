-- Schema version 6: the delivery rules every query applies, defined once (METRICS.md, Delivery).
--
-- Production environments (SPEC §5). An environment names production when its first word is a
-- production name and none of its words is a non-production word. Words are the runs of
-- letters and digits of the trimmed, lower-cased value: `prod.eu-west-1` → prod, eu, west, 1.
-- Defaults: names prod, production, prd; non-production words below. Both lists are settings
-- (`production_environment_names`, `nonproduction_environment_words`: comma-separated) that
-- replace the defaults when set (`python -m lib settings`). `preprod`, `non-prod`, `staging`
-- never match: their first word is not a production name.
-- When no deployment of a scope names an environment (all null or blank), every deployment
-- of that scope counts: a query computes `bool_or(names_environment(environment))` over its
-- scope and passes it to `counts_as_production`.
--
-- Backwards spans (SPEC §4): a span whose end is before its start has an unknown duration.
-- `span_hours` / `span_days` return null for it (so medians and averages leave it out) and
-- `runs_backwards` says so; a flow item runs backwards when completed before it was created or
-- before it was started.

create or replace macro setting_list(setting_key, fallback) as coalesce(
    (
        select list_filter(
            list_transform(string_split(first(value), ','), lambda w: lower(trim(w))),
            lambda w: w <> ''
        )
        from settings
        where key = setting_key
    ),
    fallback
);

create or replace macro production_environment_names() as
    setting_list('production_environment_names', ['prod', 'production', 'prd']);

create or replace macro nonproduction_environment_words() as
    setting_list(
        'nonproduction_environment_words',
        ['staging', 'stage', 'stg', 'preprod', 'nonprod', 'test', 'testing', 'qa', 'uat', 'dev',
         'development', 'sandbox', 'preview', 'demo']
    );

create or replace macro environment_words(environment) as
    string_split_regex(lower(trim(environment)), '[^a-z0-9]+');

create or replace macro names_environment(environment) as
    coalesce(trim(environment), '') <> '';

create or replace macro is_production_environment(environment) as coalesce(
    list_contains(production_environment_names(), environment_words(environment)[1])
    and not list_has_any(environment_words(environment), nonproduction_environment_words()),
    false
);

create or replace macro counts_as_production(environment, scope_names_environment) as
    not coalesce(scope_names_environment, false) or is_production_environment(environment);

create or replace macro runs_backwards(start_at, end_at) as coalesce(end_at < start_at, false);

create or replace macro span_hours(start_at, end_at) as
    case when end_at >= start_at then epoch(end_at - start_at) / 3600.0 end;

create or replace macro span_days(start_at, end_at) as
    case when end_at >= start_at then epoch(end_at - start_at) / 86400.0 end;

create or replace macro item_runs_backwards(created_at, started_at, completed_at) as
    coalesce(completed_at < created_at, false) or coalesce(completed_at < started_at, false);

create or replace macro item_flow_days(created_at, started_at, completed_at) as
    case when not item_runs_backwards(created_at, started_at, completed_at)
        then span_days(coalesce(started_at, created_at), completed_at) end;
