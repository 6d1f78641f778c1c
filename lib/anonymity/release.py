"""Releases: what each survey wave publishes, kept consistent as its data grows.

`waves(con)` is the only way survey figures reach their answers. It compares each wave's
live rows (`survey_responses`) with what the wave last published; when they differ (an
import, a late batch, an undo, a corrected re-import) or the threshold changed, it cuts a
new release with the changes that are safe to show and holds back the rest:

- the changes are grouped by the cells (team × dimension) they touch, a respondent who
  moved team tying together every cell they touch;
- the new release's plan keeps every team and cell hidden before (`plan_release`);
- `atoms.new_small_atoms` checks the release against every earlier release of the wave;
  while it would let fewer than k people be worked out, the groups of changes behind the
  offending atoms are held back and the check runs again;
- the release, its decisions and the comparison are written in one transaction.

The first figures computed after a change cut the release (a page, the CLI, the board
pack): what nobody could have seen needs no protection, so two imports in a row before
anyone looks publish as one. A read-only connection, or a database without the tables,
computes the same release in memory without keeping it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from lib.anonymity.atoms import VALUE_COLUMNS, keyed, new_small_atoms
from lib.anonymity.core import NO_TEAM, threshold_from
from lib.anonymity.plan import INDEX, RESPONDENTS, Decisions, plan_release, team_keys
from lib.sql import query_df, sql_text

KEY = ["respondent_id", "dimension"]
COLUMNS = ["respondent_id", "dimension", "team", "first_date", "last_date", *VALUE_COLUMNS]
TABLES = ("survey_published", "survey_releases", "survey_hidden", "survey_sync")


@dataclass(frozen=True)
class Wave:
    """One survey wave as currently published, as aggregates.

    `cells`: (team, dimension) → (people, answers, favorable, neutral, unfavorable), team
    NO_TEAM for respondents without one; favourable means 4–5 on Likert and 9–10 on eNPS,
    unfavourable 1–2 and 0–6, neutral the rest; a person is in one team, so people add up
    across the cells of a dimension. `team_people`: team → respondents (any score).
    `likert_people`: respondents with a Likert score, organisation-wide. `decisions`: what
    this release hides. `held_back`: some live answers are not shown yet (`lib.anonymity`).
    `restricted`: read by someone who may see some org units only; its cells are theirs,
    and a figure over all of them is over their shown cells (never their hidden ones).
    The respondent-level answers behind it: `answers(con, wave)`.
    """

    survey_id: str
    first_date: dt.date
    last_date: dt.date
    release: int
    released_at: dt.datetime | None
    threshold: int
    held_back: bool
    cells: dict
    team_people: dict
    likert_people: int
    decisions: Decisions
    restricted: bool = False  # read through a connection that sees some org units only
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # figures per slice


@dataclass
class _Outcome:
    release: int | None  # the new release's number, None when nothing is released
    closed: pd.DataFrame  # KEY of versions that stop being published
    added: pd.DataFrame  # new versions (COLUMNS)
    decisions: Decisions | None
    redated: pd.DataFrame  # KEY + first_date, last_date of unchanged versions whose dates moved
    held_back: bool


_memo: OrderedDict = OrderedDict()
_lock = threading.Lock()


def waves(con: duckdb.DuckDBPyConnection) -> dict[str, Wave]:
    """Every survey wave as published now, by survey_id (releasing what changed first).

    Raises ThresholdError when the threshold setting is malformed.
    """
    version = _version(con)
    k = threshold_from(version["threshold_setting"] if version["threshold_set"] else None)
    # The live answers decide everything published, so one fingerprint of them (and the
    # threshold, and what the connection may see) identifies the result: a process only
    # meets a release it did not cut through another snapshot file, another path.
    key = (
        version["path"] or id(con),
        k,
        version["fingerprint"],
        version["writable"],
        version["visible_teams"],
    )
    with _lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    if version["restricted"]:
        # Sees some org units only (lib/access.py): the waves as the full database released
        # them, never a plan of its own over part of the teams.
        result = _restricted(con, k)
    else:
        try:
            check = _rows(con, "engagement/sync_check")
        except duckdb.CatalogException:  # a database without the release tables (not migrated)
            result = _transient(con, k, False)
        else:
            result = _transient(con, k, True) if not version["writable"] else _synced(con, k, check)
    with _lock:
        _memo[key] = result
        while len(_memo) > 8:
            _memo.popitem(last=False)
    return result


def _version(con: duckdb.DuckDBPyConnection) -> dict:
    from lib.access import GRANTED_SOURCE

    return _rows(con, "engagement/data_version", {"granted_source": GRANTED_SOURCE})[0]


def _restricted(con: duckdb.DuckDBPyConnection, k: int) -> dict[str, Wave]:
    """The released waves as a restricted connection sees them: its teams' cells, with the
    decisions of the release (figures over "all teams" are then over its shown cells)."""
    try:
        check = _rows(con, "engagement/sync_check")
    except duckdb.CatalogException:
        return {}
    waves = _load(con, {r["survey_id"]: bool(r["held_back"]) for r in check if r["survey_id"]})
    return {s: replace(w, restricted=True) for s, w in waves.items()}


def _synced(con: duckdb.DuckDBPyConnection, k: int, check: list[dict]) -> dict[str, Wave]:
    stale = [
        row
        for row in check
        if (row["synced_fingerprint"], row["synced_threshold"]) != (row["live_fingerprint"], k)
    ]
    for row in stale:
        _sync_survey(con, row["survey_id"], k, row["live_fingerprint"])
    if stale:
        check = _rows(con, "engagement/sync_check")
    return _load(con, {row["survey_id"]: bool(row["held_back"]) for row in check})


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    cur = con.cursor()
    try:
        result = cur.execute(sql_text(name), params or {})
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        cur.close()


def forget(con: duckdb.DuckDBPyConnection, surveys: list[str] | None = None) -> None:
    """Drop what the given waves (all when None) have published, so their next figures
    start a new history. Only for data that is not people's (the demo organisation):
    forgetting a real wave lets its old and new figures be compared unprotected."""
    version = _version(con)
    if not version["writable"] or version["restricted"]:
        return
    try:
        _rows(con, "engagement/sync_check")
    except duckdb.CatalogException:
        return
    with _lock:
        _memo.clear()
    for table in TABLES:
        statement = _FORGET[table]
        if surveys is None:
            con.execute(statement, [True, []])
        else:
            con.execute(statement, [False, list(surveys)])


# Statements over the fixed table list; values are bound parameters.
_FORGET = {t: "delete from " + t + " where ? or list_contains(?, survey_id)" for t in TABLES}


def _load(con: duckdb.DuckDBPyConnection, held: dict[str, bool]) -> dict[str, Wave]:
    cells = query_df(con, "engagement/published_cells")
    likert = dict(query_df(con, "engagement/published_likert_people").itertuples(index=False, name=None))
    releases = query_df(con, "engagement/releases")
    hidden = query_df(con, "engagement/hidden", {"surveys": []})
    latest = releases.sort_values("release").groupby("survey_id").tail(1).set_index("survey_id")
    out = {}
    for survey, rows in cells.groupby("survey_id", sort=True):
        if survey not in latest.index:
            continue
        release = latest.loc[survey]
        decided = hidden[(hidden["survey_id"] == survey) & (hidden["release"] == release["release"])]
        out[str(survey)] = _wave(
            str(survey),
            rows,
            int(likert.get(survey, 0)),
            int(release["release"]),
            release["released_at"],
            int(release["threshold"]),
            bool(held.get(survey, False)),
            Decisions.from_frame(decided),
        )
    return out


def _wave(survey, cells, likert_people, release, released_at, k, held_back, decisions) -> Wave:
    """A Wave from its cell aggregates (rows of `published_cells`, dimension null: per team)."""
    per_team = cells[cells["dimension"].isna()]
    per_cell = cells[cells["dimension"].notna()]
    values = ["people", "answers", "favorable", "neutral", "unfavorable"]
    return Wave(
        survey_id=survey,
        first_date=pd.Timestamp(cells["first_date"].min()).date(),
        last_date=pd.Timestamp(cells["last_date"].max()).date(),
        release=release,
        released_at=None if pd.isna(released_at) else pd.Timestamp(released_at).to_pydatetime(),
        threshold=k,
        held_back=held_back,
        cells={
            (str(t), str(d)): tuple(int(v) for v in row)
            for t, d, row in zip(
                per_cell["team"], per_cell["dimension"], per_cell[values].to_numpy(), strict=True
            )
        },
        team_people={str(t): int(n) for t, n in zip(per_team["team"], per_team["people"], strict=True)},
        likert_people=likert_people,
        decisions=decisions,
    )


def _aggregate(rows: pd.DataFrame) -> pd.DataFrame:
    """`published_cells` computed in memory from respondent × dimension rows."""
    rows = rows.assign(team=team_keys(rows["team"]))
    agg = {
        "people": ("respondent_id", "nunique"),
        "answers": ("answers", "sum"),
        "favorable": ("favorable", "sum"),
        "neutral": ("neutral", "sum"),
        "unfavorable": ("unfavorable", "sum"),
        "first_date": ("first_date", "min"),
        "last_date": ("last_date", "max"),
    }
    per_cell = rows.groupby(["team", "dimension"]).agg(**agg).reset_index()
    per_team = rows.groupby("team").agg(**agg).reset_index().assign(dimension=None)
    return pd.concat([per_cell, per_team], ignore_index=True)


def answers(con: duckdb.DuckDBPyConnection, wave: Wave) -> pd.DataFrame:
    """The respondent × dimension answers `wave` publishes (respondent_id, dimension, team
    with NO_TEAM for none, first_date, last_date, answers, score_sum, favorable, neutral,
    unfavorable). Only for statistics that are no sums (the drivers' correlations)."""
    if "answers" not in wave.memo:
        rows = query_df(
            con, "engagement/published_answers", {"surveys": [wave.survey_id], "current_only": True}
        )
        if rows.empty and wave.release == 1 and wave.released_at is None:  # computed in memory (read-only)
            rows = query_df(con, "engagement/live_answers", {"surveys": [wave.survey_id]})
        rows = rows[COLUMNS].reset_index(drop=True)
        wave.memo["answers"] = rows.assign(team=team_keys(rows["team"]))
    return wave.memo["answers"]


def _transient(con: duckdb.DuckDBPyConnection, k: int, has_tables: bool) -> dict[str, Wave]:
    """Read-only: the stored releases when there are any; a first release computed in memory
    for a wave never released (not kept, so the next writable connection decides again)."""
    stored = {}
    if has_tables:
        stored = _load(
            con, {r["survey_id"]: bool(r["held_back"]) for r in _rows(con, "engagement/sync_check")}
        )
    surveys = [s for (s,) in con.execute(_SURVEYS).fetchall() if s not in stored]
    result = dict(stored)
    if not surveys:
        return result
    rows = query_df(con, "engagement/live_answers", {"surveys": surveys})
    for survey, live_rows in rows.groupby("survey_id", sort=True):
        decisions = _first_plan(live_rows, k)
        likert = int(live_rows.loc[live_rows["dimension"] != "enps", "respondent_id"].nunique())
        result[str(survey)] = _wave(str(survey), _aggregate(live_rows), likert, 1, None, k, False, decisions)
    return result


_SURVEYS = "select distinct survey_id from survey_responses where score is not null"


def _first_plan(live: pd.DataFrame, k: int) -> Decisions:
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


def _sync_survey(con: duckdb.DuckDBPyConnection, survey: str, k: int, fingerprint: str) -> None:
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
        return _Outcome(1, empty_keys, live[COLUMNS], _first_plan(live, k), empty_keys, False)

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
