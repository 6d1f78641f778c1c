"""Chart builders of the Business alignment page: the investment mix (by flow type, by team or
org, by business initiative) in shares, FTE and money. Aggregates in, figures out.

Builders take the frames of `lib.views.business_mix` and write their own takeaway title
from the data. Money is labelled in the business metrics' currency (`money`). Money charts
(benchmarks, cost per feature, capitalisation) are in `business_money`, engineering
beside outcomes in `business_outcomes`. No streamlit here.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.charts import LABELLED_ROWS, PALETTE, empty_figure, finish
from lib.charts.delivery.common import TYPE_COLORS, TYPE_LABELS
from lib.charts.titles import headline

WORK_TYPES = ("feature", "defect", "risk", "debt")
GROUP_COLORS = {
    "(no initiative)": "#C9CED6",
    "(not mapped)": "#E6B8BF",
    "(not an initiative)": "#AEB6C2",
    "(no completed work)": "#E6E9EE",
    "(no type)": "#C9CED6",
    "Other initiatives": "#8D99AE",
}
GROUP_LABELS = {
    "(no initiative)": "No epic or project",
    "(not mapped)": "Not mapped yet",
    "(not an initiative)": "Not an initiative",
    "(no completed work)": "No completed work",
    "(no type)": "No type",
}
WIDE = 90  # title characters per line: the page and the board pack show these charts full width
LEGEND_PX = (
    560  # plot width per legend row at the half-width scale `headline` assumes (full width ≈ 1,100 px)
)
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
TOP_INITIATIVES = 8
METRIC_LABELS = {
    "revenue": "revenue",
    "arr": "ARR",
    "mrr": "MRR",
    "rnd_spend": "R&D spend",
    "customers": "customers",
    "nps": "NPS",
    "churn_rate": "churn rate",
    "company_headcount": "headcount",
    "gross_margin": "gross margin",
    "net_revenue_retention": "net revenue retention",
}


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def money(value: float | None, currency: str = "USD") -> str:
    """$1.2M, €350k, CHF 4.1k; '—' for no value."""
    if value is None or pd.isna(value):
        return "—"
    symbol = SYMBOLS.get(currency)
    magnitude = abs(value)
    if magnitude >= 1e9:
        text = f"{value / 1e9:.2f}B"
    elif magnitude >= 1e6:
        text = f"{value / 1e6:.1f}M"
    elif magnitude >= 1e3:
        text = f"{value / 1e3:.0f}k"
    else:
        text = f"{value:,.0f}"
    sign = "−" if text.startswith("-") else ""
    text = text.lstrip("-")
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def tick_prefix(currency: str) -> dict:
    """Axis tick settings for money in `currency`."""
    symbol = SYMBOLS.get(currency)
    return (
        {"tickprefix": symbol, "tickformat": "~s"}
        if symbol
        else {"tickformat": "~s", "ticksuffix": f" {currency}"}
    )


def category_label(category: str) -> str:
    return TYPE_LABELS.get(category) or GROUP_LABELS.get(category) or category


def _month(period) -> str:
    return pd.Timestamp(period).strftime("%b %Y")


def _points(value: float) -> str:
    return f"{abs(value) * 100:.0f} pts"


# ---------------------------------------------------------------------------- by flow type


MIN_ITEMS = 20  # a month with fewer completed items is too few for a share to make a title


def mix_title(frame: pd.DataFrame, target: dict[str, float] | None) -> tuple[str, str]:
    """Takeaway of the mix trend: the latest month's feature share against the target (or the
    biggest type), or the whole window's when the latest month has too few items to say."""
    totals = frame.groupby("category")["effort"].sum()
    overall = totals / totals.sum() if totals.sum() else totals
    mix = " · ".join(f"{TYPE_LABELS[t]} {overall.get(t, 0):.0%}" for t in WORK_TYPES if t in overall)
    latest_rows = frame[frame["period"] == frame["period"].max()]
    first, last = _month(frame["period"].min()), _month(frame["period"].max())
    items = int(frame["items"].sum())
    if latest_rows["items"].sum() >= MIN_ITEMS:
        shares, when = latest_rows.set_index("category")["share"], f"in {_month(frame['period'].max())}"
    elif items >= MIN_ITEMS:
        shares, when = overall, f"over {first} – {last} ({items} items)"
    else:  # a share of 7 items is one item's story: drawn, never a title (issue 18, item 9)
        return (
            f"Effort mix: {items} completed item{'s' * (items != 1)} over {first} – {last}, too few for a "
            f"share ({MIN_ITEMS} needed)",
            f"Whole window: {mix}" + ("" if target else " · no target mix set"),
        )
    feature = float(shares.get("feature", 0) or 0)
    if target:
        gap = feature - target["feature"]
        where = "on" if abs(gap) < 0.005 else ("above" if gap > 0 else "below")
        gap_text = (
            f"{_points(gap)} {where} the {target['feature']:.0%} target" if where != "on" else "on target"
        )
        return f"Features took {feature:.0%} of effort {when}, {gap_text}", f"Whole window: {mix}"
    top = max(WORK_TYPES, key=lambda t: float(shares.get(t, 0) or 0))
    return (
        f"{TYPE_LABELS[top]} took {float(shares.get(top, 0) or 0):.0%} of effort {when}",
        f"Whole window: {mix} · no target mix set",
    )


def mix_over_time(
    frame: pd.DataFrame, target: dict[str, float] | None, caption: str, x_title: str
) -> go.Figure:
    """Share of effort per flow type per period (one line each), the target as dotted lines
    in the same colours. `frame`: mix_by_period(…, "type", "all")."""
    data = frame[frame["category"].isin(WORK_TYPES)]
    if data.empty or not data["effort"].sum():
        return empty_figure("Investment mix", "No completed work items in this period and filter.")
    wide = data.pivot_table(index="period", columns="category", values="share", aggfunc="sum").reset_index()
    counts = [int(n) for n in data.groupby("period")["items"].sum().reindex(wide["period"]).fillna(0)]
    fig = go.Figure()
    for t in WORK_TYPES:
        if t not in wide:
            continue
        fig.add_trace(
            go.Scatter(
                x=wide["period"],
                y=wide[t],
                name=TYPE_LABELS[t],
                mode="lines+markers",
                line={"width": 2.6, "color": TYPE_COLORS[t]},
                # a month of fewer than MIN_ITEMS items: an open marker, its count in the hover
                marker={"size": 6, "symbol": ["circle-open" if n < MIN_ITEMS else "circle" for n in counts]},
                customdata=counts,
                hovertemplate=f"{TYPE_LABELS[t]}: %{{y:.0%}} of %{{customdata}} completed items<extra></extra>",
            )
        )
        if target:
            fig.add_hline(
                y=target[t],
                line={"color": TYPE_COLORS[t], "dash": "dot", "width": 1.4},
                annotation_text=f"{TYPE_LABELS[t]} target {target[t]:.0%}",
                annotation_position="top right",
                annotation_font={"size": 10, "color": TYPE_COLORS[t]},
            )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    month_axis(fig, wide["period"], x_title)
    claim, detail = mix_title(data, target)
    finish(fig, claim, caption, x_title, "Share of effort on completed work (%)")
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


def mix_by_unit(
    distance: pd.DataFrame, target: dict[str, float] | None, caption: str, noun: str = "team"
) -> go.Figure:
    """One 100% bar per team or org: its effort mix, its FTE and (with a target) how many
    points of effort would have to move to meet the target. `distance`: distance_by_unit."""
    data = distance.dropna(subset=["feature"])
    if data.empty:
        return empty_figure(f"Investment mix by {noun}", f"No {noun} completed work in this period.")
    data = data.sort_values(
        ["distance", "unit"] if target else ["unit"], ascending=[True, False] if target else [False]
    )
    labels = [
        f"{u}"
        + (f" · {f:.0f} FTE" if f > 0 else "")
        + (f" · {d * 100:.0f} pts off" if target and pd.notna(d) else "")
        for u, f, d in zip(data["unit"], data["fte"], data["distance"], strict=True)
    ]
    fig = go.Figure()
    for t in WORK_TYPES:
        fig.add_trace(
            go.Bar(
                y=labels,
                x=data[t],
                name=TYPE_LABELS[t],
                orientation="h",
                marker_color=TYPE_COLORS[t],
                # in-bar shares only up to LABELLED_ROWS bars (the tooltip gives them beyond)
                text=[f"{v:.0%}" if v >= 0.06 else "" for v in data[t]]
                if len(data) <= LABELLED_ROWS
                else None,
                textposition="inside",
                hovertemplate=f"%{{y}}<br>{TYPE_LABELS[t]}: %{{x:.0%}}<extra></extra>",
            )
        )
    if target:
        edge = 0.0
        for t in WORK_TYPES[:-1]:
            edge += target[t]
            fig.add_vline(x=edge, line={"color": "#1B2430", "dash": "dot", "width": 1.2})
        worst = data.iloc[-1]
        claim = (
            f"{worst['unit']} is furthest from the target mix: {worst['distance'] * 100:.0f} pts of its effort "
            "would have to move"
        )
        detail = "Dotted lines: the target mix · points off = half the sum of the gaps per type"
    else:
        most = data.loc[data["feature"].idxmax()]
        claim = f"{most['unit']} puts the most effort into features ({most['feature']:.0%})"
        detail = "Set a target mix to see each one's distance from it"
    fig.update_layout(barmode="stack", hovermode="closest", bargap=0.3)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    finish(
        fig,
        claim,
        caption,
        "Share of effort on completed work (%)",
        None,
        height=max(300, 90 + 34 * len(data)),
    )
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))


# ---------------------------------------------------------------------------- by initiative


def _top(frame: pd.DataFrame, column: str) -> list[str]:
    named = frame[~frame["category"].str.startswith("(")]
    ranked = named.groupby("category")[column].sum().sort_values(ascending=False)
    return list(ranked.index[:TOP_INITIATIVES])


def initiative_cost(
    costs: pd.DataFrame, column: str, currency: str, caption: str, basis_text: str
) -> go.Figure:
    """Engineering cost per business initiative over the period (horizontal bars), each
    labelled with its owner and the business metric it is meant to move. `costs`:
    initiative_costs; `column`: cost_rnd_spend or cost_loaded."""
    data = costs.dropna(subset=[column])
    data = data[data[column] > 0]
    if data.empty:
        return empty_figure("Engineering cost by initiative", "No cost to allocate: see the note below.")
    data = data.sort_values(column)
    total = float(data[column].sum())
    labels = []
    for _, row in data.iterrows():
        name = category_label(row["initiative"])
        owner, metric = row.get("owner"), row.get("business_metric")
        parts = [
            owner if isinstance(owner, str) else "",
            f"moves {metric_label(metric)}" if isinstance(metric, str) else "",
        ]
        extra = " · ".join(p for p in parts if p)
        labels.append(f"{name}<br><span style='font-size:10px'>{extra}</span>" if extra else name)
    colors = [GROUP_COLORS.get(c, PALETTE[0]) for c in data["initiative"]]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=data[column],
            orientation="h",
            marker_color=colors,
            text=[f"{money(v, currency)} · {v / total:.0%}" for v in data[column]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x:,.0f} " + currency + "<extra></extra>",
        )
    )
    named = data[~data["initiative"].str.startswith("(")]
    if len(named):
        top = named.iloc[-1]
        claim = f"{top['initiative']} cost {money(top[column], currency)}, {top[column] / total:.0%} of engineering cost"
    else:
        claim = "No engineering cost went to a named business initiative"
    fig.update_layout(hovermode="closest", showlegend=False, margin={"r": 90})
    fig.update_xaxes(**tick_prefix(currency))
    finish(fig, claim, caption, f"Engineering cost ({currency})", None, height=max(300, 90 + 44 * len(data)))
    return fit_caption(
        headline(
            fig, claim, f"{money(total, currency)} in all · {basis_text}", width=WIDE, legend_px=LEGEND_PX
        )
    )


def fit_caption(fig: go.Figure) -> go.Figure:
    """Room under the plot for every line of the (wrapped) caption, so none is cut off."""
    caption = next((a for a in fig.layout.annotations if a.name == "caption"), None)
    if caption is not None:
        lines = caption.text.count("<br>") + 1
        fig.update_layout(margin={"b": max(fig.layout.margin.b or 96, 70 + 15 * lines)})
    return fig


QUARTER = "Quarter"  # the x-axis title of a business trend at a quarterly grain (business_figures.x_title)


def month_axis(fig: go.Figure, periods, x_title: str = "Month") -> go.Figure:
    """Bucket labels on a date axis: 'Jan 2026' for months (every month up to 14 points, else
    every quarter), 'Q1 2026' when the buckets are quarters (`x_title` is `QUARTER`), so a
    quarterly axis never reads as months."""
    days = sorted(set(pd.to_datetime(pd.Series(list(periods)))))
    if x_title == QUARTER:
        labels = [f"Q{(d.month - 1) // 3 + 1} {d.year}" for d in days]
        fig.update_xaxes(tickvals=days, ticktext=labels, ticklabelmode="instant")
        return fig
    fig.update_xaxes(tickformat="%b %Y", dtick="M1" if len(days) <= 14 else "M3", ticklabelmode="instant")
    return fig
