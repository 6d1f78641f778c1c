"""Takeaway titles that wrap instead of being cut, with the numbers behind them as a subtitle.

Plotly does not wrap titles: `headline` breaks a title into even lines (never leaving one
word alone, never splitting "Dec 2025"), puts the numbers behind the claim in a muted
subtitle, leaves room for a horizontal legend under them and wraps the in-figure caption.
Any page's chart builders may use it. No streamlit here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import plotly.graph_objects as go

from lib.charts import MUTED
from lib.charts.fit import PAD_PX, card_px, wrap_caption
from lib.formatting import format_value, is_missing

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


# ---------------------------------------------------------------------------- trend takeaways
# One rule for every pillar's trend title (delivery, flow, engagement, retention, skills,
# business, the Overview), tested on crafted series in tests/unit/test_trend_titles.py:
#
# - only *countable* points speak: a value (a gap is no data, never 0), a whole bucket (not
#   `partial`) standing on enough events or people (not `few`, lib.views.buckets.MIN_COUNT);
# - fewer than two countable points: no trend is claimed;
# - the start is the median of the first k countable points, the end the median of the last
#   k (k = 1 under 6 points, 2 under 9, else 3), so one spike never makes the headline; or,
#   when the caller gives `now` (the catalog's value over the chosen period, the very number
#   its tile shows), the end is `now`;
# - "since" names the first countable point (a source that starts mid-window says so);
# - a move under 1 point (fractions, scores) or 5% (anything else) is "steady"; a move
#   from 0 is "up from 0", never a percentage.

POINT_UNITS = ("%", "score")  # moves in points; everything else in percent


@dataclass(frozen=True)
class Move:
    """What a trend did between its start and its end (`trend_move`)."""

    first: float
    last: float
    since: object  # the first countable period
    until: object  # the last countable period
    k: int  # points in each end's median
    points: int  # countable points
    size: float | None  # points for POINT_UNITS, else a relative change; None from 0
    direction: str  # "up", "down" or "steady"
    now: bool  # the end is the chosen period's value


def countable(periods, values, partial=None, few=None) -> list[tuple[object, float]]:
    """(period, value) of the points that may make a title: a value, a whole bucket, enough
    events or people behind it."""
    n = len(values)
    partial = list(partial) if partial is not None else [False] * n
    few = list(few) if few is not None else [False] * n
    return [
        (p, float(v))
        for p, v, cut, small in zip(periods, values, partial, few, strict=True)
        if not is_missing(v) and not bool(cut) and not bool(small)
    ]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def trend_move(periods, values, unit: str, partial=None, few=None, now=None) -> Move | None:
    """The move a title may state, or None with fewer than two countable points."""
    points = countable(periods, values, partial, few)
    if len(points) < 2:
        return None
    k = 1 if len(points) < 6 else 2 if len(points) < 9 else 3
    first = _median([v for _, v in points[:k]])
    last = float(now) if not is_missing(now) else _median([v for _, v in points[-k:]])
    if unit in POINT_UNITS:
        size = (last - first) * (100 if unit == "%" else 1)
        steady = abs(size) < 1
    elif first == 0:
        size, steady = None, last == 0
    else:
        size = (last - first) / abs(first)
        steady = abs(size) < 0.05
    direction = "steady" if steady else "up" if last > first else "down"
    return Move(
        first, last, points[0][0], points[-1][0], k, len(points), size, direction, not is_missing(now)
    )


def when(period, grain: str = "month") -> str:
    """How a title names a bucket: 'Dec 2025' (month), 'Q4 2025' (quarter), '1 Dec 2025' (week)."""
    if not hasattr(period, "strftime"):
        return str(period)
    if grain == "week":
        return f"{period.day} {period:%b %Y}"
    if grain == "quarter":
        return f"Q{(period.month - 1) // 3 + 1} {period:%Y}"
    return f"{period:%b %Y}"


def trend_takeaway(
    label: str,
    unit: str,
    periods,
    values,
    partial=None,
    few=None,
    now=None,
    grain: str = "month",
    bucket: str | None = None,
) -> tuple[str, str | None]:
    """(claim, the numbers behind it) for a trend of `values` over `periods`:
    ('Deployment frequency up 38% since Dec 2025', '81/wk (Dec 2025) → 97.1/wk (chosen period)').

    `partial` and `few` flag points that may not speak (above); `now` is the chosen
    period's value (the tile's) when the page shows one; `grain` names the buckets
    ("week", "month", "quarter"); `bucket` overrides the noun ("survey wave").
    """
    noun = bucket or grain
    if bucket:  # survey waves are dated by their month, whatever the grain
        grain = "month"
    shown = [v for v in values if not is_missing(v)]
    if not shown:
        return f"{label}: no data", None
    move = trend_move(periods, values, unit, partial, few, now)
    if move is None:
        points = countable(periods, values, partial, few)
        if points:
            period, value = points[0]
            return (
                f"{label}: one {noun} of data, not yet a trend",
                f"{format_value(value, unit)} in {when(period, grain)}",
            )
        return (
            f"{label}: too little data for a trend",
            f"no whole {noun} with at least {_min_count()} events or people behind it",
        )
    since = when(move.since, grain)
    start, end = format_value(move.first, unit), format_value(move.last, unit)
    if move.now:
        start = f"first {move.k} {noun}s' median {start}" if move.k > 1 else f"{start} in {since}"
        detail = f"{start} → {end} in the chosen period"
    elif move.k > 1:
        detail = (
            f"{start} → {end}, medians of the first and last {move.k} {noun}s, to {when(move.until, grain)}"
        )
    else:
        detail = f"{start} → {end} in {when(move.until, grain)}"  # the start is the title's "since"
    # shares: the points between the ends as shown, "17% → 22%" is "up 5 pts", never "up 4"
    # (21.6 − 17.4); under one shown point the share is steady
    points = _as_shown(move.last) - _as_shown(move.first) if unit == "%" else None
    if move.direction == "steady" or (points is not None and abs(points) < 1):
        return f"{label} steady since {since} at {format_value(move.last, unit)}", detail
    if move.size is None:
        return f"{label} up from 0 since {since}", detail
    if points is not None:
        amount = _points(abs(points))
    else:
        amount = _points(abs(move.size)) if unit in POINT_UNITS else f"{abs(move.size) * 100:.0f}%"
    return f"{label} {move.direction} {amount} since {since}", detail


def _points(size: float) -> str:
    """'1 pt', '6 pts': whole points, singular for one ('down 1 pts' was a review's finding)."""
    shown = f"{size:.0f}"
    return f"{shown} pt" if shown == "1" else f"{shown} pts"


def _as_shown(share: float) -> float:
    """A share in points as `format_value` shows it: a tenth of a point under 10%, else whole."""
    return round(share * 100, 1 if abs(share) < 0.1 else 0)


def _min_count() -> int:
    from lib.views.buckets import MIN_COUNT

    return MIN_COUNT
