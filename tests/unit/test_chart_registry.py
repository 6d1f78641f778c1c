"""The chart registry: stable ids, definitions for every metric it names, figures built from the
pages' own views (hand-computed on a tiny fixture), and a notice, never a blank, for missing data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib import db
from lib.charts import registry
from lib.metrics import definition_for
from lib.scope import default_scope
from tests.unit.fixtures import make_db, scope

ROOT = Path(__file__).resolve().parents[2]


caption = registry.caption


def test_ids_are_stable_names_under_their_pillar():
    charts = registry.charts()
    ids = [c.id for c in charts]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 30
    for chart in charts:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", chart.id), chart.id
        assert chart.id.startswith(chart.pillar + ".")
        assert chart.pillar in registry.PILLARS
        assert chart.name and len(chart.name) <= 60
    names = [c.name for c in charts]
    assert len(names) == len(set(names))
    # Pillars in the app's order.
    pillars = [c.pillar for c in charts]
    assert pillars == sorted(pillars, key=list(registry.PILLARS).index)


def test_every_metric_a_chart_names_is_defined_and_documented():
    documented = (ROOT / "METRICS.md").read_text()
    for chart in registry.charts():
        for key in chart.metrics:
            assert definition_for(key).definition, (chart.id, key)
            assert f"`{key}`" in documented, (chart.id, key)


def test_default_deck_is_the_overviews_headline_set():
    ids = registry.default_ids()
    assert ids == registry.DEFAULT_IDS
    assert ids[0] == "overview.headlines"
    from lib.overview import HEADLINE_KEYS

    # Then one chart per headline metric, in tile order.
    assert len(ids) == 1 + len(HEADLINE_KEYS) == 13
    for key, chart_id in zip(HEADLINE_KEYS, ids[1:], strict=True):
        assert key in registry.get(chart_id).metrics, (key, chart_id)


def test_unknown_id_names_the_chart_and_the_nearest_ids():
    with pytest.raises(registry.UnknownChart) as raised:
        registry.get("delivery.deployment_frequency")
    message = str(raised.value)
    assert "'delivery.deployment_frequency'" in message
    assert "delivery.deployment_frequency_trend" in message


def test_registering_against_the_rules_is_refused():
    def build(con, scope, filters):
        raise AssertionError

    with pytest.raises(ValueError, match="must start with its pillar"):
        registry.register("delivery.x", "engagement", "X")(build)
    with pytest.raises(ValueError, match="unknown pillar"):
        registry.register("finance.x", "finance", "X")(build)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("overview.headlines", "overview", "Again")(build)


DEPLOYS = [
    # January 2025: 8 successful production deployments, 1 failed run (no deployment).
    *[
        {"deploy_id": f"j{i}", "service": "api", "team": "payments", "environment": "production",
         "deployed_at": f"2025-01-{i + 2:02d} 10:00:00", "commit_at": f"2025-01-{i + 2:02d} 04:00:00",
         "status": "success"}
        for i in range(8)
    ],
    {"deploy_id": "jf", "service": "api", "team": "payments", "environment": "production",
     "deployed_at": "2025-01-20 10:00:00", "status": "failure"},
    # February 2025: 4 successful.
    *[
        {"deploy_id": f"f{i}", "service": "api", "team": "payments", "environment": "production",
         "deployed_at": f"2025-02-{i + 2:02d} 10:00:00", "commit_at": f"2025-02-{i + 2:02d} 08:00:00",
         "status": "success"}
        for i in range(4)
    ],
    # Another team's deployments, outside a payments filter.
    {"deploy_id": "o1", "service": "web", "team": "search", "environment": "production",
     "deployed_at": "2025-02-10 10:00:00", "status": "success"},
]  # fmt: skip
TEAMS = [
    {"team": "payments", "org": "Core", "location": "Berlin", "sourcing": "onshore"},
    {"team": "search", "org": "Core", "location": "Pune", "sourcing": "offshore"},
]


def test_deployment_frequency_trend_carries_the_hand_computed_values(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    period = scope("2025-01-01", "2025-03-01", teams=("payments",))
    fig = registry.figure(con, "delivery.deployment_frequency_trend", period, "Team: payments")
    line = next(t for t in fig.data if t.type == "scatter")
    # Jan: 8 successful ÷ (31 days ÷ 7); Feb: 4 ÷ (28 ÷ 7). The failed run is no deployment.
    assert list(line.y) == pytest.approx([8 / (31 / 7), 4 / (28 / 7)])
    assert caption(fig) == (
        "Source: deployments · Period: 01 Mar 2024 – 28 Feb 2025 · Team: payments · "
        "Bands: DORA 2023 State of DevOps Report"
    )
    everyone = registry.figure(con, "delivery.deployment_frequency_trend", scope("2025-01-01", "2025-03-01"))
    line = next(t for t in everyone.data if t.type == "scatter")
    assert list(line.y) == pytest.approx([8 / (31 / 7), 5 / (28 / 7)])


def test_a_chart_without_its_data_says_what_is_missing(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    period = scope("2025-01-01", "2025-03-01")
    fig = registry.figure(con, "delivery.recovery_time_trend", period)
    assert registry.missing(fig).startswith("No incident data")
    assert "PagerDuty or Opsgenie" in registry.missing(fig)
    survey = registry.figure(con, "engagement.enps_split", period)
    assert registry.missing(survey).startswith("No survey in 01 Jan 2025 – 28 Feb 2025 for all teams")


def test_every_chart_on_an_empty_database_is_a_notice_not_an_error(empty_db):
    con = db.connect(empty_db)
    period = scope("2025-01-01", "2025-04-01")
    for chart in registry.charts():
        fig = registry.figure(con, chart.id, period)
        assert registry.missing(fig), chart.id


def test_every_chart_draws_on_the_demo_with_a_takeaway_and_a_caption(demo_db):
    con = db.connect(demo_db)  # the app's configuration: app tests in this process hold a connection to it
    period = default_scope(con)
    for chart in registry.charts():
        fig = registry.figure(con, chart.id, period)
        assert registry.missing(fig) is None, (chart.id, registry.missing(fig))
        assert fig.layout.title.text, chart.id
        text = caption(fig)
        assert text.startswith("Source: ") and "Period: " in text and "All teams" in text, chart.id
        # a PNG or a slide of the demo says so (an organisation's own figure has no mark: above)
        assert text.endswith(" · Demo data") and text.count("Demo data") == 1, chart.id
    spec = registry.card(con, "delivery.deployment_frequency_trend", period, "All teams", 370)["spec"]
    (note,) = [a for a in spec["layout"]["annotations"] if a.get("name") == "caption"]
    assert note["text"].replace("<br>", " ").endswith("Demo data")  # what the camera button draws


def test_a_heatmap_with_every_cell_hidden_is_a_notice(tmp_path):
    from tests.unit import survey_fixture

    con = make_db(tmp_path, teams=survey_fixture.TEAMS, survey_responses=survey_fixture.survey_rows())
    small = scope("2025-07-01", "2025-10-01", teams=(survey_fixture.SMALL_TEAM,))
    fig = registry.figure(con, "engagement.team_heatmap", small, "Team: cygnus")
    assert registry.missing(fig).startswith(
        "Every cell is hidden for this selection: fewer than 5 respondents"
    )
    shown = registry.figure(con, "engagement.team_heatmap", scope("2025-07-01", "2025-10-01"))
    assert registry.missing(shown) is None
