"""Flow charts: velocity and distribution by work type, flow time's spread, load and efficiency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import PALETTE, bar_chart, empty_figure, finish, line_chart
from lib.charts.delivery.common import (
    TEAM_METRICS,
    TYPE_COLORS,
    TYPE_LABELS,
    WORK_TYPES,
    Metric,
    color_by,
    points,
    since_first_data,
    trend_title,
)
from lib.charts.marks import flag_points, with_note
from lib.charts.titles import headline, trend_takeaway
from lib.formatting import count_of, format_value, is_missing
from lib.views.buckets import MIN_COUNT, is_few


def _types_present(frame: pd.DataFrame) -> list[str]:
    return [t for t in WORK_TYPES if t in set(frame["type"])]


def velocity_by_type(
    frame: pd.DataFrame, caption: str, x_title: str, now=None, grain: str = "month"
) -> go.Figure:
    """Items completed per week in each period, stacked by flow type. `now`: the catalog's
    flow velocity per week over the chosen period (the tile's), which the title ends on;
    partial buckets are marked and never make the title."""
    frame = since_first_data(frame, "items")
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow velocity", "No completed work items for this period and filter.")
    wide = frame.pivot_table(
        index="period", columns="type", values="items_per_week", aggfunc="sum"
    ).reset_index()
    wide["total"] = wide[[t for t in WORK_TYPES if t in wide]].sum(axis=1)
    wide = wide.merge(frame.groupby("period", as_index=False)["items"].sum(), on="period")
    if "partial" in frame:
        wide = wide.merge(frame.groupby("period", as_index=False)[["partial", "days"]].max(), on="period")
    metric = TEAM_METRICS["velocity_per_week"]
    # a period of fewer than MIN_COUNT completed items is drawn, never a title (issue 18, item 9)
    claim, detail = trend_takeaway(metric.label, metric.unit, list(wide["period"]), list(wide["total"]),
                                   partial=list(wide["partial"]) if "partial" in wide else None,
                                   few=list(is_few(wide["items"])), now=now, grain=grain)  # fmt: skip
    series = {t: TYPE_LABELS[t] for t in _types_present(frame)}
    fig = bar_chart(wide, "period", series, claim, caption, x_title, "Items completed per week", stacked=True)
    color_by(fig, series, TYPE_COLORS)
    flag_points(fig, wide, "period", "total", grain, "items", "completed items")
    return headline(fig, claim, with_note(detail, fig))


def distribution_title(frame: pd.DataFrame) -> tuple[str, str]:
    """The biggest move in the share of a work type between the first and last period of at
    least MIN_COUNT completed items; none when fewer than two periods have that many."""
    totals = frame.groupby("type")["items"].sum()
    overall = totals / totals.sum()
    mix = " · ".join(f"{TYPE_LABELS[t]} {overall.get(t, 0):.0%}" for t in WORK_TYPES)
    shares = frame.pivot_table(index="period", columns="type", values="share", aggfunc="sum")
    # only periods of at least MIN_COUNT completed items compare: 2 items against 4 is no mix
    shares = shares[frame.groupby("period")["items"].sum().reindex(shares.index).fillna(0) >= MIN_COUNT]
    if len(shares) < 2:
        total = int(totals.sum())
        return (
            f"Work mix: too few completed items to compare periods ({MIN_COUNT} needed in each)",
            f"Whole window: {mix} ({count_of(total, 'item')})",
        )
    if len(shares) >= 2:
        first, last = shares.iloc[0], shares.iloc[-1]
        moves = {t: float(last.get(t, 0) or 0) - float(first.get(t, 0) or 0) for t in WORK_TYPES}
        biggest = max(moves, key=lambda t: abs(moves[t]))
        if abs(moves[biggest]) >= 0.05:
            since = pd.Timestamp(shares.index[0]).strftime("%b %Y")
            direction = "rose" if moves[biggest] > 0 else "fell"
            return (
                f"{TYPE_LABELS[biggest]} {direction} from {float(first.get(biggest, 0) or 0):.0%} to "
                f"{float(last.get(biggest, 0) or 0):.0%} of completed work since {since}",
                f"Whole window: {mix}",
            )
    return "The work mix held steady", f"Whole window: {mix}"


def distribution_shares(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """Share of completed items by flow type in each period (100% stacked)."""
    frame = since_first_data(frame, "items")
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow distribution", "No completed work items for this period and filter.")
    wide = frame.pivot_table(index="period", columns="type", values="share", aggfunc="sum").reset_index()
    claim, detail = distribution_title(frame)
    series = {t: TYPE_LABELS[t] for t in _types_present(frame)}
    fig = bar_chart(
        wide, "period", series, claim, caption, x_title, "Share of items completed", ".0%", stacked=True
    )
    color_by(fig, series, TYPE_COLORS)
    fig.update_yaxes(range=[0, 1])
    return headline(fig, claim, detail)


def flow_time_box(frame: pd.DataFrame, spread: dict, caption: str, x_title: str) -> go.Figure:
    """Flow time per period as boxes: median, quartiles, whiskers at the 10th and 90th percentile."""
    data = frame[frame["items"] > 0]
    if data.empty or is_missing(spread.get("p50")):
        return empty_figure("Flow time", "No completed work items for this period and filter.")
    claim = f"Half of items finish within {format_value(spread['p50'], 'days')}"
    detail = (
        f"1 in 4 takes over {format_value(spread['p75'], 'days')}, 1 in 10 over "
        f"{format_value(spread['p90'], 'days')} · whiskers: 10th–90th percentile, dashes: mean"
    )
    fig = go.Figure(
        go.Box(
            x=data["period"],
            q1=data["p25"],
            median=data["p50"],
            q3=data["p75"],
            lowerfence=data["p10"],
            upperfence=data["p90"],
            mean=data["mean"],
            name="Flow time",
            marker_color=PALETTE[0],
            fillcolor="rgba(31, 78, 121, 0.25)",
            line={"width": 1.6},
            boxmean=True,
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    finish(fig, claim, caption, x_title, "Flow time (days)")
    fig.update_yaxes(rangemode="tozero")
    return headline(fig, claim, detail)


def flow_time_histogram(frame: pd.DataFrame, caption: str) -> go.Figure:
    """How many completed items took each band of flow time, stacked by type."""
    if frame.empty or not frame["items"].sum():
        return empty_figure("Flow time distribution", "No completed work items for this period and filter.")
    wide = frame.pivot_table(index=["band_order", "band"], columns="type", values="items", aggfunc="sum")
    wide = wide.reset_index().sort_values("band_order")
    present = _types_present(frame)
    wide["total"] = wide[present].sum(axis=1)
    top = wide.loc[wide["total"].idxmax()]
    total = int(wide["total"].sum())
    tied = int((wide["total"] == top["total"]).sum())
    in_words = "under a day" if top["band"] == "< 1" else f"{top['band']} days"
    if total < MIN_COUNT or tied > 1:
        # 4 of 8 items in each of two bands is no "most" (the second review)
        claim = f"Flow time of {count_of(total, 'completed item')}, by band"
        detail = "too few or too evenly spread to name a usual band" + (
            f" ({MIN_COUNT} items needed)" if total < MIN_COUNT else ""
        )
    else:
        claim = f"Most items take {in_words} from start to done"
        detail = f"{top['total'] / total:.0%} of the {total:,} items completed in the chosen period"
    series = {t: TYPE_LABELS[t] for t in present}
    x_title = "Flow time (days), started (else created) → completed"
    fig = bar_chart(wide, "band", series, claim, caption, x_title, "Items completed", stacked=True)
    color_by(fig, series, TYPE_COLORS)
    fig.update_xaxes(type="category", tickangle=0)
    return headline(fig, claim, detail)


def simple_trend(
    frame: pd.DataFrame,
    metric: Metric,
    caption: str,
    x_title: str,
    empty_message: str,
    now=None,
    grain: str = "month",
) -> go.Figure:
    """A single trend line titled with its takeaway (flow load, flow efficiency, …); `now`
    is the catalog's value over the chosen period (the tile's)."""
    if points(frame, metric.column).empty:
        return empty_figure(metric.label, empty_message)
    claim, detail = trend_title(frame, metric, now=now, grain=grain)
    fig = line_chart(frame, "period", {metric.column: metric.label}, title=claim, caption=caption,
                     x_title=x_title, y_title=metric.y_title, y_format=metric.y_format)  # fmt: skip
    flag_points(fig, frame, "period", metric.column, grain, metric.count, metric.noun)
    if metric.unit == "%":
        fig.update_yaxes(range=[0, 1])
    else:
        fig.update_yaxes(rangemode="tozero")
    return headline(fig, claim, with_note(detail, fig))
