"""The formats the importer recognises, one module each, found by discovery.

A format module exposes `FORMATS`: a list of objects with
- `name`: short id stored in `imports.source_format` ("canonical:work_items", "jira", …);
- `score(source: SourceFile) -> float`: 0 when the file is not this format, up to 1
  when its headers leave no doubt; the detector picks the highest score;
- `read(con, source: SourceFile, options: ImportOptions) -> list[Staged]`: the file's
  rows as canonical tables. Each `Staged` holds a DuckDB relation whose columns carry
  canonical names (a subset of the table's columns, any type; strings are cast and
  validated by the loader) plus the source row number of each row in `_row`.

Adding a tool export is adding a module here; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb


@dataclass(frozen=True)
class SourceFile:
    """A file ready to be read: a UTF-8 copy of it plus what was sniffed from it."""

    path: Path  # UTF-8 (no BOM) text, or JSON; safe to hand to read_csv / pandas / csv
    name: str  # the file name the user gave
    kind: str  # "csv" or "json"
    delimiter: str  # "," ";" "\t" ("" for JSON)
    headers: tuple[str, ...]  # raw header cells in order, duplicates kept (JSON: keys)
    sha256: str = ""

    @property
    def normalized_headers(self) -> tuple[str, ...]:
        return tuple(normalize_header(h) for h in self.headers)


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user can configure; the defaults are documented in README.md."""

    default_tz: str = "UTC"  # zone for timestamps written without an offset
    type_rules: dict[str, str] = field(default_factory=dict)  # extra label/issue type → flow type
    table_hint: str | None = None  # canonical table chosen by the user, if any


@dataclass(frozen=True)
class Staged:
    table: str
    relation: duckdb.DuckDBPyRelation
    warnings: tuple[str, ...] = ()  # what the format interpreted or could not link, in words


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
        found.extend(importlib.import_module(f"{__name__}.{module.name}").FORMATS)
    return found
