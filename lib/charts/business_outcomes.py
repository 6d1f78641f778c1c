"""Engineering output beside business outcomes: aligned small multiples sharing one time axis
(never two y-axes on one chart), and the lagged correlations as a pairs × lags grid.

Builders take `lib.views.business_outcomes` frames; titles state only a link that clears
the statistical bar, with the months between the two, and never as a cause.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.charts import BAD, GOOD, MUTED, PALETTE, empty_figure, finish
from lib.charts.business import LEGEND_PX, WIDE, fit_caption
from lib.charts.titles import headline
from lib.formatting import count_of
from lib.views.buckets import MIN_COUNT
from lib.views.business_outcomes import ENGINEERING, LABELS, MAX_LAG, OUTCOMES

FORMATS = {"USD": "~s", "%": ".1%", "score": ".0f", "count": ",.0f", "per week": ".0f", "hours": ".0f"}
AXIS_UNITS = {"per week": "per week", "hours": "hours", "%": "%", "score": "NPS", "count": "", "USD": ""}


def _short(label: str) -> str:
    return label.replace(" (median)", "")


def outcomes_title(strongest: pd.DataFrame) -> tuple[str, str]:
    clear = strongest[strongest["strength"] == "clear"]
    if clear.empty:
        return (
            "No engineering series moved with a business outcome beyond chance",
            f"Lags of 0–{MAX_LAG} months tried for {len(strongest)} pairs; correlation is not cause",
        )
    top = clear.iloc[0]
    eng, outcome = LABELS[top["engineering"]], LABELS[top["outcome"]]
    lag = int(top["lag"])
    when = "the same month" if lag == 0 else f"{lag} month{'s' if lag != 1 else ''} later"
    direction = "rose" if top["r"] > 0 else "fell"
    claim = f"{outcome.label} {direction} {when} when {_short(eng.label).lower()} rose above trend"
    more = f" and {len(clear) - 1} more link{'s' if len(clear) > 2 else ''}" if len(clear) > 1 else ""
    return claim, f"r = {top['r']:+.2f} over {int(top['n'])} months{more} · a correlation, not a cause"


def outcome_panels(frame: pd.DataFrame, strongest: pd.DataFrame, caption: str, currency: str) -> go.Figure:
    """Engineering series on the left, business outcomes on the right, one small chart
    each, all on one shared month axis. `frame`: outcomes_by_month."""
    if frame.empty or frame[[s.column for s in OUTCOMES]].isna().all().all():
        return empty_figure(
            "Engineering output beside business outcomes",
            "Needs business metrics by month (revenue, ARR, customers, NPS or churn): import finance's KPI sheet.",
        )
    rows = max(len(ENGINEERING), len(OUTCOMES))
    titles = []
    for i in range(rows):
        for column in (ENGINEERING, OUTCOMES):
            titles.append(_short(column[i].label) if i < len(column) else "")
    fig = make_subplots(rows=rows, cols=2, shared_xaxes="all", subplot_titles=titles,
                        vertical_spacing=0.055, horizontal_spacing=0.1)  # fmt: skip
    for col, group, color in ((1, ENGINEERING, PALETTE[0]), (2, OUTCOMES, PALETTE[1])):
        for i, series in enumerate(group):
            # gaps stay gaps: a month with no data is not bridged by a line
            data = frame[["period", series.column]]
            unit = currency if series.unit == "USD" else AXIS_UNITS.get(series.unit, "")
            fig.add_trace(
                go.Scatter(
                    x=data["period"],
                    y=data[series.column],
                    mode="lines+markers",
                    name=series.label,
                    line={"width": 2, "color": color},
                    marker={"size": 4},
                    showlegend=False,
                    hovertemplate=f"{series.label}: %{{y:{FORMATS.get(series.unit, '.3~s')}}} {unit}<extra></extra>",
                ),
                row=i + 1,
                col=col,
            )
            fig.update_yaxes(tickformat=FORMATS.get(series.unit), nticks=4, row=i + 1, col=col,
                             title_text=unit, title_font={"size": 10})  # fmt: skip
    fig.update_xaxes(tickformat="%b %y", nticks=8)
    # The left column ends a row early: its last chart carries its own month labels.
    fig.update_xaxes(showticklabels=True, row=len(ENGINEERING), col=1)
    fig.update_annotations(font={"size": 12.5, "color": MUTED})
    claim, detail = outcomes_title(strongest)
    gaps = int((frame["deployments_per_week"].notna() & frame["lead_time_hours_p50"].isna()).sum())
    if gaps:
        detail = f"{detail} · lead time: {count_of(gaps, 'month')} on fewer than {MIN_COUNT} deployments left as gaps"
    finish(fig, claim, caption, None, None, height=120 + 150 * rows)
    fig.update_layout(hovermode="x unified", margin={"b": 70})
    headline(fig, claim, detail, width=WIDE, extra_top=40, legend_px=LEGEND_PX)
    for x, text in ((0.0, "ENGINEERING OUTPUT"), (0.55, "BUSINESS OUTCOMES (whole organisation)")):
        fig.add_annotation(text=text, x=x, y=1.0, xref="paper", yref="paper", yshift=38, xanchor="left",
                           showarrow=False, font={"size": 11, "color": MUTED})  # fmt: skip
    fig.update_annotations(selector={"name": "caption"}, y=0, yshift=-40)
    return fig


def lag_grid(correlations: pd.DataFrame, strongest: pd.DataFrame, caption: str) -> go.Figure:
    """Pearson r of each outcome against each engineering series 0–6 months earlier: one row
    per pair, one column per lag; the strongest lag of a pair that clears the bar is outlined."""
    if correlations.dropna(subset=["r"]).empty:
        return empty_figure("Lagged correlations", "Too few months to compare (at least 8 are needed).")
    pairs = [(e.column, o.column) for o in OUTCOMES for e in ENGINEERING]
    labels = [f"{LABELS[o].label} ← {_short(LABELS[e].label).lower()}" for e, o in pairs]
    z, text, months_behind = [], [], []
    for e, o in pairs:
        row = correlations[(correlations["engineering"] == e) & (correlations["outcome"] == o)].sort_values(
            "lag"
        )
        z.append([None if pd.isna(r) else r for r in row["r"]])
        text.append(["" if pd.isna(r) else f"{r:+.2f}" for r in row["r"]])
        months_behind.append([0 if pd.isna(n) else int(n) for n in row["n"]])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{lag} mo" for lag in range(MAX_LAG + 1)],
            y=labels,
            zmin=-1,
            zmax=1,
            colorscale=[[0, BAD], [0.5, "#F4F5F7"], [1, GOOD]],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorbar={"title": {"text": "r"}, "thickness": 10},
            customdata=months_behind,
            hovertemplate="%{y}, %{x} later: r = %{z:.2f} over %{customdata} months<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    clear = strongest[strongest["strength"] == "clear"]
    for _, row in clear.iterrows():
        y = labels[pairs.index((row["engineering"], row["outcome"]))]
        fig.add_shape(type="rect", xref="x", yref="y", x0=int(row["lag"]) - 0.5, x1=int(row["lag"]) + 0.5,
                      y0=labels.index(y) - 0.5, y1=labels.index(y) + 0.5, line={"color": "#1B2430", "width": 2})  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(hovermode="closest")
    claim = (
        f"{len(clear)} of {len(pairs)} pairs moved together beyond chance"
        if len(clear)
        else "No pair moved together beyond chance"
    )
    months = int(correlations["n"].max()) if len(correlations) else 0
    detail = (
        f"Deviations from each series' trend, outcome 0–{MAX_LAG} months after engineering · up to {months} months · "
        f"outlined: p < 0.05 allowing for {MAX_LAG + 1} lags; by chance about {math.ceil(len(pairs) * 0.05)} pair would"
    )
    finish(fig, claim, caption, "Months the business outcome comes after the engineering series", None,
           height=120 + 26 * len(pairs))  # fmt: skip
    return fit_caption(headline(fig, claim, detail, width=WIDE, legend_px=LEGEND_PX))
