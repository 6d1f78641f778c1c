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
from lib.views.buckets import MIN_COUNT, full_days, is_few

LEGEND = "Partial or too few: not in the title"
NOTE = "○ partial period or too few to count: drawn, not in the title"


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
            n = 0 if pd.isna(row[count]) else int(row[count])
            why.append(f"only {n:,} {noun} (fewer than {MIN_COUNT})")
        out.append("; ".join(why) or None)
    return out


def flag_points(
    fig: go.Figure,
    frame: pd.DataFrame,
    x: str,
    column: str,
    grain: str,
    count: str | None = None,
    noun: str = "events",
    **where,
) -> go.Figure:
    """Overlay hollow markers on the points of `column` that may not make a title, each with
    its reason and count in the hover; `where` (row=, col=) places them in a subplot."""
    why = reasons(frame, grain, count, noun)
    rows = [i for i, w in enumerate(why) if w and pd.notna(frame[column].iloc[i])]
    if not rows:
        return fig
    shown = frame.iloc[rows]
    fig.add_trace(
        go.Scatter(
            x=shown[x],
            y=shown[column],
            mode="markers",
            name=LEGEND,
            marker={"symbol": "circle-open", "size": 13, "color": MUTED, "line": {"width": 2}},
            customdata=[[why[i]] for i in rows],
            hovertemplate="%{customdata[0]}<extra></extra>",
            showlegend=False,
            legendgroup="flagged",
        ),
        **where,
    )
    return fig


def flagged(fig: go.Figure) -> bool:
    return any(t.legendgroup == "flagged" for t in fig.data)


def with_note(detail: str | None, fig: go.Figure) -> str | None:
    """The line under a title, saying once what the hollow markers mean when there are any
    (a legend entry would crowd the title); for charts finished with `titles.headline`."""
    if not flagged(fig):
        return detail
    return f"{detail} · {NOTE}" if detail else NOTE[:1].upper() + NOTE[1:]


def note_flagged(fig: go.Figure) -> go.Figure:
    """The same note on its own caption line, for charts without a subtitle."""
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if flagged(fig) and caption is not None and NOTE not in (caption.text or ""):
        caption.text = f"{caption.text}<br>{NOTE}"
    return fig
