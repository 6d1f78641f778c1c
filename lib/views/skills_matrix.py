"""The skills matrix: team × skill proficiency against target, coverage gaps and
bus-factor risks, over employees active at the period end.

A cell's people are the team's active employees with a skills row for the skill (people
linked by employee id or work e-mail, `person_links`). Its target is each row's own
target, else the team's (`skill_targets`). A coverage gap is a skill the team has a
target for while none of its people reaches that target; a bus-factor risk is a skill
exactly one person holds at proficiency 3 or more (in a team, or in the whole scope for
`skills.bus_factor_risks`). Mean proficiency is a per-person figure: a cell over fewer
people than the anonymity threshold is hidden (`lib.views.skills_privacy`), and hidden
cells never enter an org's pooled figure. Nobody is named anywhere.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_df
from lib.views import one_row, params
from lib.views.skills_privacy import suppress


def team_skill_cells(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per team × skill of the teams in scope (skills rated by its people or
    targeted for it), over employees active at `scope.end`.

    Columns: team, org, skill, headcount (team's people), people_rated, proficiency_mean
    (0–4), proficiency_sum, rows_with_target, target_sum, target_mean (0–4),
    rows_below_target, team_target (0–4 or None), holders (people at 3+),
    people_at_team_target, coverage_gap (bool), single_holder (bool), and `hidden`,
    `hidden_reason` for the mean (fewer people than the anonymity threshold).
    """
    cells = query_df(con, "skills/team_skill_cells", params(scope))
    return suppress(cells, "people_rated", threshold(con))


def heatmap(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "team") -> pd.DataFrame:
    """One row per unit (team, or org of the teams table) × skill for the heatmap.

    Columns: unit, skill, people_rated, proficiency_mean, target_mean (0–4; mean over rated
    rows with a target), gap (proficiency_mean − target_mean, None without a target),
    rows_below_target, has_target (any rated row has a target), holders, hidden,
    hidden_reason. Org cells pool their teams' shown cells only. Raises ValueError for
    another unit.
    """
    if unit not in ("team", "org"):
        raise ValueError(f"unit must be team or org, not {unit!r}")
    cells = team_skill_cells(con, scope)
    k = threshold(con)
    if unit == "team":
        out = cells.rename(columns={"team": "unit"})
    else:
        shown = cells[~cells["hidden"]]
        out = (
            shown.groupby(["org", "skill"], as_index=False)[
                [
                    "people_rated",
                    "proficiency_sum",
                    "rows_with_target",
                    "target_sum",
                    "rows_below_target",
                    "holders",
                ]
            ]
            .sum()
            .rename(columns={"org": "unit"})
        )
        out["proficiency_mean"] = out["proficiency_sum"] / out["people_rated"].where(out["people_rated"] > 0)
        out["target_mean"] = out["target_sum"] / out["rows_with_target"].where(out["rows_with_target"] > 0)
        out = suppress(out, "people_rated", k)
    out = out[out["people_rated"] > 0].copy()
    out["has_target"] = out["rows_with_target"] > 0
    out["gap"] = out["proficiency_mean"] - out["target_mean"]
    for column in ("proficiency_mean", "target_mean", "gap"):
        out[column] = out[column].where(~out["hidden"])
    columns = ["unit", "skill", "people_rated", "proficiency_mean", "target_mean", "gap"]
    columns += ["rows_below_target", "has_target", "holders", "hidden", "hidden_reason"]
    return out[columns].sort_values(["unit", "skill"], ignore_index=True)


def risks_by_skill(
    con: duckdb.DuckDBPyConnection, scope: Scope, cells: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per skill: coverage gaps and bus-factor risks across the teams in scope.

    Columns: skill, holders (people at 3+ in the scope), single_holder (bool: exactly one
    holder in the scope, what `skills.bus_factor_risks` counts), teams_targeting,
    teams_with_gap, gap_teams (sorted team names), teams_with_one_holder,
    one_holder_teams (teams where exactly one person holds it at 3+). Sorted by risk.
    `cells`: `team_skill_cells(con, scope)` when the caller has it already.
    """
    cells = team_skill_cells(con, scope) if cells is None else cells
    if cells.empty:
        return pd.DataFrame(
            columns=["skill", "holders", "single_holder", "teams_targeting", "teams_with_gap",
                     "gap_teams", "teams_with_one_holder", "one_holder_teams"]
        )  # fmt: skip
    grouped = cells.groupby("skill")
    out = pd.DataFrame(
        {
            "holders": grouped["holders"].sum(),
            "teams_targeting": grouped["team_target"].count(),
            "teams_with_gap": grouped["coverage_gap"].sum(),
            "gap_teams": grouped.apply(
                lambda g: sorted(g.loc[g["coverage_gap"], "team"]), include_groups=False
            ),
            "teams_with_one_holder": grouped["single_holder"].sum(),
            "one_holder_teams": grouped.apply(
                lambda g: sorted(g.loc[g["single_holder"], "team"]), include_groups=False
            ),
        }
    ).reset_index()
    out["single_holder"] = out["holders"] == 1
    out = out.astype(
        {"holders": int, "teams_targeting": int, "teams_with_gap": int, "teams_with_one_holder": int}
    )
    order = out.sort_values(
        ["single_holder", "teams_with_gap", "teams_with_one_holder", "skill"],
        ascending=[False, False, False, True],
    )
    return order[
        ["skill", "holders", "single_holder", "teams_targeting", "teams_with_gap", "gap_teams",
         "teams_with_one_holder", "one_holder_teams"]
    ].reset_index(drop=True)  # fmt: skip


def unlinked_people(con: duckdb.DuckDBPyConnection) -> dict:
    """People (distinct stored identifiers) and rows in `skills` and `learning` that match
    no employee by employee id or work e-mail: skills_people_unlinked, skills_rows_unlinked,
    skills_people, learning_people_unlinked, learning_rows_unlinked, learning_people."""
    return one_row(con, "skills/unlinked_people", {})
