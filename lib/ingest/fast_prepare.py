"""Which files the fast path takes (lib/ingest/fast.py): a canonical template as plain
UTF-8 CSV, sniffed and recognised as the general path would, not yet read.

`prepare` gives None (the general path at once) for a file that is not a canonical
template, is a workbook or JSON, is not UTF-8 (a byte-order mark at the start is fine),
has lone-CR line ends, an Excel `sep=` line or a column given twice; also for a file that
lacks a required column of its table (the general path refuses it, naming the template and
the mapping step) and a deployments file without a status column (the general path warns).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib.ingest import records
from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.plan import _candidates, _refuse_repeated_columns
from lib.ingest.read import _SEP_LINE, SAMPLE_CHARS, _bom_encoding, _sample_records, sniff_delimiter
from lib.tables import PERSON_LEVEL, Table

_NOT_CSV = (".json", ".ndjson", ".jsonl", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True)
class Prepared:
    """A canonical template, sniffed and recognised, not yet read."""

    source: SourceFile  # sha256 is "" until the Keeper has hashed the file
    format_name: str
    table: Table
    picks: tuple[tuple[int, str], ...]  # header index → canonical column

    @property
    def person_level(self) -> bool:
        return self.table.name in PERSON_LEVEL

    @property
    def supplied(self) -> tuple[str, ...]:
        return tuple(column for _, column in self.picks)


def prepare(
    con: duckdb.DuckDBPyConnection, path: str | os.PathLike, name: str, options: ImportOptions
) -> Prepared | None:
    """The file as a canonical template the fast path can read, or None (module doc)."""
    path = Path(path)
    try:
        source = _sniff(path, name)
        if source is None:
            return None
        fmt = detect(source, options, _candidates(con))
        table = getattr(fmt, "table", None)
        if not fmt.name.startswith("canonical:") or table is None:
            return None
        _refuse_repeated_columns(fmt, source)
        picks = tuple(fmt.picks(source))
    except Exception:  # noqa: BLE001 (only a probe: the general path meets the same and reports it)
        return None
    supplied = {column for _, column in picks}
    if any(c.required and c.name not in supplied for c in table.columns):
        return None  # the general path refuses it, naming the column, the template and the mapping step
    if table.name == "deployments" and "status" not in supplied:
        return None  # the general path warns that no run counts as a deployment without one
    return Prepared(source, fmt.name, table, picks)


def _sniff(path: Path, name: str) -> SourceFile | None:
    """The file as the general path would sniff it, when it is plain UTF-8 CSV; else None."""
    if name.lower().endswith(_NOT_CSV) or not path.is_file():
        return None
    with open(path, "rb") as f:
        head = f.read(SAMPLE_CHARS * 4)
    if not head or records.binary_kind(head) or _bom_encoding(head) not in (None, "utf-8-sig"):
        return None
    if b"\r" in head and b"\n" not in head:
        return None  # lone-CR line ends: the general path rewrites them
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.read(SAMPLE_CHARS)  # UnicodeDecodeError: not UTF-8, general path
        complete = f.read(1) == ""
    if sample.lstrip(" \t\r\n")[:1] in ("[", "{") or _SEP_LINE.match(sample):
        return None
    delimiter = sniff_delimiter(sample, complete)
    rows = _sample_records(sample, complete, delimiter)
    header = rows[0] if rows else []
    if not any(h.strip() for h in header) or (complete and len(rows) < 2):
        return None
    return SourceFile(path, name, "csv", delimiter, tuple(header))
