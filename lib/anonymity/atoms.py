"""The release check: would publishing a release let a group of fewer than k people be
worked out from everything the wave has published so far?

Every survey figure is a sum over people (a count of people, or a sum of their answers),
so what an observer can compute from all published figures of a wave, across every
filter and every release, is any linear combination of those sums. Call two unknowns
(one person's answers on one dimension, or one person's presence in a count) equivalent
when every published figure of every release includes both or neither: the classes are
the *atoms*. A published combination can only ever give the total of whole atoms, so when
every atom holds 0 or at least k people, no group of fewer than k people is determined.
That is the check: a release is cut only if it creates no atom of 1 to k − 1 people (an
atom it leaves exactly as it was is not new information).

Unknowns, per wave:
- answers: one per respondent × dimension × answer values (a changed answer is a new
  unknown; the same answers again, in any team or release, are the same unknown);
- presence on a dimension: one per respondent × dimension (the answerer counts);
- presence in the survey: one per respondent (the respondent counts).

What each release publishes about an unknown, given its plan (`Decisions`): the
organisation-wide figure of its dimension (unless hidden organisation-wide), the figures
of every filter containing its team (unless its cell, or for respondent counts its team,
is hidden), and for Likert answers the organisation-wide index (unless hidden). Filtered
index figures are sums of filtered dimension figures, so they add no new combination.
"""

from __future__ import annotations

import pandas as pd

from lib.anonymity.plan import INDEX, RESPONDENTS, Decisions, team_keys
from lib.question_bank import ENPS

VALUE_COLUMNS = ("answers", "score_sum", "favorable", "neutral", "unfavorable")


def _present(rows: pd.DataFrame, release: int) -> pd.DataFrame:
    to = rows["to_release"]
    return rows[(rows["from_release"] <= release) & (to.isna() | (to > release))]


def _elements(rows: pd.DataFrame, release: int, plan: Decisions) -> list[pd.DataFrame]:
    """(family, unknown, respondent, element) of every unknown present in `release`."""
    now = _present(rows, release)
    if now.empty:
        return []
    team, dim = now["team"], now["dimension"]
    org_dim = dim.map(lambda d: "-" if d in plan.org else d)
    cell = ["-" if (t, d) in plan.cells else f"{t}\x1e{d}" for t, d in zip(team, dim, strict=True)]
    index = "-" if INDEX in plan.org else "I"
    in_index = (dim != ENPS).map({True: index, False: "-"})
    answers = pd.DataFrame(
        {
            "family": "answers",
            "unknown": now["answer_key"],
            "respondent_id": now["respondent_id"],
            "element": f"{release}\x1f"
            + org_dim
            + "\x1f"
            + pd.Series(cell, index=now.index)
            + "\x1f"
            + in_index,
        }
    )
    presence = pd.DataFrame(
        {
            "family": "presence",
            "unknown": now["presence_key"],
            "respondent_id": now["respondent_id"],
            "element": f"{release}\x1f" + org_dim + "\x1f" + pd.Series(cell, index=now.index),
        }
    )
    people = now.drop_duplicates(["respondent_id"])
    org_count = "-" if RESPONDENTS in plan.org else "O"
    respondents = pd.DataFrame(
        {
            "family": "respondents",
            "unknown": people["respondent_key"],
            "respondent_id": people["respondent_id"],
            "element": f"{release}\x1f{org_count}\x1f"
            + people["team"].map(lambda t: "-" if t in plan.teams else t),
        }
    )
    out = [answers, presence, respondents]
    # an element that publishes nothing about the unknown is no element
    return [f[~f["element"].str.fullmatch(r"[0-9]+(\x1f-)+")] for f in out]


def keyed(rows: pd.DataFrame) -> pd.DataFrame:
    """Published versions (rows of `survey_published`) with their unknowns' keys."""
    out = rows.assign(team=team_keys(rows["team"]))
    values = out[list(VALUE_COLUMNS)].astype(str).agg("\x1e".join, axis=1) if len(out) else ""
    # The same person is the same unknown in every team and release: an observer who sees
    # them move from one team's figure to another's knows they are one person.
    out["presence_key"] = out["respondent_id"] + "\x1d" + out["dimension"]
    out["answer_key"] = out["presence_key"] + "\x1d" + values
    out["respondent_key"] = out["respondent_id"]
    return out


def atoms(rows: pd.DataFrame, plans: dict[int, Decisions], upto: int) -> pd.DataFrame:
    """The atoms of releases 1..upto: family, signature, members (frozenset of unknowns),
    people (distinct respondents), respondents (frozenset of respondent ids).

    `rows`: every published version (`keyed`), with from_release and to_release
    (exclusive; NaN while published); `plans`: the decisions of each release.
    """
    columns = ["family", "signature", "members", "people", "respondents"]
    parts = [e for r in range(1, upto + 1) for e in _elements(rows, r, plans[r])]
    if not parts:
        return pd.DataFrame(columns=columns)
    elements = pd.concat(parts, ignore_index=True)
    signatures = (
        elements.groupby(["family", "unknown"], sort=False)
        .agg(signature=("element", "\x1c".join), respondent_id=("respondent_id", "first"))
        .reset_index()
    )
    grouped = signatures.groupby(["family", "signature"], sort=False)
    out = grouped.agg(
        members=("unknown", frozenset),
        respondents=("respondent_id", frozenset),
    ).reset_index()
    out["people"] = out["respondents"].map(len)
    return out[columns]


def new_small_atoms(rows: pd.DataFrame, plans: dict[int, Decisions], release: int, k: int) -> pd.DataFrame:
    """Atoms of 1 to k − 1 people after `release` that did not exist before it."""
    after = atoms(rows, plans, release)
    before = atoms(rows, plans, release - 1) if release > 1 else after.iloc[0:0]
    known = set(zip(before["family"], before["members"], strict=True))
    small = after[(after["people"] > 0) & (after["people"] < k)]
    fresh = [(f, m) not in known for f, m in zip(small["family"], small["members"], strict=True)]
    return small[fresh]
