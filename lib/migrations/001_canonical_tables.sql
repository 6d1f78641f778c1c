-- Schema version 1: the canonical tables of SPEC.md section 3.
-- Frozen once released: later changes go in a new numbered migration.
-- Keys are enforced by the importer (delete-then-insert upsert), not by PRIMARY KEY
-- constraints, so bulk loads stay close to DuckDB's own read_csv speed.
-- Every timestamp is UTC without a zone; every imported row carries its import_id.

create table if not exists teams (
    team varchar not null,
    org varchar,
    manager_id varchar,
    location varchar,
    sourcing varchar,
    acquired_from varchar,
    import_id varchar
);

create table if not exists work_items (
    item_id varchar not null,
    team varchar,
    type varchar,
    title varchar,
    initiative varchar,
    created_at timestamp,
    started_at timestamp,
    completed_at timestamp,
    canceled_at timestamp,
    effort double,
    import_id varchar
);

create table if not exists work_item_transitions (
    item_id varchar not null,
    changed_at timestamp not null,
    to_status varchar,
    active boolean,
    import_id varchar
);

create table if not exists deployments (
    deploy_id varchar not null,
    service varchar,
    team varchar,
    environment varchar,
    deployed_at timestamp,
    commit_at timestamp,
    status varchar,
    is_rework boolean,
    import_id varchar
);

create table if not exists incidents (
    incident_id varchar not null,
    service varchar,
    team varchar,
    severity varchar,
    started_at timestamp,
    resolved_at timestamp,
    caused_by_deploy_id varchar,
    import_id varchar
);

create table if not exists pull_requests (
    pr_id varchar not null,
    repo varchar,
    team varchar,
    author_id varchar,
    opened_at timestamp,
    first_review_at timestamp,
    merged_at timestamp,
    additions integer,
    deletions integer,
    ai_assisted boolean,
    import_id varchar
);

create table if not exists survey_responses (
    survey_id varchar not null,
    survey_date date,
    respondent_id varchar not null,
    team varchar,
    question_id varchar not null,
    dimension varchar,
    score double,
    import_id varchar
);

create table if not exists employees (
    employee_id varchar not null,
    team varchar,
    level varchar,
    role varchar,
    location varchar,
    sourcing varchar,
    hire_date date,
    termination_date date,
    termination_type varchar,
    regretted boolean,
    manager_id varchar,
    acquired_from varchar,
    import_id varchar
);

create table if not exists promotions (
    employee_id varchar not null,
    promoted_at date not null,
    from_level varchar,
    to_level varchar,
    import_id varchar
);

create table if not exists one_on_ones (
    manager_id varchar not null,
    employee_id varchar not null,
    held_at date not null,
    import_id varchar
);

create table if not exists skills (
    employee_id varchar not null,
    skill varchar not null,
    proficiency integer,
    target integer,
    import_id varchar
);

create table if not exists learning (
    employee_id varchar not null,
    date date not null,
    title varchar not null,
    kind varchar,
    hours double,
    import_id varchar
);

create table if not exists ai_usage (
    date date not null,
    team varchar not null,
    tool varchar not null,
    active_users integer,
    engaged_users integer,
    suggestions integer,
    acceptances integer,
    seats integer,
    import_id varchar
);

create table if not exists business_metrics (
    period_start date not null,
    metric varchar not null,
    value double,
    import_id varchar
);

create table if not exists imports (
    import_id varchar not null,
    "table" varchar,
    source_format varchar,
    file_name varchar,
    sha256 varchar,
    rows integer,
    imported_at timestamp,
    status varchar
);
