"""The Flow tab of the Delivery page: how much work finishes, how long it takes, where it waits."""

from __future__ import annotations

import streamlit as st

from lib.charts import delivery as charts
from lib.ui import data, layout
from lib.ui.delivery_context import Context, opens

COMPLETED = "Completed work items"


def flow_section(ctx: Context) -> None:
    if not opens(
        "Flow: how much work finishes, how long it takes, where it waits",
        ctx.coverage["work_items_total"],
        "No work item data",
    ):
        return
    by_type = data.frame("lib.views.flow_detail.completed_by_type_period", ctx.window)
    caption = ctx.caption("work_items")
    left, right = st.columns(2)
    with left:
        ctx.chart(charts.velocity_by_type(by_type, caption, ctx.x_title), "flow-velocity", COMPLETED)
    with right:
        ctx.chart(charts.distribution_shares(by_type, caption, ctx.x_title), "flow-distribution", COMPLETED)
    ctx.show_picks()
    spread = data.view("lib.views.flow_detail.flow_time_spread", ctx.scope)
    boxes = data.frame("lib.views.flow_detail.flow_time_by_period", ctx.window)
    histogram = data.frame("lib.views.flow_detail.flow_time_histogram", ctx.scope)
    left, right = st.columns(2)
    with left:
        ctx.chart(charts.flow_time_box(boxes, spread, caption, ctx.x_title), "flow-time-box", COMPLETED)
    with right:
        fig = charts.flow_time_histogram(histogram, ctx.caption("work_items", trend=False))
        layout.chart(fig, key="flow-time-histogram")
    ctx.show_picks()
    flow = data.frame("lib.views.flow.flow_by_period", ctx.window)
    left, right = st.columns(2)
    with left:
        metric = charts.Metric("load", "Work in progress", "items", "Items in progress at the period end",
                               False, source="work_items")  # fmt: skip
        fig = charts.simple_trend(flow, metric, caption, ctx.x_title, "No work in progress in this period.")
        ctx.chart(fig, "flow-load", "Work in progress (flow load)")
    with right:
        metric = charts.Metric("efficiency", "Flow efficiency", "%", "Active time (% of flow time)", True,
                               y_format=".0%", source="work_items, work_item_transitions")  # fmt: skip
        fig = charts.simple_trend(
            flow,
            metric,
            ctx.caption("work_items, work_item_transitions"),
            ctx.x_title,
            "No status history: flow efficiency cannot be computed.",
        )
        ctx.chart(fig, "flow-efficiency", COMPLETED)
    ctx.show_picks()
