"""The Overview's sections: KPI tiles with change and benchmark, takeaways, pillar trends."""

from __future__ import annotations

import streamlit as st

from lib.charts.registry.overview import TRENDS
from lib.formatting import is_missing
from lib.metrics import definition_for
from lib.overview import band_text, change_text, period_phrase, takeaways, tile_value
from lib.ui import data, layout, registered
from lib.ui.delivery_tiles import tile_band


def headline_tiles(scope) -> list:
    items = data.view("lib.overview.headlines", scope)
    phrase = period_phrase(scope.days)
    reasons = data.view("lib.overview.no_data_reasons", scope)
    # Delivery tiles read as on the Delivery page: the tier, or why there is no value, and the
    # incidents the change failure rate cannot count.
    coverage = data.view("lib.views.delivery_detail.coverage", scope)
    tiles = [
        layout.Tile(
            label=item.label,
            value=tile_value(item.key, item.value),
            delta=change_text(item),
            delta_color=_delta_color(item.key),
            delta_description=phrase,
            band=f"No data: {reasons[item.key]}"
            if is_missing(item.value) and item.key in reasons
            else tile_band(item, coverage)
            if item.pillar in ("delivery", "flow")
            else band_text(item),
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
