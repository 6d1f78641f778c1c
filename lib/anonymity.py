"""Survey anonymity (SPEC.md §6): no result over fewer respondents than the threshold is shown,
and no combination of shown results lets a hidden one be worked out.

The threshold is the `PILLARS_ANONYMITY_THRESHOLD` variable, else the `anonymity_threshold`
setting in the database, else 5; it is never allowed below 3.

## The suppression plan

Every filter the app offers (organisation, team, location, sourcing, acquired cohort)
resolves to a set of teams, so every survey figure is a sum over *cells*: one team's
answers to one dimension in one survey. `plan(con)` decides, once per survey and
independently of any filter, which cells are hidden:

1. Primary: every cell of a team with fewer respondents than the threshold, and every
   cell answered by fewer respondents than the threshold. Respondents without a team
   are hidden too: they are never a group of their own, only part of the whole.
2. Complementary, across teams: the only figures that still include hidden cells are
   the whole organisation's (no filter). The organisation's figure minus the shown
   teams' figures gives the hidden cells pooled together, so the pool must itself have
   at least threshold respondents. While the hidden teams hold fewer, the next-smallest
   shown team is hidden as well; then the same per dimension (people skip questions).
3. Complementary, across dimensions: an organisation-wide dimension answered by fewer
   than threshold respondents is hidden, and since the engagement index pools all
   dimensions, the next-smallest dimension is hidden with it until the hidden pool
   holds at least threshold respondents.

Every filtered figure (any scope that is a subset of teams, down to one team) is then
computed over *shown cells only*: a hidden cell never enters a filtered number, so two
filtered figures differ by shown cells, whose own figures are public anyway. Filtered
figures that exclude hidden cells say so ("excludes 1 team under the threshold").

## What it does not protect against

- Knowledge from outside the app: someone who knows how four of five colleagues
  answered can infer the fifth from a shown figure over five. That is inherent to any
  threshold; raise the threshold for small, close teams.
- Unanimity: a shown 100 % favourable tells each respondent's answer direction.
- Change between waves in team membership: two waves are different surveys of partly
  different people; a figure is never derived from one wave minus another, but a person
  who joins a team between waves changes its figure.
- Non-additive statistics (correlations in the driver analysis) over the whole
  organisation include hidden cells; they are only computed over at least 25
  respondents and cannot be inverted to a group's figure by subtraction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb
import pandas as pd

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3
SEP = "\x1f"  # joins survey, team and dimension into one key for SQL list_contains
ORG = "*"  # the "team" of organisation-wide cells in keys
NO_TEAM = "(no team)"

PRIMARY = "primary"
COMPLEMENTARY = "complementary"
UNASSIGNED = "unassigned"


def threshold(con: duckdb.DuckDBPyConnection | None = None) -> int:
    raw = os.environ.get("PILLARS_ANONYMITY_THRESHOLD")
    if raw is None and con is not None:
        row = con.execute("select value from settings where key = 'anonymity_threshold'").fetchone()
        raw = row[0] if row else None
    try:
        value = int(raw) if raw is not None else DEFAULT_THRESHOLD
    except ValueError:
        value = DEFAULT_THRESHOLD
    return max(value, MINIMUM_THRESHOLD)


def reason_text(kind: str, k: int) -> str:
    """Why a figure is not shown, in words a reader understands."""
    if kind == COMPLEMENTARY:
        return f"hidden so that a group of fewer than {k} respondents can't be worked out by subtraction"
    if kind == UNASSIGNED:
        return "respondents without a team are only counted in organisation-wide figures"
    return f"fewer than {k} respondents"


def too_few(n, k: int) -> bool:
    """True when a figure over `n` respondents must not be shown (n missing counts as too few)."""
    try:
        return n is None or pd.isna(n) or int(n) < k
    except (TypeError, ValueError):
        return True


def key(survey_id: str, team: str | None, dimension: str) -> str:
    return SEP.join((str(survey_id), NO_TEAM if team is None else str(team), str(dimension)))


@dataclass(frozen=True)
class Plan:
    """The hidden cells of every survey: `cells` has survey_id, team, dimension, kind."""

    threshold: int
    cells: pd.DataFrame  # team ORG = an organisation-wide dimension
    teams: pd.DataFrame  # survey_id, team, kind: teams hidden as a whole

    def cell_keys(self) -> list[str]:
        """Keys of hidden team cells, for `$hidden` in SQL (org-wide cells excluded)."""
        rows = self.cells[self.cells["team"] != ORG]
        return [
            key(s, t, d) for s, t, d in zip(rows["survey_id"], rows["team"], rows["dimension"], strict=True)
        ]

    def org_keys(self) -> list[str]:
        """Keys of hidden organisation-wide dimensions (`$hidden_org` in SQL)."""
        rows = self.cells[self.cells["team"] == ORG]
        return [key(s, ORG, d) for s, d in zip(rows["survey_id"], rows["dimension"], strict=True)]

    def team_keys(self) -> list[str]:
        """survey␟team keys of teams hidden as a whole (`$hidden_teams` in SQL)."""
        return [
            SEP.join((str(s), str(t)))
            for s, t in zip(self.teams["survey_id"], self.teams["team"], strict=True)
        ]

    def hidden_teams(self, survey_id: str) -> dict[str, str]:
        rows = self.teams[self.teams["survey_id"] == survey_id]
        return dict(zip(rows["team"], rows["kind"], strict=True))

    def cell_kind(self, survey_id: str, team: str | None, dimension: str) -> str | None:
        team = NO_TEAM if team is None else team
        rows = self.cells[
            (self.cells["survey_id"] == survey_id)
            & (self.cells["team"] == team)
            & (self.cells["dimension"] == dimension)
        ]
        return None if rows.empty else str(rows["kind"].iloc[0])

    def params(self) -> dict:
        """Bound parameters for SQL that must honour the plan."""
        return {
            "threshold": self.threshold,
            "hidden": self.cell_keys(),
            "hidden_org": self.org_keys(),
            "hidden_teams": self.team_keys(),
        }


def plan(con: duckdb.DuckDBPyConnection, surveys: tuple[str, ...] = ()) -> Plan:
    """The suppression plan for the given surveys (all when empty); see the module doc."""
    from lib.sql import query_df

    k = threshold(con)
    counts = query_df(con, "engagement/suppression_cells", {"surveys": list(surveys)})
    cell_rows: list[tuple] = []
    team_rows: list[tuple] = []
    for survey_id, survey in counts.groupby("survey_id", sort=True):
        cells, teams = plan_survey(survey, k)
        cell_rows += [(survey_id, t, d, kind) for (t, d), kind in cells.items()]
        team_rows += [(survey_id, t, kind) for t, kind in teams.items()]
    return Plan(
        threshold=k,
        cells=pd.DataFrame(cell_rows, columns=["survey_id", "team", "dimension", "kind"]),
        teams=pd.DataFrame(team_rows, columns=["survey_id", "team", "kind"]),
    )


def plan_survey(counts: pd.DataFrame, k: int) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Hidden cells {(team, dimension): kind} and hidden teams {team: kind} of one survey.

    `counts` holds the rows of `engagement/suppression_cells.sql` for that survey.
    """
    counts = counts.assign(team=counts["team"].astype(object).where(counts["team"].notna(), NO_TEAM))
    grid = counts[~counts["all_teams"] & ~counts["all_dimensions"]]
    team_n = counts[~counts["all_teams"] & counts["all_dimensions"]].set_index("team")["respondents"]
    org_dim_n = counts[counts["all_teams"] & ~counts["all_dimensions"]].set_index("dimension")["respondents"]
    cell_n = {
        (t, d): int(n) for t, d, n in zip(grid["team"], grid["dimension"], grid["respondents"], strict=True)
    }

    # 1-2. Teams: primary, then complementary until the hidden teams pool >= k respondents.
    hidden_teams: dict[str, str] = {}
    for team, n in team_n.items():
        if team == NO_TEAM:
            hidden_teams[team] = UNASSIGNED
        elif n < k:
            hidden_teams[team] = PRIMARY
    _complete(hidden_teams, {t: int(n) for t, n in team_n.items()}, k)

    hidden: dict[tuple[str, str], str] = {}
    for (team, dim), n in cell_n.items():
        if team in hidden_teams:
            hidden[(team, dim)] = hidden_teams[team]
        elif n < k:
            hidden[(team, dim)] = PRIMARY
    # 2. The same per dimension: a column's hidden cells must pool >= k respondents.
    for dim in sorted({d for _, d in cell_n}):
        column = {t: n for (t, d), n in cell_n.items() if d == dim}
        col_hidden = {t: hidden[(t, dim)] for t in column if (t, dim) in hidden}
        _complete(col_hidden, column, k)
        for team, kind in col_hidden.items():
            hidden.setdefault((team, dim), kind)

    # 3. Organisation-wide dimensions, pooled by the index: the hidden ones must hold >= k.
    org_hidden = {d: PRIMARY for d, n in org_dim_n.items() if n < k}
    if org_hidden and max(org_dim_n[d] for d in org_hidden) < k:
        for dim in sorted(org_dim_n.index, key=lambda d: (org_dim_n[d], d)):
            if dim not in org_hidden:
                org_hidden[dim] = COMPLEMENTARY
                break
    for dim, kind in org_hidden.items():
        hidden[(ORG, dim)] = kind
    return hidden, hidden_teams


def _complete(hidden: dict[str, str], sizes: dict[str, int], k: int) -> None:
    """Hide the next-smallest shown group until the hidden ones pool >= k (or all are hidden).

    Groups are disjoint (a respondent is in one team), so pooled size is the sum.
    """
    while hidden and sum(sizes.get(g, 0) for g in hidden) < k:
        shown = sorted((n, g) for g, n in sizes.items() if g not in hidden and n > 0)
        if not shown:
            return
        hidden[shown[0][1]] = COMPLEMENTARY


def mask(
    frame: pd.DataFrame,
    n_column: str,
    value_columns: list[str],
    k: int,
    reason_column: str = "suppressed_reason",
) -> pd.DataFrame:
    """Blank `value_columns` (and the count) where `n_column` < k, with the reason alongside."""
    out = frame.copy()
    small = out[n_column].isna() | (out[n_column] < k)
    if reason_column not in out:
        out[reason_column] = None
    out[reason_column] = out[reason_column].astype(object)
    out.loc[small & out[reason_column].isna(), reason_column] = reason_text(PRIMARY, k)
    for column in [*value_columns, n_column]:
        out[column] = out[column].astype("float64")
        out.loc[small, column] = float("nan")
    return out
