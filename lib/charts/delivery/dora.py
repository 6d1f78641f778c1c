"""DORA charts: each key's trend on the tier bands of the report Pillars cites, and outcomes."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from lib.charts import TIER_COLORS, bar_chart, empty_figure, line_chart
from lib.charts.delivery.common import DORA_METRICS, Metric, points, since_first_data, trend_title
from lib.charts.marks import flag_points, scale_top, with_note
from lib.charts.titles import headline
from lib.formatting import count_of, format_value, is_missing
from lib.views.delivery import bands as dora_bands

LOG_TICKS = (
    (0.25, "15 min"), (0.5, "30 min"), (1, "1 h"), (2, "2 h"), (4, "4 h"), (8, "8 h"), (12, "12 h"),
    (24, "1 day"), (48, "2 days"), (72, "3 days"), (168, "1 wk"), (336, "2 wk"), (720, "1 mo"),
    (2160, "3 mo"), (4320, "6 mo"),
)  # fmt: skip


def _y_range(values: pd.Series, metric: Metric) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    if metric.log:
        low = max(min(low, high) / 2.5, 0.05)
        return low, max(high * 2.5, low * 10)
    floor = {"change_failure_rate": 0.2, "rework_rate": 0.2, "deployment_frequency_per_week": 1.2}
    return 0.0, max(high * 1.25, floor.get(metric.column, 0.0), 1e-9)


def _bands(column: str, low: float, high: float, log: bool) -> list[tuple[float, float, str, str]]:
    """The DORA bands clipped to the visible range, in data units; a band too thin to read
    keeps its colour but not its label, so labels never pile up."""
    scale = math.log10 if log else float
    span = scale(high) - scale(low)
    out = []
    for band in dora_bands(column):
        top = band.high if band.high is not None else math.inf
        lo, hi = max(band.low, low), min(top, high)
        if hi > lo:
            label = band.tier.capitalize() if (scale(hi) - scale(lo)) / span >= 0.09 else ""
            out.append((lo, hi, label, TIER_COLORS[band.tier]))
    return out


def dora_trend(
    frame: pd.DataFrame,
    column: str,
    caption: str,
    x_title: str,
    empty_message: str | None = None,
    now=None,
    grain: str = "month",
    tiered: bool = True,
) -> go.Figure:
    """One DORA key by period on the DORA tier bands of the report the project cites.

    `empty_message` says why there is nothing to draw (e.g. no production deployments);
    `now` is the catalog's value over the chosen period (the tile's), which the title states
    with its tier unless not `tiered` (the tile held it back); partial buckets and buckets on
    too few events are marked, never the title."""
    metric = DORA_METRICS[column]
    frame = since_first_data(frame, "incidents" if column == "recovery_time_hours_p50" else "deployments")
    values = points(frame, column)[column]
    if values.empty:
        return empty_figure(
            metric.label, empty_message or f"No {metric.label.lower()} for this period and filter."
        )
    # A partial or few-event point far above the rest is drawn on the top edge, not scaled to.
    top = None if metric.log else scale_top(frame, column, grain, metric.count)
    low, high = _y_range(values if top is None else values[values <= top], metric)
    bands = _bands(column, low, high, metric.log) if column != "rework_rate" else []
    claim, detail = trend_title(frame, metric, now=now, grain=grain, tiered=tiered)
    fig = line_chart(frame, "period", {column: metric.label}, title=claim, caption=caption, x_title=x_title,
                     y_title=metric.y_title, y_format=metric.y_format, bands=bands)  # fmt: skip
    flag_points(fig, frame, "period", column, grain, metric.count, metric.noun, fit=False,
                top=None if top is None else high)  # fmt: skip
    if metric.log:
        ticks = [(v, t) for v, t in LOG_TICKS if low <= v <= high]
        fig.update_yaxes(type="log", range=[math.log10(low), math.log10(high)],
                         tickvals=[v for v, _ in ticks], ticktext=[t for _, t in ticks])  # fmt: skip
        # Plotly reads shapes on a log axis in data units but annotations in log10 units.
        for note in fig.layout.annotations:
            if note.yref == "y" and note.y:
                note.y = math.log10(note.y)
    else:
        fig.update_yaxes(range=[low, high])
    return headline(fig, claim, with_note(detail, fig))


def outcomes_by_period(
    frame: pd.DataFrame, caption: str, x_title: str, period: dict | None = None
) -> go.Figure:
    """Production deployments per period, those that were change failures (rolled back or named
    by an incident) apart, and the failed runs that never reached production beside them.

    `period`: the catalog's `deployments`, `change_failures`, `failed_deployment_runs` and
    `change_failure_rate` over the chosen period (`dora_summary`); the title then states the
    rate the page's tile shows, else the window's."""
    frame = since_first_data(frame, "deployments")
    if frame.empty or not frame["deployments"].sum():
        return empty_figure("Deployments by outcome", "No production deployments for this period and filter.")
    data = frame.assign(no_failure=frame["deployments"] - frame["change_failures"])
    total, failed = int(frame["deployments"].sum()), int(frame["change_failures"].sum())
    runs = int(frame["failed_deployment_runs"].sum())
    claim = f"{format_value(failed / total, '%')} of production deployments were change failures"
    detail = f"{failed:,} of {total:,} rolled back or named by an incident"
    if period and not is_missing(period.get("change_failure_rate")):
        total, failed = int(period["deployments"]), int(period["change_failures"])
        runs = int(period["failed_deployment_runs"] or 0)
        claim = (
            f"{format_value(period['change_failure_rate'], '%')} of production deployments were change "
            "failures in the chosen period"
        )
        detail = f"{failed:,} of {total:,} rolled back or named by an incident"
    series = {"no_failure": "Deployed, no failure", "change_failures": "Change failure"}
    if runs:
        series["failed_deployment_runs"] = "Failed run (never reached production)"
        detail += f"; {count_of(runs, 'failed run')} {'is' if runs == 1 else 'are'} not deployments"
    fig = bar_chart(data, "period", series, claim, caption, x_title, "Deployment runs", stacked=True)
    for trace, color in zip(fig.data, ("#2A9D8F", "#D1495B", "#C9CED6"), strict=False):
        trace.marker.color = color
    return headline(fig, claim, detail)
