"""No data is not zero (issue 18, item 6): a metric whose source has no rows in the scope is
null with the date its data ends, never 0, never a tier, never a takeaway.

The four cases the issue names, on a hand-made organisation: a deployments file that ends on
12 Mar 2025 and a survey taken later (the default period runs to the survey); filters that
match no team (Oslo + offshore); a period in the future; the "(no org)" filter.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib import metrics, overview_board
from lib.scope import Scope, default_scope, filter_options, resolve_teams
from lib.views import data_span, delivery
from lib.views.delivery_detail import coverage, no_data_reason
from tests.unit.fixtures import make_db

TEAMS = [
    dict(team="payments", org="Commerce", location="Oslo", sourcing="onshore"),
    dict(team="mobile", org="Commerce", location="Pune", sourcing="offshore"),
    dict(team="tools", org=None, location="Oslo", sourcing="onshore"),
]


def _deploys() -> list[dict]:
    """Payments deploys every weekday of 3 Feb – 12 Mar 2025 (success, lead 2 h); tools, which
    no org lists, deploys on Mondays and Thursdays over the same weeks."""
    rows, day = [], dt.date(2025, 2, 3)
    while day <= dt.date(2025, 3, 12):
        at = dt.datetime.combine(day, dt.time(14))
        if day.weekday() < 5:
            rows.append(dict(deploy_id=f"p-{day}", team="payments", environment="production",
                             deployed_at=at, commit_at=at - dt.timedelta(hours=2), status="success"))  # fmt: skip
        if day.weekday() in (0, 3):
            rows.append(dict(deploy_id=f"t-{day}", team="tools", environment="production",
                             deployed_at=at, commit_at=at - dt.timedelta(hours=5), status="success"))  # fmt: skip
        day += dt.timedelta(days=1)
    return rows


SURVEY = [
    dict(survey_id="pulse-2025-06", survey_date="2025-06-20", respondent_id=f"r{i}", team="payments",
         question_id="q1", dimension="autonomy", score=4)
    for i in range(6)
]  # fmt: skip


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, teams=TEAMS, deployments=_deploys(), survey_responses=SURVEY)


def test_the_default_period_after_a_source_ends_shows_no_data_with_the_date_it_ends(con):
    scope = default_scope(con)
    # the survey (20 Jun) ends the data: the 90 days 23 Mar – 20 Jun hold no deployment
    assert (scope.start, scope.end) == (dt.date(2025, 3, 23), dt.date(2025, 6, 21))
    values = metrics.flatten(metrics.catalog(con, scope))
    assert values["delivery.deployments"] is None
    assert values["delivery.deployment_frequency_per_week"] is None  # was 0/wk, "DORA low tier"
    assert values["delivery.dora_tier"] is None
    (item,) = metrics.headline(con, scope, ("delivery.deployment_frequency_per_week",))
    assert (item.value, item.tier, item.change, item.improved) == (None, None, None, None)  # was −100%
    board = overview_board.board(con, scope)  # the Overview: no takeaway, no tier, the reason
    assert not any("eployment frequency" in t.text for t in board.takeaways)
    tile = next(t for g in board.groups for t in g.tiles if t.key == "delivery.deployment_frequency_per_week")
    assert (tile.value, tile.text, tile.change) == (None, "—", None)
    assert tile.band == "No data: no deployments after 12 Mar 2025"
    found = coverage(con, scope)
    assert (
        no_data_reason("delivery.deployment_frequency_per_week", found) == "no deployments after 12 Mar 2025"
    )


def test_a_period_the_deployments_span_keeps_its_honest_numbers(con):
    # 3 Feb – 3 Mar 2025 (4 weeks): payments 20 weekdays, tools 8 Mondays and Thursdays → 28 ÷ 4 = 7/wk
    scope = Scope(dt.date(2025, 2, 3), dt.date(2025, 3, 3))
    got = delivery.dora_summary(con, scope)
    assert got["deployment_frequency_per_week"] == pytest.approx(7.0)
    assert got["gaps"]["deployments"] is None


def test_filters_that_match_no_team_show_no_data_not_zero(con):
    teams = resolve_teams(con, locations=("Oslo",), sourcing=("offshore",))
    assert teams == ()
    scope = Scope(dt.date(2025, 2, 3), dt.date(2025, 3, 3), teams=teams)
    values = metrics.flatten(metrics.catalog(con, scope))
    assert all(v is None for v in values.values()), {k: v for k, v in values.items() if v is not None}
    (item,) = metrics.headline(con, scope, ("delivery.deployment_frequency_per_week",))
    assert (item.value, item.tier) == (None, None)
    board = overview_board.board(con, scope)
    tile = next(t for g in board.groups for t in g.tiles if t.key == "delivery.deployment_frequency_per_week")
    assert (tile.text, tile.band) == ("—", "No data: no team matches these filters")
    assert no_data_reason("delivery.deployment_frequency_per_week", coverage(con, scope)) == (
        "no team matches these filters"
    )


def test_a_future_period_shows_no_data_not_zero(con):
    scope = Scope(dt.date(2031, 1, 1), dt.date(2031, 4, 1))
    values = metrics.flatten(metrics.catalog(con, scope))
    assert values["delivery.deployment_frequency_per_week"] is None
    assert values["delivery.dora_tier"] is None
    assert values["retention.headcount_end"] is None
    assert data_span.gaps(con, scope)["deployments"] == "no deployments after 12 Mar 2025"
    assert data_span.beyond_data(con, scope).startswith("the period starts after today")


def test_the_no_org_filter_selects_the_teams_it_offers(con):
    assert "(no org)" in filter_options(con)["orgs"]
    assert filter_options(con)["teams_by_org"]["(no org)"] == ["tools"]
    teams = resolve_teams(con, orgs=("(no org)",))
    assert teams == ("tools",)  # was (): the filter returned nothing
    scope = Scope(dt.date(2025, 2, 3), dt.date(2025, 3, 3), teams=teams)
    # tools deploys Mondays and Thursdays: 8 in 4 weeks → 2/wk, the same as the team filter gives
    by_org = delivery.dora_summary(con, scope)["deployment_frequency_per_week"]
    by_team = delivery.dora_summary(con, Scope(scope.start, scope.end, teams=("tools",)))
    assert by_org == pytest.approx(2.0) == by_team["deployment_frequency_per_week"]


def test_gap_words_name_the_side_of_the_data_the_period_misses():
    found = data_span.Span("deployments", dt.date(2024, 6, 3), dt.date(2025, 3, 12), 10, 10)
    assert (
        data_span.gap(found, dt.date(2025, 3, 13), dt.date(2025, 4, 1)) == "no deployments after 12 Mar 2025"
    )
    assert (
        data_span.gap(found, dt.date(2024, 1, 1), dt.date(2024, 6, 3)) == "no deployments before 3 Jun 2024"
    )
    assert data_span.gap(found, dt.date(2025, 3, 12), dt.date(2025, 4, 1)) is None  # its last day is in
    none_here = data_span.Span("deployments", None, None, 0, 10)
    assert (
        data_span.gap(none_here, dt.date(2025, 1, 1), dt.date(2025, 2, 1)) == "no deployments for these teams"
    )
    never = data_span.Span("work_items", None, None, 0, 0)
    assert data_span.gap(never, dt.date(2025, 1, 1), dt.date(2025, 2, 1)) == "no work items loaded"
