"""A tile's sparkline as inline SVG, drawn with the page's HTML.

`st.metric(chart_data=…)` draws its sparkline with Vega-Lite: the first one on a page loads
Vega's bundle, and each compiles a view of its own. On the Overview's twelve tiles that was
about 0.4 s of a new tab (bench/RESULTS.md, 2026-12-06: 2.30 s with the Vega sparklines,
1.89 s without). An SVG path of eight points needs no script at all.

The line follows `st.metric`'s rules: the values scaled between their own minimum and maximum
(no zero baseline: a sparkline shows a shape, the tile shows the value), in the colour of the
tile's change (Streamlit's light theme: green, red, or grey when the change is not coloured).
Unlike st.metric's, a period without a comparable value is a gap, not a segment across it, as
on the board pack's tiles (`lib.charts.overview`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

# Streamlit 1.67's light theme (greenColor, redColor, grayColor): the change chip's colours.
GREEN, RED, GREY = "#079464", "#D94A57", "#6B7280"

_WIDTH, _HEIGHT, _PAD = 100.0, 40.0, 3.0  # viewBox units; stretched to the tile's width


def colour(delta_color: str, change: str | None) -> str:
    """The line's colour for `st.metric`'s `delta_color` ("normal", "inverse", "off") and the
    change as shown ("+4%", "-0.2 pts"): the colour Streamlit gives the change beside it."""
    if delta_color == "off" or not change:
        return GREY
    rising = not change.lstrip().startswith(("-", "−"))
    return GREEN if rising == (delta_color == "normal") else RED


def path(values: Sequence[float | None]) -> str:
    """SVG path data over the viewBox (100 × 40, y down): one subpath per run of values, a lone
    value a zero-length segment (drawn as a dot by the round cap). Empty for no value at all."""
    shown = [v for v in values if v is not None]
    if not shown or len(values) < 2:
        return ""
    low, high = min(shown), max(shown)
    span = high - low

    def y(v: float) -> float:
        middle = _HEIGHT / 2
        return middle if span == 0 else _HEIGHT - _PAD - (v - low) / span * (_HEIGHT - 2 * _PAD)

    step = _WIDTH / (len(values) - 1)
    parts, previous = [], None
    for i, v in enumerate(values):
        if v is None:
            previous = None
            continue
        point = f"{i * step:.2f},{y(v):.2f}"
        parts.append(f"L{point}" if previous is not None else f"M{point}")
        previous = v
    # a subpath of one point ("M x,y" followed by another "M" or nothing) gets a zero-length segment
    out = []
    for j, part in enumerate(parts):
        out.append(part)
        alone = part.startswith("M") and (j + 1 == len(parts) or parts[j + 1].startswith("M"))
        if alone:
            out.append("h0")
    return " ".join(out)


def svg(values: Sequence[float | None], line_colour: str, label: str) -> str:
    """The sparkline as an `<img>` of an SVG data URI (`st.html` keeps HTML only: an inline
    `<svg>` would be removed); `label` is its alternative text and hover text (escaped).
    Empty when there are fewer than two periods or no value."""
    d = path(values)
    if not d:
        return ""
    drawing = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH:g} {_HEIGHT:g}" preserveAspectRatio="none">'
        f'<path d="{d}" fill="none" stroke="{line_colour}" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round" vector-effect="non-scaling-stroke"/></svg>'
    )
    name = escape(label, quote=True)
    return (
        f'<img class="pillars-spark" src="data:image/svg+xml,{quote(drawing)}" alt="{name}" title="{name}" '
        'style="display:block;width:100%;height:44px">'
    )
