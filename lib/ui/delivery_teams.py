"""The Teams tab of the Delivery page: each team's (or org's) own trend, never a ranking."""

from __future__ import annotations

import streamlit as st

from lib.ui import data
from lib.ui.delivery_context import Context
from lib.ui.delivery_dora import DORA_DRILLS
from lib.ui.delivery_flow import COMPLETED

TEAM_DRILLS = {**DORA_DRILLS, "velocity_per_week": COMPLETED, "time_days_p50": COMPLETED}
TEAM_CHARTS = {
    "deployment_frequency_per_week": "delivery.team_deployment_frequency",
    "lead_time_hours_p50": "delivery.team_lead_time",
    "change_failure_rate": "delivery.team_change_failure_rate",
    "recovery_time_hours_p50": "delivery.team_recovery_time",
    "velocity_per_week": "delivery.team_flow_velocity",
    "time_days_p50": "delivery.team_flow_time",
}
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
    # the Teams tab draws the registered small multiples of the chosen metric (by org past MAX_PANELS)
    if by_org:
        ctx.chart(TEAM_CHARTS[column], "teams", span=1)
    else:
        ctx.chart(TEAM_CHARTS[column], "teams", TEAM_DRILLS[column], team=True, span=1)
        ctx.show_picks()
