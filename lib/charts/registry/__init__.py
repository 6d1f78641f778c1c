"""The chart registry: every chart in the app under a stable id, for the pages, the Board pack
page and `python -m lib export`.

Why: a VP picks charts for a board deck by name, saves the choice, and reuses it next
quarter, so each chart needs an id that outlives page layouts
(`delivery.deployment_frequency_trend`), and the deck must show the very numbers the page
shows. A chart is therefore registered with a *build* function, `build(con, scope,
filters) -> go.Figure`, that calls the same `lib.views` functions and the same
`lib.charts` builders as its page; a page draws the registered figure through
`lib.ui.registered.chart(chart_id, scope)` (or, while a page still composes its own
figure, a test compares the page's figure with the registry's, trace by trace).

Registering a chart (one module per pillar in this package: adding a pillar's charts is
adding one file, found by discovery like the import formats)::

    from lib.charts.registry import Context, NoData, register

    @register("retention.headcount_trend", "retention", "Headcount over time",
              metrics=("retention.headcount_end",), sources=("employees",))
    def headcount_trend(con, scope, filters):
        ctx = Context(scope, filters)
        frame = headcount_by_period(con, ctx.window)          # the page's own view
        if frame.empty:
            raise NoData("No employees loaded: headcount needs an HRIS export.")
        return charts.headcount(frame, ctx.caption("employees", trend=True), ctx.x_title)

The figure is the finished chart: its title states the takeaway, its caption (an
annotation named "caption") gives source, period and filters, its axes carry units.
`metrics` are catalog keys (SPEC §5) whose definitions go in the deck's speaker notes
and closing slide; `sources` are the canonical tables it reads (their freshness is
listed on the closing slide); `note` is a sentence of method for the speaker notes.

No data: a build raises `NoData("what is missing and why")`, or returns
`lib.charts.empty_figure(...)`; `figure()` then returns a chart-shaped notice saying what
is missing (`missing(fig)` reads it back), never a blank or zero-filled chart.
No streamlit here.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from lib.charts import caption_text, empty_figure
from lib.scope import Scope, period_text

ALL_TEAMS = "All teams"  # the filter text when no filter is set (lib.ui.filters.describe)

# Pillars in the order the app and the Board pack list them.
PILLARS = {
    "overview": "Overview",
    "delivery": "Delivery & quality",
    "engagement": "People engagement",
    "retention": "Retention & development",
    "skills": "Skills & capabilities",
    "business": "Business alignment",
}

# The default deck: the Overview's headline set (lib.overview.HEADLINE_KEYS), led by the tiles
# themselves, then one chart per headline metric in tile order. Ids not registered are skipped.
DEFAULT_IDS = (
    "overview.headlines",
    "delivery.deployment_frequency_trend",
    "delivery.lead_time_trend",
    "delivery.change_failure_rate_trend",
    "delivery.recovery_time_trend",
    "overview.engagement_trend",
    "engagement.enps_split",
    "overview.retention_trend",
    "retention.headcount_flow",
    "overview.skills_trend",
    "skills.learning_hours_by_team",
    "business.rnd_pct_revenue",
    "overview.business_trend",
)

Build = Callable[[duckdb.DuckDBPyConnection, Scope, str], go.Figure]


class NoData(Exception):
    """Raised by a build function: the data this chart needs is missing (the message says which)."""


class UnknownChart(KeyError):
    """A chart id that is not registered; the message names it and the nearest ids."""

    def __init__(self, chart_id: str):
        near = difflib.get_close_matches(chart_id, list(_charts()), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        self.chart_id = chart_id
        super().__init__(f"unknown chart id {chart_id!r}.{hint} `python -m lib export --list` lists them.")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Chart:
    """One registered chart. `id` is "<pillar>.<name>", stable across releases."""

    id: str
    pillar: str  # a key of PILLARS
    name: str  # short, for pickers: "Deployment frequency trend"
    build: Build
    metrics: tuple[str, ...] = ()  # catalog keys whose definitions go in the speaker notes
    sources: tuple[str, ...] = ()  # canonical tables read (freshness on the closing slide)
    note: str = ""  # method, for the speaker notes ("Bands: DORA 2023 …")

    @property
    def pillar_name(self) -> str:
        return PILLARS.get(self.pillar, self.pillar.capitalize())


_REGISTRY: dict[str, Chart] = {}  # filled once at import by the pillar modules; never mutated after


def register(
    chart_id: str,
    pillar: str,
    name: str,
    *,
    metrics: tuple[str, ...] = (),
    sources: tuple[str, ...] = (),
    note: str = "",
) -> Callable[[Build], Build]:
    """Decorator: register `build(con, scope, filters) -> go.Figure` under `chart_id`.

    Raises ValueError for an id registered twice, an id not prefixed by its pillar, or an
    unknown pillar. (That each metric key has a definition is checked by a unit test, so a
    key the catalog lacks fails CI, not the app's start.)
    """
    if pillar not in PILLARS:
        raise ValueError(f"chart {chart_id!r}: unknown pillar {pillar!r} (one of {', '.join(PILLARS)})")
    if not chart_id.startswith(pillar + "."):
        raise ValueError(f"chart id {chart_id!r} must start with its pillar, {pillar!r}.")

    def decorate(build: Build) -> Build:
        if chart_id in _REGISTRY and _REGISTRY[chart_id].build is not build:
            raise ValueError(f"chart id {chart_id!r} is registered twice")
        _REGISTRY[chart_id] = Chart(chart_id, pillar, name, build, tuple(metrics), tuple(sources), note)
        return build

    return decorate


def _charts() -> dict[str, Chart]:
    """Every registered chart, importing each pillar module of this package once."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return _REGISTRY


def get(chart_id: str) -> Chart:
    """The registered chart `chart_id`; raises UnknownChart (a KeyError) naming it."""
    found = _charts().get(chart_id)
    if found is None:
        raise UnknownChart(chart_id)
    return found


def charts(pillar: str | None = None) -> list[Chart]:
    """Registered charts, by pillar (PILLARS order), then in registration order."""
    order = list(PILLARS)
    found = [c for c in _charts().values() if pillar is None or c.pillar == pillar]
    return sorted(found, key=lambda c: order.index(c.pillar))


def default_ids() -> tuple[str, ...]:
    """The default deck (DEFAULT_IDS) among the charts registered."""
    known = _charts()
    return tuple(i for i in DEFAULT_IDS if i in known)


def figure(
    con: duckdb.DuckDBPyConnection, chart_id: str, scope: Scope, filters: str = ALL_TEAMS
) -> go.Figure:
    """The finished figure of `chart_id` over `scope`, exactly as its page draws it.

    `filters` is the filter text for the caption ("All teams", "Team: payments"); the caption
    ends in "Demo data" while the database holds demo rows, so that a downloaded PNG or a
    deck's slide says so. Missing
    data gives a notice figure (see `missing`), never an exception; an unknown id raises
    UnknownChart.
    """
    chart = get(chart_id)
    try:
        fig = chart.build(con, scope, filters)
    except NoData as gap:
        return no_data(chart.name, str(gap))
    from lib.demo import is_demo  # 4–6 ms on the large organisation without demo rows

    if is_demo(con):  # a PNG or a slide of the demo must not pass for an organisation's own numbers
        for note in fig.layout.annotations:
            if note.name == "caption" and note.text and not note.text.endswith(DEMO_MARK):
                note.text = f"{note.text} · {DEMO_MARK}"
    return fig


DEMO_MARK = "Demo data"  # the caption's last part while any demo row remains (lib.demo.is_demo)


def card(con: duckdb.DuckDBPyConnection, chart_id: str, scope: Scope, filters: str, width: int) -> dict:
    """What a page's card sends the browser for `chart_id`: {"spec": the figure as a plain
    dict, its title and caption wrapped to a figure `width` px wide (`lib.charts.fit.fit`),
    "config": Plotly's config with the camera PNG named after the chart and period}.

    A dict, cheap to cache and copy: a cached `go.Figure` costs its validation again on every
    page run (about 20 ms a chart with the fit), which a page of six charts pays on each switch.
    """
    from lib.charts import chart_config
    from lib.charts.fit import fit

    fig = fit(figure(con, chart_id, scope, filters), width)
    return {"spec": fig.to_dict(), "config": chart_config(get(chart_id).name, fig)}


def no_data(title: str, message: str) -> go.Figure:
    """A chart-shaped notice: `title`, and the message saying what is missing."""
    return empty_figure(title, message)


def missing(fig: go.Figure) -> str | None:
    """What is missing when `fig` is a no-data notice, else None."""
    meta = fig.layout.meta
    return meta.get("no_data") if isinstance(meta, dict) else None


def plain(text: str | None) -> str:
    """Figure text as words: line breaks and no-break spaces the builders add for layout undone."""
    if not text:
        return ""
    return re.sub(r"\s*<br\s*/?>\s*", " ", text).replace("\u00a0", " ").strip()


def title(fig: go.Figure) -> str:
    """The figure's takeaway title, as plain text."""
    return plain(fig.layout.title.text)


def subtitle(fig: go.Figure) -> str:
    """The numbers behind the takeaway (the title's subtitle), as plain text; '' when none."""
    sub = fig.layout.title.subtitle
    return plain(sub.text) if sub is not None else ""


def caption(fig: go.Figure) -> str:
    """The source-and-period caption (the annotation named "caption"), as plain text."""
    return next((plain(a.text) for a in fig.layout.annotations if a.name == "caption"), "")


@dataclass(frozen=True)
class Context:
    """What a build function needs besides data: the scope, the filter text, the trend window
    (at least the twelve months ending with the period, on whole buckets, as the pages draw
    trends), the x-axis title and captions."""

    scope: Scope
    filters: str = ALL_TEAMS

    @property
    def window(self) -> Scope:
        from lib.views.delivery_detail import trend_window

        return trend_window(self.scope)

    @property
    def x_title(self) -> str:
        return f"{self.scope.grain.capitalize()} (UTC)"

    def caption(self, source: str, trend: bool = True, extra: str = "") -> str:
        """'Source: deployments · Period: … · All teams', over the trend window or the period."""
        text = caption_text(source, period_text(self.window if trend else self.scope), self.filters)
        return f"{text} · {extra}" if extra else text
