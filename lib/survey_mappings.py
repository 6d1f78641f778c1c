"""Saved answers to "which dimension does this question measure?", reused for the next wave.

A question the built-in bank does not know is mapped once, by the person importing
(Data page) to a dimension or to "skip"; the choice is kept in `column_mappings`, keyed
by the question's normalised text (`question_bank.normalize_question`), so the next
wave's file with the same question imports without asking again.

A question whose answers cannot show their scale (only "Agree" and "Strongly agree", which
a 5- and a 7-point scale score differently) gets the scale the person chooses, saved the
same way (`save_scale`, rows with `table` = "survey_scale") and used while the column's
answers fit it.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from lib.question_bank import DIMENSIONS, normalize_question

TABLE = "survey_question"  # the `table` value of these rows in column_mappings
SCALE_TABLE = "survey_scale"
SKIP = "(skip)"
_PREFIX = "question:"
_SCALE_PREFIX = "scale:"


def _dimension_name(text: str) -> str:
    name = "_".join(normalize_question(text).split())
    if not name:
        raise ValueError("a dimension needs a name")
    return name


def saved(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{normalised question text: dimension or SKIP} for every saved mapping."""
    rows = con.execute(
        """
        select header_signature, mapping_json from column_mappings
        where "table" = ? order by saved_at
        """,
        [TABLE],
    ).fetchall()
    return {sig.removeprefix(_PREFIX): json.loads(doc)["dimension"] for sig, doc in rows}


def save(con: duckdb.DuckDBPyConnection, question: str, dimension: str) -> str:
    """Remember `question` → `dimension` (a bank dimension, a new name, or SKIP)."""
    if dimension != SKIP:
        dimension = dimension if dimension in DIMENSIONS else _dimension_name(dimension)
    signature = _PREFIX + normalize_question(question)
    doc = json.dumps({"question": question, "dimension": dimension})
    # delete-then-insert: a crash between the two loses only this mapping, asked again next time
    con.execute('delete from column_mappings where header_signature = ? and "table" = ?', [signature, TABLE])
    con.execute(
        "insert into column_mappings values (?, ?, ?, ?)",
        [signature, TABLE, doc, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    )
    return dimension


def forget(con: duckdb.DuckDBPyConnection, question: str) -> None:
    con.execute(
        'delete from column_mappings where header_signature = ? and "table" = ?',
        [_PREFIX + normalize_question(question), TABLE],
    )


def dimension_choices(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Dimensions to offer: the bank's, then any already in the data or saved mappings."""
    found = [
        r[0] for r in con.execute("select distinct dimension from survey_responses order by 1").fetchall()
    ]
    names = [d for d in DIMENSIONS if d != "enps"] + ["enps"]
    for extra in [*found, *saved(con).values()]:
        if extra and extra != SKIP and extra not in names:
            names.append(extra)
    return names


def saved_scales(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{normalised question text: scale key (lib.survey_scale.BY_KEY)} for every saved choice."""
    rows = con.execute(
        """
        select header_signature, mapping_json from column_mappings
        where "table" = ? order by saved_at
        """,
        [SCALE_TABLE],
    ).fetchall()
    return {sig.removeprefix(_SCALE_PREFIX): json.loads(doc)["scale"] for sig, doc in rows}


def save_scale(con: duckdb.DuckDBPyConnection, question: str, scale: str) -> None:
    """Remember the answer scale of `question` (a key of lib.survey_scale.BY_KEY); ValueError otherwise."""
    from lib.survey_scale import BY_KEY

    if scale not in BY_KEY:
        raise ValueError(f"unknown scale {scale!r} (scales: {', '.join(BY_KEY)})")
    signature = _SCALE_PREFIX + normalize_question(question)
    doc = json.dumps({"question": question, "scale": scale})
    con.execute(
        'delete from column_mappings where header_signature = ? and "table" = ?', [signature, SCALE_TABLE]
    )
    con.execute(
        "insert into column_mappings values (?, ?, ?, ?)",
        [signature, SCALE_TABLE, doc, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    )
