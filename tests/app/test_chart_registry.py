"""One computation: every chart a page draws is, trace for trace, the figure the chart registry
builds for the board pack (same views, same builders, same title and caption)."""

from __future__ import annotations

import json

import pytest

from lib import db
from lib.charts import registry
from lib.scope import default_scope
from tests.app.conftest import assert_no_exception

# Page (and Delivery tab) → the registered charts it draws, on the demo's default period.
PAGES = {
    ("pages/overview.py", None): [
        "overview.delivery_trend",
        "overview.flow_trend",
        "overview.engagement_trend",
        "overview.retention_trend",
        "overview.skills_trend",
        "overview.business_trend",
    ],
    ("pages/delivery.py", "DORA"): [
        "delivery.deployment_frequency_trend",
        "delivery.lead_time_trend",
        "delivery.change_failure_rate_trend",
        "delivery.recovery_time_trend",
        "delivery.rework_rate_trend",
        "delivery.deployment_outcomes",
    ],
    ("pages/delivery.py", "Flow"): [
        "delivery.flow_velocity_by_type",
        "delivery.flow_distribution",
        "delivery.flow_time_spread",
        "delivery.flow_time_histogram",
        "delivery.flow_load_trend",
        "delivery.flow_efficiency_trend",
    ],
    ("pages/delivery.py", "Incidents"): ["delivery.incidents_by_service", "delivery.incidents_by_period"],
    ("pages/delivery.py", "Pull requests"): ["delivery.pr_cycle_breakdown"],
    ("pages/delivery.py", "Teams"): ["delivery.team_deployment_frequency"],
    ("pages/engagement.py", None): [
        "engagement.favorability",
        "engagement.enps_split",
        "engagement.team_heatmap",
        "engagement.wave_changes",
        "engagement.drivers",
        "engagement.safety_and_delivery",
    ],
}


def _comparable(spec: dict) -> dict:
    """Data, title, subtitle and caption as words: a page wraps them to its card's width."""
    layout = spec["layout"]
    caption = next((a["text"] for a in layout.get("annotations", []) if a.get("name") == "caption"), None)
    title = layout.get("title", {})
    words = (registry.plain(title.get("text")), registry.plain((title.get("subtitle") or {}).get("text")))
    return {"data": spec["data"], "title": words, "caption": registry.plain(caption)}


@pytest.mark.parametrize(("page", "section"), list(PAGES), ids=[f"{p}:{s}" for p, s in PAGES])
def test_page_figures_are_the_registered_figures(demo_db, run_page, page, section):
    at = run_page(demo_db, page, query={"section": section} if section else None)
    assert_no_exception(at)
    drawn = [_comparable(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    con = db.connect(demo_db)  # the app's own configuration: it holds a connection already
    scope = default_scope(con)
    expected = PAGES[(page, section)]
    built = {i: _comparable(json.loads(registry.figure(con, i, scope).to_json())) for i in expected}
    assert len(drawn) == len(expected)
    for chart_id, figure in built.items():
        assert figure in drawn, f"{chart_id}: the page draws a different figure"


def test_headline_tiles_figure_shows_the_overviews_tiles(demo_db, run_page):
    at = run_page(demo_db, "pages/overview.py")
    tiles = {m.label: m.value for m in at.metric}
    con = db.connect(demo_db)
    fig = registry.figure(con, "overview.headlines", default_scope(con))
    texts = [a.text for a in fig.layout.annotations]
    assert len(tiles) == 12
    for label, value in tiles.items():
        at_label = texts.index(next(t for t in texts if t.replace("<br>", " ") == label))
        assert texts[at_label + 1] == f"<b>{value}</b>", label


# Pages that draw only registered charts (lib.ui.registered): each section's figures must be, trace
# for trace, figures the registry builds for the board pack over the page's default period.
REGISTERED_ONLY = {
    "pages/retention.py": ("retention", ["Attrition", "Teams", "Tenure", "Careers", "Managers",
                                         "Locations and acquisitions"]),
    "pages/skills.py": ("skills", ["Skills matrix", "Learning", "AI adoption", "AI and delivery"]),
    "pages/business.py": ("business", ["Investment mix", "Initiatives", "Efficiency", "Capitalisation",
                                       "Outcomes"]),
}  # fmt: skip


@pytest.fixture(scope="module")
def built_by_pillar(demo_db):
    """Every registered figure of each pillar over the demo's default period, as the deck builds it."""
    con = db.connect(demo_db)
    scope = default_scope(con)
    return {
        pillar: [
            _comparable(json.loads(registry.figure(con, c.id, scope).to_json()))
            for c in registry.charts(pillar)
        ]
        for pillar, _ in REGISTERED_ONLY.values()
    }


@pytest.mark.parametrize(
    ("page", "section"),
    [(page, section) for page, (_, sections) in REGISTERED_ONLY.items() for section in sections],
)
def test_every_chart_of_a_registered_page_is_the_decks_figure(
    demo_db, run_page, built_by_pillar, page, section
):
    at = run_page(demo_db, page, query={"section": section})
    assert_no_exception(at)
    drawn = [_comparable(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    assert drawn, f"{page} {section}: no chart drawn"
    built = built_by_pillar[REGISTERED_ONLY[page][0]]
    for figure in drawn:
        assert any(_same(figure, other) for other in built), f"{page} {section}: {figure['title']} differs"


def _numbers(value):
    """Plotly's typed arrays ({dtype, bdata}) as floats; anything else as it is."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        shape = value.get("shape")
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(float)
        return array.reshape([int(n) for n in str(shape).split(",")]) if shape else array
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _same(a, b) -> bool:
    """Equal, numbers to 1e-9 relative (a sum over parallel threads may differ in its last bit)."""
    import numpy as np

    a, b = _numbers(a), _numbers(b)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    return a == b
