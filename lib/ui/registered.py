"""Registered charts on a page: the figure from `lib.charts.registry`, through the cache.

A page that draws a chart with `chart("retention.headcount_trend", scope)` shows exactly the
figure the board pack puts on a slide: one build function, one computation, cached by plain
values (database, data version, chart id, scope, filter text) like every view.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lib.charts.fit import HALF, card_px
from lib.scope import Scope
from lib.ui import data, filters, layout


def figure(chart_id: str, scope: Scope) -> go.Figure:
    """The registered chart `chart_id` over `scope` with the sidebar's filter text.

    Rebuilt from its dict, so the figure a cache miss returns serialises exactly like the cached
    copy later runs get: a chart's element id hashes its spec, and a spec whose keys came out in
    another order on the next run would drop the point a user had just clicked.
    """
    return go.Figure(
        data.view("lib.charts.registry.figure", chart_id, scope, filters.filter_text()).to_dict()
    )


def chart(
    chart_id: str,
    scope: Scope,
    key: str | None = None,
    note: str | None = None,
    clickable: bool = False,
    span: float = HALF,
):
    """Draw the registered chart in a card (`lib.ui.layout.chart`) taking `span` of the page's
    width; its camera PNG is named after the chart and its period. Returns clicked points.
    The fitted figure comes from the cache as a plain dict (`lib.charts.registry.card`)."""
    card = data.view("lib.charts.registry.card", chart_id, scope, filters.filter_text(), card_px(span))
    return layout.chart_card(
        card["spec"], card["config"], key=key or chart_id, note=note, clickable=clickable
    )


def registry_name(chart_id: str) -> str:
    """The chart's name in the registry ('Delivery: deployment frequency trend')."""
    from lib.charts import registry

    return registry.get(chart_id).name
