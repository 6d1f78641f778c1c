"""Chart builders for the money side of Business alignment: R&D as a share of revenue and ARR
per employee against published benchmarks (source, population and year on the chart),
cost per delivered feature, and the capitalisable R&D estimate under a chosen policy.

Each takes `business_by_period` rows (one per month or quarter) and writes its own title.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import GOOD, PALETTE, empty_figure, finish
from lib.charts.business import LEGEND_PX, WIDE, fit_caption, money, month_axis, tick_prefix
from lib.charts.titles import headline
from lib.formatting import count_of
from lib.views.business_benchmarks import ARR_PUBLIC, Benchmark, position
from lib.views.business_benchmarks import caption as bench_caption

BENCH_COLORS = {"private": PALETTE[4], "public": PALETTE[1], "IPO": PALETTE[2]}


def _month(period) -> str:
    return pd.Timestamp(period).strftime("%b %Y")


def _last(frame: pd.DataFrame, column: str) -> pd.Series | None:
    rows = frame.dropna(subset=[column])
    return rows.iloc[-1] if len(rows) else None


def rnd_pct_revenue(
    frame: pd.DataFrame,
    benchmarks: tuple[Benchmark, ...],
    caption: str,
    x_title: str,
    now: float | None = None,
    now_label: str | None = None,
) -> go.Figure:
    """R&D spend ÷ revenue per period, with each benchmark median as a labelled line. The title
    states `now`, the page tile's value over `now_label` (the period's whole months), when
    given, else the last period's."""
    last = _last(frame, "rnd_pct_revenue")
    if last is None:
        return empty_figure(
            "R&D as a share of revenue", "Needs revenue and R&D spend by month (import business metrics)."
        )
    data = frame.dropna(subset=["rnd_pct_revenue"])
    fig = go.Figure(
        go.Scatter(
            x=data["period"],
            y=data["rnd_pct_revenue"],
            name="R&D as % of revenue",
            mode="lines+markers",
            line={"width": 2.8, "color": PALETTE[0]},
            hovertemplate="%{x|%b %Y}: %{y:.1%}<extra></extra>",
        )
    )
    for b in benchmarks:
        fig.add_hline(
            y=b.value,
            line={"color": BENCH_COLORS[b.ownership], "dash": "dash", "width": 1.5},
            annotation_text=f"{b.label} ({b.source.split(' ')[0]} {b.year.split(' ')[0]})",
            annotation_position="top left",
            annotation_font={"size": 10, "color": BENCH_COLORS[b.ownership]},
        )
    value = float(last["rnd_pct_revenue"]) if now is None else float(now)
    when = _month(last["period"]) if now is None else now_label
    private = next(b for b in benchmarks if b.ownership == "private")
    public = next(b for b in benchmarks if b.ownership == "public")
    claim = (
        f"R&D was {value:.1%} of revenue in {when}: {_side(value, private)} the private-SaaS "
        f"median and {_side(value, public)} the public one"
    )
    top = max([*(b.value for b in benchmarks), float(data["rnd_pct_revenue"].max())])
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.18])
    month_axis(fig, data["period"], x_title)
    fig.update_layout(showlegend=False)
    finish(
        fig,
        claim,
        f"{caption} · {bench_caption(benchmarks)}",
        x_title,
        "R&D spend as % of revenue",
        height=400,
    )
    detail = f"Medians, not targets: {private.label}; {public.label}"
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


def _side(value: float, bench: Benchmark) -> str:
    if abs(value - bench.value) < 0.005:
        return "at"
    return "above" if value > bench.value else "below"


def revenue_per_person(
    frame: pd.DataFrame,
    band: Benchmark | None,
    currency: str,
    caption: str,
    x_title: str,
    now: float | None = None,
    now_label: str | None = None,
) -> go.Figure:
    """Annualised revenue per engineer, and ARR per employee of the whole company (when the
    company headcount is loaded) against the private band for the company's ARR size and the
    public median / top quartile. Bands apply to ARR per employee only: published figures
    divide by every employee, not by engineers."""
    if _last(frame, "revenue_per_engineer_annualized") is None and _last(frame, "arr_per_employee") is None:
        return empty_figure(
            "Revenue per engineer",
            "Needs revenue by month and employees (organisation-wide, no team filter).",
        )
    fig = go.Figure()
    for column, name, color in (
        ("revenue_per_engineer_annualized", "Revenue per engineer", PALETTE[0]),
        ("arr_per_employee", "ARR per employee", PALETTE[1]),
    ):
        data = frame.dropna(subset=[column])
        if len(data):
            fig.add_trace(
                go.Scatter(
                    x=data["period"],
                    y=data[column],
                    name=name,
                    mode="lines+markers",
                    line={"width": 2.6, "color": color},
                    hovertemplate=f"{name}: %{{y:,.0f}} {currency}<extra></extra>",
                )
            )
    arr_last = _last(frame, "arr_per_employee")
    comparable = currency == "USD" and arr_last is not None
    shown: list[Benchmark] = []
    x = [frame["period"].min(), frame["period"].max()]
    if comparable and band is not None:
        for edge, fill in ((band.value, None), (band.high, "tonexty")):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[edge, edge],
                    mode="lines",
                    line={"width": 0.8, "color": BENCH_COLORS["private"]},
                    fill=fill,
                    fillcolor="rgba(108, 91, 123, 0.14)",
                    hoverinfo="skip",
                    name=band.label.split(":")[0] + ": good–great",
                    showlegend=fill is not None,
                    legendgroup="private",
                )  # fmt: skip
            )
        shown.append(band)
    if comparable:
        for value, label, dash in ((ARR_PUBLIC.value, "Public SaaS median", "dash"),
                                   (ARR_PUBLIC.high, "Public SaaS top quartile", "dot")):  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=[value, value],
                    mode="lines",
                    hoverinfo="skip",
                    name=label,
                    line={"color": BENCH_COLORS["public"], "dash": dash, "width": 1.4},
                )  # fmt: skip
            )
        shown.append(ARR_PUBLIC)
    if comparable:
        value = float(arr_last["arr_per_employee"])
        where = (
            {"below": "below", "within": "within", "above": "above"}[position(value, band)] if band else None
        )
        claim = f"ARR per employee {money(value, currency)} in {_month(arr_last['period'])}"
        if where:
            claim += f": {where} the private-SaaS good–great band for its size"
        bands = f"{band.label}; " if band else ""
        detail = (
            f"{bands}public SaaS median 283k, top quartile 369k (Growth Unhinged, 2023) · the bands compare ARR "
            "per employee of the whole company, never revenue per engineer"
        )
    else:
        last = _last(frame, "revenue_per_engineer_annualized")
        value = float(last["revenue_per_engineer_annualized"]) if now is None else float(now)
        claim = f"Revenue per engineer {money(value, currency)} a year" + (
            f" in {now_label}" if now_label else ""
        )
        reason = (
            "benchmarks are in USD and Pillars converts no currency"
            if arr_last is not None
            else "load company headcount (business metric 'Headcount') to compare ARR per employee with them"
        )
        detail = f"Published benchmarks divide ARR by every employee, not by engineers: {reason}"
    fig.update_yaxes(**tick_prefix(currency), rangemode="tozero")
    month_axis(fig, frame["period"], x_title)
    source = f" · {bench_caption(shown)}" if shown else ""
    finish(fig, claim, f"{caption}{source}", x_title, f"{currency} per person per year", height=420)
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


MIN_FEATURES = 5  # fewer features in a month and its cost per feature is one item's story, not a rate


def cost_per_feature(frame: pd.DataFrame, currency: str, caption: str, x_title: str) -> go.Figure:
    """R&D spend ÷ features completed per period (bars, features completed written on each);
    periods with fewer than MIN_FEATURES features are left out and said so."""
    data = frame.dropna(subset=["cost_per_feature"])
    if data.empty:
        return empty_figure(
            "Cost per delivered feature",
            "Needs R&D spend by month and completed features (organisation-wide).",
        )
    enough = data[data["features_completed"] >= MIN_FEATURES]
    fig = go.Figure(
        go.Bar(
            x=enough["period"],
            y=enough["cost_per_feature"],
            marker_color=PALETTE[0],
            text=[f"{n:.0f} features" for n in enough["features_completed"]],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white", "size": 10},
            hovertemplate="%{x|%b %Y}: %{y:,.0f} " + currency + " per feature<extra></extra>",
        )
    )
    spend, features = float(data["rnd_spend"].sum()), int(data["features_completed"].sum())
    window = f"{_month(data['period'].min())} – {_month(data['period'].max())}"
    claim = f"Each delivered feature cost {money(spend / features, currency)} of R&D over {window}"
    detail = f"{features:,} features · a feature is one work item, whatever its size"
    left_out = len(data) - len(enough)
    if left_out:
        detail += f" · {count_of(left_out, 'period')} with fewer than {MIN_FEATURES} features not drawn"
    fig.update_layout(showlegend=False, hovermode="closest")
    fig.update_yaxes(**tick_prefix(currency))
    month_axis(fig, data["period"], x_title)
    finish(fig, claim, caption, x_title, f"R&D spend per feature completed ({currency})")
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


def capitalisation(
    frame: pd.DataFrame, policy_label: str, currency: str, caption: str, x_title: str
) -> go.Figure:
    """R&D spend per period split into the capitalisable candidate and the rest (stacked),
    labelled a candidate for finance review. `frame`: capitalisation_by_period."""
    data = frame.dropna(subset=["rnd_spend"])
    if data.empty or data["estimate"].isna().all():
        return empty_figure(
            "Capitalisable R&D estimate",
            "Needs R&D spend by month and completed work items (organisation-wide).",
        )
    fig = go.Figure()
    for column, name, color in (
        ("estimate", "Candidate for capitalisation (finance to review)", GOOD),
        ("expensed", "Expensed", "#C9CED6"),
    ):
        fig.add_trace(
            go.Bar(
                x=data["period"],
                y=data[column],
                name=name,
                marker_color=color,
                customdata=data[["regime"]].to_numpy(),
                hovertemplate=f"{name}: %{{y:,.0f}} {currency}<br>%{{customdata[0]}}<extra></extra>",
            )
        )
    estimate, spend = float(data["estimate"].sum()), float(data["rnd_spend"].sum())
    claim = (
        f"Candidate for finance review: {money(estimate, currency)} of {money(spend, currency)} R&D spend "
        f"({estimate / spend:.0%})"
        if spend
        else "No R&D spend in this period"
    )
    regimes = " then ".join(dict.fromkeys(data["regime"]))
    fig.update_layout(barmode="stack", hovermode="x unified")
    fig.update_yaxes(**tick_prefix(currency))
    month_axis(fig, data["period"], x_title)
    finish(fig, claim, f"{caption} · an estimate, never an accounting entry; not accounting or tax advice",
           x_title, f"R&D spend ({currency})", height=400)  # fmt: skip
    return fit_caption(headline(fig, claim, f"{policy_label} · {regimes}", width=WIDE, legend_px=LEGEND_PX))
