"""The Overview's charts: the headline tiles, and one trend per pillar (`lib.overview.PILLAR_TRENDS`).

The Overview page draws these through the registry, so page and deck share one computation.
"""

from __future__ import annotations

import importlib

from lib.charts import overview as charts
from lib.charts.registry import register
from lib.charts.registry.retention import people_shown
from lib.metrics import title_value
from lib.overview import HEADLINE_KEYS, PILLAR_TRENDS, trend_scope
from lib.overview_board import board
from lib.views.business import business_trend

# Each pillar trend: registry id and the catalog key it follows, by PILLAR_TRENDS position.
TRENDS = (
    (
        "overview.delivery_trend",
        "Delivery: deployment frequency trend",
        "delivery.deployment_frequency_per_week",
    ),
    ("overview.flow_trend", "Flow: velocity trend", "flow.velocity_per_week"),
    ("overview.engagement_trend", "Engagement index by survey wave", "engagement.index"),
    ("overview.retention_trend", "Attrition trend (trailing 12 months)", "retention.attrition_rate_ttm"),
    ("overview.skills_trend", "AI adoption trend", "skills.ai_adoption_rate"),
    ("overview.business_trend", "Revenue per engineer trend", "business.revenue_per_engineer_annualized"),
)


@register(
    "overview.headlines",
    "overview",
    "Headline metrics (the Overview's tiles)",
    metrics=HEADLINE_KEYS,
    sources=(
        "deployments",
        "incidents",
        "work_items",
        "survey_responses",
        "employees",
        "ai_usage",
        "business_metrics",
    ),  # fmt: skip
    note="Each change compares the period with the period of equal length just before it; a change is "
    "coloured and titled only when it passes the takeaway rules (docs/OVERVIEW.md: enough events, beyond "
    "sampling noise, beyond the usual swing of the seven periods before). Benchmarks cite report and year.",
)
def headline_tiles(con, scope, filters):
    return charts.headline_tiles(board(con, scope), scope, filters)


def _trend(spec, metric: str):
    def build(con, scope, filters):
        window = trend_scope(scope)
        # business: the Business page's window, twelve whole months to the period's last
        if spec.pillar == "Business alignment":
            window = business_trend(scope)
        # people: no employees said so, else hidden as the Retention page hides it
        if spec.pillar == "Retention & development":
            people_shown(con, scope, filters)
        module, func = spec.view.rsplit(".", 1)
        frame = getattr(importlib.import_module(module), func)(con, window)
        # the title ends on the tile's number: the catalog's value over the chosen period
        return charts.pillar_trend(frame, spec, window, filters, now=title_value(con, scope, metric))

    build.__doc__ = f"{spec.pillar}: {spec.label} over at least the twelve months ending with the period."
    return build


for (chart_id, name, metric), spec in zip(TRENDS, PILLAR_TRENDS, strict=True):
    register(
        chart_id,
        "overview",
        name,
        metrics=(metric,),
        sources=tuple(spec.source.split(", ")),
        note="The trend covers at least the twelve months ending with the chosen period.",
    )(_trend(spec, metric))
