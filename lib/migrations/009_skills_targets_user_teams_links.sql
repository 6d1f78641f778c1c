-- Schema version 9: what the Skills & capabilities pillar needs beyond SPEC §3's tables.
--
-- skill_targets: the level a team needs in a skill (0–4), from a targets file or the
-- target columns of a skills matrix. A skills row without its own target takes its
-- team's (METRICS.md, Skills).
--
-- user_teams: a user→team list for AI-assistant usage reported per user (Copilot
-- usage-metrics user reports, Cursor daily usage): user_id is the pseudonym of the
-- login or e-mail, team the team it counts under, seat_tool the tool whose seat list
-- named the user (Copilot's seat assignments), null for a plain list. User-level usage
-- is aggregated to team and day on import, so this list is read at that import.
--
-- person_links: every identifier an employee can be known by in other files, so a
-- skills matrix or an LMS export keyed by work e-mail joins the HRIS employee that
-- carried the same e-mail (SPEC §4): person_id is the stored pseudonym, employee_id
-- the employee it means. It reads employees.email_id when the table has that column
-- (added by the retention migration); through to_json so the view binds either way.
-- An identifier two employees share goes to the one whose employee_id it is, else to
-- the latest hire.
--
-- ai_usage_resolved: ai_usage as every query reads it. Organisation-level AI exports
-- (Copilot's usage, metrics and organisation reports) carry no team and are stored
-- under the team '(all teams)'; such a row counts only on days when no per-team row of
-- the same tool exists, so importing both the organisation report and the per-user
-- report of the same days never counts a user twice.

create table if not exists skill_targets (
    team varchar not null,
    skill varchar not null,
    target integer,
    import_id varchar
);

create table if not exists user_teams (
    user_id varchar not null,
    team varchar,
    seat_tool varchar,
    import_id varchar
);

create or replace view person_links as
with identifiers as (
    select
        employees.employee_id,
        employees.hire_date,
        unnest([employees.employee_id, json_extract_string(to_json(employees), '$.email_id')]) as person_id,
        unnest([0, 1]) as by_email
    from employees
)

select
    person_id,
    employee_id
from identifiers
where person_id is not null
qualify row_number() over (
    partition by person_id order by by_email, hire_date desc nulls last, employee_id
) = 1;

create or replace view ai_usage_resolved as
select ai_usage.*
from ai_usage
where ai_usage.team <> '(all teams)'
   or not exists (
       select 1
       from ai_usage as per_team
       where per_team.date = ai_usage.date
         and per_team.tool = ai_usage.tool
         and per_team.team <> '(all teams)'
   );
