"""The DORA and Incidents tabs of the Delivery page: each key's trend on its tier bands, the
outcomes behind the change failure rate, the report's table the tiers come from, and
incidents by severity and service. Figures are the registered charts
(`lib/charts/registry/delivery.py`), the board pack's own."""

from __future__ import annotations

import streamlit as st

from lib.ui import layout
from lib.ui.delivery_context import Context, opens
from lib.views.delivery import REPORT_TABLE, bands_table
from lib.views.delivery_detail import incidents_note

# Each trend's registered chart and the drill-down (lib.views.drilldown.DRILLS) behind its points.
DORA_CHARTS = {
    "deployment_frequency_per_week": "delivery.deployment_frequency_trend",
    "lead_time_hours_p50": "delivery.lead_time_trend",
    "change_failure_rate": "delivery.change_failure_rate_trend",
    "recovery_time_hours_p50": "delivery.recovery_time_trend",
}
DORA_DRILLS = {
    "deployment_frequency_per_week": "Deployments",
    "lead_time_hours_p50": "Change lead time",
    "change_failure_rate": "Change failure rate",
    "recovery_time_hours_p50": "Time to restore and incidents",
}
RECOVERY_NOTE = (
    "Time to restore service: every incident, from start to resolution (DORA's measure until its "
    "2022 report). Its bands are the 2023 report's failed deployment recovery time, the measure that "
    "replaced it."
)


def dora_section(ctx: Context) -> None:
    if not opens(
        "DORA: how fast and how safely we ship",
        ctx.coverage["deployments_total"] or ctx.coverage["incidents_total"],
        "No deployment or incident data",
    ):
        return
    notes = {"change_failure_rate": incidents_note(ctx.coverage), "recovery_time_hours_p50": RECOVERY_NOTE}
    pairs = (
        ("deployment_frequency_per_week", "lead_time_hours_p50"),
        ("change_failure_rate", "recovery_time_hours_p50"),
    )
    for i, pair in enumerate(pairs):
        for column, key in zip(st.columns(2), pair, strict=True):
            with column:
                ctx.chart(DORA_CHARTS[key], f"dora-{i}-{key}", DORA_DRILLS[key], note=notes.get(key))
        ctx.show_picks()
    left, right = st.columns(2)
    with left:
        ctx.chart("delivery.rework_rate_trend", "dora-rework", "Rework rate",
                  note="No DORA tier bands are published for rework rate.")  # fmt: skip
    with right:
        ctx.chart("delivery.deployment_outcomes", "dora-outcomes", "Deployments")
    ctx.show_picks()
    tier_source()


def tier_source() -> None:
    """The report's table, cited, and the bands Pillars reads from it."""
    st.markdown("**Where the tiers come from**")
    st.caption(
        "DORA, *Accelerate State of DevOps Report 2023* (Google Cloud), table of software delivery "
        "performance levels (shares of respondents: elite 18%, high 31%, medium 33%, low 17%), as printed:"
    )
    layout.static_table(REPORT_TABLE)
    st.caption(
        "Pillars' bands, read literally: elite frequency is more than one successful deployment a day on "
        "average; 'less than one day' excludes exactly 24 h and 'less than one hour' exactly 1 h. The report "
        "gives one change failure rate per level, so a rate up to a level's value earns that level. A "
        "month is a twelfth of 365.25 days. The overall tier is Pillars' own rule: the best tier reached by all but "
        "one of the four keys (at least three needed). Time to restore service is measured over every "
        "incident; its bands are the report's failed deployment recovery time."
    )
    layout.static_table(bands_table())


def incidents_section(ctx: Context) -> None:
    if not opens("Incidents by severity and service", ctx.coverage["incidents_total"], "No incident data"):
        return
    left, right = st.columns(2)
    with left:
        ctx.chart("delivery.incidents_by_service", "incidents-service")
    with right:
        ctx.chart("delivery.incidents_by_period", "incidents-period", "Time to restore and incidents")
    ctx.show_picks()
