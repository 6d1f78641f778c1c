"""Chart builders for delivery before and after AI adoption (Skills & capabilities page):
the DORA keys per team before and after it adopted AI, and change lead time against AI
adoption over time. Aggregates from `lib.views.skills_charts` in, figures out; each writes
its own takeaway title; `lib/charts/registry/skills.py` registers them.

The before/after chart puts the deployments behind each figure next to it, draws no
bar for a team with too little data (its row says why), and its caption carries the
caveats: correlation, small samples, and DORA 2024's finding on AI and stability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts import BAD, GOOD, MUTED, PALETTE, empty_figure, finish
from lib.charts.delivery.dora import LOG_TICKS
from lib.charts.marks import few_flags
from lib.charts.titles import headline
from lib.formatting import format_value, is_missing
from lib.views.skills_ai import DELIVERY_KEYS

AXIS_TITLES = {
    "lead_time_hours_p50": "Lead time, median (hours, log)",
    "deployments_per_week": "Deployments per week",
    "change_failure_rate": "Change failure rate (%)",
    "rework_rate": "Rework rate (%)",
}


def delivery_title(frame: pd.DataFrame, noun: str) -> tuple[str, str | None]:
    ok = frame[frame["enough_data"]]
    changes = ok["change_lead_time_hours_p50"].dropna()
    if changes.empty:
        return f"AI and delivery: no {noun} has enough data before and after adopting AI", None
    fell = int((changes < 0).sum())
    median = float(changes.median())
    claim = (
        f"Change lead time fell in {fell} of {len(changes)} {noun}s after they adopted AI "
        f"(median change {median:+.0%})".replace("-", "−")
    )
    cfr = (ok["after_change_failure_rate"] - ok["before_change_failure_rate"]).dropna()
    detail = None
    if len(cfr):
        worse = int((cfr > 0).sum())
        detail = f"change failure rate rose in {worse} of {len(cfr)}; correlation, not proof"
    return claim, detail


def _sparse(ticks: list[tuple[float, str]], ratio: float = 2.9) -> list[tuple[float, str]]:
    """Log-axis ticks at least `ratio` apart, so a quarter-width panel's labels don't collide."""
    kept: list[tuple[float, str]] = []
    for value, text in ticks:
        if not kept or value >= kept[-1][0] * ratio:
            kept.append((value, text))
    return kept


def _fmt(value, unit: str) -> str:
    if is_missing(value):
        return "no data"
    if unit == "hours":
        return f"{value:.1f} h" if value < 100 else f"{value:.0f} h"
    return format_value(value, unit)


def delivery_panels(agg: dict, caption: str) -> go.Figure:
    """One panel per DORA key; per unit a grey dot before adoption and a coloured dot after,
    joined by a line (green when better). The y label carries the deployments behind each
    side; a unit with too little data gets a label saying why and no dots."""
    frame, noun = agg["frame"], agg["unit"]
    if frame.empty or frame["adopted_week"].isna().all():
        title, _ = delivery_title(frame, noun) if not frame.empty else (f"AI and delivery: no {noun}s", None)
        return empty_figure(title, "No team's daily active AI users reached "
                                   f"{agg['share']:.0%} of its headcount yet, so there is no adoption date.")  # fmt: skip
    rows = frame.iloc[::-1]
    labels = []
    for r in rows.itertuples():
        if r.enough_data:
            labels.append(f"{r.unit} · {r.before_deployments:.0f} → {r.after_deployments:.0f} deploys")
        else:
            labels.append(f"{r.unit} · too little data")
    fig = make_subplots(rows=1, cols=len(DELIVERY_KEYS), shared_yaxes=True, horizontal_spacing=0.035)
    for j, (column, _label, unit, higher_better) in enumerate(DELIVERY_KEYS, start=1):
        before = rows[f"before_{column}"].where(rows["enough_data"])
        after = rows[f"after_{column}"].where(rows["enough_data"])
        better = (after > before) if higher_better else (after < before)
        for y, b, a, good in zip(labels, before, after, better, strict=True):
            if is_missing(b) or is_missing(a):
                continue
            fig.add_trace(go.Scatter(x=[b, a], y=[y, y], mode="lines", line={"color": GOOD if good else BAD,
                                     "width": 3}, hoverinfo="skip", showlegend=False), row=1, col=j)  # fmt: skip
        n_before = rows[
            "before_lead_time_samples" if column == "lead_time_hours_p50" else "before_deployments"
        ]
        n_after = rows["after_lead_time_samples" if column == "lead_time_hours_p50" else "after_deployments"]
        for values, counts, name, color in ((before, n_before, "Before adoption", "#9AA5B4"),
                                            (after, n_after, "After adoption", PALETTE[0])):  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=values, y=labels, mode="markers", name=name, legendgroup=name, showlegend=j == 1,
                    marker={"size": 11, "color": color, "line": {"width": 1, "color": "white"}},
                    customdata=np.column_stack([[_fmt(v, unit) for v in values], counts.fillna(0)]),
                    hovertemplate="%{y}: %{customdata[0]} " + name.lower() + " (n=%{customdata[1]})<extra></extra>",
                ),
                row=1, col=j,
            )  # fmt: skip
        axis_title = AXIS_TITLES[column]
        if unit == "%":
            fig.update_xaxes(tickformat=".0%", rangemode="tozero", title_text=axis_title, row=1, col=j)
        elif unit == "hours":
            values = pd.concat([before, after]).dropna()
            near = [(v, t) for v, t in LOG_TICKS if len(values) and values.min() / 2 <= v <= values.max() * 2]
            ticks = _sparse(near)
            fig.update_xaxes(type="log", tickvals=[v for v, _ in ticks], ticktext=[t for _, t in ticks],
                             title_text=axis_title, row=1, col=j)  # fmt: skip
        else:
            fig.update_xaxes(rangemode="tozero", title_text=axis_title, row=1, col=j)
    for r, y in zip(rows.itertuples(), labels, strict=True):
        if not r.enough_data:
            fig.add_annotation(x=0, xref="paper", y=y, yref="y", text=r.reason, showarrow=False, xanchor="left",
                               font={"size": 11, "color": MUTED})  # fmt: skip
    fig.update_xaxes(showgrid=True, gridcolor="#E6E9EE", tickangle=0)
    fig.update_layout(hovermode="closest", margin={"l": 250})
    title, detail = delivery_title(frame, noun)
    fig = finish(fig, title, caption, None, None, height=max(380, 150 + 34 * len(rows)))
    return headline(fig, title, detail, width=90, extra_top=24, legend_px=900)


def lead_time_title(frame: pd.DataFrame, now_ai=None) -> tuple[str, str | None]:
    """Lead time before AI arrived against the last periods, by the shared trend rule's
    countable points (whole periods on at least MIN_COUNT successful deployments; medians of
    three); the AI share stated is the page tile's (`now_ai`) when given."""
    rows = frame.dropna(subset=["lead_time_hours_p50"])
    ai = frame.dropna(subset=["ai_adoption_rate"])
    if rows.empty:
        return "Change lead time: no deployments with commit times in this window", None
    partial = rows["partial"].fillna(False).astype(bool) if "partial" in rows else False
    few = few_flags(rows, "successful_deployments")
    countable = rows[~(partial | (few if few is not None else False))]
    first_ai = ai["period"].min() if len(ai) else None
    before = countable[countable["period"] < first_ai] if first_ai is not None else countable.iloc[0:0]
    last = countable.tail(3)
    if before.empty or ai.empty or last.empty:
        return "Change lead time and AI adoption over time", None
    start = before.tail(3)
    was, now = start["lead_time_hours_p50"].median(), last["lead_time_hours_p50"].median()
    change = (now - was) / was
    word = "down" if change < 0 else "up"
    share = now_ai if not is_missing(now_ai) else ai["ai_adoption_rate"].iloc[-1]
    claim = (
        f"Change lead time {word} {abs(change):.0%} since AI arrived in {pd.Timestamp(first_ai):%b %Y}, "
        f"as daily AI use rose to {format_value(share, '%')} of engineers"
    )
    return (
        claim,
        f"median {was:.1f} h in the 3 periods before → {now:.1f} h in the last 3 whole ones; "
        "correlation, not proof",
    )


def lead_time_trend(agg: dict, caption: str) -> go.Figure:
    """Median change lead time (left axis, hours) and AI adoption (right axis, % of headcount)."""
    frame = agg["frame"]
    if frame["lead_time_hours_p50"].isna().all():
        return empty_figure("Change lead time: no data", "Deployments with commit times give the lead time.")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=frame["period"], y=frame["lead_time_hours_p50"], name="Change lead time (median)",
                             mode="lines+markers", line={"color": PALETTE[0], "width": 2.6},
                             customdata=frame[["successful_deployments"]].fillna(0).to_numpy(),
                             hovertemplate="%{x|%b %Y}: %{y:.1f} h over %{customdata[0]:.0f} deployments"
                             "<extra></extra>"), secondary_y=False)  # fmt: skip
    fig.add_trace(go.Scatter(x=frame["period"], y=frame["ai_adoption_rate"], name="AI adoption (daily active)",
                             mode="lines", line={"color": PALETTE[2], "width": 2.2, "dash": "dot"},
                             hovertemplate="%{x|%b %Y}: %{y:.0%} of headcount<extra></extra>"),
                  secondary_y=True)  # fmt: skip
    fig.update_yaxes(title_text="Median commit → production (hours)", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="AI adoption (% of headcount)", tickformat=".0%", rangemode="tozero",
                     dtick=0.1 if frame["ai_adoption_rate"].max() <= 0.6 else 0.2, showgrid=False,
                     secondary_y=True)  # fmt: skip
    title, detail = lead_time_title(frame, agg.get("now"))
    fig = finish(fig, title, caption, "Period", None)
    return headline(fig, title, detail)
