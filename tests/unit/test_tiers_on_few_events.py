"""Tiers on too few events (issue 18, item 9's kind): "Overall: high tier" and "CFR 0.0%
elite" stood on one deployment. A DORA median or rate over fewer than 20 events is shown with
its count and placed in no tier, on the Delivery page's tiles and overall line, the
Overview's tiles and group line, and the trend titles; a frequency over a period its
deployments cover only in part gets no tier either. The catalog's `delivery.dora_tier`
keeps SPEC §5's bands alone (METRICS.md, "Tiers on too few events").
"""

from __future__ import annotations

import datetime as dt

from lib import metrics
from lib.charts import registry
from lib.overview_board import board
from lib.scope import Scope
from lib.views import delivery
from tests.unit.fixtures import make_db

QUARTER = Scope(dt.date(2025, 7, 1), dt.date(2025, 10, 1))


def _deploys(n: int, month: int = 8, rollbacks: int = 0, day: int = 1) -> list[dict]:
    """`n` production deployments in `month` 2025 from `day` on, the first `rollbacks` rolled
    back, each 2 h after its commit."""
    rows = []
    for i in range(n):
        at = dt.datetime(2025, month, day + i % 28, 9 + i // 28)
        rows.append(dict(deploy_id=f"d{month}-{i}", team="a", environment="production", deployed_at=at,
                         commit_at=at - dt.timedelta(hours=2), status="rollback" if i < rollbacks else "success"))  # fmt: skip
    return rows


def _incidents(n: int) -> list[dict]:
    return [
        dict(
            incident_id=f"i{i}",
            team="a",
            started_at=dt.datetime(2025, 8, 2 + i, 10),
            resolved_at=dt.datetime(2025, 8, 2 + i, 12),
        )  # fmt: skip
        for i in range(n)
    ]


def test_the_rule_in_words():
    assert delivery.held_back("delivery.change_failure_rate", 1) == (
        "1 production deployment: too few for a DORA tier (20 needed)"
    )
    assert delivery.held_back("lead_time_hours_p50", 19) == (
        "19 deployments with a commit time: too few for a DORA tier (20 needed)"
    )
    assert delivery.held_back("recovery_time_hours_p50", 3) == (
        "3 resolved incidents: too few for a DORA tier (20 needed)"
    )
    assert delivery.held_back("change_failure_rate", 20) is None  # 20 is enough
    # the frequency counts too: 3 in a quarter read "medium" but could be low or high
    assert delivery.held_back("deployment_frequency_per_week", 3) == (
        "3 successful deployments: too few for a DORA tier (20 needed)"
    )
    assert delivery.held_back("deployment_frequency_per_week", 40) is None
    assert delivery.held_back("deployment_frequency_per_week", 40, "no deployments after 2 Aug 2025") == (
        "no tier: the deployments cover only part of the period"
    )


def test_one_deployment_gets_a_value_and_no_tier(tmp_path):
    con = make_db(tmp_path, deployments=two_deployments())
    summary = delivery.dora_summary(con, QUARTER)
    assert summary["change_failure_rate"] == 0.0
    assert summary["tiers"]["change_failure_rate"] == "elite"  # SPEC §5's bands, read alone
    shown = delivery.shown_tiers(summary)
    assert shown["change_failure_rate"] is None
    assert shown["lead_time_hours_p50"] is None
    assert shown["deployment_frequency_per_week"] is None  # 2 in 13 weeks: "low", on 2 events
    assert delivery.overall_tier(shown) is None
    # the catalog keeps the contract's literal reading
    assert metrics.flatten(metrics.catalog(con, QUARTER))["delivery.dora_tier"] is not None


def test_twenty_deployments_are_rated(tmp_path):
    con = make_db(tmp_path, deployments=_deploys(21, rollbacks=1), incidents=_incidents(20))
    shown = delivery.shown_tiers(delivery.dora_summary(con, QUARTER))
    # 1 of 21 = 4.8%: elite ("5% or less"); 20 lead times of 2 h: elite; 2 h recovery: high
    assert shown == {
        "deployment_frequency_per_week": "high",
        "lead_time_hours_p50": "elite",
        "change_failure_rate": "elite",
        "recovery_time_hours_p50": "high",
    }


def test_a_trend_title_never_ends_on_a_value_too_few_events_make(tmp_path):
    # 60 deployments a month in spring, then 1 in the chosen quarter
    rows = [r for m in (3, 4, 5, 6) for r in _deploys(60, month=m, rollbacks=6)] + _deploys(1, month=8)
    con = make_db(tmp_path, deployments=rows)
    assert metrics.title_value(con, QUARTER, "delivery.change_failure_rate") is None
    fig = registry.figure(con, "delivery.change_failure_rate_trend", QUARTER)
    title = registry.title(fig)
    assert " now " not in title and "elite" not in title, title
    assert "0.0%" not in f"{title} {registry.subtitle(fig)}"  # the one deployment's rate speaks nowhere


def two_deployments() -> list[dict]:
    """One deployment at each end of the quarter: the period is covered, the evidence thin."""
    return _deploys(1, month=7, day=2) + _deploys(1, month=9, day=28)


def test_the_overview_says_why_there_is_no_tier(tmp_path):
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=two_deployments())
    group = next(g for g in board(con, QUARTER).groups if g.pillar == "delivery")
    assert group.status is None  # no "high tier overall" on two deployments
    bands = {t.key: t.band for t in group.tiles}
    assert (
        bands["delivery.change_failure_rate"]
        == "2 production deployments: too few for a DORA tier (20 needed)"
    )
    assert bands["delivery.lead_time_hours_p50"].startswith("2 deployments with a commit time: too few")
    assert bands["delivery.deployment_frequency_per_week"] == (
        "2 successful deployments: too few for a DORA tier (20 needed)"
    )


def test_a_frequency_over_a_partly_covered_period_gets_no_tier(tmp_path):
    # the reviewer's case: the deployments stop a month into the quarter (40 of them, in July)
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=_deploys(40, month=7, day=2))
    group = next(g for g in board(con, QUARTER).groups if g.pillar == "delivery")
    bands = {t.key: t.band for t in group.tiles}
    assert (
        bands["delivery.deployment_frequency_per_week"]
        == "No tier: the deployments cover only part of the period"
    )
    assert metrics.title_value(con, QUARTER, "delivery.deployment_frequency_per_week") is None


def test_a_frequency_trend_on_a_few_deployments_a_month_claims_nothing(tmp_path):
    # the review's "down 67% … 0.68/wk → 0.23/wk": three deployments in one month against one
    rows = _deploys(3, month=7) + _deploys(1, month=8) + _deploys(1, month=9)
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=rows)
    fig = registry.figure(con, "delivery.deployment_frequency_trend", QUARTER)
    assert registry.title(fig) == "Deployment frequency: too little data for a trend"
    fig = registry.figure(con, "overview.delivery_trend", QUARTER)
    assert "too little data for a trend" in registry.title(fig)


def test_every_held_back_reason_fits_a_deck_tile():
    # the second review: slide 2 cut "… with a commit time: too few for a DORA tier (20"; a deck
    # tile's band holds three lines of lib.charts.overview.TILE_CHARS characters
    import textwrap

    from lib.charts.overview import TILE_CHARS
    from lib.views.delivery import TIER_EVIDENCE, held_back

    for key in TIER_EVIDENCE:
        for events in (1, 19):
            reason = held_back(key, events)
            assert len(textwrap.wrap(reason[:1].upper() + reason[1:], TILE_CHARS)) <= 3, reason


def test_a_change_failure_rate_that_cannot_see_failures_gets_no_tier(tmp_path):
    # a new user's review: "Change failure rate 0.0% · DORA 2023: elite tier" from a deployments
    # file alone, and still "elite" once 8 incidents naming no deployment were loaded
    assert delivery.failures_unseen({"incidents_total": 0}) == "no incidents loaded (rollbacks only)"
    some = {"incidents_total": 8, "incidents_in_period": 8, "incidents_without_deploy_in_period": 8}
    assert delivery.failures_unseen(some) == "no incident names a deployment"
    assert delivery.failures_unseen({**some, "incidents_without_deploy_in_period": 7}) is None
    assert (
        delivery.failures_unseen({**some, "incidents_in_period": 0, "incidents_without_deploy_in_period": 0})
        is None
    )
    assert delivery.held_back("change_failure_rate", 40, unseen="no incident names a deployment") == (
        "no tier: no incident names a deployment"
    )
    assert delivery.held_back("lead_time_hours_p50", 40, unseen="no incident names a deployment") is None

    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=_deploys(40, month=7) + _deploys(40, month=8))
    summary = delivery.dora_summary(con, QUARTER)
    assert summary["change_failure_rate"] == 0.0  # SPEC §5's value stands: 0 of 80
    group = next(g for g in board(con, QUARTER).groups if g.pillar == "delivery")
    tile = next(t for t in group.tiles if t.key == "delivery.change_failure_rate")
    assert tile.text == "0.0%" and tile.band == "No tier: no incidents loaded (rollbacks only)"
    fig = registry.figure(con, "delivery.change_failure_rate_trend", QUARTER)
    assert "elite" not in registry.title(fig)
    assert "No tier: no incidents loaded (rollbacks only)" in registry.caption(fig)

    # incidents that name no deployment: the rate counts none of them
    unlinked = make_db(
        tmp_path / "b", teams=[{"team": "a"}], deployments=_deploys(40, month=8), incidents=_incidents(3)
    )
    group = next(g for g in board(unlinked, QUARTER).groups if g.pillar == "delivery")
    tile = next(t for t in group.tiles if t.key == "delivery.change_failure_rate")
    assert tile.band == "No tier: no incident names a deployment"
    # one incident naming a deployment: the rate sees failures, and is rated (1 of 40 = 2.5%)
    named = _incidents(3)
    named[0]["caused_by_deploy_id"] = "d8-0"
    linked = make_db(
        tmp_path / "c", teams=[{"team": "a"}], deployments=_deploys(40, month=8), incidents=named
    )
    group = next(g for g in board(linked, QUARTER).groups if g.pillar == "delivery")
    tile = next(t for t in group.tiles if t.key == "delivery.change_failure_rate")
    assert tile.text == "2.5%" and tile.band == "DORA 2023: elite tier"
    # the Overview's light query agrees with the Delivery page's coverage counts
    from lib.views.delivery_detail import coverage

    for db in (con, unlinked, linked):
        assert delivery.failures_unseen_in(db, QUARTER) == delivery.failures_unseen(coverage(db, QUARTER))


def test_every_unseen_reason_fits_a_deck_tile():
    import textwrap

    from lib.charts.overview import TILE_CHARS

    for unseen in ("no incidents loaded (rollbacks only)", "no incident names a deployment"):
        reason = delivery.held_back("change_failure_rate", 40, unseen=unseen)
        assert len(textwrap.wrap(reason[:1].upper() + reason[1:], TILE_CHARS)) <= 3, reason


def test_a_title_does_not_end_on_a_period_that_holds_its_since(tmp_path):
    # a new user's review: deployments from 1 Sep, the period 8 Sep – 6 Dec; "Deployment frequency
    # down 14% since Sep 2026 (6.07/wk in Sep 2026 → 5.21/wk in the chosen period)" over two
    # whole months that rose, Sep and Oct, the fall coming from thin and partial months
    rows = _deploys(26, month=9) + _deploys(34, month=10)  # Sep 26, Oct 34: both speak, rising
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=rows + _deploys(5, month=11, day=24))
    period = Scope(dt.date(2025, 9, 8), dt.date(2025, 12, 1))
    assert metrics.title_value(con, period, "delivery.deployment_frequency_per_week") is None
    title = registry.title(registry.figure(con, "delivery.deployment_frequency_trend", period))
    assert title.startswith("Deployment frequency up") and "since Sep 2025" in title, title
    # a source that starts before the period's first month: the title ends on the tile's value
    earlier = make_db(
        tmp_path / "b",
        teams=[{"team": "a"}],
        deployments=_deploys(30, month=7) + rows + _deploys(5, month=11, day=24),
    )
    assert metrics.title_value(earlier, period, "delivery.deployment_frequency_per_week") is not None
    assert metrics.bucket_start(dt.date(2025, 9, 8), "quarter") == dt.date(2025, 7, 1)
    assert metrics.bucket_start(dt.date(2025, 9, 8), "week") == dt.date(2025, 9, 8)  # a Monday


def test_the_headline_counts_no_change_failures_it_cannot_see(tmp_path):
    # a second review: "63 production deployments (0 of them change failures)" with 8 incidents
    # naming no deployment, beside a tile saying the rate sees none of them
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=_deploys(40, month=8), incidents=_incidents(3))
    headline = board(con, QUARTER).headline
    assert (
        "**40** production deployments (change failures not counted: no incident names a deployment)"
        in headline
    )
    assert "0 of them change failures" not in headline


def test_one_measured_pr_stage_is_no_longest_wait():
    from lib.charts.delivery.pull_requests import pr_stages_title

    assert pr_stages_title({"deploy_hours_p50": 69.5, "pickup_hours_p50": None}) == (
        "Only the deploy stage can be measured",
        "Median 69.5 hours from merge to production (chosen period)",
    )
    assert (
        pr_stages_title({"deploy_hours_p50": 69.5, "pickup_hours_p50": 2.0})[0]
        == "Deploy is the longest wait"
    )
