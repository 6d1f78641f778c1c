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
    """(family, unknown, respondent_id, release, element) of every unknown present in
    `release` about which the release publishes something."""
    now = _present(rows, release)
    if now.empty:
        return []
    team, dim = now["team"].astype(str), now["dimension"].astype(str)
    cell_key = team + "\x1e" + dim
    hidden_cells = [f"{t}\x1e{d}" for t, d in plan.cells]
    org_dim = dim.where(~dim.isin(list(plan.org)), "-")
    cell = cell_key.where(~cell_key.isin(hidden_cells), "-")
    in_index = pd.Series("-", index=now.index)
    if INDEX not in plan.org:
        in_index = in_index.where(dim == ENPS, "I")
    frames = [
        ("answers", now["answer_key"], now["respondent_id"], org_dim + "\x1f" + cell + "\x1f" + in_index),
        ("presence", now["presence_key"], now["respondent_id"], org_dim + "\x1f" + cell),
    ]
    people = now.drop_duplicates(["respondent_id"])
    people_team = people["team"].astype(str)
    org_count = "-" if RESPONDENTS in plan.org else "O"
    frames.append(
        (
            "respondents",
            people["respondent_key"],
            people["respondent_id"],
            org_count + "\x1f" + people_team.where(~people_team.isin(list(plan.teams)), "-"),
        )
    )
    out = []
    for family, unknown, respondent, element in frames:
        frame = pd.DataFrame(
            {
                "family": family,
                "unknown": unknown,
                "respondent_id": respondent,
                "release": release,
                "element": element,
            }
        )
        # an element that publishes nothing about the unknown is no element
        out.append(frame[~frame["element"].str.fullmatch(r"-(\x1f-)*")])
    return out


def keyed(rows: pd.DataFrame) -> pd.DataFrame:
    """Published versions (rows of `survey_published`) with their unknowns' keys."""
    out = rows.assign(team=team_keys(rows["team"]))
    values = pd.Series("", index=out.index)
    for column in VALUE_COLUMNS:
        values = values + "\x1e" + out[column].astype(str)
    # The same person is the same unknown in every team and release: an observer who sees
    # them move from one team's figure to another's knows they are one person.
    out["presence_key"] = out["respondent_id"].astype(str) + "\x1d" + out["dimension"].astype(str)
    out["answer_key"] = out["presence_key"] + "\x1d" + values
    out["respondent_key"] = out["respondent_id"].astype(str)
    return out


def _unknowns(rows: pd.DataFrame, plans: dict[int, Decisions], upto: int) -> pd.DataFrame:
    """One row per unknown published about in releases 1..upto: family, unknown,
    respondent_id, atom (its atom's number within the family)."""
    parts = [e for r in range(1, upto + 1) for e in _elements(rows, r, plans[r])]
    if not parts:
        return pd.DataFrame(columns=["family", "unknown", "respondent_id", "atom"])
    elements = pd.concat(parts, ignore_index=True)
    elements["code"] = pd.factorize(elements["element"])[0]
    # An unknown's signature: what each release published about it (-1: nothing).
    wide = elements.pivot_table(
        index=["family", "unknown"], columns="release", values="code", aggfunc="first", fill_value=-1
    )
    releases = list(wide.columns)
    wide = wide.reset_index()
    wide["atom"] = wide.groupby(["family", *releases], sort=False).ngroup()
    first = elements.drop_duplicates(["family", "unknown"]).set_index(["family", "unknown"])["respondent_id"]
    wide["respondent_id"] = first.reindex(pd.MultiIndex.from_frame(wide[["family", "unknown"]])).to_numpy()
    return wide[["family", "unknown", "respondent_id", "atom"]]


def atoms(rows: pd.DataFrame, plans: dict[int, Decisions], upto: int) -> pd.DataFrame:
    """The atoms of releases 1..upto, one row each: family, atom, people (distinct
    respondents), size (unknowns) and members (a fingerprint of its set of unknowns).

    `rows`: every published version (`keyed`), with from_release and to_release
    (exclusive; NaN while published); `plans`: the decisions of each release.
    """
    return _atoms_of(_unknowns(rows, plans, upto))


def _atoms_of(unknowns: pd.DataFrame) -> pd.DataFrame:
    if unknowns.empty:
        return pd.DataFrame(columns=["family", "atom", "people", "size", "members"])
    # a set's fingerprint: its size and the sum of its members' 31-bit hashes (no overflow)
    hashes = pd.util.hash_array(unknowns["unknown"].astype(str).to_numpy()) % (1 << 31)
    unknowns = unknowns.assign(hash=hashes.astype("int64"))
    grouped = unknowns.groupby(["family", "atom"], sort=False)
    out = grouped.agg(
        people=("respondent_id", "nunique"), size=("unknown", "size"), members=("hash", "sum")
    ).reset_index()
    out["members"] = list(zip(out["size"], out["members"], strict=True))
    return out


def new_small_atoms(rows: pd.DataFrame, plans: dict[int, Decisions], release: int, k: int) -> pd.DataFrame:
    """Atoms of 1 to k − 1 people after `release` that did not exist before it: family,
    people, respondents (frozenset of respondent ids)."""
    unknowns = _unknowns(rows, plans, release)
    after = _atoms_of(unknowns)
    before = atoms(rows, plans, release - 1) if release > 1 else after.iloc[0:0]
    known = set(zip(before["family"], before["members"], strict=True))
    small = after[(after["people"] > 0) & (after["people"] < k)]
    new = [(f, m) not in known for f, m in zip(small["family"], small["members"], strict=True)]
    fresh = small[pd.Series(new, index=small.index, dtype=bool)]
    respondents = []
    for family, atom in zip(fresh["family"], fresh["atom"], strict=True):
        members = unknowns[(unknowns["family"] == family) & (unknowns["atom"] == atom)]
        respondents.append(frozenset(members["respondent_id"]))
    return pd.DataFrame(
        {
            "family": fresh["family"].to_numpy(),
            "people": fresh["people"].to_numpy(),
            "respondents": respondents,
        }
    )
