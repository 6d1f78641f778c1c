"""Views behind the Delivery page, on the tool-export fixtures (hand-computed) and the demo
organisation (consistency with the metric catalog)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from lib import db, metrics
from lib.scope import Scope
from lib.views import delivery, delivery_detail, drilldown, flow_detail, incidents, pull_requests
from tests.unit.fixtures import scope

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
FILES = (
    "deployments.csv",
    "pagerduty_incidents.csv",
    "opsgenie_alerts.csv",
    "jira_cloud.csv",
    "linear_time_in_status.csv",
    "github_prs.json",
)
PERIOD = scope("2025-07-01", "2025-09-30")


@pytest.fixture(scope="module")
def exports_con(tmp_path_factory):
    from lib.ingest.load import import_file, options_for

    con = db.connect(tmp_path_factory.mktemp("exports") / "exports.duckdb")
    for name in FILES:
        assert import_file(con, EXPORTS / name, options_for(con)).ok
    return con


@pytest.fixture(scope="module")
def demo_con(demo_db):
    # Same configuration as the app's connection: AppTest may already hold this file open
    # in the same process, and DuckDB refuses a second connection configured differently.
    return db.connect(demo_db)


def test_pull_request_stages(exports_con):
    summary = pull_requests.pr_cycle(exports_con, PERIOD)
    # Merged in period: checkout-api#412, #415, ledger#80 (ledger#77 never merged).
    assert summary["merged_prs"] == 3
    # Pickup 4 h, 2 h, 24 h; review 20 h, 4 h, 24 h.
    assert summary["pickup_hours_p50"] == pytest.approx(4.0)
    assert summary["review_hours_p50"] == pytest.approx(20.0)
    # First successful production deployment of the repo's service after the merge:
    # #412 → d-1 (1 h), #415 → d-4 (d-3 failed; 142 h), #80 → d-6 (1 h).
    assert summary["deploy_hours_p50"] == pytest.approx(1.0)
    assert summary["deployed_prs"] == 3
    assert summary["ai_assisted_prs"] == 1  # #412 labelled ai-assisted
    by_month = pull_requests.pr_cycle_by_period(exports_con, PERIOD).set_index("period")
    july = by_month.loc["2025-07-01"]
    assert july["merged_prs"] == 2
    assert july["deploy_hours_p50"] == pytest.approx((1 + 142) / 2)
    # A period without merges is one row of zeros, not no row.
    empty = pull_requests.pr_cycle(exports_con, scope("2020-01-01", "2020-02-01"))
    assert empty["merged_prs"] == 0 and empty["pickup_hours_p50"] is None


def test_pull_requests_take_the_team_that_deploys_their_repository(exports_con):
    # gh exports carry no team: checkout-api#412 and #415 go to Payments (it deploys
    # checkout-api), ledger#80 to Platform.
    payments = pull_requests.pr_cycle(exports_con, scope("2025-07-01", "2025-09-30", teams=("Payments",)))
    assert payments["merged_prs"] == 2
    assert payments["pickup_hours_p50"] == pytest.approx(3.0)  # 4 h and 2 h
    platform = pull_requests.pr_cycle(exports_con, scope("2025-07-01", "2025-09-30", teams=("Platform",)))
    assert platform["merged_prs"] == 1
    stored = exports_con.execute("select count(*) from pull_requests where team is not null").fetchone()[0]
    assert stored == 0  # the file's own (absent) team is kept as given; the view supplies it


def test_incidents_by_service_and_severity(exports_con):
    rows = incidents.incidents_by_service(exports_con, PERIOD)
    counts = {(r.service, r.severity): r.incidents for r in rows.itertuples()}
    assert counts == {
        ("checkout-api", "SEV1"): 1,  # PD-101
        ("checkout-api", "SEV2"): 1,  # PD-103, unresolved
        ("ledger", "low"): 1,  # PD-102, urgency only
        ("ledger", "SEV1"): 1,  # OG-7
        ("search-api", "SEV3"): 1,  # OG-8
        ("edge", "SEV5"): 1,  # OG-9, open
    }
    by_month = incidents.incidents_by_period(exports_con, PERIOD)
    assert by_month["incidents"].sum() == 6


def test_flow_time_spread_and_histogram(exports_con):
    spread = flow_detail.flow_time_spread(exports_con, PERIOD)
    # Jira: 2, 4, 5, 5.5, 6.5, 12 days; Linear: 2, 2, 1 days.
    assert spread["items"] == 9
    assert spread["p50"] == pytest.approx(4.0)
    bands = flow_detail.flow_time_histogram(exports_con, PERIOD).groupby("band")["items"].sum()
    assert bands["< 1"] == 0 and bands["1–2"] == 1 and bands["2–5"] == 4 and bands["5–10"] == 3
    assert bands["10–20"] == 1


def test_coverage_names_what_is_missing(exports_con, tmp_path):
    gaps = delivery_detail.missing_data(delivery_detail.coverage(exports_con, PERIOD))
    assert [g.section for g in gaps] == ["incidents"]  # no incident names a deployment
    empty = db.connect(tmp_path / "empty.duckdb")
    sections = {g.section for g in delivery_detail.missing_data(delivery_detail.coverage(empty, PERIOD))}
    assert sections == {"dora", "incidents", "flow", "pull_requests"}


TILE_KEYS = (
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
    "delivery.rework_rate",
    "flow.velocity_per_week",
    "flow.time_days_p50",
    "flow.load",
    "flow.efficiency",
)


def test_tile_headlines_are_the_catalog_values(exports_con, tmp_path):
    """The Delivery tiles read `metrics.headline`, which computes delivery and flow alone: the
    catalog's values, null where the catalog is null (an empty database is no data, not 0/wk)."""
    items = metrics.headline(exports_con, PERIOD, TILE_KEYS)
    flat = metrics.flatten(metrics.catalog(exports_con, PERIOD))
    assert [i.value for i in items] == [flat[k] for k in TILE_KEYS]
    empty = db.connect(tmp_path / "empty.duckdb")
    assert [i.value for i in metrics.headline(empty, PERIOD, TILE_KEYS)] == [None] * len(TILE_KEYS)
    assert all(i.tier is None for i in metrics.headline(empty, PERIOD, TILE_KEYS))


@pytest.mark.parametrize(
    ("grain", "end", "start"),
    [
        ("month", "2026-11-22", "2025-12-01"),
        ("quarter", "2026-11-22", "2026-01-01"),
        ("week", "2026-11-22", "2025-11-24"),  # a Monday
        ("month", "2026-01-01", "2025-01-01"),
    ],
)
def test_trend_window_starts_on_a_whole_bucket(grain, end, start):
    chosen = Scope(dt.date.fromisoformat(end) - dt.timedelta(days=90), dt.date.fromisoformat(end), grain)
    assert delivery_detail.trend_window(chosen).start == dt.date.fromisoformat(start)


def test_drill_down_rows_add_up_to_the_catalog(demo_con):
    from lib.scope import default_scope

    chosen = default_scope(demo_con)
    catalog = metrics.catalog(demo_con, chosen)
    _, deployments = drilldown.rows_behind(demo_con, chosen, "Deployments", limit=5)
    _, failed = drilldown.rows_behind(demo_con, chosen, "Change failure rate", limit=5)
    _, completed = drilldown.rows_behind(demo_con, chosen, "Completed work items", limit=5)
    _, wip = drilldown.rows_behind(demo_con, chosen, "Work in progress (flow load)", limit=5)
    rows, _ = drilldown.rows_behind(demo_con, chosen, "Pull requests", limit=5)
    assert deployments == catalog["delivery"]["deployments"]
    assert failed / deployments == pytest.approx(catalog["delivery"]["change_failure_rate"])
    assert completed == catalog["flow"]["velocity"]
    assert wip == catalog["flow"]["load"]
    assert len(rows) == 5 and "author_id" not in rows.columns


def _deploy(n: int, team: str | None, day: str, lead_hours: int, status: str = "success") -> dict:
    deployed = dt.datetime.fromisoformat(f"{day} 12:00")
    return {
        "deploy_id": f"d{n}",
        "service": "svc",
        "team": team,
        "environment": "production",
        "commit_at": deployed - dt.timedelta(hours=lead_hours),
        "deployed_at": deployed,
        "status": status,
    }


@pytest.fixture
def units_con(tmp_path):
    from tests.unit.fixtures import make_db

    deployments = [
        _deploy(1, "a", "2025-07-03", 1),
        _deploy(2, "a", "2025-07-10", 2),
        _deploy(3, "a", "2025-07-17", 3),
        _deploy(4, "b", "2025-07-04", 10),
        _deploy(5, "b", "2025-07-11", 20, status="failure"),
        _deploy(6, "c", "2025-08-05", 5),
        _deploy(7, None, "2025-07-05", 7),  # no team: in the whole scope only
    ]
    items = [{"item_id": "i1", "team": "d", "created_at": "2025-07-01", "completed_at": "2025-07-09"}]
    teams = [{"team": "a", "org": "X"}, {"team": "b", "org": "X"}, {"team": "c", "org": "Y"}]
    con = make_db(tmp_path, deployments=deployments, work_items=items, teams=teams)
    yield con
    con.close()


def test_dora_by_unit_period_for_teams_orgs_and_the_whole_scope(units_con):
    july, august = pd.Timestamp("2025-07-01"), pd.Timestamp("2025-08-01")
    by_team = delivery_detail.dora_by_unit_period(units_con, PERIOD, "team").set_index(["unit", "period"])
    assert sorted(set(by_team.index.get_level_values("unit"))) == ["a", "b", "c"]
    assert by_team.loc[("a", july), "lead_time_hours_p50"] == pytest.approx(2)
    # b: d4 deployed, d5's run failed (no deployment, no change failure)
    assert by_team.loc[("b", july), "deployments"] == 1
    assert by_team.loc[("b", july), "failed_deployment_runs"] == 1
    assert by_team.loc[("b", july), "change_failure_rate"] == 0
    by_org = delivery_detail.dora_by_unit_period(units_con, PERIOD, "org").set_index(["unit", "period"])
    assert sorted(set(by_org.index.get_level_values("unit"))) == ["X", "Y"]
    # X's median is over its four deployments' successful lead times (1, 2, 3, 10 h): 2.5 h,
    # not the median of its teams' medians (2 h and 10 h → 6 h).
    assert by_org.loc[("X", july), "lead_time_hours_p50"] == pytest.approx(2.5)
    assert by_org.loc[("X", july), "change_failure_rate"] == 0
    assert by_org.loc[("X", july), "deployment_frequency_per_week"] == pytest.approx(4 / (31 / 7))
    assert by_org.loc[("Y", august), "deployments"] == 1
    whole = delivery.dora_by_period(units_con, PERIOD).set_index("period")
    assert "unit" not in whole
    # d1–d4 and the team-less d7 (which counts for the organisation); d5's run failed
    assert whole.loc[july, "deployments"] == 5
    assert list(whole.index) == [july, august, pd.Timestamp("2025-09-01")]
    with pytest.raises(ValueError):
        delivery_detail.dora_by_unit_period(units_con, PERIOD, "person")


def test_teams_in_scope_choose_orgs_when_teams_are_too_many(units_con):
    found = delivery_detail.teams_in_scope(units_con, PERIOD)
    assert found.teams == ("a", "b", "c", "d")  # d has completed items only
    assert found.orgs == ("(no org)", "X", "Y")
    assert found.unit == "team"
    many = delivery_detail.TeamsInScope(tuple(f"t{i}" for i in range(25)), ("X", "Y"))
    assert many.unit == "org"
    one_org = delivery_detail.TeamsInScope(many.teams, ("X",))
    assert one_org.unit == "team"  # nothing to group by: the chart shows the first teams and says so
    assert delivery_detail.teams_in_scope(
        units_con, scope("2025-07-01", "2025-09-30", teams=("c",))
    ).teams == ("c",)


def test_flow_by_unit_period_groups_items_by_org(units_con):
    by_org = flow_detail.flow_by_unit_period(units_con, PERIOD, "org")
    assert set(by_org["unit"]) == {"(no org)"}  # team d is not in the teams table
    assert by_org["velocity"].sum() == 1
    assert by_org.set_index("period").loc[pd.Timestamp("2025-07-01"), "time_days_p50"] == pytest.approx(8)
