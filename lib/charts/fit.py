"""Chart text that fits its card: titles, subtitles and captions broken by measured width,
margins grown to hold every line, and the camera button's file name.

Why: Plotly neither wraps text nor makes room for an annotation, so a title one word too
long for its card is cut at the card's edge ("… 72.1/wk → 95"), and a caption longer than
the plot runs off the PNG ("… · All te"). Breaking by character count fits one font at one
width only. Here a line is measured with Arial's advance widths (Liberation Sans and
Helvetica share them; Segoe UI is narrower, Inter a little wider, hence `SAFETY`) against the
width the figure is drawn at: `card_px(span)`, the plot width of a card taking `span` of the
page's width at the narrowest screen Pillars is laid out for (1280 × 800 with the sidebar
open; measured in Chromium: a half-width card's figure is 370 px wide, a full-width one
788 px). A wider screen only adds room.

`fit(fig, width)` is applied by `lib.charts.finish` (for the half-width card every builder
assumes) and again by `lib.ui.layout.chart` for the card the page actually draws into;
it is idempotent. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# Advance widths in 1/1000 em of Arial (= Liberation Sans, Helvetica) for ' ' … '~'.
_ASCII = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_WIDTHS = {chr(32 + i): w for i, w in enumerate(_ASCII)} | {
    "–": 556, "—": 1000, "·": 278, "→": 1000, "←": 1000, "↑": 500, "↓": 500, "≥": 549,
    "≤": 549, "÷": 549, "×": 584, "°": 400, "±": 549, "…": 1000, "’": 222, "‘": 222,
    "“": 333, "”": 333, "€": 556, "£": 556, "−": 584, "≈": 549, "⚠": 1000, "\u00a0": 278,
}  # fmt: skip
_OTHER = 600  # a letter outside the table (é, ü, ñ…): about an average capital
SAFETY = 1.08  # Inter, the template's first choice, runs about 7% wider than Arial

# Measured in Chromium at 1280 × 800, sidebar open: the main column is 820 px wide, columns
# are 16 px apart, and a bordered card's figure is 34 px narrower than its column.
PAGE_PX = 820
GAP_PX = 16
CARD_INSET_PX = 34
HALF = 0.5

PAD_PX = 12  # between the figure's edge and its title or caption, left and right
LINE_HEIGHT = 1.3  # Plotly's line spacing, as a multiple of the font size
TITLE_SIZE = 17  # the template's title size (lib.charts)
SUBTITLE_SIZE = 12.5
CAPTION_SIZE = 10.5
TICK_SIZE = 13

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"\s*<br\s*/?>\s*")
_DATE = re.compile(r"\b(?:\d{1,2} )?[A-Z][a-z]{2} \d{4}\b")  # "Nov 2025", "01 Nov 2025"


def card_px(span: float = HALF) -> int:
    """Width in px of the figure in a card taking `span` (0–1] of the page's width, at 1280 px."""
    if not 0 < span <= 1:
        raise ValueError(f"span must be in (0, 1], got {span}")
    return round((PAGE_PX + GAP_PX) * span - GAP_PX - CARD_INSET_PX)


def text_px(text: str, size: float) -> float:
    """Width in px of one line of `text` (tags such as <b> not counted) at `size` px."""
    plain = _TAG.sub("", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return sum(_WIDTHS.get(ch, _OTHER) for ch in plain) * size / 1000 * SAFETY


def plain(text: str | None) -> str:
    """Figure text with the line breaks a previous wrap added undone."""
    return _BREAK.sub(" ", text or "").strip()


def wrap_px(text: str, width: float, size: float) -> list[str]:
    """Break `text` into as few lines no wider than `width` px as it needs, as even in length
    as they can be, never splitting a date ('Nov 2025'); a word wider than a line gets a line
    of its own."""
    text = plain(text)
    if not text:
        return []
    words = _DATE.sub(lambda m: m.group().replace(" ", "\u00a0"), text).split(" ")
    sizes = [text_px(word, size) for word in words]
    space = text_px(" ", size)

    def greedy(limit: float) -> list[str]:
        lines, line, line_px = [], [], 0.0
        for word, word_px in zip(words, sizes, strict=True):
            if line and line_px + space + word_px > limit:
                lines.append(" ".join(line))
                line, line_px = [word], word_px
            else:
                line_px += (space if line else 0.0) + word_px
                line.append(word)
        return [*lines, " ".join(line)]

    fewest = len(greedy(width))
    low, high = max([*sizes, 0.0]), float(width)  # the narrowest limit that still needs `fewest` lines
    for _ in range(24):
        mid = (low + high) / 2
        low, high = (low, mid) if len(greedy(mid)) <= fewest else (mid, high)
    return [line.replace("\u00a0", " ") for line in greedy(max(high, low))]


def wrap_caption(text: str, width: float, size: float = CAPTION_SIZE) -> list[str]:
    """Break a caption ('Source: … · Period: … · Teams: …') into lines no wider than `width` px,
    filling each line and breaking between its ' · ' parts where it can (the line keeps its
    ' ·', so the caption reads the same unwrapped), inside a part only when the part alone is
    wider than a line."""
    room = width - text_px(" ·", size)
    lines: list[str] = []
    for part in plain(text).split(" · "):
        if lines and text_px(f"{lines[-1]} · {part}", size) <= room:
            lines[-1] = f"{lines[-1]} · {part}"
            continue
        if lines:
            lines[-1] += " ·"
        lines.extend([part] if text_px(part, size) <= room else _fill(part, room, size))
    return lines


def _fill(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for word in _DATE.sub(lambda m: m.group().replace(" ", "\u00a0"), text).split(" "):
        if lines and text_px(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return [line.replace("\u00a0", " ") for line in lines]


def _lines(text: str | None) -> int:
    return len(_BREAK.findall(text)) + 1 if text else 0


def _template_size(path: str, default: float) -> float:
    import plotly.io as pio

    node = pio.templates["pillars"].layout
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return default
    return node or default


def _category_px(fig: go.Figure) -> float:
    """How far the widest category label on the left axis pushes the plot right (automargin)."""
    widest = 0.0
    for trace in fig.data:
        labels = getattr(trace, "y", None)
        if labels is None or getattr(trace, "yaxis", "y") not in (None, "y"):
            continue
        for label in labels:
            if isinstance(label, str):
                widest = max(widest, *(text_px(part, TICK_SIZE) for part in _BREAK.split(label)))
    if not widest:
        return 0.0
    axis_title = fig.layout.yaxis.title.text if fig.layout.yaxis and fig.layout.yaxis.title else None
    return widest + 10 + (TICK_SIZE * LINE_HEIGHT + 6 if axis_title else 0)


def _thin_month_ticks(fig: go.Figure, plot_px: float) -> None:
    """A month axis labelled every month ("Dec 2025" … "Nov 2026") that the plot cannot hold
    side by side gets a label every 2, 3, 4, 6 or 12 months instead: Plotly turned twelve of them
    on end in a 684 px plot, and they pushed the axis title onto the caption (a review, 1280 px)."""
    axis = fig.layout.xaxis
    if axis.dtick != "M1" or "%b" not in (axis.tickformat or ""):
        return
    months = set()
    for trace in fig.data:
        if getattr(trace, "xaxis", "x") in (None, "x") and getattr(trace, "orientation", None) != "h":
            xs = getattr(trace, "x", None)
            for x in () if xs is None else xs:
                if isinstance(x, str | dt.date | dt.datetime | np.datetime64):
                    stamp = pd.Timestamp(x)
                    if not pd.isna(stamp):
                        months.add((stamp.year, stamp.month))
    label = text_px(dt.date(2026, 9, 1).strftime(axis.tickformat), TICK_SIZE) + 6  # the widest month name
    for step in (1, 2, 3, 4, 6, 12):
        if len(months) / step * label <= plot_px:
            break
    if step > 1:
        axis.dtick = f"M{step}"


LEGEND_ROW_PX = 20  # a row of the legend at 13 px (measured in Chromium)
LEGEND_ITEM_PX = 43  # a legend item's symbol and gaps, besides its text (measured)


def legend_rows(fig: go.Figure, plot_width: float) -> int:
    """Rows a horizontal legend above the plot takes at `plot_width` (0 when there is none).

    Plotly puts the items on one row when they fit the plot's width, else in a grid whose
    columns are as wide as the widest item.
    """
    legend = fig.layout.legend
    shown = fig.layout.showlegend
    names = list(dict.fromkeys(t.name for t in fig.data if t.name and t.showlegend is not False))
    if shown is False or (shown is None and len(names) < 2) or not names:
        return 0
    if (legend.orientation or "h") != "h" or (legend.y if legend.y is not None else 1.0) < 1:
        return 0
    size = (legend.font.size if legend.font else None) or TICK_SIZE
    items = [text_px(name, size) + LEGEND_ITEM_PX for name in names]
    if sum(items) <= plot_width:
        return 1
    columns = max(1, int(plot_width // (max(items) + 2)))
    return math.ceil(len(items) / columns)


def _room_above_plot(fig: go.Figure, width: float, height: float, top: float) -> int:
    """Extra top margin (px) the title, its subtitle and a legend above the plot need, stacked,
    beyond `top`: a builder that guessed the legend's rows for another width overlapped them."""
    title = fig.layout.title
    if not title or not title.text or (title.yref or "container") != "container":
        return 0
    y = title.y if title.y is not None else _template_size("title.y", 0.96)
    size = (title.font.size if title.font else None) or _template_size("title.font.size", TITLE_SIZE)
    block = _lines(title.text) * size * LINE_HEIGHT
    sub = title.subtitle
    if sub is not None and sub.text:
        block += _lines(sub.text) * ((sub.font.size if sub.font else None) or SUBTITLE_SIZE) * LINE_HEIGHT + 4
    margin = fig.layout.margin
    plot = (
        width
        - (margin.l if margin.l is not None else 64)
        - (margin.r if margin.r is not None else _template_size("margin.r", 40))
    )
    rows = legend_rows(fig, plot - max(0.0, _category_px(fig) - (margin.l if margin.l is not None else 64)))
    rest = block + 8 + (rows * LEGEND_ROW_PX + 10 if rows else 0)
    short = (1 - y) * height + rest - top  # the title's top moves down as the figure grows
    return max(0, math.ceil(short / y)) if short > 0 else 0


def fit(fig: go.Figure, width: int | None = None, months: bool = True) -> go.Figure:
    """Wrap `fig`'s title, subtitle and caption to a figure `width` px wide (default: a
    half-width card) and grow its top and bottom margins, and height, by what the extra lines
    take, so no line is cut. The caption is aligned with the title, `PAD_PX` from the left
    edge. With `months`, a month axis labelled every month gets fewer labels when they do not
    fit side by side (`_thin_month_ticks`; a builder's `finish` leaves that to the card, whose
    width it does not know). Changes and returns `fig`; fitting a fitted figure changes nothing."""
    width = width or card_px(HALF)
    margin = fig.layout.margin
    top = margin.t if margin.t is not None else 64
    bottom = margin.b if margin.b is not None else 96
    left = margin.l if margin.l is not None else 64
    right = margin.r if margin.r is not None else _template_size("margin.r", 40)
    if (category := _category_px(fig)) > left:
        # the left margin Plotly's automargin would grow to, set up front: it then draws the
        # figure once instead of drawing it, growing the margin and drawing it again (on the
        # Engagement page, four charts of six drew twice); automargin still rescues a label
        # a font wider than the estimate pushes further
        left = math.ceil(category) + 3
        fig.update_layout(margin={"l": left})
    height = fig.layout.height or 450
    if months:
        _thin_month_ticks(fig, width - left - right)
    grow_top = 0.0
    title = fig.layout.title
    if title and title.text:
        size = (title.font.size if title.font else None) or _template_size("title.font.size", TITLE_SIZE)
        lines = wrap_px(title.text, width - 2 * PAD_PX, size)
        grow_top += (len(lines) - _lines(title.text)) * size * LINE_HEIGHT
        fig.update_layout(title={"text": "<br>".join(lines), "x": 0, "xref": "container",
                                 "xanchor": "left", "pad": {"l": PAD_PX}})  # fmt: skip
        sub = title.subtitle
        if sub is not None and sub.text:
            sub_size = (sub.font.size if sub.font else None) or SUBTITLE_SIZE
            sub_lines = wrap_caption(sub.text, width - 2 * PAD_PX, sub_size)
            grow_top += (len(sub_lines) - _lines(sub.text)) * sub_size * LINE_HEIGHT
            fig.update_layout(title={"subtitle": {"text": "<br>".join(sub_lines)}})
    grow_top = round(grow_top)
    grow_top += _room_above_plot(fig, width, height + grow_top, top + grow_top)
    for note in fig.layout.annotations:  # a no-data notice, centred in the plot area
        if note.name == "message" and note.text:
            size = (note.font.size if note.font else None) or 13
            plot = width - left - right
            note.update(text="<br>".join(wrap_px(note.text, plot, size)), align="center")
    grow_bottom = 0
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if caption is not None and caption.text and caption.xref == "paper" and caption.x in (0, None):
        size = (caption.font.size if caption.font else None) or CAPTION_SIZE
        pushed = max(0.0, _category_px(fig) - left)  # automargin moves the plot, and the caption
        lines = wrap_caption(caption.text, width - 2 * PAD_PX - pushed, size)
        caption.update(text="<br>".join(lines), xanchor="left", align="left", xshift=PAD_PX - left)
        needed = math.ceil(-(caption.yshift or 0) + len(lines) * size * LINE_HEIGHT + 8)
        if caption.y in (0, None) and (caption.yanchor or "top") == "top" and needed > bottom:
            grow_bottom = needed - bottom
    if grow_top or grow_bottom:
        fig.update_layout(
            height=height + grow_top + grow_bottom,
            margin={"t": max(0, top + grow_top), "b": bottom + grow_bottom},
        )
    return fig


_PERIOD = re.compile(r"Period: (\d{1,2} [A-Z][a-z]{2} \d{4}) – (\d{1,2} [A-Z][a-z]{2} \d{4})")


def file_stem(name: str, fig: go.Figure | None = None) -> str:
    """The camera PNG's file name without '.png': the chart's name and the period its caption
    states, e.g. 'deployment-frequency-trend-2025-11-01-to-2026-10-31' (the name alone when
    the caption states no period of two dates)."""
    words = re.sub(r"['’]", "", name.lower().replace("&", " and "))
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "pillars-chart"
    caption = next((a.text for a in fig.layout.annotations if a.name == "caption"), None) if fig else None
    found = _PERIOD.search(plain(caption)) if caption else None
    if not found:
        return slug
    start, end = (dt.datetime.strptime(d, "%d %b %Y").date() for d in found.groups())
    return f"{slug}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
