"""The fast path for a clean canonical CSV file: one typed read, straight into its table.

SPEC §9 asks a clean 1M-row canonical CSV to import within 1.3× of DuckDB's own
`read_csv` of it into a table. The general path (lib/ingest/read.py, validate.py) hashes
the file, stages every cell as text, casts and checks the text into a typed temporary
table, then inserts from it: four passes over a million rows. Here a canonical template
is read once, inside the import's transaction, by DuckDB's strict CSV reader straight
into typed columns (the types from lib/tables.py) and inserted into its table, each value
checked on the way by the rule `validate.check` applies to it; the file is hashed,
checked for damaged text and copied to `uploads/` on another thread meanwhile
(`Keeper`, lib/ingest/fast_keeper.py). What an upsert does with a staged table is then done on the rows just
written: deduplication is refused (see below), team names are respelled as the teams
table spells them, rows of earlier imports with the same keys are deleted, warnings
(spans that run backwards) are listed, a person-level table's minimised copy is written.
DuckDB writes the rows as they come (`preserve_insertion_order` off, which costs less),
except for a person-level table, whose minimised copy lists rows in the file's order;
the rows a warning lists are then numbered by reading the file again, in order, only when
there are such rows. Peak memory stays that of DuckDB's own read: 710 MiB for a
5M-row file (bench/RESULTS.md).

It writes the same rows as the general path or nothing: whenever the file is anything
but clean, `write` raises `NotClean`, the caller rolls the transaction back and imports
the file by the general path from the start, so every refusal still names the row,
column and value, and every interpretation is the one parser's. `prepare` (lib/ingest/fast_prepare.py)
gives None (general path at once) for a file that is not a canonical template, is a workbook or
JSON, is not UTF-8 (a byte-order mark at the start is fine), has lone-CR line ends, an
Excel `sep=` line or a column given twice. `write` raises NotClean when:

- DuckDB's strict reader refuses a record (its shape), or a value does not read as its
  column's type;
- a value would be a problem (`validate._checks`): a date outside the plausible range
  (1990 to a year ahead), an unknown choice, a number out of range, not finite or not
  whole, a required value missing, a boolean none of the accepted words (each checked
  by an `error()` in the insert, which aborts it);
- a cell has blanks around it (the general path trims them) or a record holds no value
  (the general path skips it, still counting it as a row);
- two rows of the file share a key (the general path keeps the later, with a warning);
- a deployment run has no status (the general path warns: `validate.deployments_without_status`).
`prepare` also leaves to the general path a file that lacks a required column of its table
(refused there, naming the template and the mapping step) and a deployments file without a
status column (a warning there).
The caller also goes back when the bytes turn out not to be clean UTF-8 text (NUL bytes,
a byte-order mark inside, invalid UTF-8 anywhere), or a blank line (a row in a
spreadsheet, skipped by the reader) may have moved the row numbers a warning lists.

Why the typed read gives the one parser's result (lib/ingest/dates.py): a timestamp
column is read as TIMESTAMPTZ in the file's time zone, which is exactly DuckDB's cast of
the text, the first thing `dates.instant_sql` tries; the parser keeps that cast's result
whenever it is in or after the year 1000. A result before that is read by the full
grammar instead, but it is also before 1990, so the file goes to the general path as for
any implausible date. A value the cast does not read (Jira's `14/Jul/25`, git's
` +0200`, a numeric day/month date, `0000-00-00`) fails the typed read: general path.
Numbers are read as DOUBLE, whose reader accepts a subset of what `try_cast(… as
double)` does, with the same values. Date columns, booleans, enumerated values and person
identifiers are read as text and converted by the very expressions `validate.check` uses.
tests/unit/test_ingest_fast.py checks the agreement value by value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lib.ingest import cast, dates, records, replaced, team_spelling
from lib.ingest.fast_prepare import Prepared
from lib.ingest.formats import ImportOptions
from lib.ingest.report import ImportWarning
from lib.ingest.stage import _has_blank_line, _line_count, ident, stage_name
from lib.ingest.validate import BACKWARD_SPANS, Checked, _bounds, backward_spans
from lib.tables import Column, Table

_READ_AS = {"timestamp": "TIMESTAMPTZ", "double": "DOUBLE", "integer": "DOUBLE"}
_IMPORT_ID = re.compile(r"^[0-9a-f]{32}$")
_READ_OPTIONS = records.READ_OPTIONS.replace("all_varchar = true, ", "")


class NotClean(Exception):
    """The file needs the general path (the reason, for a reader of the code, not a user)."""


@dataclass(frozen=True)
class Written:
    """What `write` put in the table: `rows` (one per key), the warnings, and `checked`, a
    view of the rows written shaped as `validate.check`'s typed table (`_row` + columns)."""

    rows: int
    warnings: tuple[ImportWarning, ...]
    checked: Checked
    replaced: replaced.Replaced = replaced.Replaced()  # rows of earlier imports it replaced (kept for undo)


# ---------------------------------------------------------------------------- the write


@dataclass
class _Insert:
    sql: cast.Sql
    cells: list[str] = field(default_factory=list)  # level 1: the cell as read, named as its column
    values: list[str] = field(default_factory=list)  # level 2: the value stored, or error()
    columns: list[str] = field(default_factory=list)
    required: bool = False  # a required column is read: an empty record fails its check


def _guarded(column: Column, value: str, ok: str | None, cell: str, padded: str | None) -> str:
    """`value` when the cell is empty (null; an error when required) or `ok` holds, else an
    error; a `padded` cell (one the general path would trim) is an error first."""
    empty = "error('fast path: a required value is missing')" if column.required else "null"
    trim = f"when {padded} then error('fast path: a padded value in {column.name}') " if padded else ""
    check = (
        f"when {ok} then {value} else error('fast path: a problem in {column.name}')"
        if ok
        else f"else {value}"
    )
    return f"case when {cell} is null then {empty} {trim}{check} end"


def _insert_sql(prepared: Prepared, options: ImportOptions, salt_value: str | None) -> _Insert:
    """The cells of the file and the value stored for each, by `validate.check`'s rules."""
    table, sql = prepared.table, cast.Sql(salt_value)
    out = _Insert(sql)
    low, high = dates.plausible_range()
    epoch, micro = dt.datetime(1970, 1, 1), dt.timedelta(microseconds=1)
    span_us: list[str] = []  # bound once, when a timestamp column needs them
    hints = dates.DateHints()
    for index, name in prepared.picks:
        column = table.column(name)
        cell = ident(name)
        if column.type == "date":  # as cast.raw_text gives it: BambooHR's 0000-00-00 is no date
            out.cells.append(f"{cast.raw_text(column, f'c{index}')} as {cell}")
        else:
            out.cells.append(f"c{index} as {cell}")
        padded = None
        if column.type not in _READ_AS and column.type != "date":
            # cast.raw_text trims text and makes blank text null; the reader already gives null
            # for an empty cell, so a cell that needs trimming is the only difference left.
            # Checked inside the value's own case: 0.04-0.06 CPU s less per 1M rows than a
            # filter of its own over every text column.
            padded = f"prefix({cell}, ' ') or suffix({cell}, ' ')"  # cheaper than starts_with: 79 vs 112 ms on 5M cells
        out.columns.append(cell)
        out.required |= column.required
        if (
            column.type == "timestamp"
        ):  # naive UTC: make_timestamp(epoch_us(x)) is `x at time zone 'UTC'`, cheaper
            if not span_us:
                after = dt.datetime.combine(high + dt.timedelta(days=1), dt.time())
                span_us += [
                    sql.bind(int((dt.datetime.combine(low, dt.time()) - epoch) / micro)),
                    sql.bind(int((after - epoch) / micro)),
                ]
            value = f"make_timestamp(epoch_us({cell}))"
            ok = f"epoch_us({cell}) >= {span_us[0]} and epoch_us({cell}) < {span_us[1]}"
        elif column.type in ("double", "integer"):
            ok = f"isfinite({cell})"
            bounds = _bounds(column)
            if bounds:
                ok += f" and {cell} between {sql.bind(float(bounds[0]))} and {sql.bind(float(bounds[1]))}"
            value = cell
            if column.type == "integer":
                ok += f" and {cell} = trunc({cell})"
                value = f"cast({cell} as bigint)"
        else:
            value = cast.typed_value(
                sql, table, column, cell, salt_value is not None, hints, options.date_order
            )
            if column.type == "date":
                ok = f"{value} between {sql.bind(low)} and {sql.bind(high)}"
            elif column.type == "boolean":
                ok = f"{value} is not null"
            elif column.choices:
                ok = f"list_contains({sql.bind(list(column.choices))}, {value})"
            else:
                ok = None
        out.values.append(f"{_guarded(column, value, ok, cell, padded)} as {cell}")
    return out


@contextlib.contextmanager
def session(con: duckdb.DuckDBPyConnection, prepared: Prepared, options: ImportOptions) -> Iterator[None]:
    """The session as `write` needs it, restored after: TimeZone the file's (values without an
    offset are read in it), and the file's order kept only for a person-level table, whose
    minimised copy lists rows in the file's order as the general path writes it (elsewhere
    DuckDB may write rows as they come, which costs less). Put it around the transaction:
    a setting cannot be changed back inside a transaction that failed."""
    previous = con.execute(
        "select current_setting('TimeZone'), current_setting('preserve_insertion_order')"
    ).fetchall()[0]
    con.execute("set TimeZone = ?", [options.default_tz])
    con.execute("set preserve_insertion_order = ?", [prepared.person_level])
    try:
        yield
    finally:
        con.execute("set TimeZone = ?", [previous[0]])
        con.execute("set preserve_insertion_order = ?", [bool(previous[1])])


def _reader(prepared: Prepared) -> str:
    """`read_csv(…)` of the file, the picked columns typed (bound: $path, $delim)."""
    table = prepared.table
    read_as = {index: _READ_AS.get(table.column(name).type, "VARCHAR") for index, name in prepared.picks}
    width = len(prepared.source.headers)
    types = "{" + ", ".join(f"'c{i}': '{read_as.get(i, 'VARCHAR')}'" for i in range(width)) + "}"
    return f"read_csv($path, delim = $delim, {_READ_OPTIONS}, columns = {types})"


def _spans(table: Table, present: set[str]) -> list[tuple[str, str]]:
    return [
        (start, end)
        for name, start, end, _ in BACKWARD_SPANS
        if name == table.name and {start, end} <= present
    ]


def write(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    options: ImportOptions,
    salt_value: str,
    import_id: str,
) -> Written:
    """Read the file into its table, tagged `import_id`, and do the rest of the upsert (the
    module doc); call inside the import's transaction, within `session`. NotClean when
    the file needs the general path (the caller rolls back)."""
    if not _IMPORT_ID.match(import_id):
        raise ValueError(f"not an import id: {import_id!r}")
    table = prepared.table
    target = ident(table.name)
    build = _insert_sql(prepared, options, salt_value)
    # A record with no value is skipped by the general path, and would move the rows after
    # it: it stops the fast path. Every table has a required column, and `prepare` takes
    # only files that supply them, so its check already refuses such a record; the filter
    # below is for a table without one.
    empty = ""
    if not build.required:
        anything = " or ".join(f"{cell} is not null" for cell in build.columns)
        empty = f" where case when {anything} then true else error('fast path: an empty record') end"
    query = (
        f"insert into {target} ({', '.join(build.columns)}, import_id) "
        f"select {', '.join(build.values)}, $import_id from (select {', '.join(build.cells)} from {_reader(prepared)})"
        + empty
    )
    params = {**build.sql.params, "import_id": import_id, "path": str(prepared.source.path)}
    params["delim"] = prepared.source.delimiter
    try:
        con.execute(query, params)
    except duckdb.Error as exc:
        raise NotClean(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc
    present = set(prepared.supplied)
    spans = _spans(table, present)
    keys = ", ".join(ident(k) for k in table.key)
    distinct = f"count(distinct {keys})" if len(table.key) == 1 else f"count(distinct ({keys}))"
    backward = "".join(f", count(*) filter (where {ident(end)} < {ident(start)})" for start, end in spans)
    query = f"select count(*), {distinct}{backward} from {target} where import_id = $import_id"
    rows, distinct_rows, *backwards = con.execute(query, {"import_id": import_id}).fetchall()[0]
    if distinct_rows < rows:
        raise NotClean("two rows of the file share a key")
    if table.name == "deployments":
        query = f"select count(*) from {target} where import_id = $import_id and status is null"
        if con.execute(query, {"import_id": import_id}).fetchone()[0]:
            raise NotClean("runs without a status: the general path lists them in a warning")
    view = stage_name("typed")
    mine = f"{target} where import_id = '{import_id}'"  # our own hex id, checked above
    query = f"create temp view {ident(view)} as select rowid - (select min(rowid) from {mine}) + 2 as _row, * from {mine}"
    con.execute(query)
    warnings: tuple[ImportWarning, ...] = ()
    if any(backwards):
        warnings = tuple(backward_spans(con, table, present, _numbered(con, prepared, spans, view, params)))
    if "team" in present:
        team_spelling.respell(con, ident(table.name), import_id, in_target=True, keyed="team" in table.key)
    kept = _replace_earlier(con, table, view, import_id)
    return Written(
        rows, warnings, Checked(table, view, rows, (), 0, warnings, options.date_order, rows), kept
    )


def _numbered(
    con: duckdb.DuckDBPyConnection, prepared: Prepared, spans: list[tuple[str, str]], view: str, params: dict
) -> str:
    """The rows of the file whose spans run backwards, with `_row` numbered as the file's
    records (header = row 1): from the rows written when DuckDB kept the file's order,
    else by reading those columns of the file again in order (only a file with such rows)."""
    condition = " or ".join(f"{ident(end)} < {ident(start)}" for start, end in spans)
    numbered = stage_name("typed")
    if prepared.person_level:
        query = f"create temp table {ident(numbered)} as select * from {ident(view)} where {condition}"
        con.execute(query)
        return numbered
    wanted = {column for span in spans for column in span}
    cells = ", ".join(f"c{index} as {ident(name)}" for index, name in prepared.picks if name in wanted)
    query = (
        f"create temp table {ident(numbered)} as select * from (select row_number() over () + 1 as _row, {cells} "
        f"from {_reader(prepared)}) where {condition}"
    )
    with _setting(con, "preserve_insertion_order", True):  # row_number() over () in the file's order
        con.execute(query, {"path": params["path"], "delim": params["delim"]})
    return numbered


@contextlib.contextmanager
def _setting(con: duckdb.DuckDBPyConnection, name: str, value: bool) -> Iterator[None]:
    """A boolean DuckDB setting for the body's queries (`name` is ours, not a file's)."""
    previous = con.execute("select current_setting(?)", [name]).fetchall()[0][0]
    statement = f"set {name} = ?"  # a setting name of ours; the value is bound
    con.execute(statement, [bool(value)])
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # a failed transaction: `session` restores it after
            con.execute(statement, [bool(previous)])


def _replace_earlier(
    con: duckdb.DuckDBPyConnection, table: Table, view: str, import_id: str
) -> replaced.Replaced:
    """Keep aside, then delete, the rows of earlier imports whose key the file holds (the
    upsert's `replaced.keep` and delete: undo puts them back)."""
    target = ident(table.name)
    query = f"select exists (select 1 from {target} where import_id is distinct from $import_id)"
    if not con.execute(query, {"import_id": import_id}).fetchall()[0][0]:
        return replaced.Replaced()
    kept = replaced.keep(con, table, f"temp.{ident(view)}", import_id)
    match = " and ".join(f"s.{ident(k)} = t.{ident(k)}" for k in table.key)
    query = (
        f"delete from {target} t where t.import_id is distinct from $import_id "
        f"and exists (select 1 from {ident(view)} s where {match})"
    )
    con.execute(query, {"import_id": import_id})
    return kept


def check_rows(path: str | os.PathLike, written: Written) -> None:
    """NotClean when a warning lists rows that may not be numbered as a spreadsheet numbers
    them. Rows are numbered by their order in the file, which is the spreadsheet's unless a
    blank line (a row in a spreadsheet, skipped by the reader) came before. A quoted line
    break does not start a row; a record with no value stops the fast path (`write`).
    As many lines as rows, or no blank line: the numbers stand (read's own rule)."""
    if not any(w.rows for w in written.warnings):
        return
    if _line_count(Path(path)) - 1 != written.rows and _has_blank_line(Path(path)):
        raise NotClean("a blank line may have moved the rows a warning lists")


def drop_view(con: duckdb.DuckDBPyConnection, written: Written | None) -> None:
    if written is not None:
        with contextlib.suppress(duckdb.Error):
            query = f"drop view if exists temp.{ident(written.checked.name)}"  # our own view's name
            con.execute(query)
