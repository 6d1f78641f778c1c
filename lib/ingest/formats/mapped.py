"""Saved column mappings: any other file, once mapped by hand, imports without asking.

The Data page's mapping step shows a file's headers next to a canonical table's columns
(`suggest_mapping` pre-fills it) and saves the choice with `save_mapping`. The saved
mapping is keyed by the file's header signature (its normalised headers, order and
duplicates ignored), so the next export from the same tool is recognised: `saved_formats`
turns each saved mapping into a format that scores 1.0 on files with that signature.
This module's FORMATS is empty because saved mappings live in the database;
`lib.ingest.load` adds `saved_formats(con)` to the candidates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.tables import TABLES

FORMATS: list = []


def header_signature(source: SourceFile) -> str:
    """sha256 of the sorted distinct normalised headers (column order and case ignored)."""
    headers = sorted({h for h in source.normalized_headers if h})
    return hashlib.sha256("\x1f".join(headers).encode()).hexdigest()


class MappedFormat:
    def __init__(self, signature: str, table: str, mapping: dict[str, str]):
        self.signature = signature
        self.table = table
        self.mapping = {normalize_header(k): v for k, v in mapping.items() if v}
        self.name = f"mapped:{table}"

    def score(self, source: SourceFile) -> float:
        return 1.0 if header_signature(source) == self.signature else 0.0

    def picks(self, source: SourceFile) -> list[tuple[int, str]]:
        chosen: dict[str, int] = {}
        for index, header in enumerate(source.normalized_headers):
            column = self.mapping.get(header)
            if column and column not in chosen:
                chosen[column] = index
        return [(index, column) for column, index in chosen.items()]

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        from lib.ingest.read import stage_columns

        return [
            Staged(
                self.table, stage_columns(con, source, self.picks(source)), DateHints(serial=source.workbook)
            )
        ]


def suggest_mapping(source: SourceFile, table: str) -> dict[str, str | None]:
    """Header → canonical column where the names agree (`Created` → `created_at`), else None."""
    columns = TABLES[table].column_names
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for header in source.headers:
        norm = normalize_header(header)
        match = next(
            (
                c
                for c in columns
                if c not in taken
                and norm
                and (
                    c == norm
                    or c in (f"{norm}_at", f"{norm}_id", f"{norm}_date")
                    or c.replace("_", "") == norm
                )
            ),
            None,
        )
        if match:
            taken.add(match)
        out.setdefault(header, match)
    return out


def save_mapping(
    con: duckdb.DuckDBPyConnection, source: SourceFile, table: str, mapping: dict[str, str]
) -> str:
    """Save (replacing any earlier one) a mapping for files with `source`'s headers."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    spec = TABLES[table]
    headers = set(source.headers) | set(source.normalized_headers)
    clean = {k: v for k, v in mapping.items() if v}
    unknown_headers = [k for k in clean if k not in headers]
    unknown_columns = [v for v in clean.values() if v not in spec.column_names]
    if unknown_headers or unknown_columns:
        raise ValueError(f"not in the file: {unknown_headers}; not columns of {table}: {unknown_columns}")
    targets = list(clean.values())
    doubled = sorted({v for v in targets if targets.count(v) > 1})
    if doubled:
        raise ValueError(f"several headers map to {', '.join(doubled)}: pick one header for each column")
    missing = [c.name for c in spec.columns if c.required and c.name not in targets]
    if missing:
        raise ValueError(
            f"{table.replace('_', ' ')} needs a column for {', '.join(missing)}: pick the header of the file that "
            f"holds {'it' if len(missing) == 1 else 'each'} (a file without one cannot be imported as {table})"
        )
    signature = header_signature(source)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        con.execute("delete from column_mappings where header_signature = ?", [signature])
        con.execute(
            "insert into column_mappings values (?, ?, ?, ?)",
            [signature, table, json.dumps(clean, sort_keys=True), now],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return signature


def delete_mapping(con: duckdb.DuckDBPyConnection, signature: str) -> None:
    con.execute("delete from column_mappings where header_signature = ?", [signature])


def saved_formats(con: duckdb.DuckDBPyConnection) -> list[MappedFormat]:
    rows = con.execute(
        'select header_signature, "table", mapping_json from column_mappings order by saved_at'
    ).fetchall()
    return [MappedFormat(sig, table, json.loads(text)) for sig, table, text in rows if table in TABLES]
