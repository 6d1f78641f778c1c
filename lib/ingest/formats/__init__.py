"""The formats the importer recognises, one module each, found by discovery.

A format module exposes `FORMATS`: a list of objects with (a module whose name starts with
`_` holds what formats share and is not one: discovery skips it)
- `name`: short id stored in `imports.source_format` ("canonical:work_items", "jira", …);
- `score(source: SourceFile) -> float`: 0 when the file is not this format, up to 1
  when its headers leave no doubt; the detector picks the highest score;
- `read(con, source: SourceFile, options: ImportOptions) -> list[Staged]`: the file's
  rows as canonical tables. Each `Staged` holds a DuckDB relation whose columns carry
  canonical names (a subset of the table's columns, any type; strings are cast and
  validated by the loader) plus the source row number of each row in `_row`.

Dates: a format never parses a date itself. It either hands the cells over as text (the
loader reads them with `lib.ingest.dates`, in SQL, in the file's date order and time
zone), or, when it needs the instant in Python (created + seconds to resolve), converts
its rows with `lib.ingest.formats._tool_exports.utc_columns`, which runs the same parser
and decides the date order once for the whole file. `Staged.dates` says what the tool is
known to write (`DateHints`: its numeric date order, epoch numbers, Excel serials).

Warnings: what a format interpreted (a resolution it did not know, a team it could not
name) goes on `Staged.warnings` as `lib.ingest.report.ImportWarning`s; the loader lists
them on the import's result.

Adding a tool export is adding a module here; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.report import ImportWarning


@dataclass(frozen=True)
class SourceFile:
    """A file ready to be read: a UTF-8 copy of it plus what was sniffed from it."""

    path: Path  # UTF-8 (no BOM) text, or JSON; safe to hand to read_csv / pandas / csv
    name: str  # the file name the user gave
    kind: str  # "csv" or "json"
    delimiter: str  # "," ";" "\t" ("" for JSON)
    headers: tuple[str, ...]  # raw header cells in order, duplicates kept (JSON: keys)
    sha256: str = ""
    sheet: str | None = None  # the workbook sheet this came from (.xlsx, .xls, .ods)
    row_offset: int = 0  # sheet rows above the header row: row n of the text is row n + offset

    @property
    def label(self) -> str:
        """How messages name it: `hris.xlsx, sheet Employees`, else the file name."""
        return f"{self.name}, sheet {self.sheet}" if self.sheet else self.name

    @property
    def workbook(self) -> bool:
        return self.sheet is not None

    @property
    def normalized_headers(self) -> tuple[str, ...]:
        return tuple(normalize_header(h) for h in self.headers)


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user can configure; the defaults are documented in README.md."""

    default_tz: str = "UTC"  # zone for timestamps written without an offset
    type_rules: dict[str, str] = field(default_factory=dict)  # extra label/issue type → flow type
    table_hint: str | None = None  # canonical table chosen by the user, if any
    date_order: str | None = None  # dmy / mdy / ymd chosen by the user for this file, if any
    # Jira resolutions and statuses the user marked: {"resolutions": {"Out of Date": "dropped"},
    # "statuses": {"Shipped": "done"}}; the defaults are in formats/jira.py.
    jira_rules: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Staged:
    table: str
    relation: duckdb.DuckDBPyRelation
    dates: DateHints = DateHints()  # how the tool writes dates that reach the loader as text
    warnings: tuple[ImportWarning, ...] = ()  # what the format interpreted


class Format(Protocol):
    name: str

    def score(self, source: SourceFile) -> float: ...

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]: ...


def normalize_header(header: str) -> str:
    """'  Started At ' → 'started_at': case, spacing and punctuation variants agree."""
    out = []
    for ch in header.strip().lower():
        out.append(ch if ch.isalnum() else "_")
    text = "".join(out)
    while "__" in text:
        text = text.replace("__", "_")
    return text.strip("_")


def all_formats() -> list[Format]:
    """Every format of every module in this package, in module-name order."""
    found: list[Format] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):  # shared helpers, not formats
            found.extend(importlib.import_module(f"{__name__}.{module.name}").FORMATS)
    return found
