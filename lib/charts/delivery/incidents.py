"""Incident charts: by service and severity, and over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import bar_chart, empty_figure
from lib.charts.delivery.common import color_by, since_first_data
from lib.charts.titles import headline

SEVERITY_COLORS = {
    "SEV0": "#6B0F1E",
    "SEV1": "#8E1B2C",
    "SEV2": "#D1495B",
    "SEV3": "#E9A23B",
    "SEV4": "#8D99AE",
    "SEV5": "#C9CED6",
    "high": "#D1495B",
    "low": "#8D99AE",
}


def _severity_order(severities) -> list[str]:
    known = list(SEVERITY_COLORS)
    return sorted(set(severities), key=lambda s: (s not in known, known.index(s) if s in known else 0, s))


def incidents_by_service(frame: pd.DataFrame, caption: str, top: int = 12) -> go.Figure:
    """Incidents per service (most first), stacked by severity."""
    if frame.empty or not frame["incidents"].sum():
        return empty_figure("Incidents by service", "No incidents started in this period for this filter.")
    wide = frame.pivot_table(
        index="service", columns="severity", values="incidents", aggfunc="sum", fill_value=0
    )
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False)
    total = int(wide["total"].sum())
    lead, lead_n = wide.index[0], int(wide["total"].iloc[0])
    severities = _severity_order(frame["severity"])
    worst_n = int(wide.loc[lead].get(severities[0], 0))
    claim = f"{lead} had the most incidents"
    detail = f"{lead_n} of {total} in the chosen period ({lead_n / total:.0%})"
    if worst_n:
        detail += f", {worst_n} of them {severities[0]}"
    shown = wide.head(top).iloc[::-1].reset_index()
    note = f" · Top {top} of {len(wide)} services" if len(wide) > top else ""
    fig = bar_chart(shown, "service", {s: s for s in severities}, claim, caption + note, "Service", "Incidents",
                    stacked=True, horizontal=True)  # fmt: skip
    color_by(fig, severities, SEVERITY_COLORS)
    fig.update_layout(height=max(380, 120 + 26 * len(shown)))
    return headline(fig, claim, detail, legend_px=230)


def incidents_by_period(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Incidents started per period, stacked by severity."""
    frame = since_first_data(frame, "incidents")
    if frame.empty or not frame["incidents"].sum():
        return empty_figure("Incidents over time", "No incidents started in this period for this filter.")
    wide = frame.pivot_table(
        index="period", columns="severity", values="incidents", aggfunc="sum"
    ).reset_index()
    severities = _severity_order(frame["severity"])
    total = int(frame["incidents"].sum())
    top_two = [s for s in severities if s in SEVERITY_COLORS][:2]
    serious = int(frame[frame["severity"].isin(top_two)]["incidents"].sum())
    if top_two:
        claim = f"{serious / total:.0%} of incidents were {' or '.join(top_two)}"
        detail = f"{serious:,} of {total:,} incidents started in the window"
    else:
        claim, detail = f"{total:,} incidents in the window", None
    fig = bar_chart(wide, "period", {s: s for s in severities}, claim, caption, x_title, "Incidents started",
                    stacked=True)  # fmt: skip
    color_by(fig, severities, SEVERITY_COLORS)
    return headline(fig, claim, detail)
