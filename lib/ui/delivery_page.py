"""The Delivery & quality page: headline tiles and notes, then one tab per section (DORA, flow,
incidents, PR cycle time, teams, drill-down), each in its own module.

Numbers come from `lib.views` and `lib.metrics` through the cache, figures from
`lib.charts.delivery`; these modules only lay them out. Tiles cover the chosen period;
trends cover at least the twelve months ending with it, at the chosen grain. Data the page
lacks is named under the tiles, and again where a section would have drawn it; rows the
numbers leave out (failed runs, backwards spans) are counted there too.

Only the open tab is computed and drawn (the tab is bound to `?section=`): sixteen
charts on one page took a browser over 3 s to draw on a 2-core machine.
"""

from __future__ import annotations

import streamlit as st

from lib.scope import Scope
from lib.ui import data, filters, layout
from lib.ui.delivery_context import Context
from lib.ui.delivery_dora import dora_section, incidents_section
from lib.ui.delivery_drill import drilldown_section
from lib.ui.delivery_flow import flow_section
from lib.ui.delivery_prs import pull_request_section
from lib.ui.delivery_teams import teams_section
from lib.ui.delivery_tiles import DORA_KEYS, FLOW_KEYS, tiles
from lib.views.delivery import DORA_SOURCE, failures_unseen, overall_tier, shown_tiers


def header(scope: Scope) -> Context:
    layout.page_header(
        "Delivery & quality",
        f"{filters.period_text(scope)} · {filters.filter_text()} · tiles compare with the previous period "
        "of equal length; trends cover the twelve months ending with the period",
    )
    return Context(scope)


def summary(ctx: Context) -> None:
    """The overall DORA tier, the nine headline tiles, every data gap and every row left out."""
    dora = data.view("lib.views.delivery.dora_summary", ctx.scope)
    tier = overall_tier(
        shown_tiers(dora, ctx.coverage["partly"].get("deployments"), failures_unseen(ctx.coverage))
    )
    if tier:
        st.markdown(
            f"Overall delivery performance: **{tier} tier**. Pillars' rule: the best tier reached by all but "
            "one of the four keys, each on the 2023 Accelerate State of DevOps Report's bands read literally "
            "(the report's table is under the DORA tab)."
        )
    tiles(ctx.scope, ctx.coverage, DORA_KEYS, per_row=5)
    tiles(ctx.scope, ctx.coverage, FLOW_KEYS, per_row=4, caption=False)
    st.caption(f"Tier bands: {DORA_SOURCE}.")
    for gap in ctx.gaps:
        layout.missing(gap.message)
    for note in ctx.notes:
        st.info(note, icon=":material/rule:")


SECTIONS = {
    "DORA": dora_section,
    "Flow": flow_section,
    "Incidents": incidents_section,
    "Pull requests": pull_request_section,
    "Teams": teams_section,
    "Drill down": drilldown_section,
}


def sections(ctx: Context) -> None:
    """One tab per section, bound to `?section=` so a view can be shared; only the open one runs."""
    tabs = st.tabs(list(SECTIONS), key="section", on_change="rerun", bind="query-params")
    for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
        if tab.open:
            with tab:
                draw(ctx)
