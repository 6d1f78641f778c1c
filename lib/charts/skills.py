"""Chart builders of the Skills & capabilities page: the skills matrix, coverage and
bus-factor risks, learning and experiments (AI charts: `lib.charts.skills_ai`).

Each builder takes the aggregates of one `lib.views.skills_charts` function and a
caption, writes its takeaway title from the numbers, and returns a board-ready figure;
`lib/charts/registry/skills.py` registers each one under a stable id for the page and
the board pack. A hidden figure (too few people) is drawn as a
grey cell saying so, never as a number; missing data is a notice, never a zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.charts import BAD, GOOD, PALETTE, empty_figure, finish
from lib.charts.titles import headline
from lib.formatting import is_missing
from lib.views.buckets import full_days

HIDDEN = "#EEF0F3"
NEUTRAL = "#DDE3EA"
UNIT_NOUN = {"team": "team", "org": "org", "location": "location", "all": "organisation"}
LEVELS = "0 none · 1 novice · 2 intermediate · 3 advanced · 4 expert"


def _label(skill: str) -> str:
    return skill.replace("-", " ")


def _when(day) -> str:
    return f"{pd.Timestamp(day):%b %Y}"


# ---------------------------------------------------------------------------- skills matrix


def matrix_title(cells: pd.DataFrame, unit: str) -> tuple[str, str | None]:
    shown = cells.dropna(subset=["gap"])
    if shown.empty:
        rated = cells.dropna(subset=["proficiency_mean"])
        if rated.empty:
            return "Skills matrix: no cell has enough people to show", None
        top = rated.loc[rated["proficiency_mean"].idxmax()]
        return (
            f"Strongest: {top['unit']} in {_label(top['skill'])} (mean level {top['proficiency_mean']:.1f}); "
            "no targets set",
            None,
        )
    below = shown[shown["gap"] < 0]
    worst = shown.loc[shown["gap"].idxmin()]
    if below.empty:
        return f"Every {UNIT_NOUN[unit]} meets its skill targets on average", None
    return (
        f"{len(below)} of {len(shown)} {UNIT_NOUN[unit]} skills sit below target; widest gap: "
        f"{worst['unit']} in {_label(worst['skill'])}",
        f"mean level {worst['proficiency_mean']:.1f} against a target of {worst['target_mean']:.1f}",
    )


def matrix_heatmap(agg: dict, caption: str) -> go.Figure:
    """Unit × skill: colour = mean proficiency − mean target (levels), text = 'mean of
    target'; cells without a target show the mean on a neutral ground; hidden cells grey."""
    cells, unit = agg["cells"], agg["unit"]
    if cells.empty:
        return empty_figure("Skills matrix: no skills data", "Import a skills matrix to see this chart.")
    units = sorted(cells["unit"].unique(), reverse=True)
    skills = [s for s in agg["skills"] if s in set(cells["skill"])]
    shape = (len(units), len(skills))
    gap, neutral, hidden = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    text = [["" for _ in skills] for _ in units]
    hover = [["" for _ in skills] for _ in units]
    for c in cells.itertuples():
        i, j = units.index(c.unit), skills.index(c.skill)
        where = f"{c.unit} · {_label(c.skill)}"
        if c.hidden:
            hidden[i, j] = 0
            text[i][j] = "hidden"
            hover[i][j] = f"{where}: not shown, {c.hidden_reason}"
            continue
        holders = f"{c.holders:.0f} at level 3+"
        if is_missing(c.target_mean):
            neutral[i, j] = 0
            text[i][j] = f"{c.proficiency_mean:.1f}"
            hover[i][j] = (
                f"{where}: mean level {c.proficiency_mean:.1f} (n={c.people_rated:.0f}), no target · {holders}"
            )
            continue
        gap[i, j] = c.gap
        text[i][j] = f"{c.proficiency_mean:.1f} of {c.target_mean:.1f}"
        hover[i][j] = (
            f"{where}: mean level {c.proficiency_mean:.1f} against target {c.target_mean:.1f} "
            f"(n={c.people_rated:.0f}; {c.rows_below_target:.0f} below target) · {holders}"
        )
    x = [_label(s) for s in skills]
    fig = go.Figure()
    for z, color in ((hidden, HIDDEN), (neutral, NEUTRAL)):
        fig.add_trace(
            go.Heatmap(z=z, x=x, y=units, colorscale=[[0, color], [1, color]], showscale=False,
                       hoverinfo="skip", xgap=2, ygap=2)
        )  # fmt: skip
    fig.add_trace(
        go.Heatmap(
            z=gap,
            x=x,
            y=units,
            zmin=-2,
            zmax=1,
            colorscale=[[0, BAD], [0.5, "#F6D7C3"], [2 / 3, "#F4F1DE"], [1, GOOD]],
            colorbar={"title": {"text": "Level vs<br>target"}, "tickvals": [-2, -1, 0, 1], "len": 0.8},
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[x[j] for i in range(len(units)) for j in range(len(skills))],
            y=[units[i] for i in range(len(units)) for j in range(len(skills))],
            mode="text",
            text=[text[i][j] for i in range(len(units)) for j in range(len(skills))],
            textfont={"size": 11, "color": "#1B2430"},
            customdata=[hover[i][j] for i in range(len(units)) for j in range(len(skills))],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(side="top", showline=False, ticks="", tickangle=-30, showgrid=False)
    fig.update_yaxes(showgrid=False, ticks="")
    fig.update_layout(hovermode="closest", margin={"t": 150, "l": 150})
    title, detail = matrix_title(cells, unit)
    fig = finish(fig, title, caption, None, None, height=max(380, 170 + 34 * len(units)))
    return headline(fig, title, detail, width=90, extra_top=70, legend_px=900)


def risks_title(by_skill: pd.DataFrame) -> tuple[str, str | None]:
    if by_skill.empty:
        return "Coverage and bus-factor risks: no skills data", None
    single = [_label(s) for s in by_skill.loc[by_skill["single_holder"], "skill"]]
    gaps = by_skill[by_skill["teams_with_gap"] > 0].sort_values("teams_with_gap", ascending=False)
    parts = []
    if single:
        names = single[0] if len(single) == 1 else ", ".join(single[:-1]) + " and " + single[-1]
        parts.append(f"{names} rest{'s' if len(single) == 1 else ''} on one person")
    if not gaps.empty:
        top = gaps.iloc[0]
        n = int(top["teams_with_gap"])
        parts.append(f"{n} team{'s' if n != 1 else ''} lack {_label(top['skill'])} at target")
    if not parts:
        return "No skill rests on one person, and every targeted skill is covered", None
    return "; ".join(parts), None


def risks_bars(agg: dict, caption: str) -> go.Figure:
    """Per skill, teams with a coverage gap and teams where one person holds it; skills held
    at level 3+ by one person in the whole scope are flagged in their label."""
    frame = agg["by_skill"]
    shown = frame[
        (frame["teams_with_gap"] > 0) | (frame["teams_with_one_holder"] > 0) | frame["single_holder"]
    ]
    if shown.empty:
        title, _ = risks_title(frame)
        return empty_figure(title, "No coverage gap and no skill held by one person only.")
    shown = shown.iloc[::-1]
    labels = [
        f"{_label(r.skill)} ⚠ one holder in all" if r.single_holder else _label(r.skill)
        for r in shown.itertuples()
    ]
    fig = go.Figure()
    for column, name, color, teams in (
        ("teams_with_gap", "Teams with no one at their target level", BAD, "gap_teams"),
        (
            "teams_with_one_holder",
            "Teams where one person holds it at level 3+",
            PALETTE[2],
            "one_holder_teams",
        ),
    ):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=shown[column],
                name=name,
                orientation="h",
                marker_color=color,
                text=[f"{v:.0f}" if v else "" for v in shown[column]],
                textposition="outside",
                customdata=[", ".join(t) or "none" for t in shown[teams]],
                hovertemplate="%{y}: %{x} teams (%{customdata})<extra></extra>",
            )
        )
    top = max(1, int(shown[["teams_with_gap", "teams_with_one_holder"]].max().max()))
    fig.update_xaxes(range=[0, top * 1.15 + 0.5], dtick=1 if top <= 10 else None)
    fig.update_layout(barmode="group", hovermode="closest", bargap=0.25)
    title, detail = risks_title(frame)
    fig = finish(fig, title, caption, "Teams", None, height=max(320, 120 + 44 * len(shown)))
    return headline(fig, title, detail)


# ---------------------------------------------------------------------------- learning


def _partial_months(total: pd.DataFrame, grain: str) -> dict:
    """{period: (days, whole)} of the buckets the window clips (the month it ends in)."""
    return {
        r.period: (int(r.days), full_days(r.period, grain))
        for r in total.itertuples()
        if int(r.days) < full_days(r.period, grain)
    }


def _units_heatmap(
    units: pd.DataFrame,
    total: pd.DataFrame,
    column: str,
    text_format: str,
    colorbar: str,
    top_label: str,
    partial: dict | None = None,
) -> go.Figure:
    """`partial` ({period: (days, whole)}): buckets too short to annualise, left uncoloured
    with the hours so far in the hover (six days of December annualised read 329 hours a year
    for one team and 0 for others, and set the colour scale)."""
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
        elif r.period in partial and not is_missing(getattr(r, column)):
            days, whole = partial[r.period]
            text[i][j] = "partial"
            hours = "" if is_missing(r.learning_hours) else f": {r.learning_hours:,.0f} hours so far"
            hover[i][j] = f"{label}: {days} of {whole} days, too short to annualise{hours}"
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
    partial = _partial_months(agg["total"], agg["window"].grain) if "window" in agg else {}
    fig = _units_heatmap(agg["units"], agg["total"], "learning_hours_per_engineer_annualized", ".0f",
                         "Hours per<br>engineer<br>a year", "All in the filter", partial)  # fmt: skip
    if partial:
        caption += " · " + "; ".join(f"{pd.Timestamp(p):%b %Y}: {d} of {w} days, not annualised"
                                     for p, (d, w) in sorted(partial.items()))  # fmt: skip
    title, detail = learning_hours_title(agg)
    n = len(set(agg["units"]["unit"])) + 1
    fig = finish(fig, title, caption, None, f"{noun.capitalize()} (hours per engineer a year, annualised)",
                 height=max(340, 150 + 30 * n))  # fmt: skip
    return headline(fig, title, detail, width=90, legend_px=900)


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
    fig = _units_heatmap(agg["units"], agg["total"], "certifications", ".0f", "Certifi-<br>cations",
                         "All in the filter")  # fmt: skip
    title, detail = certifications_title(agg)
    n = len(set(agg["units"]["unit"])) + 1
    fig = finish(fig, title, caption, None, f"{noun.capitalize()} (certifications earned)",
                 height=max(340, 150 + 30 * n))  # fmt: skip
    return headline(fig, title, detail, width=90, legend_px=900)


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
