"""The Overview board on crafted databases: windows equal to the catalog, no news made of
noise, a real step named, missing pillars named, and the investment headline by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import shutil

import numpy as np
import pandas as pd
import pytest

from lib import db
from lib.charts import registry
from lib.metrics import catalog, flatten
from lib.overview_board import board
from lib.views.business import business_months, previous_months
from lib.views.headline_windows import SPECS, headline_windows
from tests.unit.fixtures import insert, make_db, scope

END = dt.date(2026, 10, 1)
DAYS = 8 * 90 + 400  # history: eight quarters and the trailing year before them


def _steady_org(path, seed: int = 11):
    """Two teams over three years, every rate constant, each count drawn at random: deployments
    (about 2 a day, 3% rolled back), incidents (one every 3 days), 120 engineers with 15% a
    year leaving, each replaced the same day, revenue and R&D spend by month with 2% noise."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(END - dt.timedelta(days=DAYS))
    con = db.connect(path)
    insert(
        con,
        "teams",
        [{"team": t, "org": "eng", "location": "Lisbon", "sourcing": "onshore"} for t in ("core", "apps")],
    )
    per_day = rng.poisson(2.0, DAYS)
    days = np.repeat(np.arange(DAYS), per_day)
    n = len(days)
    deployed = (
        start
        + pd.to_timedelta(days, unit="D")
        + pd.to_timedelta(10 * 60 + rng.integers(0, 480, n), unit="min")
    )
    _frame(con, "deployments", pd.DataFrame({
        "deploy_id": [f"d{i}" for i in range(n)], "service": "api", "team": np.where(np.arange(n) % 2, "apps", "core"),
        "environment": "production", "deployed_at": deployed,
        "commit_at": deployed - pd.to_timedelta(rng.lognormal(1.5, 0.8, n), unit="h"),
        "status": np.where(rng.random(n) < 0.03, "rollback", "success"),
    }))  # fmt: skip
    hit = np.flatnonzero(rng.random(DAYS) < 1 / 3)
    began = start + pd.to_timedelta(hit, unit="D") + pd.Timedelta(hours=14)
    _frame(con, "incidents", pd.DataFrame({
        "incident_id": [f"i{i}" for i in hit], "service": "api", "team": "core", "severity": "SEV2",
        "started_at": began, "resolved_at": began + pd.to_timedelta(rng.lognormal(1.0, 0.7, len(hit)), unit="h"),
    }))  # fmt: skip
    teams = ["core" if i % 2 == 0 else "apps" for i in range(120)]
    hired = [dt.date(2019, 1, 1)] * 120
    left: list = [None] * 120
    for d in range(DAYS):
        day = (start + pd.Timedelta(days=d)).date()
        for _ in range(rng.poisson(120 * 0.15 / 365)):
            active = [i for i, t in enumerate(left) if t is None]
            leaver = active[int(rng.integers(0, len(active)))]
            left[leaver] = day
            teams.append(teams[leaver])
            hired.append(day)
            left.append(None)
    _frame(con, "employees", pd.DataFrame({
        "employee_id": [f"e{i}" for i in range(len(teams))], "team": teams, "hire_date": hired,
        "termination_date": pd.to_datetime(pd.Series(left, dtype="object")),
        "termination_type": ["voluntary" if t is not None else None for t in left],
    }))  # fmt: skip
    months = pd.date_range(start.to_period("M").to_timestamp(), END, freq="MS", inclusive="left")
    _frame(con, "business_metrics", pd.DataFrame({
        "period_start": np.tile(months, 2), "metric": ["revenue"] * len(months) + ["rnd_spend"] * len(months),
        "value": np.concatenate([1e6 * rng.normal(1, 0.02, len(months)), 3e5 * rng.normal(1, 0.02, len(months))]),
    }))  # fmt: skip
    return con


def _frame(con, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame into a canonical table (names from this file, never input)."""
    con.register("rows_to_insert", frame)
    con.execute(f"insert into {table} by name select * from rows_to_insert")
    con.unregister("rows_to_insert")


QUARTER = scope((END - dt.timedelta(days=90)).isoformat(), END.isoformat())


def _assert_windows_are_the_catalog(con, s):
    """Windows 0 and 1 are the catalog over the period and the previous one; finance figures
    over the period's whole months and as many months before (as the Business page reads them)."""
    windows = headline_windows(con, s)
    now, before = flatten(catalog(con, s)), flatten(catalog(con, s.previous()))
    months = business_months(s)
    money_now, money_before = flatten(catalog(con, months)), flatten(catalog(con, previous_months(months)))
    for key in SPECS:
        pair = (money_now[key], money_before[key]) if key.startswith("business.") else (now[key], before[key])
        for k, expected in enumerate(pair):
            got = windows[key][k].value
            if (
                windows[key][k].hidden or expected is None
            ):  # fewer people than the anonymity threshold: withheld
                assert got is None, (key, k, got)
            else:
                assert got == pytest.approx(expected, rel=1e-12), (key, k)


@pytest.fixture(scope="module")
def steady_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("steady") / "steady.duckdb"
    _steady_org(path).close()
    return path


@pytest.fixture(scope="module")
def steady(steady_file):
    con = db.connect(steady_file, read_only=True)
    yield con
    con.close()


@pytest.fixture
def steady_copy(steady_file, tmp_path):
    target = tmp_path / "copy.duckdb"
    shutil.copy(steady_file, target)
    con = db.connect(target)
    yield con
    con.close()


def test_windows_equal_the_catalog_for_the_period_and_the_previous_one(steady):
    _assert_windows_are_the_catalog(steady, QUARTER)
    _assert_windows_are_the_catalog(steady, dataclasses.replace(QUARTER, teams=("apps",)))
    _assert_windows_are_the_catalog(steady, scope("2026-09-01", "2026-10-01"))


def test_windows_apply_the_production_rule_per_period(tmp_path):
    """A period whose runs name no environment counts them all; one that names some counts
    only production (SPEC §5), each window on its own as the catalog does per period."""
    con = make_db(
        tmp_path,
        deployments=[
            {"deploy_id": "a", "deployed_at": "2026-08-05 10:00", "commit_at": "2026-08-05 08:00", "status": "success"},
            {"deploy_id": "b", "environment": " ", "deployed_at": "2026-09-05 10:00", "commit_at": "2026-09-04 10:00", "status": "rollback"},
            {"deploy_id": "c", "environment": "prod.eu-west-1", "deployed_at": "2026-06-05 10:00", "commit_at": "2026-06-05 09:00", "status": "success"},
            {"deploy_id": "d", "environment": "staging", "deployed_at": "2026-06-06 10:00", "commit_at": "2026-06-06 09:00", "status": "success"},
            {"deploy_id": "e", "environment": "preprod", "deployed_at": "2026-06-07 10:00", "status": "rollback"},
            # a quarter whose only production run says nothing of its outcome: frequency unknown
            {"deploy_id": "f", "environment": "prod", "deployed_at": "2026-03-07 10:00"},
        ],
    )  # fmt: skip
    _assert_windows_are_the_catalog(con, QUARTER)
    w = headline_windows(con, QUARTER, ("delivery.change_failure_rate",))["delivery.change_failure_rate"]
    assert (w[0].value, w[0].events) == (0.5, 2)  # a and b: no environment named, both count
    assert (w[1].value, w[1].events) == (0.0, 1)  # c only: staging and preprod are not production
    frequency = headline_windows(con, QUARTER, ("delivery.deployment_frequency_per_week",))
    assert frequency["delivery.deployment_frequency_per_week"][2].value is None


def test_windows_equal_the_catalog_on_the_demo(demo_db):
    con = db.connect(demo_db, read_only=True)
    try:
        end = dt.date(2026, 10, 31)
        _assert_windows_are_the_catalog(
            con, scope((end - dt.timedelta(days=90)).isoformat(), end.isoformat())
        )
        _assert_windows_are_the_catalog(con, scope("2026-07-01", "2026-08-01", teams=("payments",)))
    finally:
        con.close()


def test_a_steady_organisation_makes_no_news(steady):
    """Every headline rate is constant; the counts vary by chance alone: no takeaway."""
    b = board(steady, QUARTER)
    assert b.takeaways == ()
    assert b.title == "No headline metric moved beyond its usual swing quarter over quarter"
    held = {h.key: h.reason for h in b.held_back}
    assert "delivery.deployment_frequency_per_week" in held
    # No tile's change is coloured as news.
    assert not any(t.news for g in b.groups for t in g.tiles)


def test_a_doubled_deployment_rate_is_named(steady_copy):
    con = steady_copy
    # Every deployment of the last quarter happens twice: the rate doubles, nothing else moves.
    con.execute(
        """
        insert into deployments by name
        select deploy_id || '-again' as deploy_id, service, team, environment,
               deployed_at + interval 1 minute as deployed_at, commit_at, status
        from deployments where deployed_at >= ?
        """,
        [END - dt.timedelta(days=90)],
    )
    b = board(con, QUARTER)
    found = {t.key: t for t in b.takeaways}
    deploys = found["delivery.deployment_frequency_per_week"]
    assert deploys.kind == "shift"
    assert deploys.text.startswith("Deployment frequency up ")
    assert "quarter over quarter to " in deploys.text and deploys.text.endswith(": an improvement.")
    assert b.title.startswith("Deployment frequency up ")
    tile = next(t for g in b.groups for t in g.tiles if t.key == "delivery.deployment_frequency_per_week")
    assert tile.news and tile.improved
    assert len(tile.spark) == 8 and tile.spark[-1] == pytest.approx(tile.value)


def test_a_source_that_stops_early_is_not_compared(steady_copy):
    con = steady_copy
    con.execute("delete from deployments where deployed_at >= '2026-09-01'")
    windows = headline_windows(con, QUARTER, ("delivery.deployment_frequency_per_week",))
    gap = windows["delivery.deployment_frequency_per_week"][0].gap
    last = con.execute("select max(deployed_at)::date from deployments").fetchone()[0]
    assert gap == f"its deployments data ends on {last:%d %b %Y}"
    held = {h.key: h.reason for h in board(con, QUARTER).held_back}
    assert held["delivery.deployment_frequency_per_week"].startswith("this quarter cannot be compared: ")


def test_finance_figures_are_read_over_whole_months(steady):
    """3 Jul – 30 Sep holds two month starts (Aug, Sep): revenue per engineer is annualised over
    those two months (61 days), not over 90 days, where it would read a third low."""
    s = scope("2026-07-03", "2026-10-01")
    w = headline_windows(steady, s, ("business.revenue_per_engineer_annualized",))[
        "business.revenue_per_engineer_annualized"
    ]
    assert (w[0].start, w[0].end) == (dt.date(2026, 8, 1), dt.date(2026, 10, 1))
    assert (w[1].start, w[1].end) == (dt.date(2026, 6, 1), dt.date(2026, 8, 1))
    revenue, people = steady.execute(
        """
        select (select sum(value) from business_metrics where metric = 'revenue'
                  and period_start in ('2026-08-01', '2026-09-01')),
               (select (count(*) filter (where hire_date <= '2026-08-01' and not coalesce(termination_date <= '2026-08-01', false))
                      + count(*) filter (where hire_date <= '2026-10-01' and not coalesce(termination_date <= '2026-10-01', false))) / 2.0
                from employees)
        """
    ).fetchone()
    assert w[0].value == pytest.approx(revenue / people * 365 / 61)
    assert all(x.gap is None for x in w)


def test_the_investment_headline_by_hand(tmp_path):
    con = make_db(
        tmp_path,
        teams=[{"team": "core", "org": "eng"}],
        work_items=[
            {"item_id": "f1", "team": "core", "type": "feature", "created_at": "2026-07-01", "completed_at": "2026-07-10", "effort": 3},
            {"item_id": "f2", "team": "core", "type": "feature", "created_at": "2026-07-01", "completed_at": "2026-08-10", "effort": 1},
            {"item_id": "b1", "team": "core", "type": "defect", "created_at": "2026-07-01", "completed_at": "2026-08-11", "effort": 4},
        ],
        deployments=[
            {"deploy_id": "a", "team": "core", "environment": "prod", "deployed_at": "2026-07-05 10:00", "status": "success"},
            {"deploy_id": "b", "team": "core", "environment": "prod", "deployed_at": "2026-08-05 10:00", "status": "success"},
            {"deploy_id": "c", "team": "core", "environment": "prod", "deployed_at": "2026-09-05 10:00", "status": "rollback"},
            {"deploy_id": "d", "team": "core", "environment": "prod", "deployed_at": "2026-09-06 10:00", "status": "success"},
        ],
        business_metrics=[
            {"period_start": f"2026-0{m}-01", "metric": "rnd_spend", "value": 100_000.0} for m in (7, 8, 9)
        ],
    )  # fmt: skip
    s = scope("2026-07-01", "2026-10-01")
    text = board(con, s).headline
    # 2 features; 4 production deployments, 1 rolled back; effort 4 of 8 on features.
    assert text == (
        "In Jul–Sep 2026, **$300k** of R&D spend delivered **2** features and **4** production deployments "
        "(1 of them a change failure). **50%** of engineering effort went to new features. "
        "No revenue is loaded, so revenue per engineer is not shown (load them on the Data page)."
    )
    team = board(con, dataclasses.replace(s, teams=("core",))).headline
    assert team.startswith("In 01 Jul 2026 – 30 Sep 2026, engineering delivered **2** features")
    # a note, apart from what to load (it read "… carry no team) (load them on the Data page).")
    assert (
        "R&D spend and revenue are the whole organisation's: business figures carry no team. "
        "No revenue is loaded, so revenue per engineer is not shown (load them on the Data page)."
    ) in team
    # A period that is not whole months: the paragraph names the months its spend covers.
    shifted = board(con, scope("2026-06-20", "2026-10-18")).headline
    assert shifted.startswith("In Jul–Sep 2026, **$300k** of R&D spend delivered")
    # A fortnight holds no month: the spend is not set against it.
    short = board(con, scope("2026-07-02", "2026-07-16")).headline
    assert "R&D spend is kept by month: choose a period holding a whole month" in short
    # Five days from a month start hold that month's spend whole: never set against five days
    # of output ("$1.3M of R&D spend delivered", revenue per engineer 6× too high: a review)
    early = board(con, scope("2026-08-01", "2026-08-06")).headline
    assert early.startswith(
        "In 01 Aug 2026 – 05 Aug 2026, engineering delivered **0** features and **1** production"
    )
    assert "$" not in early and "R&D spend is kept by month: choose a period holding a whole month" in early
    # No data is not zero: after the last work item and deployment, nothing was "delivered 0".
    later = board(con, dataclasses.replace(scope("2026-10-01", "2026-12-30"), teams=("core",))).headline
    assert "0** features" not in later and "delivered" not in later
    assert "No work items after 11 Aug 2026; no deployments after 6 Sep 2026" in later


def test_without_finance_the_headline_says_what_is_missing(tmp_path):
    con = make_db(
        tmp_path,
        deployments=[
            {"deploy_id": "a", "environment": "prod", "deployed_at": "2026-07-05 10:00", "status": "success"}
        ],
    )
    b = board(con, scope("2026-07-01", "2026-09-29"))
    assert b.headline == (
        "In 01 Jul 2026 – 28 Sep 2026, engineering delivered **1** production deployment (change failures not "
        "counted: no incidents loaded (rollbacks only)). "
        "No R&D spend is loaded, so what this cost is not shown; no revenue is loaded, so revenue "
        "per engineer is not shown; no work items are loaded, so features delivered and the effort mix are not "
        "shown (load them on the Data page)."
    )
    groups = {g.pillar: g for g in b.groups}
    assert groups["delivery"].tiles and groups["delivery"].missing is None
    for pillar in ("engagement", "retention", "skills", "business"):
        assert groups[pillar].tiles == () and groups[pillar].missing.startswith("No ")
    assert groups["retention"].missing.startswith("No HRIS export loaded")


def test_an_empty_database_names_every_pillars_data_and_draws_no_zero(empty_db):
    con = db.connect(empty_db, read_only=True)
    try:
        b = board(con, scope("2026-07-01", "2026-09-29"))
        assert all(g.missing and not g.tiles for g in b.groups)
        assert b.takeaways == ()
        fig = registry.figure(con, "overview.headlines", scope("2026-07-01", "2026-09-29"))
        assert registry.missing(fig)
    finally:
        con.close()


def test_the_board_slide_shows_the_page_tiles_numbers(steady):
    b = board(steady, QUARTER)
    fig = registry.figure(steady, "overview.headlines", QUARTER)
    texts = [a.text for a in fig.layout.annotations]
    for group in b.groups:
        assert any(group.name in t for t in texts)
        for tile in group.tiles:
            assert f"<b>{tile.text}</b>" in texts, tile.key
            assert tile.band.split("<br>")[0][:20] in " ".join(texts)
    # One sparkline per tile with a history, over the eight periods.
    lines = [d for d in fig.data if d.type == "scatter"]
    assert len(lines) == sum(1 for g in b.groups for t in g.tiles if t.spark)
    assert all(len(line.y) == 8 for line in lines)
    assert registry.title(fig) == b.title
    assert registry.subtitle(fig) == b.headline.replace("**", "")
    assert math.isfinite(lines[0].y[-1])


def test_nothing_to_compare_is_not_called_steady(tmp_path):
    # a new user's review: an empty database, a team without data and a future period read "no
    # headline metric moved beyond its usual swing", above an expander saying none could be compared
    empty = make_db(tmp_path)
    assert board(empty, QUARTER).title == (
        "Nothing to compare quarter over quarter: no headline metric has a value in both periods"
    )


def test_a_team_whose_data_starts_in_the_period_has_nothing_to_compare(tmp_path):
    rows = [dict(deploy_id=f"d{i}", team="a", environment="production", status="success",
                 deployed_at=dt.datetime(2026, 8, 1 + i % 28, 9 + i // 28)) for i in range(40)]  # fmt: skip
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=rows)
    b = board(con, scope("2026-07-01", "2026-09-30"))
    assert b.takeaways == () and b.held_back and not any(h.comparable for h in b.held_back)
    assert b.title.startswith("Nothing to compare quarter over quarter")


def test_the_business_trend_covers_twelve_whole_months(demo_db):
    # a new user's review: "Period: 01 Jan 2026 – 30 Nov 2026" under "each trend covers at least
    # the twelve months ending with the chosen period" (the year back from 6 Dec, whole months only)
    con = db.connect(demo_db, read_only=True)
    try:
        fig = registry.figure(con, "overview.business_trend", scope("2026-09-08", "2026-12-06"))
        assert "Period: 01 Dec 2025 – 30 Nov 2026" in registry.caption(fig), registry.caption(fig)
    finally:
        con.close()
