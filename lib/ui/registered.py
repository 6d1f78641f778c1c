"""Registered charts on a page: the figure from `lib.charts.registry`, through the cache.

A page that draws a chart with `chart("retention.headcount_trend", scope)` shows exactly the
figure the board pack puts on a slide: one build function, one computation, cached by plain
values (database, data version, chart id, scope, filter text) like every view.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lib.scope import Scope
from lib.ui import data, filters, layout


def figure(chart_id: str, scope: Scope) -> go.Figure:
    """The registered chart `chart_id` over `scope` with the sidebar's filter text."""
    return data.view("lib.charts.registry.figure", chart_id, scope, filters.filter_text())


def chart(
    chart_id: str, scope: Scope, key: str | None = None, note: str | None = None, clickable: bool = False
):
    """Draw the registered chart in a card (`lib.ui.layout.chart`); returns clicked points."""
    return layout.chart(figure(chart_id, scope), key=key or chart_id, note=note, clickable=clickable)
