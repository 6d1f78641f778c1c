"""Learning charts of the Skills page: learning hours per engineer and certifications by team,
org or location (unit × month heatmaps, the whole scope on top), and experiments run. Units
under the anonymity threshold are drawn as hidden cells (lib.views.skills_privacy). No
streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.charts import PALETTE, empty_figure, finish
from lib.charts.skills import HIDDEN, UNIT_NOUN
from lib.charts.titles import headline
from lib.formatting import is_missing
from lib.views.buckets import full_days


def _when(day) -> str:
    return f"{pd.Timestamp(day):%b %Y}"


def _clipped(agg: dict, caption: str, drawn: str) -> tuple[dict, str]:
    """The buckets the trend window clips, {period: (days, whole)} (the month it ends in), and
    `caption` ending on how they are `drawn` ("Dec 2026: 6 of 31 days, not annualised")."""
    grain = agg["window"].grain
    partial = {
        r.period: (int(r.days), full_days(r.period, grain))
        for r in agg["total"].itertuples()
        if int(r.days) < full_days(r.period, grain)
    }
    if partial:
        caption += " · " + "; ".join(f"{pd.Timestamp(p):%b %Y}: {d} of {w} days, {drawn}"
                                     for p, (d, w) in sorted(partial.items()))  # fmt: skip
    return partial, caption


def _units_heatmap(
    units: pd.DataFrame,
    total: pd.DataFrame,
    column: str,
    text_format: str,
    colorbar: str,
    top_label: str,
    partial: dict | None = None,
) -> go.Figure:
    """`partial` ({period: (days, whole)}): buckets the window clips, left uncoloured. An
    annualised figure is not shown there, the hours so far are in the hover (six days of
    December annualised read 329 hours a year for one team and 0 for others, and set the
    colour scale); a count is shown as counted, uncoloured (beside whole months its colour
    would read as a slump)."""
    partial = partial or {}
    frame = pd.concat([units, total.assign(unit=top_label)], ignore_index=True)
    order = [top_label, *sorted(set(units["unit"]) - {top_label})]
    periods = sorted(frame["period"].unique())
    z = np.full((len(order), len(periods)), np.nan)
    hidden = np.full(z.shape, np.nan)
    text = [["" for _ in periods] for _ in order]
    hover = [["" for _ in periods] for _ in order]
    for r in frame.itertuples():
        i, j = order.index(r.unit), periods.index(r.period)
        label = f"{r.unit} · {pd.Timestamp(r.period):%b %Y}"
        if r.hidden:
            hidden[i, j] = 0
            text[i][j] = "hidden"
            hover[i][j] = f"{label}: not shown, {r.hidden_reason}"
        elif r.period in partial and not is_missing(getattr(r, column)) and column.endswith("_annualized"):
            days, whole = partial[r.period]
            text[i][j] = "partial"
            hours = "" if is_missing(r.learning_hours) else f": {r.learning_hours:,.0f} hours so far"
            hover[i][j] = f"{label}: {days} of {whole} days, too short to annualise{hours}"
        elif r.period in partial and not is_missing(getattr(r, column)):  # a count: shown, not coloured
            days, whole = partial[r.period]
            value = format(getattr(r, column), text_format)
            text[i][j] = value
            hover[i][j] = f"{label}: {value} in {days} of {whole} days (partial)"
        elif not is_missing(getattr(r, column)):
            value = getattr(r, column)
            z[i, j] = value
            text[i][j] = format(value, text_format)
            hover[i][j] = (
                f"{label}: {format(value, text_format)} · {r.average_headcount:.0f} people on average"
            )
    x = [f"{pd.Timestamp(p):%b %Y}" for p in periods]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(z=hidden, x=x, y=order, colorscale=[[0, HIDDEN], [1, HIDDEN]], showscale=False,
                             hoverinfo="skip", xgap=2, ygap=2))  # fmt: skip
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=x,
            y=order,
            colorscale=[[0, "#F4F1DE"], [1, PALETTE[1]]],
            zmin=0,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorbar={"title": {"text": colorbar}, "len": 0.8},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    fig.update_xaxes(showgrid=False, ticks="", tickangle=0)
    fig.update_layout(hovermode="closest")
    return fig


def _finished(
    fig: go.Figure, agg: dict, titled: tuple[str, str | None], caption: str, y_title: str
) -> go.Figure:
    """A unit × period heatmap with its title, caption and a height of 30 px a row (the
    whole scope's row included), at least 340 px."""
    title, detail = titled
    rows = len(set(agg["units"]["unit"])) + 1
    fig = finish(fig, title, caption, None, y_title, height=max(340, 150 + 30 * rows))
    return headline(fig, title, detail, width=90, legend_px=900)


def _latest_full(total: pd.DataFrame) -> pd.Series | None:
    rows = total[total["learning_hours_per_engineer_annualized"].notna()]
    return rows.iloc[-1] if len(rows) else None


def learning_hours_title(agg: dict) -> tuple[str, str | None]:
    total, units = agg["total"], agg["units"]
    shown = total.dropna(subset=["learning_hours_per_engineer_annualized"])
    if shown["learning_hours"].fillna(0).sum() == 0:
        return "Learning hours: none recorded in this window", None
    hours = shown["learning_hours"].sum()
    people = shown["average_headcount"].mean()
    days = shown["days"].sum()
    rate = hours / people * 365 / days if people else None
    by_unit = (
        units[~units["hidden"]]
        .groupby("unit")
        .agg(h=("learning_hours", "sum"), p=("average_headcount", "mean"))
    )
    by_unit = by_unit[by_unit["p"] > 0]
    # over the months drawn, not the tiles' period: the title names them so the two never read
    # as one figure (the Overview's tile gave 58 h over a quarter, this 76 h over eleven months)
    months = pd.to_datetime(shown["period"])
    first, last = months.min(), months.max()
    span = f"{first:%b %Y}" if first == last else f"{first:%b %Y}–{last:%b %Y}"
    claim = f"{rate:.0f} learning hours per engineer a year over {span}"
    if len(by_unit) > 1:
        per = (by_unit["h"] / by_unit["p"] * 365 / days).sort_values()
        claim += f"; {per.index[-1]} leads at {per.iloc[-1]:.0f}, {per.index[0]} trails at {per.iloc[0]:.0f}"
    return claim, f"{hours:,.0f} hours over {days} days, {people:.0f} people on average"


def learning_hours(agg: dict, caption: str) -> go.Figure:
    """Unit × period heatmap of learning hours per engineer (annualised), the whole scope on top."""
    total = agg["total"]
    if total["learning_hours"].isna().all() and total["activities"].fillna(0).sum() > 0:
        return empty_figure(
            "Learning hours: the learning records give no time spent",
            "The LMS exports imported list completions without hours: import a usage report "
            "(hours, minutes or seconds per course) to see learning hours.",
        )
    if total["learning_hours"].fillna(0).sum() == 0:
        return empty_figure("Learning hours: none recorded", "Import an LMS export or the learning template.")
    noun = UNIT_NOUN[agg["unit"]]
    partial, caption = _clipped(agg, caption, "not annualised")
    fig = _units_heatmap(agg["units"], agg["total"], "learning_hours_per_engineer_annualized", ".0f",
                         "Hours per<br>engineer<br>a year", "All in the filter", partial)  # fmt: skip
    return _finished(
        fig,
        agg,
        learning_hours_title(agg),
        caption,
        f"{noun.capitalize()} (hours per engineer a year, annualised)",
    )


def certifications_title(agg: dict) -> tuple[str, str | None]:
    total, units = agg["total"], agg["units"]
    count = int(total["certifications"].fillna(0).sum())
    if count == 0:
        return "No certifications recorded in this window", None
    end = _when(total["period"].max())
    by_unit = units[~units["hidden"]].groupby("unit")["certifications"].sum().sort_values()
    claim = f"{count} certifications in the window to {end}"
    if len(by_unit) > 1 and by_unit.iloc[-1] > 0:
        claim += f"; most in {by_unit.index[-1]} ({by_unit.iloc[-1]:.0f})"
    return claim, None


def certifications(agg: dict, caption: str) -> go.Figure:
    """Unit × period heatmap of certifications earned, the whole scope on top."""
    if agg["total"]["learning_hours"].isna().all() and agg["total"]["certifications"].isna().all():
        return empty_figure(
            "Certifications: no learning data", "Import an LMS export or the learning template."
        )
    noun = UNIT_NOUN[agg["unit"]]
    partial, caption = _clipped(agg, caption, "uncoloured")
    fig = _units_heatmap(agg["units"], agg["total"], "certifications", ".0f", "Certifi-<br>cations",
                         "All in the filter", partial)  # fmt: skip
    return _finished(
        fig, agg, certifications_title(agg), caption, f"{noun.capitalize()} (certifications earned)"
    )


def experiments_title(agg: dict) -> tuple[str, str | None]:
    runs = agg["runs"]
    if runs.empty:
        return "No experiments recorded in this window", None
    top = runs.iloc[0]
    return (
        f"{len(runs)} experiments run with {int(agg['by_period']['experiments'].fillna(0).sum())} participations; "
        f"most joined: {top['title']} ({top['participants']:.0f} people)",
        None,
    )


def experiments_bars(agg: dict, caption: str) -> go.Figure:
    """Experiment participations (learning rows of kind experiment) per period."""
    frame = agg["by_period"]
    if agg["runs"].empty:
        title, _ = experiments_title(agg)
        return empty_figure(
            title, "Record hackathons, spikes and innovation time as learning of kind experiment."
        )
    fig = go.Figure(
        go.Bar(
            x=frame["period"],
            y=frame["experiments"],
            marker_color=PALETTE[4],
            text=[f"{v:.0f}" if v else "" for v in frame["experiments"].fillna(0)],
            textposition="outside",
            hovertemplate="%{x|%b %Y}: %{y} participations<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False, bargap=0.3, hovermode="closest")
    fig.update_yaxes(rangemode="tozero")
    title, detail = experiments_title(agg)
    fig = finish(fig, title, caption, "Period", "Experiment participations (people × experiments)")
    return headline(fig, title, detail)
