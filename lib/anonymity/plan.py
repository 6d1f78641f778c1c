"""The suppression plan of one release of one survey wave (see `lib.anonymity` for why).

`plan_release(answers, k, before)` decides, from the answers a release publishes, which
teams and cells (team × dimension) are hidden, and which organisation-wide figures are:

1. Teams (the respondent counts): a team with fewer than k respondents, respondents
   without a team, and every team hidden in an earlier release of the wave; then the
   smallest shown teams until the hidden ones pool at least k respondents.
2. Cells: every cell of a hidden team, every cell with fewer than k answerers, every cell
   hidden earlier; then, per dimension shown organisation-wide, the smallest shown cells
   until the column's hidden cells pool at least k answerers.
3. Organisation-wide: a dimension, the index or the respondent count over fewer than k
   people. The index pools every Likert dimension, so the answerers the index alone
   carries (hidden cells of dimensions hidden organisation-wide) must number 0 or at least
   k: otherwise another dimension is hidden organisation-wide, then its smallest shown
   cells, until they do (or the index itself is hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.anonymity.core import COMPLEMENTARY, NO_TEAM, PRIMARY, UNASSIGNED, complete
from lib.question_bank import ENPS

INDEX = "(index)"  # organisation-wide decision keys besides dimensions
RESPONDENTS = "(respondents)"


@dataclass(frozen=True)
class Decisions:
    """What one release hides: teams {team: kind}, cells {(team, dimension): kind} and
    organisation-wide figures {dimension | INDEX | RESPONDENTS: kind}. Team names use
    NO_TEAM for respondents without a team."""

    teams: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    org: dict = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """unit (team / cell / org), team, dimension, kind: the rows of `survey_hidden`."""
        rows = [("team", t, None, kind) for t, kind in self.teams.items()]
        rows += [("cell", t, d, kind) for (t, d), kind in self.cells.items()]
        rows += [("org", None, d, kind) for d, kind in self.org.items()]
        return pd.DataFrame(rows, columns=["unit", "team", "dimension", "kind"])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Decisions:
        teams, cells, org = {}, {}, {}
        for unit, team, dim, kind in zip(
            frame["unit"], frame["team"], frame["dimension"], frame["kind"], strict=True
        ):
            if unit == "team":
                teams[team] = kind
            elif unit == "cell":
                cells[(team, dim)] = kind
            else:
                org[dim] = kind
        return cls(teams, cells, org)


def team_keys(teams: pd.Series) -> pd.Series:
    """Team names with NO_TEAM for missing ones (object dtype)."""
    return teams.astype(object).where(teams.notna(), NO_TEAM)


def plan_release(answers: pd.DataFrame, k: int, before: Decisions | None = None) -> Decisions:
    """The decisions for a release publishing `answers` (rows: respondent_id, dimension,
    team; one per respondent × dimension), carrying over the teams and cells `before` hid.
    """
    people = answers.assign(team=team_keys(answers["team"]))
    team_n = people.groupby("team")["respondent_id"].nunique().to_dict()
    cell_n = people.groupby(["team", "dimension"])["respondent_id"].nunique().to_dict()
    dims = sorted(people["dimension"].unique())
    org_n = {d: sum(n for (_, dd), n in cell_n.items() if dd == d) for d in dims}
    likert = people[people["dimension"] != ENPS]

    # 1. Teams.
    teams = dict(before.teams) if before else {}
    if NO_TEAM in team_n:
        teams.setdefault(NO_TEAM, UNASSIGNED)
    for team, n in team_n.items():
        if n < k:
            teams.setdefault(team, PRIMARY)
    complete(teams, team_n, k)

    # 2. Cells.
    cells = dict(before.cells) if before else {}
    for (team, dim), n in cell_n.items():
        if team in teams:
            cells.setdefault((team, dim), teams[team])
        elif n < k:
            cells.setdefault((team, dim), PRIMARY)

    # 3. Organisation-wide figures.
    org = {d: PRIMARY for d in dims if org_n[d] < k}
    if sum(team_n.values()) < k:
        org[RESPONDENTS] = PRIMARY
    if likert["respondent_id"].nunique() < k:
        org[INDEX] = PRIMARY
    for dim in dims:
        if dim in org:
            continue  # no figure of the whole column is shown: nothing to subtract from
        column = {t: n for (t, d), n in cell_n.items() if d == dim}
        hidden = {t: cells[(t, d)] for (t, d) in cells if d == dim and t in column}
        for team, kind in complete(hidden, column, k).items():
            cells.setdefault((team, dim), kind)
    if INDEX not in org:
        _pool_the_index(likert, cell_n, org_n, cells, org, k)
    return Decisions(teams, cells, org)


def _index_only(likert: pd.DataFrame, cells: dict, org: dict) -> int:
    """Respondents whose Likert answers the organisation-wide index alone carries."""
    rows = likert[
        [d in org and (t, d) in cells for t, d in zip(likert["team"], likert["dimension"], strict=True)]
    ]
    return int(rows["respondent_id"].nunique())


def _pool_the_index(likert: pd.DataFrame, cell_n: dict, org_n: dict, cells: dict, org: dict, k: int) -> None:
    likert_dims = sorted(d for d in org_n if d != ENPS)
    while 0 < _index_only(likert, cells, org) < k:
        shown_of_hidden_dims = sorted(
            (n, str(t), t, d)
            for (t, d), n in cell_n.items()
            if d in org and d != ENPS and (t, d) not in cells
        )
        if shown_of_hidden_dims:
            _, _, team, dim = shown_of_hidden_dims[0]
            cells[(team, dim)] = COMPLEMENTARY
            continue
        candidates = [d for d in likert_dims if d not in org]
        if not candidates:
            org[INDEX] = COMPLEMENTARY
            return

        def pooled(d):
            return sum(n for (t, dd), n in cell_n.items() if dd == d and (t, dd) in cells)

        choice = max(candidates, key=lambda d: (pooled(d), -org_n[d], d))
        org[choice] = COMPLEMENTARY
