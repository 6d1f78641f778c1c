"""A wave's next release (lib/anonymity/release.py): which of the changes since its last
release are safe to show, and writing the release in one transaction.

The live answers (`survey_responses`) are compared with the answers the wave publishes
now; the keys that differ are the changes:

- the changes are grouped by the cells (team × dimension) they touch, a respondent who
  moved team tying together every cell they touch;
- the new release's plan keeps every team and cell hidden before (`plan_release`);
- `atoms.new_small_atoms` checks the release against every earlier release of the wave;
  while it would let fewer than k people be worked out, the groups of changes behind the
  offending atoms are held back and the check runs again;
- the release, its decisions and the comparison are written in one transaction
  (`sync_survey`).

A first release is planned and checked the same way (`first_plan`), hiding more while the
check finds a small atom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.anonymity.atoms import VALUE_COLUMNS, keyed, new_small_atoms
from lib.anonymity.core import NO_TEAM
from lib.anonymity.plan import INDEX, RESPONDENTS, Decisions, plan_release, team_keys
from lib.sql import query_df

KEY = ["respondent_id", "dimension"]
COLUMNS = ["respondent_id", "dimension", "team", "first_date", "last_date", *VALUE_COLUMNS]


@dataclass
class _Outcome:
    release: int | None  # the new release's number, None when nothing is released
    closed: pd.DataFrame  # KEY of versions that stop being published
    added: pd.DataFrame  # new versions (COLUMNS)
    decisions: Decisions | None
    redated: pd.DataFrame  # KEY + first_date, last_date of unchanged versions whose dates moved
    held_back: bool


def first_plan(live: pd.DataFrame, k: int) -> Decisions:
    """The plan of a first release, checked; hides more when the check finds a small atom."""
    history = live.assign(from_release=1, to_release=float("nan"))
    decisions = plan_release(live, k)
    for stricter in (_hide_teams, _hide_all):
        if new_small_atoms(keyed(history), {1: decisions}, 1, k).empty:
            return decisions
        decisions = stricter(live, decisions)
    return decisions


def _hide_teams(live: pd.DataFrame, decisions: Decisions) -> Decisions:
    teams = dict.fromkeys(team_keys(live["team"]).unique(), "complementary") | decisions.teams
    cells = {(t, d): "complementary" for t, d in zip(team_keys(live["team"]), live["dimension"], strict=True)}
    return Decisions(teams, cells | decisions.cells, decisions.org)


def _hide_all(live: pd.DataFrame, decisions: Decisions) -> Decisions:
    org = dict.fromkeys([*live["dimension"].unique(), INDEX, RESPONDENTS], "complementary")
    return Decisions(decisions.teams, decisions.cells, org | decisions.org)


def sync_survey(con: duckdb.DuckDBPyConnection, survey: str, k: int, fingerprint: str) -> None:
    """Compare the wave's live answers with what it publishes, release what is safe to show
    (if anything), and record the comparison (`survey_sync`)."""
    live = query_df(con, "engagement/live_answers", {"surveys": [survey]})
    history = query_df(con, "engagement/published_answers", {"surveys": [survey], "current_only": False})
    releases = query_df(con, "engagement/releases")
    releases = releases[releases["survey_id"] == survey]
    hidden = query_df(con, "engagement/hidden", {"surveys": [survey]})
    outcome = _outcome(live, history, releases, hidden, k)
    _write(con, survey, outcome, fingerprint, k)


def _outcome(live, history, releases, hidden, k) -> _Outcome:
    last = int(releases["release"].max()) if len(releases) else 0
    empty_keys = pd.DataFrame(columns=KEY)
    if last == 0:
        if live.empty:
            return _Outcome(None, empty_keys, live[COLUMNS], None, empty_keys, False)
        return _Outcome(1, empty_keys, live[COLUMNS], first_plan(live, k), empty_keys, False)

    plans = {
        int(r): Decisions.from_frame(hidden[hidden["release"] == r]) for r in releases["release"].astype(int)
    }
    last_k = int(releases.loc[releases["release"].idxmax(), "threshold"])
    current = history[history["to_release"].isna()][COLUMNS]
    diff = _diff(current, live[COLUMNS])
    changed, redated = diff["changed"], diff["redated"]
    units = _units(changed)
    accepted = set(units["unit"])
    while True:
        keys = changed[units["unit"].isin(accepted).to_numpy()]
        if keys.empty and k == last_k:
            return _Outcome(None, empty_keys, current.iloc[0:0], None, redated, not changed.empty)
        candidate, versions = _apply(history, current, live, keys, last + 1)
        decisions = plan_release(candidate, k, plans[last])
        bad = new_small_atoms(keyed(versions), {**plans, last + 1: decisions}, last + 1, k)
        if bad.empty:
            closed = keys[keys["in_current"]][KEY]
            added = live.merge(keys[keys["in_live"]][KEY], on=KEY)[COLUMNS]
            held = len(keys) < len(changed)
            return _Outcome(last + 1, closed, added, decisions, redated, held)
        blamed = set().union(*bad["respondents"])
        offending = set(units.loc[changed["respondent_id"].isin(blamed).to_numpy(), "unit"]) & accepted
        if not offending:
            if keys.empty:  # a new threshold alone would reveal a small group: keep the last release
                return _Outcome(None, empty_keys, current.iloc[0:0], None, redated, not changed.empty)
            offending = accepted
        accepted -= offending


def _diff(current: pd.DataFrame, live: pd.DataFrame) -> dict:
    """The respondent × dimension keys whose published version differs from the live one."""
    both = current.merge(live, on=KEY, how="outer", suffixes=("_now", "_live"), indicator=True)
    in_current = both["_merge"] != "right_only"
    in_live = both["_merge"] != "left_only"
    team_now = team_keys(both["team_now"])
    team_live = team_keys(both["team_live"])
    same = in_current & in_live & (team_now == team_live)
    for column in VALUE_COLUMNS:
        same &= both[f"{column}_now"] == both[f"{column}_live"]
    dated = (both["first_date_now"] != both["first_date_live"]) | (
        both["last_date_now"] != both["last_date_live"]
    )
    changed = both.loc[~same, KEY].assign(
        in_current=in_current[~same].to_numpy(),
        in_live=in_live[~same].to_numpy(),
        team_now=team_now[~same].to_numpy(),
        team_live=team_live[~same].to_numpy(),
    )
    redated = both.loc[same & dated, KEY].assign(
        first_date=both.loc[same & dated, "first_date_live"].to_numpy(),
        last_date=both.loc[same & dated, "last_date_live"].to_numpy(),
    )
    return {"changed": changed.reset_index(drop=True), "redated": redated.reset_index(drop=True)}


def _units(changed: pd.DataFrame) -> pd.DataFrame:
    """Each changed key's group: cells it touches, joined through keys and through people
    who moved team (all of a mover's changes are shown together or not at all)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    cells = []
    for r in changed.itertuples():
        mine = []
        if r.in_current:
            mine.append(("cell", r.team_now, r.dimension))
        if r.in_live:
            mine.append(("cell", r.team_live, r.dimension))
        for cell in mine[1:]:
            union(mine[0], cell)
        if r.in_current and r.in_live and r.team_now != r.team_live:
            union(mine[0], ("mover", r.respondent_id))
        cells.append(mine[0])
    return pd.DataFrame({"unit": [str(find(c)) for c in cells]}, index=changed.index)


def _apply(history, current, live, keys, release):
    """The answers a release publishing `keys`' live versions would show, and the whole
    version history with it (from_release / to_release)."""
    gone = keys[KEY].assign(_gone=True)
    stay = current.merge(gone, on=KEY, how="left")
    candidate = pd.concat(
        [stay[stay["_gone"].isna()][COLUMNS], live.merge(keys[keys["in_live"]][KEY], on=KEY)[COLUMNS]],
        ignore_index=True,
    )
    versions = history.merge(gone, on=KEY, how="left")
    closing = versions["_gone"].notna() & versions["to_release"].isna()
    versions.loc[closing, "to_release"] = release
    fresh = live.merge(keys[keys["in_live"]][KEY], on=KEY)[COLUMNS].assign(
        from_release=release, to_release=float("nan")
    )
    versions = pd.concat([versions.drop(columns="_gone"), fresh], ignore_index=True)
    return candidate, versions


def _write(con: duckdb.DuckDBPyConnection, survey: str, outcome: _Outcome, fingerprint: str, k: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        if outcome.release is not None:
            if len(outcome.closed):
                con.register("closed_keys", outcome.closed[KEY])
                con.execute(_CLOSE, [outcome.release, survey])
                con.unregister("closed_keys")
            if len(outcome.added):
                added = outcome.added[COLUMNS]
                con.register("new_versions", added.assign(team=added["team"].where(added["team"] != NO_TEAM)))
                con.execute(_INSERT, [survey, outcome.release])
                con.unregister("new_versions")
            con.execute("insert into survey_releases values (?, ?, ?, ?)", [survey, outcome.release, now, k])
            decided = outcome.decisions.frame()
            if len(decided):
                con.register("decided", decided.astype(object))
                con.execute(_DECIDE, [survey, outcome.release])
                con.unregister("decided")
        if len(outcome.redated):
            con.register("redated", outcome.redated)
            con.execute(_REDATE, [survey])
            con.unregister("redated")
        con.execute("delete from survey_sync where survey_id = ?", [survey])
        con.execute(
            "insert into survey_sync values (?, ?, ?, ?, ?)", [survey, fingerprint, k, outcome.held_back, now]
        )
        con.execute("commit")
    except duckdb.Error as exc:
        con.execute("rollback")
        if not isinstance(exc, duckdb.TransactionException | duckdb.ConstraintException):
            raise
        # another session released this wave at the same moment: its release stands


_CLOSE = """
update survey_published set to_release = ?
from closed_keys
where survey_published.survey_id = ?
  and survey_published.to_release is null
  and survey_published.respondent_id = closed_keys.respondent_id
  and survey_published.dimension = closed_keys.dimension
"""
_INSERT = """
insert into survey_published
select ? as survey_id, respondent_id, dimension, team, first_date, last_date, answers, score_sum,
       favorable, neutral, unfavorable, ? as from_release, null as to_release
from new_versions
"""
_DECIDE = """
insert into survey_hidden
select ? as survey_id, ? as release, unit, team, dimension, kind from decided
"""
_REDATE = """
update survey_published set first_date = redated.first_date, last_date = redated.last_date
from redated
where survey_published.survey_id = ?
  and survey_published.to_release is null
  and survey_published.respondent_id = redated.respondent_id
  and survey_published.dimension = redated.dimension
"""
