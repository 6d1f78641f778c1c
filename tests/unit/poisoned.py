"""A database holding values no import writes any more (issue 16): written directly, as an
older version of the importer or a hand edit could have left them.

`poison(con)` adds, to every canonical table with a date or timestamp column, one row per
implausible value below with *every* date column of the row set to it (so no such row
falls inside a plausible period), plus import-log rows with nulls, an infinite time, a
file name holding escape sequences and an unknown status. Pages, the CLI and undo must
all keep working on it.
"""

from __future__ import annotations

import duckdb

from lib.tables import TABLES

VALUES = ("9999-12-31", "2099-06-01", "1899-12-31", "0001-01-01", "infinity", "-infinity")
IMPORT = "poison0000000000000000000000000000"[:32]
ODD_IMPORTS = {
    "nulls000000000000000000000000000": (None, None, None, None, None, None, None),
    "infinite000000000000000000000000": ("deployments", "x", "inf.csv", "ab", 3, "infinity", "loaded"),
    "escape00000000000000000000000000": (
        "deployments",
        "x",
        "evil\x1b[2J\x07.csv",
        "ab",
        -5,
        "9999-12-31",
        "loaded",
    ),
    "strange0000000000000000000000000": ("teams", "x", "odd.csv", "ab", 1, "2026-10-01", "half-done"),
}


def _value(table, column, n: int, when: str, team: str):
    if column.type in ("date", "timestamp"):
        return f"'{when}'::{column.type}"
    if column.choices:
        return f"'{column.choices[0]}'"
    if column.type == "varchar":
        return f"'{team}'" if column.name == "team" else f"'poison-{n}'"
    if column.type == "boolean":
        return "false"
    if column.bounds:
        return str(column.bounds[0])
    return "1"


def poison(con: duckdb.DuckDBPyConnection) -> int:
    """Write the rows; returns how many canonical rows were added (all under IMPORT)."""
    team = (con.execute("select min(team) from teams").fetchone() or ["payments"])[0] or "payments"
    added = 0
    for table in TABLES.values():
        if not any(c.type in ("date", "timestamp") for c in table.columns):
            continue
        for when in VALUES:
            added += 1
            values = ", ".join(_value(table, c, added, when, team) for c in table.columns)
            names = ", ".join([*(f'"{c.name}"' for c in table.columns), "import_id"])
            con.execute(f"insert into {table.name} ({names}) values ({values}, '{IMPORT}')")
    con.execute(
        "insert into imports values (?, 'many', 'canonical', 'old.csv', 'ab', ?, now()::timestamp, 'loaded')",
        [IMPORT, added],
    )
    for import_id, row in ODD_IMPORTS.items():
        table, fmt, name, sha, rows, when, status = row
        con.execute(
            "insert into imports values (?, ?, ?, ?, ?, ?, cast(? as timestamp), ?)",
            [import_id, table, fmt, name, sha, rows, when, status],
        )
    return added
