"""The Pillars plotly template and the chart builders every page shares.

Board-ready by construction: each builder takes a takeaway title, axis titles with
units and a caption (source, period, filters) that is drawn inside the figure, so a
PNG exported with the camera button (scale 3, `CHART_CONFIG`) carries its context.
Builders receive aggregates, never raw rows. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from lib.charts.fit import PAD_PX, card_px, file_stem, fit, wrap_px
from lib.tables import TABLE_WORDS

PALETTE = (
    "#1F4E79",  # deep blue
    "#2A9D8F",  # teal
    "#E9A23B",  # amber
    "#D1495B",  # rose
    "#6C5B7B",  # plum
    "#5E8C31",  # olive green
    "#8D99AE",  # slate
    "#00798C",  # petrol
)
INK = "#1B2430"
MUTED = "#5B6675"
GRID = "#E6E9EE"
FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
GOOD = "#2A9D8F"
BAD = "#D1495B"

# Colours of benchmark bands (elite → low), drawn faintly behind the data.
TIER_COLORS = {
    "elite": "rgba(42, 157, 143, 0.13)",
    "high": "rgba(94, 140, 49, 0.10)",
    "medium": "rgba(233, 162, 59, 0.11)",
    "low": "rgba(209, 73, 91, 0.09)",
}

# Above this many rows (teams, orgs) a chart's cells and bars carry no text: the browser draws
# every label (the large demo's 174 teams: 700–1,200 of them, 1.5–2 s a visit, bench/RESULTS.md)
# and no one reads them; each figure stays in the tooltip and the CSV download.
LABELLED_ROWS = 40

CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 3, "filename": "pillars-chart"},
}

# The caption sits this many pixels below the plot area: under tick labels and axis
# title, inside the 96 px bottom margin, whatever the chart's height.
CAPTION_SHIFT_PX = -62

pio.templates["pillars"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": INK},
        title={
            "font": {"size": 17, "color": INK},
            "x": 0.0,
            "xref": "container",
            "xanchor": "left",
            "pad": {"l": PAD_PX},
            "y": 0.96,
        },
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        # r: room for the last x label's overhang ("Nov 2026" needs 29 px): at 24 px Plotly's
        # automargin grew it and drew the figure a second time
        margin={"l": 64, "r": 40, "t": 64, "b": 96},
        xaxis={
            "showgrid": False,
            "linecolor": "#C9CED6",
            "ticks": "outside",
            "tickcolor": "#C9CED6",
            "title": {"font": {"size": 12, "color": MUTED}},
            "automargin": True,
        },
        yaxis={
            "gridcolor": GRID,
            "zeroline": False,
            "title": {"font": {"size": 12, "color": MUTED}},
            "automargin": True,
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        hoverlabel={"font": {"family": FONT}},
        hovermode="x unified",
    )
)
pio.templates.default = "pillars"


def finish(
    fig: go.Figure,
    title: str,
    caption: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 380,
) -> go.Figure:
    """Apply the house layout: takeaway title, unit-bearing axis titles, in-figure caption,
    title and caption wrapped to a half-width card with room for every line (`fit`)."""
    top = max(fig.layout.margin.t or 0, 64)  # a builder may need more room (e.g. top-side labels)
    fig.update_layout(template="pillars", title={"text": title}, height=height, margin={"t": top})
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    _date_ticks(fig, x_title)
    fig.add_annotation(
        text=caption,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=CAPTION_SHIFT_PX,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 10.5, "color": MUTED},
        align="left",
        name="caption",
    )
    return fit(fig, months=False)  # the card thins month labels for its width


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _date_ticks(fig: go.Figure, x_title: str | None) -> None:
    """Ticks a time axis's title promises. One date (a single survey wave, one month of data)
    gets six weeks either side and month ticks: Plotly would zoom to the millisecond around it
    and label the axis '23:59:59.999 Sep 18, 2025 · 00:00:00.0005'. An axis titled 'Month …'
    whose builder set no ticks and spans up to six months gets one tick a month ('Jan 2026'):
    Plotly chose fortnightly dates ('Jun 29, Jul 13') under 'Month (UTC)'."""
    days = set()
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        if xs is None or getattr(trace, "orientation", None) == "h":
            continue
        for x in xs:
            if x is None or (isinstance(x, float) and math.isnan(x)):
                continue
            if isinstance(x, str) and not _ISO_DAY.match(x):
                return  # categories (teams, dimensions): not a time axis
            if not isinstance(x, (str, dt.date, np.datetime64)):
                return  # numbers
            stamp = pd.Timestamp(x)
            if pd.isna(stamp):
                return
            days.add(stamp.normalize())
    if len(days) == 1:
        (day,) = days
        around = pd.Timedelta(days=45)
        fig.update_xaxes(range=[day - around, day + around], tickformat="%b %Y", dtick="M1")
    elif days and (x_title or "").startswith("Month") and fig.layout.xaxis.tickformat is None:
        months = (max(days).year - min(days).year) * 12 + max(days).month - min(days).month + 1
        if months <= 6:  # longer spans: Plotly's own ticks are whole months already
            fig.update_xaxes(tickformat="%b %Y", dtick="M1")


def chart_config(name: str, fig: go.Figure | None = None) -> dict:
    """`CHART_CONFIG` with the camera PNG named after the chart and the period its caption
    states: 'deployment-frequency-trend-2025-11-01-to-2026-10-31.png' (`fit.file_stem`)."""
    options = {**CHART_CONFIG["toImageButtonOptions"], "filename": file_stem(name, fig)}
    return {**CHART_CONFIG, "toImageButtonOptions": options}


def wrap_title(title: str, width: float | None = None) -> list[str]:
    """Break a takeaway title into lines that fit a half-width card, or `width` px (plotly
    doesn't wrap): `fit.wrap_px` at the template's title size."""
    return wrap_px(title, width or card_px() - 2 * PAD_PX, 17) or [title]


# The canonical tables as a caption names them (lib.tables.TABLE_WORDS).
SOURCE_WORDS = TABLE_WORDS
_TABLE_NAME = re.compile(r"\b(" + "|".join(sorted(SOURCE_WORDS, key=len, reverse=True)) + r")\b")


def source_words(source: str) -> str:
    """'survey_responses, ai_usage' → 'survey answers, AI tool usage'."""
    return _TABLE_NAME.sub(lambda m: SOURCE_WORDS[m.group()], source)


def table_label(table: str) -> str:
    """A canonical table as a heading or a table cell names it, in `SOURCE_WORDS`' words and
    capitalised: 'work_items' → 'Work items', 'survey_responses' → 'Survey answers'.
    (`lib.tables.table_words` uncapitalised.)"""
    words = source_words(str(table))
    return words[:1].upper() + words[1:]


def caption_text(source: str, period: str, filters: str = "") -> str:
    """'Source: deployments · Period: 1 Aug – 31 Oct 2025 · Teams: payments', the source's
    table names in words (`source_words`)."""
    parts = [f"Source: {source_words(source)}", f"Period: {period}"]
    if filters:
        parts.append(filters)
    return " · ".join(parts)


def line_chart(
    df: pd.DataFrame,
    x: str,
    series: dict[str, str],
    title: str,
    caption: str,
    x_title: str,
    y_title: str,
    y_format: str | None = None,
    markers: bool = True,
    bands: Sequence[tuple[float, float, str, str]] = (),
) -> go.Figure:
    """One line per column in `series` (column → legend label) over `x`.

    `bands` are horizontal benchmark ranges (low, high, label, colour) behind the data.
    """
    fig = go.Figure()
    for low, high, label, color in bands:
        fig.add_hrect(
            y0=low,
            y1=high,
            fillcolor=color,
            line_width=0,
            layer="below",
            annotation_text=label,
            annotation_position="top left",
            annotation_font={"size": 10, "color": MUTED},
        )
    for i, (column, label) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=df[x],
                y=df[column],
                name=label,
                mode="lines+markers" if markers else "lines",
                line={"width": 2.6, "color": PALETTE[i % len(PALETTE)]},
                marker={"size": 6},
                connectgaps=False,
            )
        )
    if y_format:
        fig.update_yaxes(tickformat=y_format)
    fig.update_layout(showlegend=len(series) > 1)
    return finish(fig, title, caption, x_title, y_title)


def bar_chart(
    df: pd.DataFrame,
    x: str,
    series: dict[str, str],
    title: str,
    caption: str,
    x_title: str,
    y_title: str,
    y_format: str | None = None,
    stacked: bool = False,
    horizontal: bool = False,
) -> go.Figure:
    """Bars per column in `series`; stacked for shares of a whole (e.g. investment mix)."""
    fig = go.Figure()
    for i, (column, label) in enumerate(series.items()):
        kwargs = (
            {"y": df[x], "x": df[column], "orientation": "h"} if horizontal else {"x": df[x], "y": df[column]}
        )
        fig.add_trace(go.Bar(name=label, marker_color=PALETTE[i % len(PALETTE)], **kwargs))
    fig.update_layout(barmode="stack" if stacked else "group", showlegend=len(series) > 1, bargap=0.25)
    if y_format:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tickformat=y_format)
    if horizontal:
        fig.update_layout(hovermode="y unified")
        return finish(fig, title, caption, y_title, x_title)
    return finish(fig, title, caption, x_title, y_title)


def empty_figure(title: str, message: str) -> go.Figure:
    """A chart-shaped notice for data that is missing, never drawn as zeros.

    The message is kept in `layout.meta["no_data"]`, so the board pack can say on the slide
    what is missing instead of showing a blank chart (`lib.charts.registry.missing`).
    """
    message = source_words(message)
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"color": MUTED},
        name="message",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(
        template="pillars", title={"text": title}, height=240, hovermode=False, meta={"no_data": message}
    )
    return fit(fig)
