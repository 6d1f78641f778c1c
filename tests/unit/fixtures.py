"""Throwaway databases built from declared rows, for tests with hand-computed expectations.

`make_db(tmp_path, deployments=[{...}, ...], employees=[...])` creates a migrated DuckDB
file in `tmp_path` and inserts each list of dicts into the canonical table of that name.
Columns a row leaves out are null; values may be ISO strings, which DuckDB casts to the
column's type.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import duckdb

from lib import db
from lib.scope import Scope

_counter = itertools.count()


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    if not rows:
        raise KeyError(f"no table {table!r}")
    return [r[0] for r in rows]


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert dicts into a canonical table; unknown column names are an error, not ignored."""
    columns = table_columns(con, table)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
    if not rows:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)  # names from information_schema, not input
    marks = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into {table} ({quoted}) values ({marks})",
        [[row.get(c) for c in columns] for row in rows],
    )


def make_db(tmp_path: Path, **tables: list[dict]) -> duckdb.DuckDBPyConnection:
    """A fresh migrated database in tmp_path holding exactly the declared rows."""
    con = db.connect(tmp_path / f"fixture-{next(_counter)}.duckdb")
    for table, rows in tables.items():
        insert(con, table, rows)
    return con


def app_file(con: duckdb.DuckDBPyConnection) -> Path:
    """Close `con` (a `make_db` database), marked as the user's own data (no demo label), and
    return its path: what an AppTest page run opens."""
    db.set_setting(con, "demo", "false")
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return Path(path)


def scope(start: str, end: str, teams: tuple[str, ...] | None = None, grain: str = "month") -> Scope:
    return Scope(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end), teams=teams, grain=grain)
