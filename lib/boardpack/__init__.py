"""The board pack: the charts a VP chose, as a PowerPoint deck and a PDF (SPEC §2, §7).

    deck = build(con, scope, ["delivery.lead_time_trend", ...], filters="Team: payments",
                 progress=lambda done, what: ...)
    deck.pptx(), deck.pdf()      # bytes; deck.slides: the composed slides, in order

Steps: `content.chart_content` builds each chart with the chart registry (the figure its page
draws: same views, same suppression); `render.Renderer` turns each into a PNG with one
Chromium for the whole deck; `compose` lays out the title slide, one slide per chart and
the closing slides; `pptx_writer` and `pdf_writer` draw those same slides. `picker` gives the
Board pack page's thumbnails (drawn by the browser). No streamlit here.

Errors: `registry.UnknownChart` (an id that is not registered, raised before any work),
`NoDataInPeriod` (nothing at all in the period for the teams in scope),
`render.ChromiumMissing`. A chart whose own data is missing is not an error: its slide
says what is missing.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb

from lib.boardpack.compose import PICTURE_SCALE, chart_layout, compose
from lib.boardpack.content import (
    ChartContent,
    DeckContent,
    Progress,
    chart_content,
    deck_content,
    slide_figure,
)
from lib.boardpack.layout import Slide
from lib.boardpack.picker import (  # noqa: F401 - the page's `data.view("lib.boardpack.thumbnails", …)`
    THUMBNAIL_FONT_PX,
    THUMBNAIL_MIN_FONT_PX,
    THUMBNAIL_PX,
    thumbnail_figure,
    thumbnails,
)
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
