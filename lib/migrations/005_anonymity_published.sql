-- Schema version 5: what the survey figures have published, per wave (lib/anonymity).
-- survey_published: each respondent's answers on one dimension as a version that was
--   published from release `from_release` until before `to_release` (null: still
--   published). Every survey figure is computed from the current versions only, never
--   from survey_responses directly, so a late batch shows only once it is safe to.
-- survey_releases: one row per release of a wave (threshold it was planned under).
-- survey_hidden: every suppression decision in force at each release (a team's or a
--   cell's decision is carried into every later release of the wave: never withdrawn).
-- survey_sync: the live data each wave was last compared with, and whether some of it
--   is held back.

create table if not exists survey_published (
    survey_id varchar not null,
    respondent_id varchar not null,
    dimension varchar not null,
    team varchar,
    first_date date,
    last_date date,
    answers integer not null,
    score_sum double not null,
    favorable integer not null,
    neutral integer not null,
    unfavorable integer not null,
    from_release integer not null,
    to_release integer
);

create table if not exists survey_releases (
    survey_id varchar not null,
    release integer not null,
    released_at timestamp not null,
    threshold integer not null,
    primary key (survey_id, release)
);

create table if not exists survey_hidden (
    survey_id varchar not null,
    release integer not null,
    unit varchar not null,
    team varchar,
    dimension varchar,
    kind varchar not null
);

create table if not exists survey_sync (
    survey_id varchar not null primary key,
    live_fingerprint varchar not null,
    threshold integer not null,
    held_back boolean not null,
    checked_at timestamp not null
);
