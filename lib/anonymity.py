"""The survey anonymity threshold (SPEC.md §6): no result over fewer respondents is shown.

The threshold is the `PILLARS_ANONYMITY_THRESHOLD` variable, else the `anonymity_threshold`
setting in the database, else 5; it is never allowed below 3.
"""

from __future__ import annotations

import os

import duckdb

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3


def threshold(con: duckdb.DuckDBPyConnection | None = None) -> int:
    raw = os.environ.get("PILLARS_ANONYMITY_THRESHOLD")
    if raw is None and con is not None:
        row = con.execute("select value from settings where key = 'anonymity_threshold'").fetchone()
        raw = row[0] if row else None
    try:
        value = int(raw) if raw is not None else DEFAULT_THRESHOLD
    except ValueError:
        value = DEFAULT_THRESHOLD
    return max(value, MINIMUM_THRESHOLD)
