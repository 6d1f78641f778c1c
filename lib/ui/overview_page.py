"""The Overview's sections: KPI tiles with change and benchmark, takeaways, pillar trends."""

from __future__ import annotations

import streamlit as st

from lib.charts.registry.overview import TRENDS
from lib.formatting import format_value
from lib.metrics import definition_for
from lib.overview import band_text, change_text, period_phrase, takeaways
from lib.ui import data, layout, registered


def headline_tiles(scope) -> list:
    items = data.view("lib.overview.headlines", scope)
    phrase = period_phrase(scope.days)
    tiles = [
        layout.Tile(
            label=item.label,
            value=format_value(item.value, item.unit),
            delta=change_text(item),
            delta_color=_delta_color(item.key),
            delta_description=phrase,
            band=band_text(item),
            help=definition_for(item.key).definition,
        )
        for item in items
    ]
    layout.tiles(tiles, per_row=4)
    return items


def _delta_color(key: str) -> str:
    better = definition_for(key).higher_is_better
    return "off" if better is None else "normal" if better else "inverse"


def takeaway_list(items, scope) -> None:
    # The tier alone: the headlines already ran the catalog, twice.
    tier = data.view("lib.views.delivery.dora_summary", scope)["dora_tier"]
    lines = takeaways(items, scope, dora_tier=tier)
    with st.container(border=True):
        st.markdown("**Takeaways**")
        if not lines:
            st.markdown("No headline metric moved by more than 5% against the previous period.")
        for line in lines:
            st.markdown(f"- {line}")


def pillar_trends(scope) -> None:
    """One trend per pillar, two per row: the registered `overview.*_trend` charts."""
    columns = st.columns(2)
    for i, (chart_id, _name, _metric) in enumerate(TRENDS):
        with columns[i % 2]:
            registered.chart(chart_id, scope, key=f"overview-{i}")
