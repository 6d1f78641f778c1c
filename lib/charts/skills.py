"""Chart builders of the Skills & capabilities page: the skills matrix, coverage and
bus-factor risks (learning and experiments: `lib.charts.skills_learning`; AI charts:
`lib.charts.skills_ai`).

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

HIDDEN = "#EEF0F3"
NEUTRAL = "#DDE3EA"
UNIT_NOUN = {"team": "team", "org": "org", "location": "location", "all": "organisation"}
LEVELS = "0 none · 1 novice · 2 intermediate · 3 advanced · 4 expert"


def _label(skill: str) -> str:
    return skill.replace("-", " ")


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
