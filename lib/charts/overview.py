"""Chart builders for the Overview: a pillar's trend, and the headline tiles as one figure.

Aggregates in, finished figures out (takeaway title, unit-bearing axes, in-figure
caption). The Overview page and the board pack both draw these through the chart
registry (`lib.charts.registry.overview`). No streamlit here.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from lib.charts import BAD, GOOD, GRID, INK, MUTED, caption_text, empty_figure, finish, line_chart
from lib.charts.marks import few_flags, flag_points, note_flagged
from lib.formatting import format_value, is_missing
from lib.metrics import Headline
from lib.overview import TrendSpec, band_text, change_text, period_phrase, trend_takeaway
from lib.scope import Scope, period_text


def pillar_trend(frame: pd.DataFrame, spec: TrendSpec, window: Scope, filters: str, now=None) -> go.Figure:
    """One pillar's headline metric over the trend window (`frame`: one row per period or
    survey wave with `spec.x` and `spec.column`), titled with what the trend says; `now` is
    the catalog's value over the chosen period (the tile's), which the title ends on."""
    if spec.count and spec.count in frame:
        started = frame[spec.count].fillna(0) > 0
        frame = frame[started.cummax()]  # periods before a source's first record are not zeros
    if frame.empty or spec.column not in frame or frame[spec.column].isna().all():
        return empty_figure(spec.pillar, f"No {spec.source} data for this period and filter.")
    fig = line_chart(
        frame,
        spec.x,
        {spec.column: spec.label},
        title=f"{spec.pillar}: {_takeaway(frame, spec, window, now)}",
        caption=caption_text(spec.source, period_text(window), filters),
        x_title="Survey wave" if spec.x == "survey_date" else f"{window.grain.capitalize()}",
        y_title=spec.unit_title,
        y_format=spec.y_format,
    )
    note_flagged(flag_points(fig, frame, spec.x, spec.column, window.grain, spec.people, "people"))
    # From zero: a 2-point move in a 65% index must not fill the chart's height.
    return fig.update_yaxes(rangemode="tozero")


def _takeaway(frame: pd.DataFrame, spec: TrendSpec, window: Scope, now) -> str:
    partial = list(frame["partial"]) if "partial" in frame else None
    few = few_flags(frame, spec.people)
    return trend_takeaway(
        list(frame[spec.column]), list(frame[spec.x]), spec, partial, few, now, window.grain
    )


TILE_CHARS = 40  # characters of 10.5 px text on a line of a tile a quarter of 960 px wide


def headlines_title(items: list[Headline], days: int, dora_tier: str | None) -> str:
    """'7 of 10 headline metrics improved quarter over quarter; delivery in the DORA high tier'."""
    moved = [i for i in items if i.improved is not None]
    better = sum(1 for i in moved if i.improved)
    phrase = period_phrase(days)
    title = (
        f"{better} of {len(moved)} headline metrics improved {phrase}"
        if moved
        else f"Headline metrics: no change to compare {phrase}"
    )
    if dora_tier:
        title += f"; delivery in the DORA {dora_tier} tier"
    return title


def headline_tiles(
    items: list[Headline], scope: Scope, filters: str, dora_tier: str | None = None, per_row: int = 4
) -> go.Figure:
    """The Overview's KPI tiles as one figure: per metric its value, change against the previous
    period of equal length (green when better, red when worse) and benchmark band."""
    if all(is_missing(i.value) for i in items):
        return empty_figure("Headline metrics", "No headline metric has data for this period and filter.")
    rows = -(-len(items) // per_row)
    fig = go.Figure()
    gap_x, gap_y = 0.016, 0.05
    width = (1 - gap_x * (per_row - 1)) / per_row
    height = (1 - gap_y * (rows - 1)) / rows
    chars = TILE_CHARS * 4 // per_row  # characters per line of 11 px text in a tile
    for i, item in enumerate(items):
        col, row = i % per_row, i // per_row
        x0 = col * (width + gap_x)
        y1 = 1 - row * (height + gap_y)
        fig.add_shape(type="rect", xref="paper", yref="paper", x0=x0, x1=x0 + width, y0=y1 - height, y1=y1,
                      line={"color": GRID, "width": 1.5}, fillcolor="white", layer="below")  # fmt: skip
        change = change_text(item)
        color = MUTED if item.improved is None else GOOD if item.improved else BAD
        band = "<br>".join(textwrap.wrap(band_text(item) or "No benchmark", chars)[:2])
        lines = (
            ("<br>".join(textwrap.wrap(item.label, chars - 6)[:2]), 12, MUTED, 0.05, "top"),
            (f"<b>{format_value(item.value, item.unit)}</b>", 24, INK, 0.29, "top"),
            (
                f"{change} {period_phrase(scope.days)}" if change else "No change to compare",
                11.5,
                color,
                0.55,
                "top",
            ),
            (band, 10.5, MUTED, 0.71, "top"),
        )
        for text, size, ink, down, anchor in lines:
            fig.add_annotation(text=text, xref="paper", yref="paper", x=x0 + 0.01, y=y1 - height * down,
                               xanchor="left", yanchor=anchor, showarrow=False, align="left",
                               font={"size": size, "color": ink})  # fmt: skip
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    fig.update_layout(hovermode=False, showlegend=False)
    source = "metric catalog (every canonical table)"
    caption = caption_text(source, period_text(scope), filters) + f" · Change: {period_phrase(scope.days)}"
    finish(fig, headlines_title(items, scope.days, dora_tier), caption, height=150 + 130 * rows)
    fig.update_layout(margin={"l": 8, "r": 8})
    return fig
