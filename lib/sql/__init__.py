"""Run the named SQL files under lib/sql/ with bound parameters.

One query per file (`lib/sql/<pillar>/<name>.sql`), its first line stating the grain.
Parameters are DuckDB named parameters (`$start`); a file receives only the ones it
names, so callers can pass a whole `Scope.params()`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def sql_text(name: str) -> str:
    """The text of lib/sql/<name>.sql (name like "delivery/dora_by_period")."""
    file = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in file.parents:
        raise ValueError(f"not a query name: {name!r}")
    return file.read_text()


def _bind(text: str, params: dict) -> dict:
    wanted = set(_PARAM.findall(re.sub(r"--[^\n]*", "", text)))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: params[k] for k in wanted}


def query_df(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    text = sql_text(name)
    return con.execute(text, _bind(text, params or {})).df()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[tuple]:
    text = sql_text(name)
    return con.execute(text, _bind(text, params or {})).fetchall()


def query_one(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> dict:
    """First row as a dict of column → value (for single-row summaries)."""
    text = sql_text(name)
    cur = con.execute(text, _bind(text, params or {}))
    row = cur.fetchone()
    cols = [d[0] for d in cur.description]
    return dict(zip(cols, row, strict=True)) if row else dict.fromkeys(cols)
