"""Chart builders for AI adoption (Skills & capabilities page): adoption, tools and
suggestion acceptance over time, adoption by team, and AI-assisted pull requests.
Aggregates from `lib.views.skills_charts` in, figures out; each writes its own takeaway
title; `lib/charts/registry/skills.py` registers them. Delivery before and after AI
adoption: `lib.charts.skills_ai_delivery`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.charts import MUTED, PALETTE, empty_figure, finish
from lib.charts.marks import few_flags, flag_points, with_note
from lib.charts.titles import headline, trend_takeaway
from lib.formatting import is_missing

NO_AI = "No AI usage data: import Copilot, Cursor or a daily usage CSV per team and tool."


def _when(day) -> str:
    return f"{pd.Timestamp(day):%b %Y}"


def _since_first(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    has = frame[frame[column].notna()]
    return frame[frame["period"] >= has["period"].min()] if len(has) else frame.iloc[0:0]


def _pct(value) -> str:
    return "no data" if is_missing(value) else f"{value:.0%}"


def adoption_title(frame: pd.DataFrame, now=None, grain: str = "month") -> tuple[str, str | None]:
    """By the shared trend rule (`lib.charts.titles.trend_takeaway`): partial buckets and
    buckets of fewer than MIN_COUNT people never speak; `now` is the tile's AI adoption."""
    rows = frame.dropna(subset=["ai_adoption_rate"])
    if rows.empty:
        return "AI adoption: no usage data in this window", None
    claim, detail = trend_takeaway("AI adoption", "%", list(frame["period"]), list(frame["ai_adoption_rate"]),
                                   partial=_partial(frame), few=few_flags(frame, "headcount_end"), now=now,
                                   grain=grain)  # fmt: skip
    last = rows.iloc[-1]
    if not is_missing(last["seats_per_head"]):
        seats = f"seats for {last['seats_per_head']:.0%} of the headcount in {_when(last['period'])}"
        detail = f"{detail} · {seats}" if detail else seats
    return claim, detail


def _partial(frame: pd.DataFrame) -> list | None:
    return list(frame["partial"]) if "partial" in frame else None


def adoption_trend(agg: dict, caption: str) -> go.Figure:
    """Daily active and engaged users and seats, each as a share of headcount, per period."""
    frame = _since_first(agg["frame"], "active_users_daily_mean")
    if frame.empty:
        return empty_figure("AI adoption: no usage data", NO_AI)
    fig = go.Figure()
    for column, name, color, dash in (
        ("ai_adoption_rate", "Active users (daily mean)", PALETTE[0], None),
        ("engaged_rate", "Engaged users (daily mean)", PALETTE[1], None),
        ("seats_per_head", "Seats", MUTED, "dot"),
    ):
        if frame[column].notna().any():
            fig.add_trace(
                go.Scatter(x=frame["period"], y=frame[column], name=name, mode="lines+markers",
                           line={"color": color, "width": 2.6, "dash": dash},
                           hovertemplate="%{x|%b %Y}: %{y:.0%} of headcount<extra>" + name + "</extra>")
            )  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    grain = agg["window"].grain if "window" in agg else "month"
    flag_points(fig, frame, "period", "ai_adoption_rate", grain, "headcount_end", "people")
    title, detail = adoption_title(frame, agg.get("now"), grain)
    fig = finish(fig, title, caption, "Period", "Share of headcount (%)")
    return headline(fig, title, with_note(detail, fig))


def tools_title(frame: pd.DataFrame) -> tuple[str, str | None]:
    latest = frame.dropna(subset=["active_users_daily_mean"])
    if latest.empty:
        return "AI tools: no usage data in this window", None
    last_period = latest["period"].max()
    now = latest[latest["period"] == last_period].sort_values("active_users_daily_mean", ascending=False)
    parts = [f"{r.unit} {r.active_users_daily_mean:.0f}" for r in now.itertuples()]
    return f"Daily active users by tool in {_when(last_period)}: " + ", ".join(parts), None


def tools_trend(agg: dict, caption: str) -> go.Figure:
    """Daily-mean active users per AI tool, per period."""
    frame = _since_first(agg["frame"], "active_users_daily_mean")
    if frame.empty:
        return empty_figure("AI tools: no usage data", NO_AI)
    fig = go.Figure()
    for i, (tool, rows) in enumerate(frame.groupby("unit", sort=True)):
        fig.add_trace(
            go.Scatter(x=rows["period"], y=rows["active_users_daily_mean"], name=tool, mode="lines+markers",
                       line={"color": PALETTE[i % len(PALETTE)], "width": 2.6}, connectgaps=False,
                       hovertemplate="%{x|%b %Y}: %{y:.0f} active a day<extra>" + tool + "</extra>")
        )  # fmt: skip
    fig.update_yaxes(rangemode="tozero")
    title, detail = tools_title(frame)
    fig = finish(fig, title, caption, "Period", "Active users per day (daily mean)")
    return headline(fig, title, detail)


def acceptance_title(frame: pd.DataFrame) -> tuple[str, str | None]:
    rows = frame.dropna(subset=["acceptance_rate"])
    if rows.empty:
        return "Suggestion acceptance: no suggestion counts in this window", None
    last_period = rows["period"].max()
    now = rows[rows["period"] == last_period].sort_values("suggestions", ascending=False)
    parts = [f"{r.unit} {r.acceptance_rate:.0%}" for r in now.itertuples()]
    return f"Share of AI suggestions accepted in {_when(last_period)}: " + ", ".join(parts), (
        "each tool counts suggestions its own way: compare a tool with itself"
    )


def acceptance_trend(agg: dict, caption: str) -> go.Figure:
    """Acceptances ÷ suggestions per AI tool, per period."""
    frame = _since_first(agg["frame"], "acceptance_rate")
    if frame.empty:
        return empty_figure("Suggestion acceptance: no suggestion counts", NO_AI)
    fig = go.Figure()
    for i, (tool, rows) in enumerate(frame.groupby("unit", sort=True)):
        fig.add_trace(
            go.Scatter(x=rows["period"], y=rows["acceptance_rate"], name=tool, mode="lines+markers",
                       line={"color": PALETTE[i % len(PALETTE)], "width": 2.6},
                       customdata=rows[["suggestions"]].fillna(0).to_numpy(),
                       hovertemplate="%{x|%b %Y}: %{y:.0%} of %{customdata[0]:,.0f} suggestions<extra>"
                       + tool + "</extra>")
        )  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    title, detail = acceptance_title(frame)
    fig = finish(fig, title, caption, "Period", "Suggestions accepted (%)")
    return headline(fig, title, detail)


def teams_title(frame: pd.DataFrame, noun: str) -> tuple[str, str | None]:
    rows = frame.dropna(subset=["active_users_share"])
    rows = rows[rows["headcount"] > 0].sort_values("active_users_share")
    if rows.empty:
        return f"AI adoption by {noun}: no usage data in the last 28 days", None
    top, low = rows.iloc[-1], rows.iloc[0]
    if len(rows) == 1:
        return f"{top['unit']}: {top['active_users_share']:.0%} of its people use AI on an average day", None
    return (
        f"{top['unit']} leads AI adoption at {top['active_users_share']:.0%} of its people a day; "
        f"{low['unit']} trails at {low['active_users_share']:.0%}",
        None,
    )


def teams_bars(agg: dict, caption: str) -> go.Figure:
    """Per team (or org), over the period's last 28 days: daily active and engaged users as a
    share of its headcount, with its seats marked."""
    whole = agg["frame"]
    hidden = whole["hidden_reason"].notna()
    frame = whole[(whole["headcount"] > 0) | hidden].sort_values("active_users_share", na_position="first")
    noun = agg["unit"]
    if frame.empty or frame["active_users"].isna().all():
        if hidden.any():
            return empty_figure(
                f"AI adoption by {noun}: hidden", f"Hidden: {whole['hidden_reason'].dropna().iloc[0]}"
            )
        return empty_figure(f"AI adoption by {noun}: no usage data", NO_AI)
    # a unit under the anonymity threshold keeps its row, without its headcount or shares
    labels = [
        f"{r.unit} (hidden)" if isinstance(r.hidden_reason, str) else f"{r.unit} ({r.headcount:.0f})"
        for r in frame.itertuples()
    ]
    fig = go.Figure()
    for column, name, color in (("active_users_share", "Active (daily mean)", PALETTE[0]),
                                ("engaged_users_share", "Engaged (daily mean)", PALETTE[1])):  # fmt: skip
        fig.add_trace(go.Bar(y=labels, x=frame[column], name=name, orientation="h", marker_color=color,
                             hovertemplate="%{y}: %{x:.0%} of headcount<extra>" + name + "</extra>"))  # fmt: skip
    if frame["seats_share"].notna().any():
        fig.add_trace(go.Scatter(y=labels, x=frame["seats_share"], name="Seats", mode="markers",
                                 marker={"symbol": "line-ns-open", "size": 16, "color": INK_MARK, "line": {"width": 2}},
                                 hovertemplate="%{y}: seats for %{x:.0%} of headcount<extra></extra>"))  # fmt: skip
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(barmode="group", hovermode="closest", bargap=0.25)
    title, detail = teams_title(frame, noun)
    fig = finish(fig, title, caption, "Share of headcount (%), last 28 days", None,
                 height=max(320, 120 + 40 * len(frame)))  # fmt: skip
    return headline(fig, title, detail)


def _spread_title(frame: pd.DataFrame, column: str, noun: str, what: str) -> tuple[str, str | None]:
    rows = frame.dropna(subset=[column])
    if rows.empty:
        return f"{what} by {noun}: no data in this window", None
    last = rows[rows["period"] == rows["period"].max()].sort_values(column)
    when = _when(rows["period"].max())
    if len(last) == 1:
        r = last.iloc[0]
        return f"{what} in {when}: {r['unit']} {r[column]:.0%}", None
    low, top = last.iloc[0], last.iloc[-1]
    return (
        f"{what} in {when} ranged from {low[column]:.0%} ({low['unit']}) to {top[column]:.0%} ({top['unit']})",
        f"{len(last)} {noun}s with data that {'month' if len(rows['period'].unique()) > 4 else 'period'}",
    )


def _unit_period_heatmap(
    frame: pd.DataFrame, column: str, n_column: str, n_label: str, colorbar: str
) -> go.Figure:
    # a unit without a single figure (usage no one could attribute, "(no team)") gets no row
    units = sorted(frame.dropna(subset=[column])["unit"].unique(), reverse=True)
    frame = frame[frame["unit"].isin(units)]
    periods = sorted(frame["period"].unique())
    z = np.full((len(units), len(periods)), np.nan)
    text = [["" for _ in periods] for _ in units]
    hover = [["" for _ in periods] for _ in units]
    for r in frame.itertuples():
        i, j = units.index(r.unit), periods.index(r.period)
        value = getattr(r, column)
        label = f"{r.unit} · {pd.Timestamp(r.period):%b %Y}"
        if is_missing(value):
            hover[i][j] = f"{label}: no data"
            continue
        z[i, j] = value
        text[i][j] = f"{value:.0%}"
        hover[i][j] = f"{label}: {value:.0%} ({getattr(r, n_column):,.0f} {n_label})"
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[f"{pd.Timestamp(p):%b %Y}" for p in periods], y=units, zmin=0, zmax=1,
            colorscale=[[0, "#F4F1DE"], [1, PALETTE[0]]], text=text, texttemplate="%{text}",
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
            colorbar={"title": {"text": colorbar}, "tickformat": ".0%", "len": 0.8}, xgap=2, ygap=2,
        )
    )  # fmt: skip
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(showgrid=False, ticks="")  # Plotly turns month labels that would overlap
    fig.update_yaxes(showgrid=False, ticks="")
    return fig


def adoption_by_team_trend(agg: dict, caption: str) -> go.Figure:
    """Team (or org) × period: daily active AI users as a share of the unit's headcount."""
    frame, noun = agg["adoption"], agg["unit"]
    if frame["active_users_daily_mean"].isna().all():
        return empty_figure(f"AI adoption by {noun}: no usage data", NO_AI)
    frame = _since_first(frame, "ai_adoption_rate")
    fig = _unit_period_heatmap(
        frame, "ai_adoption_rate", "headcount_end", "people", "Daily active,<br>% of headcount"
    )
    title, detail = _spread_title(frame, "ai_adoption_rate", noun, "Daily AI use")
    n = frame["unit"].nunique()
    fig = finish(fig, title, caption, None, f"{noun.capitalize()} (daily active AI users as % of headcount)",
                 height=max(340, 150 + 30 * n))  # fmt: skip
    return headline(fig, title, detail, width=90, legend_px=900)


def prs_by_team_trend(agg: dict, caption: str) -> go.Figure:
    """Team (or org) × period: the AI-assisted share of merged pull requests with the flag."""
    frame, noun = agg["prs"], agg["unit"]
    if frame["prs_with_ai_flag"].fillna(0).sum() == 0:
        return empty_figure(f"AI-assisted pull requests by {noun}: no flag recorded",
                            "Pull requests need an AI-assisted column (true or false) to draw this chart.")  # fmt: skip
    frame = _since_first(frame, "ai_assisted_pr_share")
    fig = _unit_period_heatmap(frame, "ai_assisted_pr_share", "prs_with_ai_flag", "pull requests with the flag",
                               "AI-assisted<br>PRs")  # fmt: skip
    title, detail = _spread_title(frame, "ai_assisted_pr_share", noun, "AI-assisted pull requests")
    n = frame["unit"].nunique()
    fig = finish(fig, title, caption, None, f"{noun.capitalize()} (AI-assisted share of merged PRs)",
                 height=max(340, 150 + 30 * n))  # fmt: skip
    return headline(fig, title, detail, width=90, legend_px=900)


INK_MARK = "#1B2430"


def prs_title(frame: pd.DataFrame, now=None, grain: str = "month") -> tuple[str, str | None]:
    """By the shared trend rule: partial buckets and buckets of fewer than MIN_COUNT flagged pull
    requests never speak; `now` is the tile's AI-assisted share."""
    rows = frame.dropna(subset=["ai_assisted_pr_share"])
    if rows.empty:
        return "AI-assisted pull requests: no pull request carries the flag", None
    return trend_takeaway("AI-assisted pull requests", "%", list(frame["period"]),
                          list(frame["ai_assisted_pr_share"]), partial=_partial(frame),
                          few=few_flags(frame, "prs_with_ai_flag"), now=now, grain=grain)  # fmt: skip


def prs_trend(agg: dict, caption: str) -> go.Figure:
    """AI-assisted share of merged pull requests (those with the flag), per period."""
    frame = agg["frame"]
    if frame["prs_with_ai_flag"].fillna(0).sum() == 0:
        return empty_figure(
            "AI-assisted pull requests: no flag recorded",
            "Pull requests need an AI-assisted column (true or false) to draw this chart.",
        )
    fig = go.Figure(
        go.Scatter(x=frame["period"], y=frame["ai_assisted_pr_share"], mode="lines+markers", name="AI-assisted",
                   line={"color": PALETTE[0], "width": 2.6},
                   customdata=frame[["ai_assisted_prs", "prs_with_ai_flag"]].to_numpy(),
                   hovertemplate="%{x|%b %Y}: %{y:.0%} (%{customdata[0]} of %{customdata[1]})<extra></extra>")
    )  # fmt: skip
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    fig.update_layout(showlegend=False)
    grain = agg["window"].grain if "window" in agg else "month"
    flag_points(fig, frame, "period", "ai_assisted_pr_share", grain, "prs_with_ai_flag", "pull requests")
    title, detail = prs_title(frame, agg.get("now"), grain)
    fig = finish(fig, title, caption, "Period", "AI-assisted pull requests (% of merged)")
    return headline(fig, title, with_note(detail, fig))
