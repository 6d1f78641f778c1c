"""The import log (`imports`): one row per import, the listings read from it, and undo.

Every import is logged with its id, the tables it wrote, the format that read it, the
file's name and sha256, its rows, when, and its status: 'loaded' while it stands,
'rejected' (logged after the rollback, so the Data page can list it; no canonical table
changed) or 'undone'. `earlier_import` finds an import of the same bytes that stands;
`import_history` and `freshness` are what the Data page and the command line list.

Undoing an import deletes its rows and puts back the rows it replaced
(`lib.ingest.replaced`), then deletes its kept upload (`lib.ingest.uploads`). Imports
(lib/ingest/load.py) and undos take turns in a process on `WRITE_LOCK`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

import duckdb
import pandas as pd

from lib.ingest import replaced
from lib.ingest.read import ident
from lib.ingest.result import Earlier
from lib.ingest.uploads import forget_upload
from lib.tables import TABLES

# Keys are enforced by delete-then-insert, which two concurrent transactions could both
# pass (DuckDB sees no conflict between two inserts), so writes take turns in a process;
# DuckDB itself lets only one process write a database file.
WRITE_LOCK = threading.Lock()


def log_import(
    con: duckdb.DuckDBPyConnection,
    import_id: str,
    tables: Iterable[str],
    source_format: str | None,
    name: str,
    sha256: str,
    rows: int,
    status: str,
) -> None:
    con.execute(
        "insert into imports values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            ",".join(tables),
            source_format,
            name,
            sha256,
            rows,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            status,
        ],
    )


def earlier_import(con: duckdb.DuckDBPyConnection, sha256: str) -> Earlier | None:
    """The newest import of these exact bytes that still stands (status `loaded`), if any."""
    rows = con.execute(
        "select import_id, imported_at, file_name from imports where sha256 = ? and status = 'loaded' "
        "order by imported_at desc nulls last limit 1",
        [sha256],
    ).fetchall()
    return Earlier(*rows[0]) if rows and sha256 else None


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first: import_id, imported_at (naive UTC), file_name, table,
    source_format, rows, status, sha256.

    A log row written by hand or by an older version never breaks a listing: an
    `imported_at` outside 1970–2200 (or infinite) is shown as no time (NaT, listed last),
    a missing row count as 0 and a missing status as 'unknown'.
    """
    return con.execute(
        "select import_id, "
        "case when imported_at between timestamp '1970-01-01' and timestamp '2200-01-01' then imported_at "
        'end as imported_at, file_name, "table", source_format, coalesce(rows, 0) as rows, '
        "coalesce(status, 'unknown') as status, sha256 from imports order by 2 desc nulls last, import_id"
    ).df()


def freshness(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per canonical table: rows, the latest date or time in it, and its last import."""
    out = []
    for table in TABLES.values():
        times = [f"max({ident(c.name)})::timestamp" for c in table.columns if c.type in ("timestamp", "date")]
        latest = f"greatest({', '.join(times)})" if times else "null::timestamp"
        query = f"select count(*), {latest} from {ident(table.name)}"
        rows, newest = con.execute(query).fetchall()[0]
        (last_import,) = con.execute(
            "select max(imported_at) from imports where status = 'loaded' "
            "and list_contains(string_split(\"table\", ','), ?)",
            [table.name],
        ).fetchall()[0]
        out.append({"table": table.name, "rows": rows, "latest": newest, "last_import": last_import})
    return pd.DataFrame(out, columns=["table", "rows", "latest", "last_import"])


def undo_import(con: duckdb.DuckDBPyConnection, import_id: str) -> replaced.Undone:
    """Undo an import in one transaction: delete every row it wrote and put back the rows
    it had replaced, where the import that wrote them still stands (`lib.ingest.replaced`:
    the data is then as if the import had never been made, in whatever order imports are
    undone). Returns the rows deleted and restored; raises KeyError for an unknown import.
    An import already undone, or rejected, changes nothing.

    The kept copy of the upload is deleted once the undo commits, unless another import
    that stands came from the same bytes (`forget_upload`): an undone import cannot be
    replayed.
    """
    found = con.execute("select sha256 from imports where import_id = ?", [import_id]).fetchall()
    if not found:
        raise KeyError(f"no import {import_id}")
    with WRITE_LOCK:
        undone = _undo(con, import_id)
    forget_upload(con, found[0][0] or "")
    return undone


def _undo(con: duckdb.DuckDBPyConnection, import_id: str) -> replaced.Undone:
    con.execute("begin transaction")
    try:
        query = "select count(*) from imports where import_id = ? and status = 'loaded'"
        standing = con.execute(query, [import_id]).fetchall()[0][0]
        undone = replaced.undo(con, import_id) if standing else replaced.Undone()
        con.execute(
            "update imports set status = 'undone' where import_id = ? and status = 'loaded'", [import_id]
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return undone
