"""The Teams tab of the Delivery page: each team's (or org's) own trend, never a ranking."""

from __future__ import annotations

import streamlit as st

from lib.charts import delivery as charts
from lib.ui import data, layout
from lib.ui.delivery_context import Context
from lib.ui.delivery_dora import DORA_DRILLS
from lib.ui.delivery_flow import COMPLETED
from lib.views.delivery_detail import MAX_PANELS

TEAM_DRILLS = {**DORA_DRILLS, "velocity_per_week": COMPLETED, "time_days_p50": COMPLETED}
TEAM_CHOICES = {
    "deployment_frequency_per_week": "Deployment frequency",
    "lead_time_hours_p50": "Change lead time",
    "change_failure_rate": "Change failure rate",
    "recovery_time_hours_p50": "Time to restore service",
    "velocity_per_week": "Flow velocity",
    "time_days_p50": "Flow time",
}


def teams_section(ctx: Context) -> None:
    in_scope = data.view("lib.views.delivery_detail.teams_in_scope", ctx.window)
    by_org = in_scope.unit == "org"
    if by_org:
        st.subheader("Orgs, each against its own trend")
        st.caption(
            f"{len(in_scope.teams)} teams in the filter are too many for one small chart each, so each chart "
            f"here is one of {len(in_scope.orgs)} orgs, all its teams together. Choose an organisation in "
            "the sidebar to see its teams one by one. DORA advises against ranking: each chart is on its "
            "own scale, alphabetically, so the question is whether an org is improving, not who is first."
        )
    else:
        st.subheader("Teams, each against its own trend")
        st.caption(
            "DORA advises against ranking teams: their contexts differ. Each small chart shows one team "
            "on its own scale, alphabetically, so the question is whether a team is improving, not who is "
            "first. Each point is the number the team's own filter would show for that period."
        )
    column = st.selectbox(
        "Metric", list(TEAM_CHOICES), format_func=TEAM_CHOICES.get, key="delivery-team-metric"
    )
    flow_metric = column in ("velocity_per_week", "time_days_p50")
    view = (
        "lib.views.flow_detail.flow_by_unit_period"
        if flow_metric
        else "lib.views.delivery_detail.dora_by_unit_period"
    )
    frame = data.frame(view, ctx.window, in_scope.unit)
    source = (
        "work_items" if flow_metric else "incidents" if column == "recovery_time_hours_p50" else "deployments"
    )
    if by_org:
        source += ", teams"
    fig = charts.team_small_multiples(
        frame, column, ctx.caption(source), ctx.x_title, noun=in_scope.unit, max_panels=MAX_PANELS
    )
    if by_org:
        layout.chart(fig, key="teams")
    else:
        ctx.chart(fig, "teams", TEAM_DRILLS[column], team=True)
        ctx.show_picks()
