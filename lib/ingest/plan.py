"""What a file would write, before anything is written: detect, read and check every source.

Shared by the import (lib/ingest/load.py), the preview and the Data page's inspection
(lib/ingest/preview.py): a workbook's sheets are its sources, each detected on its own;
the warnings of the formats and of validation are gathered, per sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lib import db
from lib.ingest.choices import layout_choice
from lib.ingest.detect import UnrecognisedFile, detect
from lib.ingest.formats import Format, ImportOptions, SourceFile, all_formats
from lib.ingest.formats.mapped import saved_formats
from lib.ingest.report import ImportWarning
from lib.ingest.validate import Checked, Problem, ValidationError, check


def home_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder beside the database file (an in-memory database uses the default one)."""
    rows = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    row = rows[0] if rows else None
    return Path(row[0]).resolve().parent if row and row[0] else db.data_dir()


def _candidates(con: duckdb.DuckDBPyConnection) -> list[Format]:
    return [*saved_formats(con), *all_formats()]


def _stage_and_check(
    con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions, salt_value: str | None
) -> tuple[Format, list[Checked], list[ImportWarning]]:
    fmt = detect(source, options, _candidates(con))
    try:
        staged = fmt.read(con, source, options)
    except (duckdb.Error, ValueError, KeyError, UnicodeError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValidationError(
            source.label, (Problem(None, None, None, f"cannot be read as {fmt.name}: {reason}"),), 1
        ) from exc
    checked = [check(con, s, options, salt_value) for s in staged]
    warnings = [w for s in staged for w in s.warnings] + [w for c in checked for w in c.warnings]
    if source.workbook:
        warnings = [
            ImportWarning(w.code, f"Sheet {source.sheet}: {w.message}", w.count, w.rows, w.detail)
            for w in warnings
        ]
    return fmt, checked, warnings


@dataclass
class Plan:
    """What a file (or each sheet of a workbook) would write, before anything is written."""

    formats: list[str] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # only when not strict
    problem_count: int = 0
    label: str = ""  # the source the first problem is in


def plan_sources(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    options: ImportOptions,
    salt_value: str | None,
    strict: bool = True,
) -> Plan:
    """Detect, read and check every source; a workbook's unrecognised sheet is skipped with a
    warning when another sheet is recognised. Raises UnrecognisedFile, and ValidationError
    for any problem when `strict` (else the problems are kept on the plan)."""
    plan, skipped = Plan(), []
    for source in sources:
        try:
            fmt, checked, warnings = _stage_and_check(con, source, options, salt_value)
        except UnrecognisedFile as exc:
            if len(sources) == 1:
                raise
            skipped.append((source, exc))
            continue
        problems = sum(c.problem_count for c in checked)
        if problems:
            found = tuple(p for c in checked for p in c.problems)
            if strict:
                raise ValidationError(source.label, found, problems)
            plan.label = plan.label or source.label
            plan.problems += found
            plan.problem_count += problems
        plan.formats.append(fmt.name)
        plan.checked += checked
        plan.warnings += warnings
        plan.sources.append(source)
    if not plan.checked:
        raise skipped[0][1]
    for source, _ in skipped:
        plan.warnings.append(
            ImportWarning(
                "sheet_skipped",
                f"Sheet {source.sheet} was not imported: its headers ({', '.join(source.headers[:6])}…) match "
                "no table. Import it as a file of its own to map its columns",
            )
        )
    return plan


def date_order_hint(con: duckdb.DuckDBPyConnection, sources: list[SourceFile], message: str) -> str:
    """A refusal for an unknown date order mentions the order last chosen for this layout."""
    if "--date-order" not in message:
        return message
    for source in sources:
        choice = layout_choice(con, source)
        if choice and choice.date_order:
            return (
                f"{message} (Last time, files with these headers were imported with --date-order "
                f"{choice.date_order}.)"
            )
    return message
