"""The Board pack picker's thumbnails: each chart's slide picture, small, as a plain Plotly
dict the browser draws as a static plot (lib/ui/board_pack_page.py). No streamlit here."""

from __future__ import annotations

import duckdb
import plotly.graph_objects as go

from lib.boardpack.compose import PICTURE_PX_WIDTH
from lib.boardpack.content import slide_figure
from lib.charts import registry
from lib.scope import Scope

# CSS pixels: a third of the page at 1440 px; the browser fits the width to the card
THUMBNAIL_PX = (330, 190)
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
    page's first visit at 6.1 s on the demo and 6.8 s on the large organisation (4.5 and 5.4 s
    drawn in the browser: `bench/run.py --pages board_pack`, December 2026). Raises
    `registry.UnknownChart` on an id that is not registered.
    """
    out: dict[str, dict | str] = {}
    for chart_id in chart_ids:
        fig = registry.figure(con, chart_id, scope, filters)
        out[chart_id] = registry.missing(fig) or thumbnail_figure(fig)
    return out
