"""Releases: what each survey wave publishes, kept consistent as its data grows.

`waves(con)` is the only way survey figures reach their answers. It compares each wave's
live rows (`survey_responses`) with what the wave last published; when they differ (an
import, a late batch, an undo, a corrected re-import) or the threshold changed, it cuts a
new release with the changes that are safe to show and holds back the rest (how, step by
step: lib/anonymity/new_release.py).

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

from lib.anonymity.core import threshold_from
from lib.anonymity.new_release import COLUMNS, first_plan, sync_survey
from lib.anonymity.plan import Decisions, team_keys
from lib.sql import query_df, sql_text

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
        sync_survey(con, row["survey_id"], k, row["live_fingerprint"])
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
        decisions = first_plan(live_rows, k)
        likert = int(live_rows.loc[live_rows["dimension"] != "enps", "respondent_id"].nunique())
        result[str(survey)] = _wave(str(survey), _aggregate(live_rows), likert, 1, None, k, False, decisions)
    return result


_SURVEYS = "select distinct survey_id from survey_responses where score is not null"
