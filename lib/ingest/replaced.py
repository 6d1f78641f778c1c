"""The rows an import replaced, kept so that undoing the import puts them back (issue 18).

The rule (docs/IMPORT.md, "Undo"): undoing an import leaves the data exactly as if that
import had never been made, whatever order imports are undone in. For every key of a
table, the row stored is the one written by the latest import that still stands
(status `loaded`); undoing an import takes its rows away, and where it had replaced a
row of an import that still stands, that row comes back as it was.

How. An upsert replaces the stored rows whose key the file holds; `keep` copies each of
them first, whole (JSON of every column, its `import_id` included), into `replaced_rows`
(migration 015) with the import that replaced it. Invariant, for every import X that
stands and every key k it wrote: `replaced_rows` holds at most one row (replaced_by X,
key k), the row of the latest import before X at k that still stands (none when k was
new with X). `undo` keeps it, per table, touching only the keys X wrote:

1. where X's row is the one stored, it is deleted and the row X replaced there (if any)
   is put back;
2. where a later import Y replaced X's row, Y's record now skips X: it takes X's own
   record (the row before X), or is dropped when the key was new with X, so undoing Y
   later brings back the row before X, never X's;
3. X's own records are dropped.

Undo the newer of two imports of `teams.csv` and the older one's teams come back; undo
the older first and nothing visible changes (the newer's rows stand), then undo the newer
and the teams are gone, as before both (tests/unit/test_undo_order.py runs every order).

Rows stored before migration 015, and rows written without the importer, have no record:
undoing the import that replaced them cannot bring them back (replay that earlier import).
A row whose writer no longer stands (the demo, once cleared) is never put back.

`keep` also says how many of the replaced rows the file actually changed (`Replaced`):
a row whose every column the import writes holds the same value is "unchanged".
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from lib.ingest.read import ident, stage_name
from lib.tables import TABLES, Table

_STANDS = "(written_by is null or written_by in (select import_id from imports where status = 'loaded'))"


@dataclass(frozen=True)
class Replaced:
    """Stored rows an upsert replaced: `updated` differ from the file's row in at least one
    column the import writes, `unchanged` hold the same values (rows, not keys)."""

    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.updated + self.unchanged


def _key_json(table: Table, alias: str) -> str:
    """SQL: the row's key as JSON text, the same for the stored row and its record."""
    fields = ", ".join(f"{ident(k)} := {alias}.{ident(k)}" for k in table.key)
    return f"to_json(struct_pack({fields}))::varchar"


def keep(con: duckdb.DuckDBPyConnection, table: Table, source: str, import_id: str) -> Replaced:
    """Before an upsert deletes the rows of `table` whose key `source` (a typed temp table,
    one row per key) holds: record each in `replaced_rows`, replaced by `import_id`.

    Call inside the import's transaction, after the file's rows are final (deduplicated,
    team names respelled) and before the delete. Returns how many rows it replaces, and how
    many of those the file changes. Costs one probe when the table is empty."""
    target = ident(table.name)
    query = f"select exists (select 1 from {target})"
    if not con.execute(query).fetchall()[0][0]:
        return Replaced()
    match = " and ".join(f"t.{ident(k)} = s.{ident(k)}" for k in table.key)
    differs = " or ".join(f"t.{ident(c)} is distinct from s.{ident(c)}" for c in table.column_names)
    matched = stage_name("replaced")
    query = (
        f"create temp table {ident(matched)} as select {_key_json(table, 't')} as row_key, "
        f"t.import_id as written_by, to_json(t) as row_json, ({differs}) as changed "
        f"from {target} t join {source} s on {match} where t.import_id is distinct from $import_id"
    )
    con.execute(query, {"import_id": import_id})  # (a workbook's second sheet of a table: not kept)
    query = (
        f"select count(*) filter (where changed), count(*) filter (where not changed) from {ident(matched)}"
    )
    updated, unchanged = con.execute(query).fetchall()[0]
    if updated or unchanged:
        query = (
            f"insert into replaced_rows select $import_id, $table, row_key, written_by, row_json "
            f"from {ident(matched)}"
        )
        con.execute(query, {"import_id": import_id, "table": table.name})
    query = f"drop table {ident(matched)}"
    con.execute(query)
    return Replaced(updated, unchanged)


def _structure(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The table's columns and types as `json_transform` reads them: `{"team": "VARCHAR", …}`."""
    import json

    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_name = ? and table_schema = 'main' and table_catalog = current_database() "
        "order by ordinal_position",
        [table],
    ).fetchall()
    return json.dumps(dict(rows))


@dataclass(frozen=True)
class Undone:
    """What undoing an import did: rows deleted (its own), rows restored (those it replaced,
    of imports that still stand)."""

    deleted: int = 0
    restored: int = 0


def undo(con: duckdb.DuckDBPyConnection, import_id: str) -> Undone:
    """Delete the import's rows and restore what it replaced (module doc), every table.

    Call inside the undo's transaction; the caller marks the import `undone` after."""
    deleted = restored = 0
    for table in TABLES.values():
        target = ident(table.name)
        own = f"(select {_key_json(table, 't')} from {target} t where t.import_id = $import_id)"
        back = stage_name("restore")
        query = (
            f"create temp table {ident(back)} as select row_json from replaced_rows "
            f"where replaced_by = $import_id and table_name = $table and {_STANDS} and row_key in {own}"
        )
        con.execute(query, {"import_id": import_id, "table": table.name})
        query = f"delete from {target} where import_id = ?"
        deleted += con.execute(query, [import_id]).fetchall()[0][0]
        query = (
            f"insert into {target} by name select unnest(json_transform(row_json, $structure)) "
            f"from {ident(back)}"
        )
        restored += con.execute(query, {"structure": _structure(con, table.name)}).fetchall()[0][0]
        query = f"drop table {ident(back)}"
        con.execute(query)
        # A later import's record of this import's row now skips it.
        con.execute(
            "update replaced_rows y set written_by = x.written_by, row_json = x.row_json from replaced_rows x "
            "where y.table_name = $table and x.table_name = $table and y.written_by = $import_id "
            "and x.replaced_by = $import_id and x.row_key = y.row_key",
            {"import_id": import_id, "table": table.name},
        )
        con.execute(
            "delete from replaced_rows where table_name = ? and written_by = ?", [table.name, import_id]
        )
    con.execute("delete from replaced_rows where replaced_by = ?", [import_id])
    return Undone(deleted, restored)
