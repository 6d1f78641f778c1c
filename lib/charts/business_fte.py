"""People (FTE) charts of the Business alignment page: FTE per flow type and per business
initiative over time, stacked, with a takeaway title that never rests on a handful of items.

Builders take `lib.views.business_mix.mix_by_period` frames (one row per period and
category, `fte` in full-time equivalents, `items` completed). No streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import MUTED, PALETTE, bar_chart, empty_figure
from lib.charts.business import (
    GROUP_COLORS,
    LEGEND_PX,
    MIN_ITEMS,
    WIDE,
    WORK_TYPES,
    _month,
    _top,
    category_label,
    fit_caption,
    month_axis,
)
from lib.charts.delivery.common import TYPE_COLORS
from lib.charts.titles import headline
from lib.formatting import count_of
from lib.views.business_mix import NO_WORK


def fte_title(frame: pd.DataFrame, wide: pd.DataFrame, order: list[str]) -> str:
    """'41 FTE in Oct 2026: 22 on features, 9 on defects'; a split that stands on fewer than
    MIN_ITEMS completed items in that month is one item's story, so the title then gives the
    window's average month, or no split when the window too has fewer (issue 18, item 9).
    `frame`: mix_by_period rows; `wide`: FTE per period (rows) and category (`order`)."""
    last = wide.iloc[-1]
    month = _month(last["period"])
    total = float(sum(last[c] for c in order))
    if total - float(last.get(NO_WORK, 0)) <= 0:
        return f"{total:.0f} FTE in {month}, none on completed work to split them by"
    items = frame.groupby("period")["items"].sum()
    if items.get(last["period"], 0) >= MIN_ITEMS:
        row, when = last, f"in {month}"
    elif items.sum() >= MIN_ITEMS:
        row, when = wide[order].mean(), f"a month on average over {_month(wide['period'].iloc[0])} – {month}"
        total = float(row.sum())
    else:
        return (
            f"{total:.0f} FTE in {month}; {count_of(items.sum(), 'completed item')} in the window, "
            f"too few to split them by ({MIN_ITEMS} needed)"
        )
    return (
        f"{total:.0f} FTE {when}: {float(row.get('feature', 0)):.0f} on features, "
        f"{float(row.get('defect', 0)):.0f} on defects"
    )


def _fte_bars(wide: pd.DataFrame, order: list[str], caption: str, x_title: str, color) -> go.Figure:
    """FTE per period stacked by the categories of `order` (columns of `wide`), untitled; `color`
    (position, category) → the bar colour. Both FTE charts draw through it."""
    series = {c: category_label(c) for c in order}
    fig = bar_chart(wide, "period", series, "", caption, x_title, "People (FTE)", stacked=True)
    for i, (trace, c) in enumerate(zip(fig.data, order, strict=True)):
        trace.marker.color = color(i, c)
        trace.hovertemplate = f"{category_label(c)}: %{{y:.1f}} FTE<extra></extra>"
    return month_axis(fig, wide["period"], x_title)


def fte_over_time(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """FTE per flow type per period (stacked), people of teams that completed nothing shown
    apart. `frame`: mix_by_period(…, "type", "all")."""
    if frame.empty or not frame["fte"].sum():
        return empty_figure("Investment in FTE", "No employees with a team in this period and filter.")
    # a category absent from a period has 0 FTE there (the pivot leaves NaN: "nan FTE" in a title)
    wide = frame.pivot_table(index="period", columns="category", values="fte", aggfunc="sum", fill_value=0)
    wide = wide.reset_index()
    order = [c for c in (*WORK_TYPES, "(no type)", "(no completed work)") if c in wide]
    fig = _fte_bars(
        wide, order, caption, x_title, lambda i, c: TYPE_COLORS.get(c, GROUP_COLORS.get(c, MUTED))
    )
    claim = fte_title(frame, wide, order)
    detail = "Each team's average headcount split by the effort mix of the work it completed"
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


def initiative_fte_over_time(frame: pd.DataFrame, caption: str, x_title: str) -> go.Figure:
    """FTE per business initiative per period (stacked; the largest eight, the rest as
    'Other initiatives', unmapped and no-initiative work in greys). `frame`:
    mix_by_period(…, "initiative", "all")."""
    if frame.empty or not frame["fte"].sum():
        return empty_figure("Investment by initiative", "No employees with a team in this period and filter.")
    top = _top(frame, "fte")
    data = frame.assign(
        category=frame["category"].where(
            frame["category"].isin(top) | frame["category"].str.startswith("("), "Other initiatives"
        )  # fmt: skip
    )
    wide = data.pivot_table(index="period", columns="category", values="fte", aggfunc="sum").reset_index()
    order = [*top, *(c for c in GROUP_COLORS if c in wide and c not in top)]
    fig = _fte_bars(
        wide, order, caption, x_title, lambda i, c: GROUP_COLORS.get(c, PALETTE[i % len(PALETTE)])
    )
    totals = data.groupby("category")["fte"].sum()
    named = totals[[c for c in top if c in totals]]
    share = named.sum() / totals.sum() if totals.sum() else 0
    claim = f"{share:.0%} of engineering FTE went to named business initiatives"
    detail = f"Largest: {named.idxmax()} ({named.max() / totals.sum():.0%})" if len(named) else None
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))
