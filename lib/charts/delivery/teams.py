"""Each team's (or org's) own trend as small multiples: never ranked, each on its own scale."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts import MUTED, PALETTE, empty_figure, finish
from lib.charts.delivery.common import TEAM_METRICS, Metric, since_first_data
from lib.charts.marks import few_flags, flag_points, with_note
from lib.charts.titles import headline, trend_move, when


def team_trends_title(
    frame: pd.DataFrame, metric: Metric, noun: str = "team", grain: str = "month"
) -> tuple[str, str]:
    """('7 of 12 teams improved their change lead time', 'since Dec 2025, by 5% or more'): each
    team's move by the shared rule (`lib.charts.titles.trend_move`: medians of its first and
    last whole buckets that stand on enough events), so a partial week or a bucket of two
    deployments never counts a team as improved."""
    improved = moved = 0
    since = []
    for _, rows in frame.groupby("unit"):
        move = trend_move(
            list(rows["period"]),
            list(rows[metric.column]),
            metric.unit,
            partial=list(rows["partial"]) if "partial" in rows else None,
            few=few_flags(rows, metric.count),
        )
        if move is None:
            continue
        since.append(move.since)
        moved += 1
        if move.direction != "steady" and metric.higher_is_better is not None:
            improved += (move.direction == "up") == metric.higher_is_better
    if not moved:
        return f"{metric.label} by {noun}: not enough data for a trend", f"Each {noun} on its own scale"
    return (
        f"{improved} of {moved} {noun}s improved their {metric.label.lower()}",
        f"Start to end since {when(min(since), grain)}, by 5% (or 1 pt) or more; partial {grain}s and "
        f"{grain}s on too few events left out · each {noun} on its own scale",
    )


def team_small_multiples(
    frame: pd.DataFrame,
    column: str,
    caption: str,
    x_title: str,
    noun: str = "team",
    columns: int = 4,
    max_panels: int = 24,
    grain: str = "month",
) -> go.Figure:
    """One small chart per team or org (the frame's `unit`; alphabetical, never ranked), each on
    its own scale, so each is read against its own history rather than against the others.
    At most `max_panels`: more would be unreadable, and the title then says how many are shown."""
    metric = TEAM_METRICS[column]
    frame = since_first_data(frame, "velocity" if column in ("velocity_per_week", "time_days_p50") else "deployments",
                             by="unit")  # fmt: skip
    units = sorted(u for u, rows in frame.groupby("unit") if rows[column].notna().any())
    if not units:
        return empty_figure(
            f"{metric.label} by {noun}", f"No {noun} has data for this metric in this period."
        )
    shown = units[:max_panels]
    rows = math.ceil(len(shown) / columns)
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=shown, shared_xaxes=True,
                        vertical_spacing=min(0.3 / rows, 0.12), horizontal_spacing=0.06)  # fmt: skip
    for i, unit in enumerate(shown):
        data = frame[frame["unit"] == unit]
        fig.add_trace(
            go.Scatter(
                x=data["period"],
                y=data[column],
                mode="lines+markers",
                name=unit,
                legendgroup=unit,  # a clicked point names its team
                line={"width": 2, "color": PALETTE[0]},
                marker={"size": 4},
                showlegend=False,
                hovertemplate=f"{unit}<br>%{{x|%b %Y}}: %{{y:.3~s}}<extra></extra>",
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
        flag_points(fig, data, "period", column, grain, metric.count, metric.noun, fit=not metric.log,
                    row=i // columns + 1, col=i % columns + 1)  # fmt: skip
    if metric.y_format:
        fig.update_yaxes(tickformat=metric.y_format)
    fig.update_yaxes(type="log" if metric.log else "linear", rangemode="normal" if metric.log else "tozero",
                     nticks=4)  # fmt: skip
    fig.update_xaxes(nticks=4, tickformat="%b %y")
    fig.update_annotations(font={"size": 12.5, "color": MUTED})
    claim, detail = team_trends_title(frame, metric, noun, grain)
    if len(shown) < len(units):
        detail += f" · showing the first {len(shown)} of {len(units)} {noun}s alphabetically"
    finish(fig, claim, caption + f" · y: {metric.y_title}", None, None, height=120 + 190 * rows)
    fig.update_layout(hovermode="closest", margin={"b": 70})
    headline(fig, claim, with_note(detail, fig), width=100, extra_top=24)
    # No x-axis title here, so the caption sits closer under the last row's tick labels.
    fig.update_annotations(selector={"name": "caption"}, y=0, yshift=-34)
    return fig
