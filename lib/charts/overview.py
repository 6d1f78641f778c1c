"""Chart builders for the Overview: a pillar's trend, and the headline tiles as one figure.

Aggregates in, finished figures out (takeaway title, unit-bearing axes, in-figure
caption). The Overview page and the board pack both draw these through the chart
registry (`lib.charts.registry.overview`). No streamlit here.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from lib.charts import BAD, GOOD, GRID, INK, MUTED, caption_text, empty_figure, finish, line_chart
from lib.charts.marks import few_flags, flag_points, note_flagged
from lib.charts.titles import headline
from lib.overview import TrendSpec, trend_takeaway
from lib.overview_board import Board
from lib.scope import Scope, period_text


def pillar_trend(frame: pd.DataFrame, spec: TrendSpec, window: Scope, filters: str, now=None) -> go.Figure:
    """One pillar's headline metric over the trend window (`frame`: one row per period or
    survey wave with `spec.x` and `spec.column`), titled with what the trend says; `now` is
    the catalog's value over the chosen period (the tile's), which the title ends on."""
    if (
        not frame.empty
        and "suppressed" in frame
        and frame["suppressed"].any()
        and (spec.column not in frame or frame[spec.column].isna().all())
    ):  # waves there, each hidden: not "no data", which reads as a failed import (a new user's review)
        return empty_figure(
            spec.pillar,
            "Hidden by the anonymity rules in every survey wave of the window for this selection.",
        )
    if spec.count and spec.count in frame:
        started = frame[spec.count].fillna(0) > 0
        frame = frame[started.cummax()]  # periods before a source's first record are not zeros
    if frame.empty or spec.column not in frame or frame[spec.column].isna().all():
        either = " or ".join(spec.source.split(", "))  # "No business figures or employees data", not ", "
        return empty_figure(spec.pillar, f"No {either} data for this period and filter.")
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
    note_flagged(flag_points(fig, frame, spec.x, spec.column, window.grain, spec.people, spec.noun))
    # From zero: a 2-point move in a 65% index must not fill the chart's height.
    return fig.update_yaxes(rangemode="tozero")


def _takeaway(frame: pd.DataFrame, spec: TrendSpec, window: Scope, now) -> str:
    partial = list(frame["partial"]) if "partial" in frame else None
    few = few_flags(frame, spec.people)
    return trend_takeaway(
        list(frame[spec.column]), list(frame[spec.x]), spec, partial, few, now, window.grain
    )


TITLE_CHARS_FULL = 96  # a full-width figure's title line at 17 px
TILE_CHARS = 24  # characters of 10.5 px text on a line of a tile a sixth of 960 px wide
ROWS = (("delivery", "engagement"), ("retention", "skills", "business"))  # as the Overview page


def _plain(markdown: str) -> str:
    return markdown.replace("**", "")


def headline_tiles(board: Board, scope: Scope, filters: str) -> go.Figure:
    """The Overview's tile groups as one figure (`board`: lib.overview_board.board): per pillar a
    box of tiles, each with its value, change against the previous period of equal length
    (coloured only when it is a takeaway: colour is news), a sparkline over the period and
    the seven before it, and its cited benchmark; a pillar without data says what to load.
    Title: the strongest takeaways; subtitle: the investment headline."""
    groups = {g.pillar: g for g in board.groups}
    if all(not g.tiles for g in board.groups):
        return empty_figure("Headline metrics", "No headline metric has data: load exports on the Data page.")
    # Parts are gathered as plain dicts and given to the figure once: `add_annotation` in a loop
    # validates every earlier annotation again (162 of them: 0.65 s of the figure's 0.79 s on
    # the large organisation).
    parts = _Parts()
    gap_x, gap_y, pad = 0.012, 0.06, 0.006
    row_h = (1 - gap_y) / 2
    axis = 2  # sparklines on axes 2…; the first pair spans the paper, invisible
    for r, row in enumerate(ROWS):
        shown = [groups[p] for p in row if p in groups]
        slots = [max(len(g.tiles), 2) for g in shown]
        unit = (1 - gap_x * (len(shown) - 1)) / sum(slots)
        x0 = 0.0
        y1 = 1 - r * (row_h + gap_y)
        y0 = y1 - row_h
        for group, n in zip(shown, slots, strict=True):
            x1 = x0 + unit * n
            parts.box(x0, x1, y0, y1)
            name = f"<b>{group.name}</b>" + (f"  ·  {group.status}" if group.status else "")
            parts.text(name, x0 + pad, y1 - 0.012, 12.5, INK)
            if group.missing:
                wrapped = "<br>".join(textwrap.wrap(group.missing, int(TILE_CHARS * n * 1.1)))
                parts.text(wrapped, x0 + pad, y1 - 0.09, 11, MUTED)
            for i, tile in enumerate(group.tiles):
                tx0 = x0 + unit * i
                _tile(parts, tile, tx0 + pad, tx0 + unit - pad, y0, y1 - 0.06, axis)
                axis += 1
            x0 = x1 + gap_x
    fig = go.Figure(
        data=parts.traces,
        layout={
            "annotations": parts.notes,
            "shapes": parts.boxes,
            **parts.axes,
            "xaxis": {"visible": False, "range": [0, 1]},
            "yaxis": {"visible": False, "range": [0, 1]},
            "hovermode": False,
            "showlegend": False,
        },
    )
    caption = caption_text("metric catalog (every canonical table)", board.period, filters)
    caption += f" · Change: {board.phrase} · Lines: the period and the seven of equal length before it"
    finish(fig, board.title, caption, height=560)
    headline(fig, board.title, _plain(board.headline), width=TITLE_CHARS_FULL)
    fig.update_layout(margin={"l": 8, "r": 8})
    return fig


@dataclass
class _Parts:
    """The tiles figure's annotations, boxes, sparklines and their axes, as plain dicts."""

    notes: list[dict] = field(default_factory=list)
    boxes: list[dict] = field(default_factory=list)
    traces: list[go.Scatter] = field(default_factory=list)
    axes: dict[str, dict] = field(default_factory=dict)

    def box(self, x0: float, x1: float, y0: float, y1: float) -> None:
        self.boxes.append({"type": "rect", "xref": "paper", "yref": "paper", "x0": x0, "x1": x1, "y0": y0,
                           "y1": y1, "line": {"color": GRID, "width": 1.5}, "fillcolor": "white",
                           "layer": "below"})  # fmt: skip

    def text(self, text: str, x: float, y: float, size: float, color: str, anchor: str = "top") -> None:
        self.notes.append({"text": text, "xref": "paper", "yref": "paper", "x": x, "y": y, "xanchor": "left",
                           "yanchor": anchor, "showarrow": False, "align": "left",
                           "font": {"size": size, "color": color}})  # fmt: skip


def _tile(parts: _Parts, tile, x0: float, x1: float, y0: float, y1: float, axis: int) -> None:
    """One tile inside [x0, x1] × [y0, y1] (paper): label, value, change, sparkline, benchmark."""
    h = y1 - y0
    color = MUTED if not tile.news else INK if tile.improved is None else GOOD if tile.improved else BAD
    parts.text(tile.label, x0, y1, 11.5, MUTED)
    parts.text(f"<b>{tile.text}</b>", x0, y1 - h * 0.11, 21, INK)
    parts.text(tile.change or "no change to compare", x0, y1 - h * 0.30, 11, color)
    if tile.spark:
        name = str(axis)
        parts.traces.append(
            go.Scatter(
                y=list(tile.spark),
                mode="lines",
                line={"color": color, "width": 1.8},
                xaxis=f"x{name}",
                yaxis=f"y{name}",
                hoverinfo="skip",
            )  # fmt: skip
        )
        parts.axes[f"xaxis{name}"] = {
            "domain": [x0, x1 - 0.004],
            "visible": False,
            "anchor": f"y{name}",
            "range": [-0.2, len(tile.spark) - 0.8],
        }
        parts.axes[f"yaxis{name}"] = {
            "domain": [y0 + h * 0.36, y0 + h * 0.58],
            "visible": False,
            "anchor": f"x{name}",
        }
    lines = textwrap.wrap(tile.band, TILE_CHARS)
    if len(lines) > 3:  # never cut silently: the third line ends in an ellipsis
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), TILE_CHARS, placeholder="…")]
    band = "<br>".join(lines)
    # its last line sits on the box's bottom edge and the lines grow upwards: three lines ran
    # out of the box on a short deck picture when they hung from a fixed height
    parts.text(band, x0, y0 + 0.012, 10, MUTED, anchor="bottom")
