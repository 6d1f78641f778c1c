"""The demo organisation: deterministic, referentially sound, covering the last 90 days, and
telling the stories the charts must reveal (checked in SQL, as a chart would compute them)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import db
from lib.demo import build_demo, clear_demo, is_demo, make_world
from lib.demo.capabilities import BUS_FACTOR_SKILLS
from lib.scope import latest_data_date
from lib.tables import TABLES

END = dt.date(2026, 10, 31)
START = END - dt.timedelta(days=730)
STOP = END + dt.timedelta(days=1)  # periods are half-open
WINDOW = {"start": STOP - dt.timedelta(days=90), "stop": STOP}
HISTORY = {"start": START, "stop": STOP}
FAILED_CHANGE = """(status in ('failure', 'rollback')
    or deploy_id in (select caused_by_deploy_id from incidents where caused_by_deploy_id is not null))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con = db.connect(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    counts = build_demo(con, scale="small", seed=7, end=END)
    yield con, counts
    con.close()


@pytest.fixture
def con(built):
    return built[0]


def one(con, sql: str, params: dict | None = None):
    return con.execute(sql, params or {}).fetchall()[0][0]


def table_rows(con, table: str) -> list[tuple]:
    return con.execute("select * from " + table + " order by all").fetchall()  # name from TABLES


# --- the contract of build_demo / clear_demo / is_demo ---------------------------------


def test_counts_match_tables_and_every_row_is_tagged_demo(built):
    con, counts = built
    assert list(counts) == list(TABLES)
    for table, rows in counts.items():
        assert rows > 0, table
        assert one(con, "select count(*) from " + table) == rows, table
        assert one(con, "select count(*) from " + table + " where import_id is distinct from 'demo'") == 0
    log = dict(con.execute("""select "table", rows from imports where import_id = 'demo'""").fetchall())
    assert log == counts
    assert one(con, "select bool_and(source_format = 'demo' and status = 'loaded') from imports")
    assert db.get_setting(con, "demo") == "true"
    assert is_demo(con)


def test_row_counts_are_in_the_expected_ranges(built):
    _, counts = built
    expected = {
        "teams": (12, 12),
        "employees": (140, 220),
        "promotions": (60, 250),
        "one_on_ones": (2_000, 8_000),
        "work_items": (7_000, 20_000),
        "work_item_transitions": (30_000, 100_000),
        "deployments": (5_000, 20_000),
        "incidents": (150, 1_000),
        "pull_requests": (15_000, 40_000),
        "survey_responses": (10_000, 25_000),
        "skills": (400, 1_200),
        "skill_targets": (30, 80),
        "user_teams": (50, 200),
        "learning": (500, 2_500),
        "ai_usage": (2_000, 6_000),
        "business_metrics": (7 * 24, 7 * 25),
        "initiatives": (7, 7),
        "engineer_costs": (5, 5),
    }
    outside = {t: n for t, n in counts.items() if not expected[t][0] <= n <= expected[t][1]}
    assert outside == {}


def test_same_seed_and_end_give_identical_data_and_another_seed_differs(built, tmp_path):
    con = built[0]
    again = db.connect(tmp_path / "again.duckdb")
    other = db.connect(tmp_path / "other.duckdb")
    build_demo(again, seed=7, end=END)
    build_demo(other, seed=8, end=END)
    for table in TABLES:
        assert table_rows(again, table) == table_rows(con, table), table
    same = {t for t in TABLES if table_rows(other, t) == table_rows(con, t)}
    # the same organisation chart, initiatives, rate card and skills each team needs
    assert same <= {"teams", "initiatives", "engineer_costs", "skill_targets"}
    assert table_rows(again, "imports") == table_rows(con, "imports")


def test_history_runs_two_years_up_to_end(con):
    assert latest_data_date(con) in (END, END - dt.timedelta(days=1))
    assert one(con, "select min(created_at)::date from work_items") <= START + dt.timedelta(days=7)
    assert one(con, "select max(deployed_at) from deployments") < dt.datetime.combine(STOP, dt.time())
    assert one(con, "select max(hire_date) from employees") <= END
    # loaded overnight, after its last record (the freshness table read "last import 00:00" of
    # the day whose records ran to 23:59)
    assert one(con, "select min(imported_at) from imports") == dt.datetime.combine(STOP, dt.time())


def test_without_an_end_the_demo_ends_yesterday_so_nothing_is_dated_later_than_now():
    assert make_world().end == dt.date.today() - dt.timedelta(days=1)
    assert make_world(end=END).end == END


def test_finance_figures_cover_only_months_closed_by_the_end():
    # ending 5 Dec, December's revenue and spend are not known yet (a review read revenue per
    # engineer 6× too high for 1–5 Dec); ending 31 Oct, October is closed
    from lib.demo.business import _months

    assert str(_months(make_world(end=dt.date(2026, 12, 5)))[-1]) == "2026-11"
    assert str(_months(make_world(end=END))[-1]) == "2026-10"


def test_build_replaces_everything_and_clear_demo_empties_every_table(tmp_path):
    con = db.connect(tmp_path / "x.duckdb")
    con.execute("insert into teams (team, import_id) values ('old-team', 'user-1')")
    con.execute("""insert into imports (import_id, "table", status) values ('user-1', 'teams', 'loaded')""")
    build_demo(con, end=END)
    assert one(con, "select count(*) from teams where team = 'old-team'") == 0
    assert one(con, "select count(*) from imports where import_id = 'user-1'") == 0

    clear_demo(con)
    for table in (*TABLES, "imports"):
        assert one(con, "select count(*) from " + table) == 0, table
    assert not is_demo(con)
    assert db.get_setting(con, "demo") == "false"


def test_clear_demo_keeps_rows_a_user_imported(tmp_path):
    con = db.connect(tmp_path / "x.duckdb")
    build_demo(con, end=END)
    con.execute("insert into teams (team, import_id) values ('mine', 'user-1')")
    clear_demo(con)
    assert con.execute("select team, import_id from teams").fetchall() == [("mine", "user-1")]
    assert not is_demo(con)


def test_a_failing_build_leaves_the_previous_data_untouched(tmp_path, monkeypatch):
    from lib.demo import capabilities

    con = db.connect(tmp_path / "x.duckdb")
    before = build_demo(con, seed=3, end=END)

    def broken(*args, **kwargs):
        raise RuntimeError("generator failed")

    monkeypatch.setattr(capabilities, "ai_usage", broken)
    with pytest.raises(RuntimeError):
        build_demo(con, seed=4, end=END)
    for table, rows in before.items():
        assert one(con, "select count(*) from " + table) == rows, table
    assert db.get_setting(con, "demo") == "true"


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        build_demo(db.connect(tmp_path / "x.duckdb"), scale="huge", end=END)


# --- referential sanity -------------------------------------------------------------------


def test_keys_are_unique(con):
    for name, table in TABLES.items():
        keys = ", ".join(table.key)
        sql = "select count(*) from (select " + keys + " from " + name + " group by all having count(*) > 1)"
        assert one(con, sql) == 0, name


def test_enumerated_and_bounded_columns_hold_valid_values(con):
    for name, table in TABLES.items():
        for column in table.columns:
            if column.choices:
                sql = (
                    "select distinct "
                    + column.name
                    + " from "
                    + name
                    + " where "
                    + column.name
                    + " is not null"
                )
                found = {r[0] for r in con.execute(sql).fetchall()}
                assert found <= set(column.choices), (name, column.name, found)
            if column.bounds:
                low, high = con.execute(
                    "select min(" + column.name + "), max(" + column.name + ") from " + name
                ).fetchone()
                assert column.bounds[0] <= low and high <= column.bounds[1], (name, column.name)


def test_every_team_referenced_exists(con):
    for name, table in TABLES.items():
        if name != "teams" and "team" in table.column_names:
            sql = (
                "select count(*) from " + name + " where team is null or team not in (select team from teams)"
            )
            assert one(con, sql) == 0, name


def test_people_references_resolve(con):
    assert (
        one(con, "select count(*) from teams where manager_id not in (select employee_id from employees)")
        == 0
    )
    assert (
        one(con, "select count(*) from employees where manager_id not in (select employee_id from employees)")
        == 0
    )
    for table, column in (
        ("promotions", "employee_id"),
        ("one_on_ones", "employee_id"),
        ("one_on_ones", "manager_id"),
        ("skills", "employee_id"),
        ("learning", "employee_id"),
    ):
        sql = (
            "select count(*) from "
            + table
            + " where "
            + column
            + " not in (select employee_id from employees)"
        )
        assert one(con, sql) == 0, (table, column)
    # one level at a time, while employed
    assert (
        one(
            con,
            """select count(*) from promotions p join employees e using (employee_id)
               where p.to_level <> 'L' || (substr(p.from_level, 2)::int + 1)
                  or p.promoted_at < e.hire_date or p.promoted_at >= coalesce(e.termination_date, '2999-01-01')""",
        )
        == 0
    )


def test_times_are_in_order(con):
    checks = {
        "deployments": "commit_at > deployed_at",
        "incidents": "resolved_at < started_at",
        "work_items": "started_at < created_at or completed_at < started_at or canceled_at < created_at"
        " or (completed_at is not null and canceled_at is not null)",
        "pull_requests": "first_review_at < opened_at or merged_at < opened_at",
        "employees": "termination_date <= hire_date",
    }
    for table, broken in checks.items():
        assert one(con, "select count(*) from " + table + " where " + broken) == 0, table


def test_transitions_belong_to_items_and_end_where_the_item_ends(con):
    assert (
        one(
            con,
            "select count(*) from work_item_transitions where item_id not in (select item_id from work_items)",
        )
        == 0
    )
    assert (
        one(
            con,
            """select count(*) from work_item_transitions t join work_items w using (item_id)
               where t.changed_at < w.created_at or t.changed_at > coalesce(w.completed_at, w.canceled_at, t.changed_at)""",
        )
        == 0
    )
    assert one(
        con,
        "select bool_and(active = (to_status in ('In Progress', 'In Review'))) from work_item_transitions",
    )
    tracked = one(
        con,
        """select avg((item_id in (select item_id from work_item_transitions))::int)
           from work_items where completed_at is not null""",
    )
    assert 0.8 <= tracked < 1.0


def test_incidents_blame_failed_production_deployments(con):
    blamed = con.execute(
        """select d.environment, d.status, count(*) from incidents i
           join deployments d on d.deploy_id = i.caused_by_deploy_id group by all"""
    ).fetchall()
    assert blamed and all(env == "production" and status != "success" for env, status, _ in blamed)
    assert one(con, "select count(*) from incidents where caused_by_deploy_id is null") > 0
    assert one(con, "select count(distinct severity) from incidents") == 4


def test_survey_respondents_are_active_members_of_their_team(con):
    strays = one(
        con,
        """select count(*) from survey_responses s
           where not exists (
               select 1 from employees e
               where e.employee_id = s.respondent_id and e.team = s.team and e.hire_date <= s.survey_date
                 and coalesce(e.termination_date, '2999-01-01') > s.survey_date)""",
    )
    assert strays == 0
    assert (
        one(
            con,
            "select count(*) from pull_requests where author_id not in (select employee_id from employees)",
        )
        == 0
    )


def test_survey_scores_use_their_scales(con):
    rows = con.execute(
        """select dimension = 'enps', min(score), max(score), count(distinct question_id)
           from survey_responses group by 1 order by 1"""
    ).fetchall()
    assert rows == [(False, 1, 5, 18), (True, 0, 10, 1)]
    detractors = one(con, "select avg((score <= 6)::int) from survey_responses where dimension = 'enps'")
    assert 0.1 < detractors < 0.5
    dims = {r[0] for r in con.execute("select distinct dimension from survey_responses").fetchall()}
    assert dims == {"psychological_safety", "autonomy", "trust", "growth", "workload", "recognition", "enps"}
    assert one(con, "select count(*) from survey_responses where question_id = 'ps1'") > 0


def test_ai_usage_is_daily_per_team_from_its_rollout(con):
    rows = con.execute(
        """select team, min(date), max(date), count(*),
                  bool_and(active_users <= seats and engaged_users <= active_users and acceptances <= suggestions)
           from ai_usage where tool = 'copilot' group by team"""
    ).fetchall()
    assert len(rows) == 12
    rollout = min(r[1] for r in rows)
    for team, first, last, days, consistent in rows:
        assert last == END and days == (last - first).days + 1 and consistent, team
    assert (
        one(con, "select count(*) from pull_requests where ai_assisted and opened_at < $r", {"r": rollout})
        == 0
    )
    assert START + dt.timedelta(days=240) < rollout < END - dt.timedelta(days=240)


# --- the shape of the organisation ---------------------------------------------------------


def test_organisation_shape(con):
    assert 3 <= one(con, "select count(distinct org) from teams") <= 4
    assert one(con, "select count(distinct sourcing) from teams") == 3
    assert one(con, "select count(distinct location) from teams") >= 4
    acquired = con.execute("select team from teams where acquired_from is not null").fetchall()
    assert len(acquired) >= 2
    assert one(con, "select count(*) from employees where acquired_from is not null") >= 10
    assert one(con, "select count(distinct team) from employees where acquired_from is not null") == len(
        acquired
    )
    headcount = one(
        con, "select count(*) from employees where hire_date <= $d and termination_date is null", {"d": END}
    )
    assert 120 <= headcount <= 150
    assert {r[0] for r in con.execute("select distinct level from employees").fetchall()} == {
        f"L{k}" for k in range(1, 7)
    }
    exits = dict(con.execute("select termination_type, count(*) from employees group by 1").fetchall())
    assert exits["voluntary"] > exits["involuntary"] > 0
    assert one(con, "select count(*) from employees where regretted") > 0


def test_managers_have_spans_and_hold_one_on_ones(con):
    spans = [
        r[0]
        for r in con.execute(
            """select count(*) from employees where termination_date is null and manager_id is not null
               group by manager_id"""
        ).fetchall()
    ]
    assert max(spans) >= 10 and min(spans) <= 4
    covered = one(
        con,
        """select avg((employee_id in (select employee_id from one_on_ones where held_at > $d - 30))::int)
           from employees where termination_date is null and manager_id is not null and hire_date < $d - 30""",
        {"d": END},
    )
    assert 0.5 < covered < 1.0


def test_bus_factor_risks_are_the_niche_skills(con):
    risks = {
        r[0]
        for r in con.execute(
            """select skill from skills s join employees e using (employee_id)
               where s.proficiency >= 3 and e.termination_date is null
               group by skill having count(*) = 1"""
        ).fetchall()
    }
    assert risks == set(BUS_FACTOR_SKILLS)
    assert one(con, "select count(distinct skill) from skills") == 12
    assert one(con, "select count(*) from skills where proficiency < target") > 0


def test_learning_covers_every_kind_with_hours(con):
    kinds = dict(con.execute("select kind, sum(hours) from learning group by 1").fetchall())
    assert set(kinds) == {"course", "certification", "conference", "experiment"} and min(kinds.values()) > 0


def test_small_team_falls_below_the_anonymity_threshold_and_others_do_not(con):
    sizes = [
        r[0]
        for r in con.execute(
            "select count(distinct respondent_id) from survey_responses group by survey_id, team"
        ).fetchall()
    ]
    small = sum(n < 5 for n in sizes)
    assert small >= 1
    assert small / len(sizes) < 0.2


def test_participation_is_realistic(con):
    rates = con.execute(
        """select count(distinct respondent_id) / (
                   select count(*) from employees e
                   where e.hire_date <= s.survey_date and coalesce(e.termination_date, '2999-01-01') > s.survey_date
                     and e.team in (select distinct team from survey_responses where survey_id = s.survey_id))
           from survey_responses s group by survey_id, survey_date"""
    ).fetchall()
    assert len(rates) == 8
    assert all(0.7 <= r[0] <= 0.92 for r in rates)


def test_business_metrics_are_monthly_and_grow(con):
    metrics = {r[0] for r in con.execute("select distinct metric from business_metrics").fetchall()}
    assert metrics == {"revenue", "arr", "rnd_spend", "customers", "nps", "churn_rate", "company_headcount"}
    # every series has the month of the demo's last day: no chart ends early
    last = con.execute("select metric, max(period_start) from business_metrics group by all").fetchall()
    assert {m: d for m, d in last} == dict.fromkeys(metrics, END.replace(day=1))
    first, last = con.execute(
        """select avg(value) filter (where period_start < $start + interval 3 month),
                  avg(value) filter (where period_start >= $stop - interval 4 month)
           from business_metrics where metric = 'revenue'""",
        HISTORY,
    ).fetchone()
    assert 1.3 < last / first < 2.5
    share = one(
        con,
        """select sum(value) filter (where metric = 'rnd_spend') / sum(value) filter (where metric = 'revenue')
           from business_metrics""",
    )
    assert 0.15 < share < 0.4


# --- the last 90 days support every metric -------------------------------------------------


def test_last_90_days_have_rows_in_every_table(con):
    dated = {
        "work_items": "completed_at",
        "work_item_transitions": "changed_at",
        "deployments": "deployed_at",
        "incidents": "started_at",
        "pull_requests": "opened_at",
        "survey_responses": "survey_date",
        "employees": "hire_date",
        "promotions": "promoted_at",
        "one_on_ones": "held_at",
        "learning": "date",
        "ai_usage": "date",
        "business_metrics": "period_start",
    }
    for table, column in dated.items():
        sql = "select count(*) from " + table + " where " + column + " >= $start and " + column + " < $stop"
        assert one(con, sql, WINDOW) > 0, table


def test_last_90_days_support_each_metric_family(con):
    counts = con.execute(
        """select
            (select count(*) from deployments where environment = 'production' and is_rework
                and deployed_at >= $start and deployed_at < $stop),
            (select count(*) from incidents where resolved_at is not null and started_at >= $start and started_at < $stop),
            (select count(distinct survey_id) from survey_responses where survey_date >= $start and survey_date < $stop),
            (select count(*) from employees where termination_type = 'voluntary' and regretted
                and termination_date >= $start and termination_date < $stop),
            (select count(*) from employees where termination_date >= $start and termination_date < $stop),
            (select count(*) from promotions where promoted_at >= $start and promoted_at < $stop),
            (select count(distinct period_start) from business_metrics where period_start >= $start and period_start < $stop),
            (select count(*) from ai_usage where date >= $stop - 28 and date < $stop and active_users > 0),
            (select count(*) from work_items where type = 'feature' and completed_at >= $start and completed_at < $stop),
            (select count(*) from learning where date >= $start and date < $stop)""",
        WINDOW,
    ).fetchone()
    assert all(n > 0 for n in counts), counts
    assert counts[6] >= 2


# --- the stories ---------------------------------------------------------------------------

SAFETY_THIRDS = """
with safety as (
    select team, avg((score >= 4)::int) as favorable
    from survey_responses where dimension = 'psychological_safety' group by team
),
ranked as (select team, ntile(3) over (order by favorable) as third from safety),
exposure as (
    select team,
        sum(date_diff('day', greatest(hire_date, $start), least(coalesce(termination_date, $stop), $stop)))
            / 365.25 as person_years,
        count(*) filter (where termination_type = 'voluntary') as voluntary
    from employees
    where coalesce(termination_date, $stop) > $start
    group by team
),
deploys as (select team, count(*) as n from deployments where environment = 'production' group by team)
select third, sum(voluntary) / sum(person_years), sum(n) / sum(person_years)
from ranked join exposure using (team) join deploys using (team)
group by third order by third
"""


def test_low_psychological_safety_teams_lose_more_people_and_deploy_less(con):
    rows = con.execute(SAFETY_THIRDS, HISTORY).fetchall()
    (_, low_quits, low_deploys), _, (_, high_quits, high_deploys) = rows
    assert low_quits > 1.5 * high_quits
    assert low_deploys < 0.5 * high_deploys


def test_ai_adoption_shortens_lead_time_and_pr_cycle_time(con):
    rollout = one(con, "select min(date) from ai_usage")
    before, after = con.execute(
        """select median(epoch(deployed_at - commit_at)) filter (where deployed_at < $r),
                  median(epoch(deployed_at - commit_at)) filter (where deployed_at >= $r + interval 90 day)
           from deployments
           where environment = 'production' and status = 'success'
             and deployed_at >= $r - interval 180 day and deployed_at < $r + interval 270 day""",
        {"r": rollout},
    ).fetchone()
    assert after < 0.8 * before
    assisted, unassisted = con.execute(
        """select median(epoch(merged_at - opened_at)) filter (where ai_assisted),
                  median(epoch(merged_at - opened_at)) filter (where not ai_assisted)
           from pull_requests where opened_at >= $r""",
        {"r": rollout},
    ).fetchone()
    assert assisted < 0.8 * unassisted
    share = one(
        con, "select avg(ai_assisted::int) from pull_requests where opened_at >= $stop - 90", {"stop": STOP}
    )
    assert 0.3 < share < 0.8


def test_the_tech_debt_push_is_followed_by_fewer_failed_changes(con):
    push_start, push_end = con.execute(
        """with monthly as (
               select date_trunc('month', created_at)::date as month, avg((type = 'debt')::int) as debt_share
               from work_items group by 1 having count(*) >= 100)
           select min(month), max(month) from monthly
           where debt_share > 2 * (select median(debt_share) from monthly)"""
    ).fetchone()
    assert 2 <= (push_end - push_start).days / 30 <= 4
    assert END - dt.timedelta(days=400) <= push_start and push_end <= END - dt.timedelta(days=200)
    cfr = "select avg(" + FAILED_CHANGE + "::int) from deployments where environment = 'production'"
    cfr += " and deployed_at >= $a and deployed_at < $b"
    before = one(con, cfr, {"a": push_start - dt.timedelta(days=182), "b": push_start})
    after_start = push_end + dt.timedelta(days=31)
    after = one(con, cfr, {"a": after_start, "b": after_start + dt.timedelta(days=182)})
    assert after < 0.75 * before


def test_teams_differ_and_delivery_improves_over_time(con):
    per_team = con.execute(
        """select team, count(*) / 26.0, median(epoch(deployed_at - commit_at) / 3600) filter (where status = 'success')
           from deployments where environment = 'production' and deployed_at >= $stop - 182
           group by team""",
        {"stop": STOP},
    ).fetchall()
    frequency = [r[1] for r in per_team]
    lead = [r[2] for r in per_team]
    assert max(frequency) >= 10 * min(frequency)
    assert max(lead) >= 5 * min(lead)
    early, late = con.execute(
        """select count(*) filter (where deployed_at < $start + 182), count(*) filter (where deployed_at >= $stop - 182)
           from deployments where environment = 'production'""",
        HISTORY,
    ).fetchone()
    assert late > 1.5 * early
    early_lead, late_lead = con.execute(
        """select median(epoch(deployed_at - commit_at)) filter (where deployed_at < $start + 182),
                  median(epoch(deployed_at - commit_at)) filter (where deployed_at >= $stop - 182)
           from deployments where environment = 'production' and status = 'success'""",
        HISTORY,
    ).fetchone()
    assert late_lead < 0.75 * early_lead


def test_flow_efficiency_is_believable(con):
    efficiency = one(
        con,
        """with spans as (
               select item_id, active,
                      lead(changed_at) over (partition by item_id order by changed_at) - changed_at as held
               from work_item_transitions)
           select sum(epoch(held)) filter (where active) / (
                      select sum(epoch(completed_at - started_at)) from work_items
                      where completed_at is not null and item_id in (select item_id from spans))
           from spans join work_items using (item_id) where completed_at is not null""",
    )
    assert 0.15 < efficiency < 0.6


def test_business_outcomes_answer_to_engineering_output(con):
    """ARR runs above its trend a couple of months after feature-rich months, and NPS dips the
    month after an incident-heavy one (lib.views.business_outcomes, detrended, lags 0–6)."""
    from lib.scope import Scope
    from lib.views import business_outcomes as bo

    _, _, strongest = bo.outcome_analysis(con, Scope(START, STOP))
    pairs = strongest.set_index(["engineering", "outcome"])
    features = pairs.loc[("features_shipped", "arr")]
    assert features["r"] > 0.6 and features["lag"] in (1, 2, 3)
    incidents = pairs.loc[("incidents", "nps")]
    assert incidents["r"] < -0.6 and incidents["lag"] == 1 and incidents["strength"] == "clear"


def test_the_second_assistant_pilot_runs_to_the_last_day(con):
    rows = con.execute(
        "select team, min(date), max(date), count(*) from ai_usage where tool = 'cursor' group by team"
    ).fetchall()
    assert len(rows) == 2
    for team, first, last, days in rows:
        assert last == END and days == (last - first).days + 1, team
