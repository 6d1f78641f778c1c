"""Takeaway titles that wrap instead of being cut, with the numbers behind them as a subtitle.

Plotly does not wrap titles: `headline` breaks a title into even lines (never leaving one
word alone, never splitting "Dec 2025"), puts the numbers behind the claim in a muted
subtitle, leaves room for a horizontal legend under them and wraps the in-figure caption.
Any page's chart builders may use it. No streamlit here.
"""

from __future__ import annotations

import math
import re

import plotly.graph_objects as go

from lib.charts import MUTED
from lib.charts.fit import PAD_PX, card_px, wrap_caption

TITLE_CHARS = 46  # a half-width chart's title line at the template's 17 px


_DATE = re.compile(r"\b(?:\d{1,2} )?[A-Z][a-z]{2} \d{4}\b")


def wrap(text: str, width: int = TITLE_CHARS) -> list[str]:
    """Split a title into as few lines of at most `width` characters as it needs, of even
    length, never leaving one word alone on a line or splitting 'Dec 2025'."""
    lines_needed = math.ceil(len(text) / width)
    target = math.ceil(len(text) / lines_needed) if lines_needed else width
    lines, line = [], ""
    for word in _DATE.sub(lambda m: m.group().replace(" ", "\u00a0"), text).split(" "):
        if line and len(line) + 1 + len(word) > min(width, target + 6):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


CAPTION_CHARS = 62  # a half-width chart's caption line at 10.5 px


def headline(
    fig: go.Figure,
    title: str,
    detail: str | None = None,
    width: int = TITLE_CHARS,
    extra_top: int = 0,
    legend_px: int = 360,
) -> go.Figure:
    """Set a takeaway title that wraps instead of being cut, the numbers behind it below it,
    room for the legend under them, and a caption that wraps instead of running off."""
    lines = wrap(title, width)
    details = wrap(detail, round(width * 1.3)) if detail else []
    names = [t.name or "" for t in fig.data if t.showlegend is not False]
    legend_rows = 0
    if names and fig.layout.showlegend is not False:
        # Plotly wraps a horizontal legend to the plot's width: `legend_px` for a half-width chart.
        legend_rows = math.ceil(sum(38 + 7 * len(n) for n in names) / (legend_px * width / TITLE_CHARS))
    top = 52 + 22 * len(lines) + 17 * len(details) + (6 if details else 0) + 26 * legend_rows + extra_top
    text = {"text": "<br>".join(lines)}
    if details:
        text["subtitle"] = {"text": "<br>".join(details), "font": {"size": 12.5, "color": MUTED}}
    fig.update_layout(
        title=text,
        margin={"t": top},
        height=(fig.layout.height or 380) + top - 64,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                "traceorder": "normal"},
    )  # fmt: skip
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if caption is not None:
        caption.text = "<br>".join(wrap_caption(caption.text, card_px() * width / TITLE_CHARS - 2 * PAD_PX))
    return fig


def split_detail(title: str) -> tuple[str, str | None]:
    """'Lead time down 31% since Dec 2025 (8.1 hours → 5.56 hours)' → the claim and its numbers."""
    if title.endswith(")") and " (" in title:
        claim, _, detail = title[:-1].rpartition(" (")
        return claim, detail
    return title, None
