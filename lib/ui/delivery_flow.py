"""The Flow tab of the Delivery page: how much work finishes, how long it takes, where it waits.
Figures are the registered charts (`lib/charts/registry/delivery.py`)."""

from __future__ import annotations

import streamlit as st

from lib.ui.delivery_context import Context, opens

COMPLETED = "Completed work items"


def flow_section(ctx: Context) -> None:
    if not opens(
        "Flow: how much work finishes, how long it takes, where it waits",
        ctx.coverage["work_items_total"],
        "No work item data",
    ):
        return
    left, right = st.columns(2)
    with left:
        ctx.chart("delivery.flow_velocity_by_type", "flow-velocity", COMPLETED)
    with right:
        ctx.chart("delivery.flow_distribution", "flow-distribution", COMPLETED)
    ctx.show_picks()
    left, right = st.columns(2)
    with left:
        ctx.chart("delivery.flow_time_spread", "flow-time-box", COMPLETED)
    with right:
        ctx.chart("delivery.flow_time_histogram", "flow-time-histogram")
    ctx.show_picks()
    left, right = st.columns(2)
    with left:
        ctx.chart("delivery.flow_load_trend", "flow-load", "Work in progress (flow load)")
    with right:
        ctx.chart("delivery.flow_efficiency_trend", "flow-efficiency", COMPLETED)
    ctx.show_picks()
