"""One module per pillar: typed functions returning DataFrames and dicts for the catalog and charts.

Every number comes from a query in `lib/sql/<pillar>/`, bound to a `Scope`. The helpers
here turn what DuckDB returns (Decimal, numpy scalars, NaN) into plain JSON-able values,
so the catalog, the CLI and the board pack never see a NaN or a type json can't write.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_one


def plain(value):
    """A JSON-able Python value: NaN and inf become None, Decimal and numpy scalars float/int."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | str | dt.date):
        return value
    if hasattr(value, "item"):  # numpy scalar (np.float64 is also a float)
        value = value.item()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def plain_dict(row: dict) -> dict:
    return {k: plain(v) for k, v in row.items()}


def one_row(con: duckdb.DuckDBPyConnection, name: str, bound: dict) -> dict:
    """`query_one` with plain values, on its own cursor.

    DuckDB 2 keeps a partly fetched result open on its connection and then refuses some
    work (register, …) until it is drained; a throwaway cursor leaves the caller's
    connection clean.
    """
    cur = con.cursor()
    try:
        return plain_dict(query_one(cur, name, bound))
    finally:
        cur.close()


def params(scope: Scope, **extra) -> dict:
    """Scope parameters plus any query-specific ones ($threshold, …)."""
    return {**scope.params(), **extra}


def is_filtered(scope: Scope) -> bool:
    """True when the scope is a subset of teams rather than the whole organisation."""
    return scope.teams is not None
