"""The Board pack picker's thumbnails: each chart's slide picture, small, as a plain Plotly
dict the browser draws as a static plot (lib/ui/board_pack_page.py). No streamlit here."""

from __future__ import annotations

import html
import math
import re

import duckdb
import plotly.graph_objects as go

from lib.boardpack.compose import PICTURE_PX_WIDTH
from lib.boardpack.content import slide_figure
from lib.charts import registry
from lib.charts.fit import text_px
from lib.scope import Scope

# CSS pixels: a third of the page at 1440 px; the browser fits the width to the card
THUMBNAIL_PX = (330, 190)
THUMBNAIL_FONT_PX = 10
THUMBNAIL_MIN_FONT_PX = 7
THUMBNAIL_LABEL_CHARS = 18  # a category name on an axis, beyond which it ends in "…"
THUMBNAIL_MAX_CATEGORIES = 9  # names shown on such an axis, every second or third when more
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


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
    labels, and a heatmap its colours and row names without cell numbers (nor a text layer
    over its cells), colour bar or column labels: at 330 px these were a smear of overlapping
    digits (a new user's review of the page, December 2026). Category names over
    `THUMBNAIL_LABEL_CHARS` characters end in "…"."""
    small = slide_figure(fig, *THUMBNAIL_PX)
    # a month step (dtick "M1") would label all twelve months: at most 4 labels, as Plotly spaces them
    small.for_each_xaxis(
        lambda axis: axis.update(title_text=None, nticks=min(axis.nticks or 4, 4), dtick=None)
    )
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
    heatmap = any(trace.get("type") == "heatmap" for trace in spec["data"])
    if heatmap:  # its cell labels drawn as a text layer on top (the skills matrix's "hidden")
        spec["data"] = [trace for trace in spec["data"] if trace.get("mode") != "text"]
    for trace in spec["data"]:  # a heatmap's cell numbers, colour bar and months are a smear at this size
        if trace.get("type") == "heatmap":
            trace.update(showscale=False, texttemplate="", text=None)
            layout.setdefault(_axis_key("x", trace.get("xaxis")), {})["showticklabels"] = False
    _shorten_category_labels(spec)
    if "coloraxis" in layout:
        layout["coloraxis"]["showscale"] = False
    layout["margin"]["l"] = _left_margin(spec)
    return spec


THUMBNAIL_NUMBER_PX = 40  # left room for a number axis's labels ("$1.25M", "100%") at 10 px


def _left_margin(spec: dict) -> int:
    """The left margin the y axis's labels take, set up front: with Plotly's automargin alone
    (the slide's 8 px) every thumbnail was drawn twice, the second time with the room the
    labels took (26–36 px), which held the page switch at 0.52 s. A category axis gets its
    widest shown name (`lib.charts.fit.text_px`); a number axis `THUMBNAIL_NUMBER_PX`, which
    its labels rarely pass (automargin still makes room when they do)."""
    layout = spec["layout"]
    axis = layout.get("yaxis", {})
    if axis.get("showticklabels") is False or axis.get("side") == "right":
        return 8
    size = _size(axis.get("tickfont"), _size(layout.get("font"), THUMBNAIL_FONT_PX))
    names = axis.get("ticktext")
    if names is None:
        ys = [t["y"] for t in spec["data"] if t.get("yaxis", "y") == "y" and t.get("y") is not None]
        if not ys:
            return 8
        # `to_dict` writes a numeric array as {"dtype", "bdata"}
        if any(isinstance(y, dict) or not all(isinstance(v, str) for v in y) for y in ys):
            return THUMBNAIL_NUMBER_PX
        values = [v for y in ys for v in y]
        names = [_short(v) for v in dict.fromkeys(values)]
    return max(8, math.ceil(max((text_px(str(n), size) for n in names), default=0) + 8))


def _shorten_category_labels(spec: dict) -> None:
    """Category names on an axis that shows them, as the thumbnail can hold them: the first
    line only, without markup, and ending in "…" past `THUMBNAIL_LABEL_CHARS` characters (at
    330 px a long one was cut at the picture's edge: "nachine learning ⚠ one holder");
    every second or third name when there are more than `THUMBNAIL_MAX_CATEGORIES`."""
    layout = spec["layout"]
    for trace in spec["data"]:
        for letter in ("x", "y"):
            values = trace.get(letter)
            key = _axis_key(letter, trace.get(f"{letter}axis"))
            axis = layout.setdefault(key, {})
            if axis.get("showticklabels") is False or axis.get("tickvals") is not None:
                continue
            if values is None or not all(isinstance(v, str) for v in values):
                continue
            names = list(dict.fromkeys(values))
            if all(_short(v) == v for v in names) and len(names) <= THUMBNAIL_MAX_CATEGORIES:
                continue
            names = names[:: -(-len(names) // THUMBNAIL_MAX_CATEGORIES)]  # as Plotly thins them itself
            axis.update(tickmode="array", tickvals=names, ticktext=[_short(v) for v in names])


def _short(name: str) -> str:
    """A category name's first line, without markup, ending in "…" past the characters a
    thumbnail holds."""
    text = html.unescape(_TAG.sub("", _LINE_BREAK.split(name, maxsplit=1)[0])).strip()
    if len(text) <= THUMBNAIL_LABEL_CHARS:
        return text
    return text[: THUMBNAIL_LABEL_CHARS - 1].rstrip() + "…"


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
