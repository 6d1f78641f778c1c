"""Stage chosen columns of a file into a temporary table (for `lib.ingest.read`), with
DuckDB's own CSV reader in strict mode, each record numbered as a spreadsheet shows it.

SQL in the importer binds every value as a parameter. Identifiers cannot be bound, so
they go through `ident`, which quotes only canonical table and column names from
`lib/tables.py` and the importer's own temporary names, never text from a file.

Split from `lib/ingest/read.py`, which re-exports `ident`, `stage_name`, `drop_staging`,
`register` and `stage_columns`.
"""

from __future__ import annotations

import csv
import json
import mmap
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from lib.ingest import records
from lib.ingest.formats import SourceFile
from lib.ingest.json_records import json_objects
from lib.tables import TABLES

CHUNK = 1 << 20
STAGE_PREFIX = "_pillars_"
_TEMP_NAME = re.compile(r"^_pillars_[a-z]+_[0-9a-f]{32}$")
_IDENTIFIERS = (
    frozenset(TABLES) | {c.name for t in TABLES.values() for c in t.columns} | {"_row", "import_id"}
)


@dataclass(frozen=True)
class CountedSource(SourceFile):
    """A SourceFile read in place whose lines were counted while it was hashed."""

    lines: int = 0  # line breaks, plus one for a last line without one


def ident(name: str) -> str:
    """`name` quoted for SQL when it is a canonical table or column (optionally with the
    importer's `__raw` suffix), `_row`, `import_id`, or a `stage_name`; else ValueError."""
    if name.removesuffix("__raw") in _IDENTIFIERS or _TEMP_NAME.match(name):
        return '"' + name + '"'
    raise ValueError(f"not an identifier the importer may use: {name!r}")


def stage_name(kind: str = "stage") -> str:
    """A fresh name for a temporary table or view; `drop_staging` removes them all."""
    return f"{STAGE_PREFIX}{kind}_{uuid.uuid4().hex}"


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop this connection's temporary import tables and registered views."""
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where temporary and starts_with(table_name, ?)",
        [STAGE_PREFIX],
    ).fetchall():
        query = "drop table if exists temp." + ident(name)
        con.execute(query)
    for (name,) in con.execute(
        "select view_name from duckdb_views() where temporary and starts_with(view_name, ?)",
        [STAGE_PREFIX],
    ).fetchall():
        con.complete()
        con.unregister(name)


def register(con: duckdb.DuckDBPyConnection, name: str, obj: object) -> None:
    """`con.register`, after finishing any result a caller left unread (DuckDB 2 insists)."""
    con.complete()
    con.register(name, obj)


def _line_count(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK * 4):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _has_blank_line(path: Path) -> bool:
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return False
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(b"\n\n") >= 0 or m.find(b"\n\r\n") >= 0 or m.find(b"\r\r") >= 0


def _spreadsheet_rows(source: SourceFile) -> list[int]:
    """Row numbers of the non-blank data records, blank lines counted as rows (as Excel does)."""
    with open(source.path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=source.delimiter)
        return [n for n, record in enumerate(reader, start=1) if record and n > 1]


def _stage_csv(con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]) -> str:
    """Stage strictly (lib/ingest/records.py); when DuckDB refuses a record, the cause is
    found and raised, or (a mix of CRLF and LF line ends) the file is read from a uniform copy."""
    try:
        return _stage_csv_strictly(con, source, picks)
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    copy = records.uniform_copy(source)  # MalformedFile names the row at fault
    try:
        uniform = SourceFile(
            copy, source.name, source.kind, source.delimiter, source.headers, source.sha256, source.sheet,
            source.row_offset,
        )  # fmt: skip
        return _stage_csv_strictly(con, uniform, picks)
    except duckdb.Error:
        raise records.unreadable(reason) from None
    finally:
        copy.unlink(missing_ok=True)


def _stage_csv_strictly(
    con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]
) -> str:
    table = stage_name()
    width = len(source.headers)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    select = ", ".join(f"c{i} as {ident(column)}" for i, column in picks) or "null as _empty"
    for parallel in (True, False):
        query = (
            f"create temp table {ident(table)} as select {select} from read_csv($path, delim = $delim, "
            f"{records.READ_OPTIONS}, parallel = {str(parallel).lower()}, columns = {columns})"
        )
        try:
            con.execute(query, {"path": str(source.path), "delim": source.delimiter})
            break
        except duckdb.Error as exc:
            if not parallel or "parallel" not in str(exc):
                raise
    offset = int(source.row_offset)
    stage = f"select rowid + {2 + offset} as _row, * from {ident(table)}"
    query = f"select count(*) from {ident(table)}"
    (count,) = con.execute(query).fetchall()[0]
    # One line per record (the usual case) means row = rowid + 2. Otherwise a field holds
    # a line break (still one row) or a blank line was skipped (a row in a spreadsheet).
    lines = source.lines if isinstance(source, CountedSource) else _line_count(source.path)
    if lines - 1 != count and _has_blank_line(source.path):
        rows = [n + offset for n in _spreadsheet_rows(source)]
        if len(rows) == count:
            numbers = stage_name("rows")
            register(con, numbers, pd.DataFrame({"_row": pd.Series(rows, dtype="int64")}))
            stage = f"select n._row, s.* from {ident(table)} s positional join {ident(numbers)} n"
    return stage


def _stage_json(con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]) -> str:
    objects = json_objects(source.path)

    def cell(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    data = {
        column: pd.Series(
            [cell(o.get(source.headers[i])) if isinstance(o, dict) else None for o in objects],
            dtype="object",
        )
        for i, column in picks
    }
    frame = pd.DataFrame(data, index=range(len(objects)))
    frame["_row"] = range(1, len(objects) + 1)
    view, table = stage_name("json"), stage_name()
    register(con, view, frame)
    query = f"create temp table {ident(table)} as select * from {ident(view)}"
    con.execute(query)
    return f"select * from {ident(table)}"


def stage_columns(
    con: duckdb.DuckDBPyConnection, source: SourceFile, picks: Sequence[tuple[int, str]]
) -> duckdb.DuckDBPyRelation:
    """Load the picked columns (header index → canonical name) as text, plus `_row`.

    `_row` is the record's row number as a spreadsheet shows it: the header is row 1 and
    the first data row is row 2 (a quoted line break does not start a new row). For JSON
    it is the object's position, from 1. Canonical names must be plain identifiers.
    """
    for _, column in picks:
        ident(column)  # canonical names only
    if source.kind == "json":
        return con.sql(_stage_json(con, source, picks))
    return con.sql(_stage_csv(con, source, picks))
