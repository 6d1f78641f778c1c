"""The board pack: the charts a VP chose, as a PowerPoint deck and a PDF (SPEC §2, §7).

    deck = build(con, scope, ["delivery.lead_time_trend", ...], filters="Team: payments",
                 progress=lambda done, what: ...)
    deck.pptx(), deck.pdf()      # bytes; deck.slides: the composed slides, in order

Steps: `content.chart_content` builds each chart with the chart registry (the figure its page
draws: same views, same suppression); `render.Renderer` turns each into a PNG with one
Chromium for the whole deck; `compose` lays out the title slide, one slide per chart and
the closing slides; `pptx_writer` and `pdf_writer` draw those same slides. No streamlit here.

Errors: `registry.UnknownChart` (an id that is not registered, raised before any work),
`NoDataInPeriod` (nothing at all in the period for the teams in scope),
`render.ChromiumMissing`. A chart whose own data is missing is not an error: its slide
says what is missing.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from lib.boardpack.compose import PICTURE_PX_WIDTH, PICTURE_SCALE, chart_layout, compose
from lib.boardpack.content import (
    ChartContent,
    DeckContent,
    Progress,
    chart_content,
    deck_content,
    slide_figure,
)
from lib.boardpack.layout import Slide
from lib.boardpack.render import Renderer
from lib.charts import registry
from lib.scope import Scope, period_text
from lib.sql import query_one
from lib.views import params

FORMATS = ("pptx", "pdf")


class NoDataInPeriod(ValueError):
    """No record at all in the period for the teams in scope: a deck would be only notices."""


@dataclass(frozen=True)
class Deck:
    content: DeckContent
    slides: tuple[Slide, ...]

    def pptx(self) -> bytes:
        from lib.boardpack.pptx_writer import write_pptx

        return write_pptx(list(self.slides))

    def pdf(self) -> bytes:
        from lib.boardpack.pdf_writer import write_pdf

        return write_pdf(list(self.slides))

    def file(self, fmt: str) -> bytes:
        """The deck as `fmt` ("pptx" or "pdf")."""
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
        return self.pptx() if fmt == "pptx" else self.pdf()


def check_period(con: duckdb.DuckDBPyConnection, scope: Scope, filters: str = registry.ALL_TEAMS) -> None:
    """Raise NoDataInPeriod, saying where the data is, when nothing happened in the period."""
    found = query_one(con, "boardpack/activity", params(scope))
    if found["records_in_period"]:
        return
    where = "" if scope.teams is None else f" for {filters}"
    if found["first_day"] is None:
        raise NoDataInPeriod(
            "the database holds no data: import your exports first (or `python -m lib demo`)."
        )
    raise NoDataInPeriod(
        f"no data in {period_text(scope)}{where}: the data runs from {found['first_day']:%d %b %Y} "
        f"to {found['last_day']:%d %b %Y}. Choose a period inside it."
    )


def _draw(renderer: Renderer, chart: ChartContent) -> bytes:
    width, height = chart_layout(chart).picture_px
    return renderer.png(slide_figure(chart.figure, width, height), width, height, PICTURE_SCALE)


def build(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    chart_ids: list[str] | tuple[str, ...] | None = None,
    filters: str = registry.ALL_TEAMS,
    progress: Progress | None = None,
    organisation: str | None = None,
) -> Deck:
    """The deck for `chart_ids` (default: the Overview's headline set) over `scope`; the title
    slide names `organisation` (else "Demo organisation" or "Engineering").

    The browser starts while the first chart is computed, and each chart is drawn (in
    Chromium, from a worker thread) while the next one is computed (in DuckDB), so the two
    cores work together. `progress(fraction, message)` is called before each chart is
    computed and as each drawing is collected.
    """
    ids = list(chart_ids) if chart_ids else list(registry.default_ids())
    for chart_id in ids:
        registry.get(chart_id)
    check_period(con, scope, filters)
    steps = 2 * len(ids) + 1

    def report(step: int, what: str) -> None:
        if progress:
            progress(step / steps, what)

    charts: list[ChartContent] = []
    drawings: list[Future | None] = []
    with Renderer() as renderer, ThreadPoolExecutor(max_workers=1, thread_name_prefix="deck-draw") as pool:
        for i, chart_id in enumerate(ids):
            report(i, f"Computing {registry.get(chart_id).name}")
            chart = chart_content(con, chart_id, scope, filters)
            charts.append(chart)
            drawings.append(None if chart.missing else pool.submit(_draw, renderer, chart))
        images = []
        for i, (chart, drawing) in enumerate(zip(charts, drawings, strict=True)):
            report(len(ids) + i, f"Drawing {chart.chart.name}")
            images.append(drawing.result() if drawing else None)
    report(steps - 1, "Laying out the slides")
    content = deck_content(con, scope, charts, filters, organisation)
    return Deck(content, tuple(compose(content, images)))


THUMBNAIL_PX = (
    330,
    190,
)  # CSS pixels: a third of the page at 1440 px; the browser fits the width to the card
THUMBNAIL_FONT_PX = 10
THUMBNAIL_MIN_FONT_PX = 7


def thumbnail_figure(fig: go.Figure) -> dict:
    """The picker's small picture of a chart, as a plain Plotly dict: its slide picture
    (`slide_figure`: no title or caption, the card's switch names the chart) at `THUMBNAIL_PX`,
    with `THUMBNAIL_FONT_PX` text, no axis titles (at this size they are longer than the plot
    and would be cut), at most 4 labels on an x axis (more turn on end and fall off the
    picture), and no hover. Sizes a figure sets itself (a tile's number) shrink as
    the picture does (330 of the slide's 960 px); a note that would fall under
    `THUMBNAIL_MIN_FONT_PX` is left out (unreadable, and too wide for its place: the Overview
    tiles' "No published benchmark" ran past the card at 1280 px), other text stays at that
    size. Small multiples (more than two x axes) keep their panels' shapes without tick
    labels, and a heatmap its colours and row names without cell numbers, colour bar or column
    labels: at 330 px these were a smear of overlapping digits (a new user's review of the
    page, December 2026)."""
    small = slide_figure(fig, *THUMBNAIL_PX)
    small.for_each_xaxis(lambda axis: axis.update(title_text=None, nticks=min(axis.nticks or 4, 4)))
    small.for_each_yaxis(lambda axis: axis.update(title_text=None))
    small.update_layout(
        width=None, autosize=True, hovermode=False,
        margin={"b": min(small.layout.margin.b, 28), "l": 8, "r": 8},
    )  # fmt: skip
    spec = small.to_dict()
    factor = THUMBNAIL_PX[0] / PICTURE_PX_WIDTH
    layout = spec["layout"]
    notes = layout.get("annotations", [])
    layout["annotations"] = [n for n in notes if _size(n.get("font"), THUMBNAIL_FONT_PX) * factor >= THUMBNAIL_MIN_FONT_PX
                             or "size" not in n.get("font", {})]  # fmt: skip
    _shrink_fonts(spec, factor)
    layout["font"] = {**layout.get("font", {}), "size": THUMBNAIL_FONT_PX}
    legend = layout.setdefault("legend", {})
    legend["font"] = {**legend.get("font", {}), "size": THUMBNAIL_MIN_FONT_PX + 1}  # a long key still fits
    axes = [key for key in layout if key.startswith(("xaxis", "yaxis"))]
    if sum(key.startswith("xaxis") for key in axes) > 2:  # small multiples: the panels' shapes, no numbers
        for key in axes:
            layout[key]["showticklabels"] = False
    for trace in spec["data"]:  # a heatmap's cell numbers, colour bar and months are a smear at this size
        if trace.get("type") == "heatmap":
            trace.update(showscale=False, texttemplate="", text=None)
            layout.setdefault(_axis_key("x", trace.get("xaxis")), {})["showticklabels"] = False
    if "coloraxis" in layout:
        layout["coloraxis"]["showscale"] = False
    return spec


def _axis_key(letter: str, ref: str | None) -> str:
    """The layout key of a trace's axis reference: 'x' → 'xaxis', 'x3' → 'xaxis3'."""
    return f"{letter}axis{(ref or letter)[1:]}"


def _size(font: dict | None, default: float) -> float:
    return font["size"] if font and isinstance(font.get("size"), int | float) else default


def _shrink_fonts(node, factor: float) -> None:
    """Every font size in a figure dict (`font`, `textfont`, `tickfont`, … `.size`), times
    `factor`, never under `THUMBNAIL_MIN_FONT_PX`, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if (
                key.endswith("font")
                and isinstance(value, dict)
                and isinstance(value.get("size"), int | float)
            ):
                value["size"] = max(THUMBNAIL_MIN_FONT_PX, round(value["size"] * factor, 1))
            _shrink_fonts(value, factor)
    elif isinstance(node, list):
        for value in node:
            _shrink_fonts(value, factor)


def thumbnails(
    con: duckdb.DuckDBPyConnection,
    chart_ids: tuple[str, ...],
    scope: Scope,
    filters: str = registry.ALL_TEAMS,
) -> dict[str, dict | str]:
    """The Board pack picker's thumbnails: {chart id: the `thumbnail_figure` as a plain Plotly
    dict, or, for a chart without data, the sentence saying what is missing}, in `chart_ids`
    order. Aggregates only, as on the pages; the browser draws them (static plots).

    Drawn in the browser rather than by kaleido's Chromium on the server: on the demo's
    Delivery tab (21 charts, 2-core machine) the server-side pictures cost a 1.3–1.7 s browser
    start and 3.4–4.1 s of drawing on top of 1.6 s of computing the figures, which held the
    page's first visit at 8.5 s (bench/RESULTS.md). Raises `registry.UnknownChart` on an id
    that is not registered.
    """
    out: dict[str, dict | str] = {}
    for chart_id in chart_ids:
        fig = registry.figure(con, chart_id, scope, filters)
        out[chart_id] = registry.missing(fig) or thumbnail_figure(fig)
    return out
