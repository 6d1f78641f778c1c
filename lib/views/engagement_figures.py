"""Every survey figure, computed from a wave's published answers and its plan.

One function, `figures(wave, teams)`, turns a published wave (`lib.anonymity.Wave`) into
the figures of a slice: the whole organisation (`teams` None: every answer, respondents
without a team included) or a set of teams (only the cells the plan shows). The catalog,
the Overview, the Engagement page, the CLI and the CSV downloads all read it, so they
show the same numbers and hide the same ones, each with its reason.

Who counts (SPEC §6): a dimension's figure counts the people with a score on it, eNPS the
people who answered the eNPS question, the index the people with a Likert score, the
respondent count the people with any score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib import anonymity
from lib.anonymity import COMPLEMENTARY, INDEX, NO_TEAM, PRIMARY, RESPONDENTS, UNASSIGNED, Wave
from lib.question_bank import DIMENSIONS, ENPS, dimension_label
from lib.scope import Scope

DIMENSION_COLUMNS = [
    "dimension", "label", "is_enps", "respondents", "answers", "favorable", "neutral", "unfavorable",
    "promoters", "passives", "detractors", "enps", "suppressed_reason",
]  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """The figures of one wave over one slice. Counts are people; shares are 0–1; eNPS is
    −100..100. A hidden or missing figure is None (NaN in `dimensions`) with its reason.

    `dimensions`: one row per dimension of the wave (DIMENSION_COLUMNS; Likert rows carry
    favorable / neutral / unfavorable shares, the eNPS row promoters / passives /
    detractors and `enps`). `shown_teams`: the slice's teams whose respondents are counted.
    """

    survey_id: str
    survey_date: dt.date
    threshold: int
    respondents: int | None
    respondents_reason: str | None
    index: float | None
    index_reason: str | None
    enps: float | None
    enps_reason: str | None
    dimensions: pd.DataFrame
    shown_teams: tuple[str, ...] | None
    excluded_teams: int
    held_back: bool


def who(dimension: str) -> str:
    """The people a dimension's figure counts, as the end of "fewer than 5 …"."""
    if dimension == ENPS:
        return "people answered the eNPS question"
    if dimension == INDEX:
        return "people gave a score on any Likert question"
    if dimension == RESPONDENTS:
        return "respondents"
    return f"people gave a score on {dimension_label(dimension).lower()}"


def reason(kinds: set[str], k: int, counted: str, several: bool) -> str:
    """Why a slice's figure is hidden, from the kinds of the hidden cells (or teams) in it."""
    kinds = {COMPLEMENTARY if kind == UNASSIGNED else kind for kind in kinds}
    if not kinds:
        return f"nobody in this selection {counted.removeprefix('people ')}"
    if kinds == {PRIMARY}:
        text = anonymity.reason_text(PRIMARY, k, counted)
        return f"{text} in each team of this selection" if several else text
    if kinds == {COMPLEMENTARY}:
        return anonymity.reason_text(COMPLEMENTARY, k)
    return (
        f"{anonymity.reason_text(PRIMARY, k, counted)} in some teams of this selection, and the others "
        f"{anonymity.reason_text(COMPLEMENTARY, k)}"
    )


def in_period(wave: Wave, scope: Scope) -> bool:
    """A wave is in the period when any of its answers is dated in [start, end)."""
    return wave.first_date < scope.end and wave.last_date >= scope.start


def answered_by(wave: Wave, scope: Scope) -> bool:
    """The slice's teams have published answers in the wave (the organisation always)."""
    return scope.teams is None or any(t in wave.team_people for t in scope.teams)


def ordered(waves: dict[str, Wave]) -> list[Wave]:
    """Oldest first: by last answer date, then survey_id."""
    return sorted(waves.values(), key=lambda w: (w.last_date, w.survey_id))


def figures(wave: Wave, teams: tuple[str, ...] | None) -> Figures:
    """The wave's figures over the organisation (`teams` None) or a set of teams.

    Kept on the wave per slice (a published wave never changes); treat it as read-only.
    """
    teams = slice_teams(wave, teams)
    key = None if teams is None else tuple(sorted(set(teams)))
    if key not in wave.memo:
        wave.memo[key] = _figures(wave, key)
    return wave.memo[key]


def slice_teams(wave: Wave, teams: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The teams a slice covers: `teams`; for "all teams" read by someone who may see some
    org units only, their teams, as a filter (shown cells only), never the whole."""
    if teams is None and wave.restricted:
        return tuple(t for t in wave.team_people if t != NO_TEAM)
    return teams


def _figures(wave: Wave, teams: tuple[str, ...] | None) -> Figures:
    k, plan = wave.threshold, wave.decisions
    chosen = None if teams is None else set(teams)
    in_scope = {key: v for key, v in wave.cells.items() if chosen is None or key[0] in chosen}
    counted = in_scope if chosen is None else {key: v for key, v in in_scope.items() if key not in plan.cells}
    several = chosen is not None and len({t for t, _ in in_scope}) > 1

    def slice_reason(dimension: str) -> str:
        text = who(dimension)
        if chosen is None:
            return anonymity.reason_text(plan.org.get(dimension, PRIMARY), k, text)
        if dimension == INDEX:
            keys = [key for key in in_scope if key[1] != ENPS]
        else:
            keys = [key for key in in_scope if key[1] == dimension]
        return reason({plan.cells[key] for key in keys if key in plan.cells}, k, text, several)

    dimensions = sorted({d for _, d in wave.cells}, key=_order)
    rows = []
    for dimension in dimensions:
        sums = _add(v for (_, d), v in counted.items() if d == dimension)
        hidden = (chosen is None and dimension in plan.org) or sums[0] == 0
        rows.append(_dimension_row(dimension, sums, slice_reason(dimension) if hidden else None))
    frame = pd.DataFrame(rows, columns=DIMENSION_COLUMNS)
    frame["suppressed_reason"] = (
        frame["suppressed_reason"].astype(object).where(frame["suppressed_reason"].notna(), None)
    )

    likert = _add(v for (_, d), v in counted.items() if d != ENPS)
    index_hidden = likert[0] == 0 or (chosen is None and INDEX in plan.org)
    index = None if index_hidden else likert[2] / likert[1]

    teams_in_scope = sorted({t for t, _ in in_scope})
    if chosen is None:
        shown_teams, excluded = None, 0
        respondents = None if RESPONDENTS in plan.org else sum(wave.team_people.values())
        respondents_reason = None if respondents is not None else slice_reason(RESPONDENTS)
    else:
        shown_teams = tuple(t for t in teams_in_scope if t not in plan.teams)
        excluded = sum(1 for t in teams_in_scope if t in plan.teams and t != NO_TEAM)
        respondents = sum(wave.team_people[t] for t in shown_teams) if shown_teams else None
        kinds = {plan.teams[t] for t in teams_in_scope if t in plan.teams}
        respondents_reason = None if respondents is not None else reason(kinds, k, "respondents", several)

    enps_row = frame[frame["is_enps"]]
    enps = None if enps_row.empty or pd.isna(enps_row["enps"].iloc[0]) else float(enps_row["enps"].iloc[0])
    if enps_row.empty:
        enps_reason = "this survey has no eNPS question"
    else:
        enps_reason = None if enps is not None else enps_row["suppressed_reason"].iloc[0]
    return Figures(
        survey_id=wave.survey_id,
        survey_date=wave.last_date,
        threshold=k,
        respondents=respondents,
        respondents_reason=respondents_reason,
        index=index,
        index_reason=None if index is not None else slice_reason(INDEX),
        enps=enps,
        enps_reason=enps_reason,
        dimensions=frame,
        shown_teams=shown_teams,
        excluded_teams=excluded,
        held_back=wave.held_back,
    )


def _add(values) -> tuple[int, int, int, int, int]:
    """Cell sums: (people, answers, favorable, neutral, unfavorable)."""
    total = [0, 0, 0, 0, 0]
    for v in values:
        for i in range(5):
            total[i] += v[i]
    return tuple(total)


def _order(dimension: str) -> tuple:
    names = list(DIMENSIONS)
    return (names.index(dimension) if dimension in names else len(names), dimension)


def _dimension_row(dimension: str, sums: tuple, hidden_reason: str | None) -> dict:
    is_enps = dimension == ENPS
    row = dict.fromkeys(DIMENSION_COLUMNS, float("nan"))
    row.update(dimension=dimension, label=dimension_label(dimension), is_enps=is_enps, suppressed_reason=None)
    if hidden_reason is not None:
        row["suppressed_reason"] = hidden_reason
        return row
    people, answers, favorable, neutral, unfavorable = sums
    shares = (favorable / answers, neutral / answers, unfavorable / answers)
    row["respondents"] = float(people)
    row["answers"] = float(answers)
    if is_enps:
        row["promoters"], row["passives"], row["detractors"] = shares
        row["enps"] = 100 * (shares[0] - shares[2])
    else:
        row["favorable"], row["neutral"], row["unfavorable"] = shares
    return row


def cells(wave: Wave, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """One row per team (of `teams`, all when None; never the no-team group) × dimension
    with answers: team, dimension, label, is_enps, respondents, value (favourable share;
    eNPS −100..100), suppressed_reason (value and respondents NaN where the plan hides)."""
    rows = []
    for (team, dimension), (people, answers, favorable, _, unfavorable) in wave.cells.items():
        if team == NO_TEAM or (teams is not None and team not in teams):
            continue
        kind = wave.decisions.cells.get((team, dimension))
        is_enps = dimension == ENPS
        value, n, why = float("nan"), float("nan"), None
        if team in wave.decisions.teams:  # the whole team is hidden: say why the team is
            why = anonymity.reason_text(wave.decisions.teams[team], wave.threshold, "respondents")
        elif kind is not None:
            why = anonymity.reason_text(kind, wave.threshold, who(dimension))
        else:
            share = favorable / answers
            value = 100 * (share - unfavorable / answers) if is_enps else share
            n = float(people)
        rows.append((team, dimension, dimension_label(dimension), is_enps, n, float(value), why))
    return cells_frame(rows)


CELL_COLUMNS = ["team", "dimension", "label", "is_enps", "respondents", "value", "suppressed_reason"]


def cells_frame(rows: list | None = None) -> pd.DataFrame:
    """The heatmap's frame (CELL_COLUMNS), empty without rows."""
    return pd.DataFrame(rows or [], columns=CELL_COLUMNS).astype(
        {"respondents": "float64", "value": "float64"}
    )


def respondent_means(wave: Wave, answers: pd.DataFrame, teams: tuple[str, ...] | None) -> pd.DataFrame:
    """Respondent × dimension mean scores over the slice's shown cells (the input of the
    driver correlations, never shown itself): rows respondent_id, columns dimensions.
    `answers`: the wave's published answers (`lib.anonymity.answers`)."""
    teams = slice_teams(wave, teams)
    if teams is not None:
        answers = answers[answers["team"].isin(teams)]
        shown = [
            (t, d) not in wave.decisions.cells
            for t, d in zip(answers["team"], answers["dimension"], strict=True)
        ]
        answers = answers[shown]
    means = answers.assign(mean=answers["score_sum"] / answers["answers"])
    return means.pivot(index="respondent_id", columns="dimension", values="mean")
