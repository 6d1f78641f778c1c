"""One value per metric per screen (issue 18, item 8): every chart that states a number for a
metric a tile on the same page shows states the tile's number, and any DORA tier it states
is the tile's, by one rule.

On the demo organisation, for every tile/chart pair of every page; then the issue's case on
a hand-made fixture: a quarter whose change failure rate is 5.3% (high tier) while its last
month alone is 2% (elite), where the trend used to say "now elite" under a "high tier" tile.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from lib import metrics
from lib.charts import registry
from lib.formatting import format_value
from lib.overview import headlines
from lib.scope import Scope, default_scope
from lib.views.business import business_months, business_summary
from tests.unit.fixtures import make_db

# chart id → the catalog key of the tile on its page whose number the chart's title states
PAIRS = {
    # the Overview: tiles above, one trend per pillar below
    "overview.delivery_trend": "delivery.deployment_frequency_per_week",
    "overview.flow_trend": "flow.velocity_per_week",
    "overview.engagement_trend": "engagement.index",
    "overview.retention_trend": "retention.attrition_rate_ttm",
    "overview.skills_trend": "skills.ai_adoption_rate",
    # Delivery & quality: its DORA and flow tiles above the tabs
    "delivery.deployment_frequency_trend": "delivery.deployment_frequency_per_week",
    "delivery.lead_time_trend": "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate_trend": "delivery.change_failure_rate",
    "delivery.recovery_time_trend": "delivery.recovery_time_hours_p50",
    "delivery.rework_rate_trend": "delivery.rework_rate",
    "delivery.deployment_outcomes": "delivery.change_failure_rate",
    "delivery.flow_velocity_by_type": "flow.velocity_per_week",
    "delivery.flow_load_trend": "flow.load",
    "delivery.flow_efficiency_trend": "flow.efficiency",
    "delivery.flow_time_spread": "flow.time_days_p50",
    # Retention & development
    "retention.attrition_trend": "retention.attrition_rate_ttm",
    "retention.headcount_flow": "retention.headcount_end",
    "retention.one_on_one_coverage_trend": "retention.one_on_one_coverage",
    # Skills & capabilities
    "skills.ai_adoption_trend": "skills.ai_adoption_rate",
    "skills.ai_assisted_prs_trend": "skills.ai_assisted_pr_share",
    "skills.lead_time_and_ai": "skills.ai_adoption_rate",
}
DORA = (
    "deployment_frequency_per_week",
    "lead_time_hours_p50",
    "change_failure_rate",
    "recovery_time_hours_p50",
)


@pytest.fixture(scope="module")
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con, default_scope(con)
    con.close()


def _text(fig) -> str:
    return f"{registry.title(fig)} · {registry.subtitle(fig)}"


@pytest.mark.parametrize("chart_id", list(PAIRS))
def test_each_chart_states_its_pages_tile_value(demo, chart_id):
    con, scope = demo
    key = PAIRS[chart_id]
    if chart_id not in {c.id for c in registry.charts()}:
        pytest.fail(f"{chart_id} is not registered: the pairs list is out of date")
    tile = metrics.flatten(metrics.catalog(con, scope))[key]
    assert tile is not None
    unit = metrics.definition_for(key).unit
    # the tile's number as the tile formats it (a head count without its noun)
    shown = format_value(tile, "" if unit == "people" else unit)
    text = _text(registry.figure(con, chart_id, scope))
    assert shown in text, (chart_id, shown, text)
    short = key.removeprefix("delivery.")
    if short in DORA and " now " in registry.title(registry.figure(con, chart_id, scope)):
        tier = next(i for i in headlines(con, scope) if i.key == key).tier
        assert registry.title(registry.figure(con, chart_id, scope)).endswith(f"now {tier}")


def test_the_overview_revenue_trend_states_the_overview_tiles_value(demo):
    from lib.overview_board import board

    con, scope = demo
    tile = next(
        t
        for g in board(con, scope).groups
        for t in g.tiles
        if t.key == "business.revenue_per_engineer_annualized"
    )
    fig = registry.figure(con, "overview.business_trend", scope)
    assert f"{tile.text} in the chosen period" in registry.title(fig), (tile.text, registry.title(fig))


def test_business_charts_state_the_business_tiles_value(demo):
    con, scope = demo
    months = business_months(scope)
    tile = business_summary(con, months)["rnd_pct_revenue"]  # the Business page's tile, over whole months
    fig = registry.figure(con, "business.rnd_pct_revenue", scope)
    assert f"R&D was {tile:.1%} of revenue in" in registry.title(fig)


# ---------------------------------------------------------------------------- the case


def _deploys() -> list[dict]:
    """50 successful deployments a month, January–March 2025, of which 4, 3 and 1 rolled back."""
    rows = []
    for month, rollbacks in ((1, 4), (2, 3), (3, 1)):
        for i in range(50):
            at = dt.datetime(2025, month, 1 + i % 28, 9 + i // 28)
            rows.append(dict(deploy_id=f"d{month}-{i}", team="a", environment="production", deployed_at=at,
                             commit_at=at - dt.timedelta(hours=2),
                             status="rollback" if i < rollbacks else "success"))  # fmt: skip
    return rows


def test_the_trend_states_the_tiles_tier_not_the_last_months(tmp_path):
    # an incident that names a (rolled back) deployment: the rate sees failures, so it is rated
    # (`lib.views.delivery.failures_unseen`); the count of change failures stays 8
    incident = dict(
        incident_id="i1", team="a", started_at=dt.datetime(2025, 1, 1, 10), caused_by_deploy_id="d1-0"
    )
    # December 2024 before the quarter, 4 of 50 rolled back (8%): the title's "since" is a month
    # before the period, whose value it ends on (`metrics.title_value`)
    december = [dict(d, deploy_id=d["deploy_id"].replace("d1-", "d0-"), deployed_at=d["deployed_at"].replace(year=2024, month=12),
                     commit_at=d["commit_at"].replace(year=2024, month=12)) for d in _deploys()[:50]]  # fmt: skip
    con = make_db(tmp_path, deployments=december + _deploys(), incidents=[incident])
    quarter = Scope(dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    (tile,) = metrics.headline(con, quarter, ("delivery.change_failure_rate",))
    # 8 of 150 = 5.3%: over 5%, up to 10% → high; March alone, 1 of 50 = 2%, would be elite
    assert tile.value == pytest.approx(8 / 150)
    assert tile.tier == "high"
    fig = registry.figure(con, "delivery.change_failure_rate_trend", quarter)
    assert registry.title(fig) == "Change failure rate down 3 pts since Dec 2024, now high"
    assert registry.subtitle(fig) == "8.0% in Dec 2024 → 5.3% in the chosen period"
    assert format_value(tile.value, "%") == "5.3%"
