"""Points that may not make a title, marked on the chart: partial buckets and small numbers.

A partial bucket (a week of one Monday, the month a source's data begins or ends) and a
rate that stands on fewer than `lib.views.buckets.MIN_COUNT` events or people are drawn,
but as hollow markers named in the legend ("Partial or too few: not in the title"), and
their hover says why, with the count behind the value. The title rules that leave them
out are in `lib.charts.titles.trend_takeaway`. No streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import MUTED
from lib.formatting import count_of
from lib.scope import Scope
from lib.views.buckets import MIN_COUNT, full_days, is_few

LEGEND = "Partial or too few: not in the title"
NOTE = "○ partial period or too few to count: drawn, not in the title"
# A flagged point more than this many times the highest point that may speak is drawn at the
# top edge instead of stretching the axis: a partial month of 1 deployment in 2 days reads
# 3.5/wk, and scaled to it a line at 0.23/wk would lie flat on the floor.
OFF_SCALE = 2.0
# Room above the highest point that may speak, as a share of it.
HEADROOM = 1.25


def _one(noun: str) -> str:
    """The singular of a plural count noun: 'people' → 'person', 'pull requests' → 'pull request'."""
    irregular = {"people": "person", "items in progress": "item in progress"}
    return irregular.get(noun, noun.removesuffix("s"))


def few_flags(frame: pd.DataFrame, count: str | None) -> pd.Series | None:
    """Per row: the value stands on fewer than MIN_COUNT of `count` (None without a count)."""
    if not count or count not in frame:
        return None
    return is_few(frame[count])


def reasons(
    frame: pd.DataFrame, grain: str, count: str | None = None, noun: str = "events"
) -> list[str | None]:
    """Per row: why the point may not make a title ('partial month: 5 of 31 days', 'only 3
    deployments'), None when it may."""
    partial = frame["partial"] if "partial" in frame else pd.Series(False, index=frame.index)
    few = few_flags(frame, count)
    out = []
    for i, (idx, row) in enumerate(frame.iterrows()):
        why = []
        if bool(partial.iloc[i]) and "days" in frame and int(row["days"]) < full_days(row["period"], grain):
            why.append(f"partial {grain}: {int(row['days'])} of {full_days(row['period'], grain)} days")
        elif bool(partial.iloc[i]) and "days" in frame:
            why.append(f"the data begins or ends in this {grain}")
        elif bool(partial.iloc[i]):
            why.append(f"partial {grain}")
        if few is not None and bool(few.loc[idx]):
            why.append(f"only {count_of(row[count], _one(noun), noun)} (fewer than {MIN_COUNT})")
        out.append("; ".join(why) or None)
    return out


def scale_top(frame: pd.DataFrame, column: str, grain: str, count: str | None = None) -> float | None:
    """The top of a linear y axis fitted to the points that may make a title, when a flagged
    point lies more than OFF_SCALE times above the highest of them; None when every point
    may share the axis (or fewer than two points may speak, so there is no line to protect).

    Units are `column`'s. Flagged points above the top are drawn on it by `flag_points`."""
    if column not in frame or frame.empty:
        return None
    why = reasons(frame, grain, count)
    values = pd.to_numeric(frame[column], errors="coerce")
    speaking = values[[w is None for w in why]].dropna()
    flagged_values = values[[w is not None for w in why]].dropna()
    if len(speaking) < 2 or flagged_values.empty or float(speaking.max()) <= 0:
        return None
    high = float(speaking.max())
    if float(flagged_values.max()) <= OFF_SCALE * high:
        return None
    return high * HEADROOM


def flag_points(
    fig: go.Figure,
    frame: pd.DataFrame,
    x: str,
    column: str,
    grain: str,
    count: str | None = None,
    noun: str = "events",
    fit: bool = True,
    top: float | None = None,
    **where,
) -> go.Figure:
    """Overlay hollow markers on the points of `column` that may not make a title, each with
    its reason and count in the hover; `where` (row=, col=) places them in a subplot.

    With `fit` (a linear axis from zero), a flagged point far above the others (`scale_top`)
    does not stretch the axis: the axis ends at `scale_top` and the point is drawn on its top
    edge as an open triangle, its value in the hover ("3.5, off the scale: partial month: 2
    of 31 days"). A caller that sets its own axis passes its `top` (every flagged point above
    it is drawn on the edge) and sets the range itself."""
    why = reasons(frame, grain, count, noun)
    rows = [i for i, w in enumerate(why) if w and pd.notna(frame[column].iloc[i])]
    if not rows:
        return fig
    own = top is not None
    if not own:
        top = scale_top(frame, column, grain, count) if fit else None
    shown = frame.iloc[rows]
    values = pd.to_numeric(shown[column], errors="coerce")
    above = [top is not None and float(v) > top for v in values]
    fig.add_trace(
        go.Scatter(
            x=shown[x],
            y=[top if off else v for v, off in zip(values, above, strict=True)],
            mode="markers",
            name=LEGEND,
            marker={
                "symbol": ["triangle-up-open" if off else "circle-open" for off in above],
                "size": 13,
                "color": MUTED,
                "line": {"width": 2},
            },
            customdata=[
                [f"{float(v):,.3g}, off the scale: {why[i]}" if off else why[i]]
                for i, v, off in zip(rows, values, above, strict=True)
            ],
            hovertemplate="%{customdata[0]}<extra></extra>",
            showlegend=False,
            legendgroup="flagged",
            cliponaxis=False,
        ),
        **where,
    )
    if top is not None and not own:
        fig.update_yaxes(range=[0, top], **where)
    _break_lines_at(fig, [(px, v) for px, v, off in zip(shown[x], values, above, strict=True) if off])
    return fig


def _break_lines_at(fig: go.Figure, points: list[tuple[object, float]]) -> None:
    """Leave a gap in every line through an off-scale point: a line running up out of the
    chart would read as a spike; the open triangle on the top edge stands for it instead."""
    if not points:
        return
    for trace in fig.data:
        if trace.type != "scatter" or trace.legendgroup == "flagged" or trace.y is None or trace.x is None:
            continue
        ys = list(trace.y)
        xs = [pd.Timestamp(v) if isinstance(v, str) else v for v in trace.x]
        for px, value in points:
            for i, (tx, ty) in enumerate(zip(xs, ys, strict=True)):
                if tx == px and ty is not None and pd.notna(ty) and float(ty) == float(value):
                    ys[i] = None
        trace.y = ys


def flagged(fig: go.Figure) -> bool:
    return any(t.legendgroup == "flagged" for t in fig.data)


OFF_NOTE = "△ off the scale: its value is in the hover"


def _note(fig: go.Figure) -> str:
    off = any(t.legendgroup == "flagged" and "triangle-up-open" in (t.marker.symbol or ()) for t in fig.data)
    return f"{NOTE} · {OFF_NOTE}" if off else NOTE


def with_note(detail: str | None, fig: go.Figure) -> str | None:
    """The line under a title, saying once what the hollow markers mean when there are any
    (a legend entry would crowd the title); for charts finished with `titles.headline`."""
    if not flagged(fig):
        return detail
    note = _note(fig)
    return f"{detail} · {note}" if detail else note[:1].upper() + note[1:]


def note_flagged(fig: go.Figure) -> go.Figure:
    """The same note on its own caption line, for charts without a subtitle."""
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if flagged(fig) and caption is not None and NOTE not in (caption.text or ""):
        caption.text = f"{caption.text}<br>{_note(fig)}"
    return fig


FADED = 0.35  # a partial bucket's bars, against 1 for whole ones


def fade_partial(fig: go.Figure, window: Scope) -> go.Figure:
    """Fade the bars of every bucket the period clips (`window`: the trend's period and grain,
    end exclusive), and say so on the caption's last line: a count over 6 days of December
    beside whole months reads as a collapse. Vertical bars only (x is the bucket's first
    day); the values are unchanged. A bucket wholly outside the window is left as it is."""
    clipped: dict[pd.Timestamp, tuple[int, int]] = {}
    for trace in fig.data:
        if trace.type != "bar" or trace.x is None or trace.orientation == "h":
            continue
        strength = []
        for x in trace.x:
            start = pd.Timestamp(x)
            whole = full_days(start, window.grain)
            first = max(start.date(), window.start)
            last = min((start + pd.Timedelta(days=whole)).date(), window.end)
            days = (last - first).days
            partial = 0 < days < whole  # a bucket wholly outside the window is not this rule's
            if partial:
                clipped[start] = (days, whole)
            strength.append(FADED if partial else 1.0)
        if FADED in strength:
            trace.marker.opacity = strength
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if clipped and caption is not None:
        parts = [
            f"{start:%b %Y}: {days} of {whole} days"
            if window.grain != "week"
            else f"week of {start:%d %b}: {days} of 7 days"
            for start, (days, whole) in sorted(clipped.items())
        ]
        caption.text = f"{caption.text} · Faded bars: a partial {window.grain} ({'; '.join(parts)})"
    return fig
