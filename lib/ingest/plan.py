"""What a file would write, before anything is written: detect, read and check every source.

Shared by the import (lib/ingest/load.py), the preview and the Data page's inspection
(lib/ingest/preview.py): a workbook's sheets are its sources, each detected on its own;
the warnings of the formats and of validation are gathered, per sheet.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lib import db
from lib.ingest import records
from lib.ingest.choices import layout_choice
from lib.ingest.detect import UnrecognisedFile, detect
from lib.ingest.formats import Format, ImportOptions, SourceFile, all_formats
from lib.ingest.formats.mapped import saved_formats
from lib.ingest.records import MalformedFile
from lib.ingest.report import ImportWarning, shown
from lib.ingest.validate import Checked, Problem, ValidationError, check
from lib.ingest.words import format_words
from lib.tables import PERSON_LEVEL

# Formats that read a file through `lib.ingest.read.stage_columns`, DuckDB's strict reader.
STRICT_READERS = ("canonical:", "mapped:")


def home_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder beside the database file (an in-memory database uses the default one)."""
    rows = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    row = rows[0] if rows else None
    return Path(row[0]).resolve().parent if row and row[0] else db.data_dir()


def _candidates(con: duckdb.DuckDBPyConnection) -> list[Format]:
    return [*saved_formats(con), *all_formats()]


def _refuse_repeated_columns(fmt: Format, source: SourceFile) -> None:
    """A canonical column given by two columns of the file (`team` twice, or `Team` and
    `team`): which one holds the data cannot be told, so the file is refused."""
    picks = getattr(fmt, "picks", None)
    if not callable(picks):
        return  # tool exports repeat columns on purpose (Jira's Labels, Sprint)
    headers = source.normalized_headers
    for index, column in picks(source):
        same = [i for i, h in enumerate(headers) if h == headers[index]]
        if len(same) > 1:
            named = " and ".join(f"{i + 1} ({shown(source.headers[i], 30)!r})" for i in same)
            problem = Problem(
                None,
                column,
                None,
                f"is given by {len(same)} columns of the file, columns {named}: which one holds the data cannot "
                "be told. Delete or rename the others",
            )
            raise ValidationError(source.label, (problem,), 1)


def declared_tables(fmt: Format) -> set[str] | None:
    """The tables a format loads, when it says so before reading (canonical, mapped, HRIS)."""
    declared = getattr(fmt, "tables", None) or getattr(fmt, "table", None)
    if declared is None or callable(declared):  # a method: the format decides while reading
        return None
    items = [declared] if isinstance(declared, str) or hasattr(declared, "name") else list(declared)
    return {getattr(t, "name", t) for t in items}


def _stage_and_check(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    options: ImportOptions,
    salt_value: str | None,
    on_read=None,
) -> tuple[Format, list[Checked], list[ImportWarning], list[tuple[str, ...]]]:
    """Detect, read and check a source: its format, each staged table checked, the warnings,
    and the canonical columns the source supplied to each table. `on_read(tables)` is
    called once, as soon as the tables it loads are known (before reading when the format
    declares them), so the original of a file about people is never copied."""
    fmt = detect(source, options, _candidates(con))
    declared = declared_tables(fmt)
    if on_read and declared is not None:
        on_read(declared)
    try:
        _refuse_repeated_columns(fmt, source)
        if not fmt.name.startswith(STRICT_READERS):
            records.check(con, source)  # the others read the file in Python, leniently
        staged = fmt.read(con, source, options)
    except MalformedFile as exc:
        raise ValidationError(source.label, exc.problems, exc.count) from exc
    except ValidationError:
        raise
    except (duckdb.Error, ValueError, KeyError, UnicodeError) as exc:
        if getattr(exc, "problems", None):  # a format's own row problems (FormatProblems: a survey's dates)
            refused = ValidationError(source.label, tuple(exc.problems), exc.count)
        else:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problem = Problem(None, None, None, f"cannot be read as a {format_words(fmt.name)}: {reason}")
            refused = ValidationError(source.label, (problem,), 1)
        refused.source_format = fmt.name  # the Data page still names what the file was recognised as
        raise refused from exc
    if on_read and declared is None:
        on_read({s.table for s in staged})
    supplied = [tuple(col for col in s.relation.columns if col != "_row") for s in staged]
    checked = [in_users_words(fmt, source, check(con, s, options, salt_value)) for s in staged]
    warnings = [w for s in staged for w in s.warnings] + [w for c in checked for w in c.warnings]
    if source.workbook:
        warnings = [
            ImportWarning(w.code, f"Sheet {source.sheet}: {w.message}", w.count, w.rows, w.detail)
            for w in warnings
        ]
    return fmt, checked, warnings, supplied


def in_users_words(fmt: Format, source: SourceFile, checked: Checked) -> Checked:
    """`checked` with each problem naming the file's own header of its column (`Created At`
    for created_at), so a refusal says which column of the file to fix.

    A template or a mapped file says which header gives each column (`picks`). A tool
    export reads cells in Python: a problem's header is the one whose cell in that row holds
    the value refused, when exactly one header does (else only the canonical name is given).
    """
    if not checked.problems:
        return checked
    picks = getattr(fmt, "picks", None)
    if callable(picks):
        headers = {column: source.headers[index] for index, column in picks(source)}
        problems = tuple(
            dataclasses.replace(p, header=headers.get(p.column)) if p.column in headers else p
            for p in checked.problems
        )
        return dataclasses.replace(checked, problems=problems)
    return dataclasses.replace(checked, problems=_headers_by_value(source, checked.problems))


def _headers_by_value(source: SourceFile, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    wanted = {p.row for p in problems if p.row is not None and p.value is not None and p.column}
    if not wanted:
        return problems
    from lib.ingest.formats._tool_exports import read_rows

    try:
        headers, rows = read_rows(source)
    except (OSError, ValueError, UnicodeError, csv.Error):  # the refusal stands, naming the column as it is
        return problems
    cells = {n: row for n, row in rows if n in wanted}
    out = []
    for p in problems:
        row = cells.get(p.row) if p.row is not None and p.value is not None else None
        if row is not None:
            named = {h for h, cell in zip(headers, row, strict=False) if cell.strip() == str(p.value).strip()}
            if len(named) == 1:
                p = dataclasses.replace(p, header=named.pop())
        out.append(p)
    return tuple(out)


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
    supplied: list[tuple[str, ...]] = field(default_factory=list)  # canonical columns, per checked

    @property
    def person_level(self) -> bool:
        """Whether any table the file loads holds rows about people (SPEC §4: kept minimised)."""
        return any(c.table.name in PERSON_LEVEL for c in self.checked)


def plan_sources(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    options: ImportOptions,
    salt_value: str | None,
    strict: bool = True,
    on_read=None,
) -> Plan:
    """Detect, read and check every source; a workbook's unrecognised sheet is skipped with a
    warning when another sheet is recognised. Raises UnrecognisedFile, and ValidationError
    for any problem when `strict` (else the problems are kept on the plan)."""
    plan, skipped = Plan(), []
    for source in sources:
        try:
            fmt, checked, warnings, supplied = _stage_and_check(con, source, options, salt_value, on_read)
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
        plan.supplied += supplied
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
