"""Chart builders of the Retention page's tenure, careers and management sections: Kaplan–Meier
survival curves, promotions and time in level, the level distribution against the career
framework, span of control against Grove's norm, one-on-one coverage, and attrition by
team next to psychological safety. Aggregates in, figures out, takeaway titles from the data.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.benchmarks import RANGES
from lib.charts import BAD, GOOD, MUTED, PALETTE, empty_figure, finish
from lib.charts.marks import few_flags
from lib.charts.retention import TOTAL, VOLUNTARY, few, hidden_note, label, pct, titled
from lib.charts.titles import trend_move
from lib.formatting import count_of

NEUTRAL = "#C9CED6"
WIDE = {"width": 96, "legend_px": 760}  # a full-width card: longer title lines, a wider legend


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


# ---------------------------------------------------------------------------- survival


def survival_title(groups: pd.DataFrame, noun: str) -> tuple[str, str | None]:
    shown = groups[groups["suppressed_reason"].isna()]
    at_year = shown.dropna(subset=["survival_1y"]).sort_values("survival_1y")
    if at_year.empty:
        return f"Tenure by {noun}: not a year of history yet", None
    if len(at_year) == 1:
        row = at_year.iloc[0]
        return (
            f"{pct(row['survival_1y'])} of new hires are still here after a year",
            f"{row['people']:.0f} hires",
        )
    low, high = at_year.iloc[0], at_year.iloc[-1]
    if noun == "hire year":
        return (
            f"{pct(low['survival_1y'])} of {low['group']} hires stayed a year, {pct(high['survival_1y'])} of "
            f"{high['group']}'s",
            "Kaplan–Meier estimate with 95% confidence bands; people still employed are censored",
        )
    return (
        f"{label(low['group'])} keeps {pct(low['survival_1y'])} of its people past one year, "
        f"{label(high['group'])} {pct(high['survival_1y'])}",
        "Kaplan–Meier estimate with 95% confidence bands; people still employed are censored",
    )


def survival_curves(
    curves: pd.DataFrame, groups: pd.DataFrame, caption: str, noun: str, wide: bool = False
) -> go.Figure:
    """One step line per group (share still employed against tenure in years) inside its
    95 % band. `curves` / `groups`: `lib.views.retention_tenure.survival`; `wide` for a
    full-width card."""
    if curves.empty:
        reason = groups["suppressed_reason"].dropna()
        why = reason.iloc[0] if len(reason) else "no hires since the first recorded separation"
        return empty_figure(f"Tenure survival by {noun}", f"No data: {why}")
    fig = go.Figure()
    for i, name in enumerate(dict.fromkeys(curves["group"])):
        part = curves[curves["group"] == name]
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(x=part["years"], y=part["high"], mode="lines", line={"width": 0, "shape": "hv"},
                                 hoverinfo="skip", showlegend=False, legendgroup=str(name)))  # fmt: skip
        fig.add_trace(go.Scatter(x=part["years"], y=part["low"], mode="lines", line={"width": 0, "shape": "hv"},
                                 fill="tonexty", fillcolor=_rgba(color, 0.13), hoverinfo="skip",
                                 showlegend=False, legendgroup=str(name)))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=part["years"], y=part["survival"], name=f"{label(name)} · {part['people'].iloc[0]:.0f} hires",
            mode="lines", line={"width": 2.6, "color": color, "shape": "hv"}, legendgroup=str(name),
            customdata=part[["at_risk", "low", "high"]].to_numpy(),
            hovertemplate=f"{label(name)} · %{{x:.1f}} years: %{{y:.0%}} still here (95%: %{{customdata[1]:.0%}}–"
            "%{customdata[2]:.0%}) · %{customdata[0]:.0f} at risk<extra></extra>",
        ))  # fmt: skip
    hidden = groups[groups["suppressed_reason"].notna()]
    if len(hidden):
        hidden_note(
            fig, hidden, text=f"not shown: {few(hidden['group'])} ({hidden['suppressed_reason'].iloc[0]})"
        )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(rangemode="tozero")
    fig.update_layout(hovermode="closest")
    fig = finish(fig, "", caption, "Tenure (years since hire)", "Still employed (% of hires)", height=420)
    return titled(fig, *survival_title(groups, noun), **(WIDE if wide else {}))


# ---------------------------------------------------------------------------- promotions


def promotion_rates(frame: pd.DataFrame, caption: str) -> go.Figure:
    """Annualised promotion rate per level promoted from, in framework order."""
    rows = frame.dropna(subset=["promotion_rate_annualized"]) if not frame.empty else frame
    if frame.empty or rows.empty:
        return empty_figure(
            "Promotions by level", "No promotion data" if frame.empty else "No data: fewer people"
        )
    fig = go.Figure(go.Bar(
        x=rows["level"], y=rows["promotion_rate_annualized"], marker_color=TOTAL,
        text=[f"{p:.0f} · {pct(r)}" for p, r in zip(rows["promotions"], rows["promotion_rate_annualized"], strict=True)],
        textposition="outside", customdata=rows[["promotions", "headcount_end"]].to_numpy(),
        hovertemplate="From %{x}: %{customdata[0]:.0f} promotions, %{y:.0%} a year · %{customdata[1]:.0f} at that "
        "level now<extra></extra>",
    ))  # fmt: skip
    hidden_note(fig, frame[frame["promotion_rate_annualized"].isna()], "levels")
    fig.update_yaxes(tickformat=".0%", range=[0, float(rows["promotion_rate_annualized"].max()) * 1.3 + 0.02])
    fig.update_layout(hovermode="closest", showlegend=False)
    fig = finish(fig, "", caption, "Level promoted from (career framework order)",
                 "Promoted per year (% of people at the level)", height=380)  # fmt: skip
    top = rows.sort_values("promotion_rate_annualized").iloc[-1]
    total = rows["promotions"].sum()
    title = f"{total:.0f} promotions; people at {top['level']} move up fastest ({pct(top['promotion_rate_annualized'])} a year)"
    return titled(fig, title, "labels: promotions · annual rate")


def time_to_promotion(frame: pd.DataFrame, caption: str) -> go.Figure:
    """Median years in the level before promotion, per level promoted from."""
    rows = frame.dropna(subset=["years_in_level_p50"]) if not frame.empty else frame
    if frame.empty or rows.empty:
        reason = (
            "No promotion data"
            if frame.empty
            else "No data: " + next((r for r in frame["suppressed_reason"].dropna()), "too few promotions")
        )
        return empty_figure("Time to promotion by level", reason)
    fig = go.Figure(go.Bar(
        x=rows["level"], y=rows["years_in_level_p50"], marker_color=PALETTE[1],
        text=[f"{v:.1f} y" for v in rows["years_in_level_p50"]], textposition="outside",
        customdata=rows[["promotions"]].to_numpy(),
        hovertemplate="From %{x}: median %{y:.1f} years in the level · %{customdata[0]:.0f} promotions<extra></extra>",
    ))  # fmt: skip
    hidden_note(fig, frame[frame["years_in_level_p50"].isna()], "levels")
    fig.update_yaxes(range=[0, float(rows["years_in_level_p50"].max()) * 1.3 + 0.2])
    fig.update_layout(hovermode="closest", showlegend=False)
    fig = finish(fig, "", caption, "Level promoted from (career framework order)",
                 "Median time in the level before promotion (years)", height=380)  # fmt: skip
    slow = rows.sort_values("years_in_level_p50").iloc[-1]
    return titled(fig, f"Promotion from {slow['level']} takes longest: {slow['years_in_level_p50']:.1f} years",
                    "time since the previous promotion, else since hire")  # fmt: skip


def level_distribution(frame: pd.DataFrame, caption: str) -> go.Figure:
    """Share of the headcount per level (bars) against the framework's target (diamonds);
    levels the framework lacks in grey."""
    if frame.empty or frame["headcount"].sum() == 0:
        return empty_figure("Level distribution", "No data: no employees with a level at the period end")
    colors = [TOTAL if inside else NEUTRAL for inside in frame["in_framework"]]
    fig = go.Figure(go.Bar(
        x=frame["level"], y=frame["share"], marker_color=colors, name="Headcount",
        text=[f"{h:.0f}" for h in frame["headcount"]], textposition="outside",
        customdata=frame[["headcount"]].to_numpy(),
        hovertemplate="%{x}: %{customdata[0]:.0f} people, %{y:.0%} of the headcount<extra></extra>",
    ))  # fmt: skip
    targets = frame.dropna(subset=["target_share"])
    if len(targets):
        fig.add_trace(go.Scatter(x=targets["level"], y=targets["target_share"], mode="markers", name="Target",
                                 marker={"symbol": "diamond", "size": 12, "color": VOLUNTARY,
                                         "line": {"width": 1, "color": "white"}},
                                 hovertemplate="%{x}: target %{y:.0%}<extra></extra>"))  # fmt: skip
    top = max(float(frame["share"].max()), float(targets["target_share"].max()) if len(targets) else 0)
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.25 + 0.02])
    fig.update_layout(hovermode="closest", showlegend=len(targets) > 0)
    fig = finish(fig, "", caption, "Level (career framework order)", "Share of the headcount (%)", height=380)
    outside = frame[~frame["in_framework"] & (frame["headcount"] > 0)]
    if len(targets):
        gap = (targets["share"] - targets["target_share"]).abs()
        worst = targets.loc[gap.idxmax()]
        title = (f"{worst['level']} is furthest from the framework: {pct(worst['share'])} of people "
                 f"against a {pct(worst['target_share'])} target")  # fmt: skip
    else:
        named = frame[~frame["level"].astype(str).str.startswith("Levels of fewer than")]  # the merged row
        named = named if len(named) else frame
        peak = named.loc[named["share"].idxmax()]
        title = f"{peak['level']} is the largest level: {pct(peak['share'])} of the headcount"
    detail = (
        f"labels: people · grey: {count_of(len(outside), 'level')} not in the framework"
        if len(outside)
        else "labels: people"
    )
    return titled(fig, title, detail)


# ---------------------------------------------------------------------------- management


def span_histogram(span: dict, caption: str) -> go.Figure:
    """Managers by their number of active direct reports, the 6–8 norm highlighted."""
    bins = span["bins"]
    if not span["managers"]:
        return empty_figure("Span of control", "No data: no active employee has a manager")
    bench = RANGES["retention.span_of_control_median"]
    fig = go.Figure(go.Bar(
        x=bins["span"], y=bins["managers"], marker_color=[GOOD if n else NEUTRAL for n in bins["in_norm"]],
        text=bins["managers"], textposition="outside",
        hovertemplate="%{x} direct reports: %{y} managers<extra></extra>",
    ))  # fmt: skip
    fig.update_yaxes(
        range=[0, float(bins["managers"].max()) * 1.3 + 1], dtick=max(1, int(bins["managers"].max() // 5))
    )
    fig.update_layout(hovermode="closest", showlegend=False)
    fig = finish(fig, "", caption, "Active direct reports per manager", "Managers", height=380)
    median = span["median"]
    place = "within" if bench.low <= median <= bench.high else "above" if median > bench.high else "below"
    title = (
        f"The median manager has {median:g} direct reports, {place} Grove's {bench.low:.0f}–{bench.high:.0f}"
    )
    return titled(fig, title, f"green: the norm ({bench.source}) · {span['managers']} managers")


def coverage_by_group(latest: pd.DataFrame, caption: str, noun: str) -> go.Figure:
    """Share of active people with a one-on-one in the last 30 days, per group."""
    rows = latest.dropna(subset=["one_on_one_coverage"]).sort_values("one_on_one_coverage")
    if latest.empty:
        return empty_figure("One-on-one coverage", "No one-on-ones loaded: import the one_on_ones template")
    if rows.empty:
        return empty_figure(
            "One-on-one coverage", "No data: " + str(latest["suppressed_reason"].dropna().iloc[0])
        )
    fig = go.Figure(go.Bar(
        y=rows["group"].map(label), x=rows["one_on_one_coverage"], orientation="h",
        marker_color=[GOOD if v >= 0.8 else VOLUNTARY if v >= 0.6 else BAD for v in rows["one_on_one_coverage"]],
        text=[pct(v) for v in rows["one_on_one_coverage"]], textposition="outside",
        customdata=rows[["covered", "active"]].to_numpy(),
        hovertemplate="%{y}: %{customdata[0]:.0f} of %{customdata[1]:.0f} people had a one-on-one<extra></extra>",
    ))  # fmt: skip
    hidden_note(fig, latest[latest["one_on_one_coverage"].isna()], noun + "s")
    fig.update_xaxes(tickformat=".0%", range=[0, 1.12])
    fig.update_layout(hovermode="closest", showlegend=False)
    fig = finish(fig, "", caption, "One-on-one in the last 30 days (% of people)", None,
                 height=max(300, 130 + 46 * len(rows)))  # fmt: skip
    low = rows.iloc[0]
    title = (f"{label(low['group'])} has the lowest one-on-one coverage: {pct(low['one_on_one_coverage'])}"
             if len(rows) > 1 else f"{pct(low['one_on_one_coverage'])} had a one-on-one in the last 30 days")  # fmt: skip
    return titled(fig, title, "people with a manager and a one-on-one in the 30 days to the period end")


def coverage_trend(frame: pd.DataFrame, caption: str, x_title: str, wide: bool = True) -> go.Figure:
    """Share of people with a one-on-one in the 30 days before each bucket's end."""
    rows = frame.dropna(subset=["one_on_one_coverage"])
    if rows.empty:
        return empty_figure("One-on-one coverage over time", "No one-on-ones loaded")
    fig = go.Figure(go.Scatter(
        x=rows["period"], y=rows["one_on_one_coverage"], mode="lines+markers", line={"width": 3, "color": TOTAL},
        customdata=rows[["covered", "active"]].to_numpy(), name="Coverage",
        hovertemplate="%{x|%b %Y}: %{y:.0%} (%{customdata[0]:.0f} of %{customdata[1]:.0f})<extra></extra>",
    ))  # fmt: skip
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_layout(hovermode="x unified", showlegend=False)
    fig = finish(
        fig, "", caption, x_title, "Had a one-on-one in the 30 days before (% of people)", height=380
    )
    # the shared trend rule (lib.charts.titles.trend_move): medians of the ends, fewer than
    # MIN_COUNT people at a bucket's end never count
    last = rows.iloc[-1]["one_on_one_coverage"]
    move = trend_move(list(rows["period"]), list(rows["one_on_one_coverage"]), "%",
                      few=few_flags(rows, "active"))  # fmt: skip
    trend = (
        "too few people for a trend"
        if move is None
        else "steady"
        if move.direction == "steady" or abs(move.size) < 2
        else f"{move.direction} {abs(move.size):.0f} pts"
    )
    return titled(
        fig, f"One-on-one coverage {trend} over the year, now {pct(last)}", None, **(WIDE if wide else {})
    )


def team_attrition_and_safety(frame: pd.DataFrame, caption: str, wide: bool = False) -> go.Figure:
    """One dot per team: psychological-safety favourability in the latest survey (x) against
    the share of people who left over the trailing year (y), dot size by headcount, with a
    least-squares line; teams the survey shows no figure for are counted in a note."""
    rows = frame.dropna(subset=["attrition_rate"])
    known = rows.dropna(subset=["psychological_safety"])
    if known.empty:
        reasons = (
            frame["suppressed_reason"].dropna() if "suppressed_reason" in frame else pd.Series(dtype=object)
        )
        why = (
            "no survey figure for any team"
            if len(rows)
            else (reasons.iloc[0] if len(reasons) else "no teams")
        )
        return empty_figure("Attrition and psychological safety by team", f"No data: {why}")
    measure = "Voluntary leavers" if (known["measure"] == "voluntary").all() else "Leavers"
    size = known["people"].astype(float)
    fig = go.Figure(go.Scatter(
        x=known["psychological_safety"], y=known["attrition_rate"], mode="markers", text=known["team"],
        marker={"size": (6 + (22 if len(known) <= 40 else 10) * (size / size.max()) ** 0.5), "color": TOTAL,
                "opacity": 0.75 if len(known) <= 40 else 0.55,
                "line": {"width": 1, "color": "white"}},
        customdata=known[["leavers", "people"]].to_numpy(),
        hovertemplate="%{text}: safety %{x:.0%} favourable · %{y:.0%} left (%{customdata[0]:.0f} of about "
        "%{customdata[1]:.0f} people)<extra></extra>",
    ))  # fmt: skip
    if len(known) >= 3 and known["psychological_safety"].std() > 0:
        import numpy as np

        xs = known["psychological_safety"].astype(float)
        slope, intercept = np.polyfit(xs, known["attrition_rate"].astype(float), 1)
        ends = np.array([xs.min(), xs.max()])
        fig.add_trace(go.Scatter(x=ends, y=slope * ends + intercept, mode="lines", hoverinfo="skip",
                                 line={"dash": "dot", "color": MUTED, "width": 1.5}))  # fmt: skip
    missing = len(frame) - len(known)
    if missing:
        hidden_note(
            fig,
            known,
            text=f"{count_of(missing, 'team')} not shown: under the threshold, or no survey figure",
        )
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(tickformat=".0%", range=[-0.03, float(known["attrition_rate"].max()) * 1.1 + 0.03])
    fig.update_layout(hovermode="closest", showlegend=False)
    fig = finish(fig, "", caption, "Psychological safety in the latest survey (% favourable answers)",
                 f"{measure} in 12 months (% of headcount)", height=440)  # fmt: skip
    return titled(fig, *team_title(known), **(WIDE if wide else {}))


def team_title(rows: pd.DataFrame) -> tuple[str, str | None]:
    known = rows.dropna(subset=["psychological_safety"])
    if len(known) >= 4:
        third = max(1, len(known) // 3)
        ranked = known.sort_values("psychological_safety")
        low = ranked.head(third)
        high = ranked.tail(third)
        low_rate = low["leavers"].sum() / low["people"].sum()
        high_rate = high["leavers"].sum() / high["people"].sum()
        if high_rate > 0 and low_rate > 1.3 * high_rate:
            return (
                f"Teams with the lowest psychological safety lose {low_rate / high_rate:.1f}× as many people",
                f"{pct(low_rate)} a year in the least safe third of teams, {pct(high_rate)} in the safest",
            )
        return "Voluntary attrition shows no clear link to psychological safety here", None
    top = rows.iloc[-1]
    return f"{top['team']} loses the most people: {pct(top['attrition_rate'])} a year", None
