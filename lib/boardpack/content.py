"""What goes in a deck: each chart's figure from the registry (the page's own figure), its
takeaway, caption, speaker notes and definitions, and the deck's title-slide facts.

The figure a page draws carries its title and caption inside it; on a slide they become
the slide's title and caption text instead, so `slide_figure` takes them out of the image
(and the margins they needed) and the picture holds the chart alone. Everything else about
the figure, data and suppression included, is untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go

from lib import db
from lib.boardpack.definitions import MetricDefinition, definitions
from lib.charts import registry
from lib.charts.titles import split_detail
from lib.scope import Scope, period_text

Progress = Callable[[float, str], None]  # (fraction done 0–1, what is happening)


@dataclass(frozen=True)
class ChartContent:
    """One chart slide's content. `missing` is set (and the figure is a notice) when the data
    the chart needs is absent."""

    chart: registry.Chart
    figure: go.Figure
    title: str
    subtitle: str
    caption: str
    missing: str | None
    definitions: tuple[MetricDefinition, ...]

    def notes(self) -> str:
        """Speaker notes: the takeaway, each metric in plain words and as METRICS.md defines it,
        method, source."""
        parts = [self.title]
        if self.subtitle:
            parts.append(self.subtitle)
        if self.missing:
            parts.append(f"No data: {self.missing}")
        if self.definitions:
            parts.append("In plain words:\n" + "\n".join(f"• {d.label}: {d.words}" for d in self.definitions))
            parts.append(
                "Exact definitions (METRICS.md):\n" + "\n".join(f"• {d.line()}" for d in self.definitions)
            )
        if self.chart.note:
            parts.append(f"Method: {self.chart.note}")
        if self.caption:
            parts.append(self.caption)
        parts.append(f"Chart: {self.chart.name} ({self.chart.pillar_name}) · id {self.chart.id}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class DeckContent:
    organisation: str
    scope: Scope
    filters: str
    demo: bool
    generated: dt.date
    charts: tuple[ChartContent, ...]
    freshness: pd.DataFrame  # table, rows, latest, last_import: the tables the charts read

    @property
    def period(self) -> str:
        return period_text(self.scope)


def default_organisation(demo: bool) -> str:
    """The title slide's organisation when none was saved (lib.boardpack.choices)."""
    return "Demo organisation" if demo else "Engineering"


def chart_content(con: duckdb.DuckDBPyConnection, chart_id: str, scope: Scope, filters: str) -> ChartContent:
    """The registered figure and its texts; raises registry.UnknownChart for an unknown id."""
    chart = registry.get(chart_id)
    fig = registry.figure(con, chart_id, scope, filters)
    gap = registry.missing(fig)
    title, subtitle = registry.title(fig), registry.subtitle(fig)
    if not subtitle:
        title, subtitle = split_detail(title)  # "… up 24% (3-period averages $391k → $486k)"
    if gap is not None:  # hidden is not missing: a review saw "no data" over a team's hidden survey
        hidden = gap.startswith(("Hidden", "Not shown"))
        title, subtitle = (
            f"{chart.name}: {'hidden by the anonymity rules' if hidden else 'no data for this period'}",
            "",
        )
    return ChartContent(
        chart=chart,
        figure=fig,
        title=title,
        subtitle=subtitle or "",
        caption=registry.caption(fig),
        missing=gap,
        definitions=tuple(definitions(chart.metrics)),
    )


def deck_content(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    charts: list[ChartContent],
    filters: str = registry.ALL_TEAMS,
    organisation: str | None = None,
) -> DeckContent:
    """The deck's facts around its charts: organisation (`organisation`, else the default), demo
    flag, and the freshness of each table the charts read (in the order they first read them)."""
    from lib.ingest.import_log import freshness

    tables = list(dict.fromkeys(t for c in charts for t in c.chart.sources))
    fresh = freshness(con)
    fresh = fresh[fresh["table"].isin(tables)].set_index("table").reindex(tables).reset_index()
    demo = db.get_setting(con, "demo") == "true"
    return DeckContent(
        organisation=organisation or default_organisation(demo),
        scope=scope,
        filters=filters,
        demo=demo,
        generated=dt.date.today(),
        charts=tuple(charts),
        freshness=fresh,
    )


def slide_figure(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A copy of `fig` for a slide picture: no title or caption (the slide carries them), margins
    for what remains, and the picture's size in CSS pixels."""
    out = go.Figure(fig)
    out.update_layout(title={"text": "", "subtitle": {"text": ""}})
    out.layout.annotations = [a for a in out.layout.annotations if a.name != "caption"]
    legend_on_top = (
        out.layout.showlegend is not False and sum(t.showlegend is not False for t in out.data) > 1
    )
    has_x_title = bool(out.layout.xaxis.title.text)
    no_axes = out.layout.xaxis.visible is False and out.layout.yaxis.visible is False
    top = 56 if legend_on_top else 8 if no_axes else 28
    bottom = 8 if no_axes else 56 if has_x_title else 36
    out.update_layout(width=width, height=height, margin={"t": top, "b": bottom, "autoexpand": True})
    return out
