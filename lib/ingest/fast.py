"""The fast path for a clean canonical CSV file: one typed read, straight into its table.

SPEC §9 asks a clean 1M-row canonical CSV to import within 1.3× of DuckDB's own
`read_csv` of it into a table. The general path (lib/ingest/read.py, validate.py) hashes
the file, stages every cell as text, casts and checks the text into a typed temporary
table, then inserts from it: four passes over a million rows. Here a canonical template
is read once, inside the import's transaction, by DuckDB's strict CSV reader straight
into typed columns (the types from lib/tables.py) and inserted into its table, each value
checked on the way by the rule `validate.check` applies to it; the file is hashed,
checked for damaged text and copied to `uploads/` on another thread meanwhile
(`Keeper`). What an upsert does with a staged table is then done on the rows just
written: deduplication is refused (see below), team names are respelled as the teams
table spells them, rows of earlier imports with the same keys are deleted, warnings
(spans that run backwards) are listed, a person-level table's minimised copy is written.

It writes the same rows as the general path or nothing: whenever the file is anything
but clean, `write` raises `NotClean`, the caller rolls the transaction back and imports
the file by the general path from the start, so every refusal still names the row,
column and value, and every interpretation is the one parser's. `prepare` gives None
(general path at once) for a file that is not a canonical template, is a workbook or
JSON, is not UTF-8 (a byte-order mark at the start is fine), has lone-CR line ends, an
Excel `sep=` line or a column given twice. `write` raises NotClean when:

- DuckDB's strict reader refuses a record (its shape), or a value does not read as its
  column's type;
- a value would be a problem (`validate._checks`): a date outside the plausible range
  (1990 to a year ahead), an unknown choice, a number out of range, not finite or not
  whole, a required value missing, a boolean none of the accepted words (each checked
  by an `error()` in the insert, which aborts it);
- two rows of the file share a key (the general path keeps the later, with a warning).
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

import codecs
import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lib.ingest import dates, records
from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.plan import _candidates, _refuse_repeated_columns
from lib.ingest.read import (
    _SEP_LINE,
    CHUNK,
    SAMPLE_CHARS,
    _bom_encoding,
    _sample_records,
    ident,
    sniff_delimiter,
    stage_name,
)
from lib.ingest.report import ImportWarning
from lib.ingest.validate import Checked, _bounds, _raw, _Sql, _typed, backward_spans
from lib.tables import PERSON_LEVEL, Column, Table

_NOT_CSV = (".json", ".ndjson", ".jsonl", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_READ_AS = {"timestamp": "TIMESTAMPTZ", "double": "DOUBLE", "integer": "DOUBLE"}
_IMPORT_ID = re.compile(r"^[0-9a-f]{32}$")
INCOMING = ".incoming-"  # what lib.store.clean_partial_files removes after a killed import
_READ_OPTIONS = records.READ_OPTIONS.replace("all_varchar = true, ", "")


class NotClean(Exception):
    """The file needs the general path (the reason, for a reader of the code, not a user)."""


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


@dataclass(frozen=True)
class Written:
    """What `write` put in the table: `rows` (one per key), the warnings, and `checked`, a
    view of the rows written shaped as `validate.check`'s typed table (`_row` + columns)."""

    rows: int
    warnings: tuple[ImportWarning, ...]
    checked: Checked


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
    except Exception:  # noqa: BLE001 (only a probe: the general path meets the same and reports it)
        return None
    return Prepared(source, fmt.name, table, tuple(fmt.picks(source)))


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


# ---------------------------------------------------------------------------- the bytes


@dataclass
class Scan:
    """What one pass over the file's bytes found."""

    sha256: str = ""
    lines: int = 0  # line breaks, plus one for a last line without one
    clean: bool = True  # UTF-8, no NUL byte, no byte-order mark after the start
    error: BaseException | None = None


def scan_bytes(path: Path, out: Scan) -> Scan:
    """Hash the file, count its lines and check that it is clean UTF-8 text. Chunks of
    ASCII, the usual case, are only hashed and counted."""
    hasher = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, last, tail, first = 0, b"\n", b"", True
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK * 4):
            hasher.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            if b"\x00" in chunk:
                out.clean = False
            if out.clean and not (chunk.isascii() and not decoder.getstate()[0]):
                start = 3 if first and chunk.startswith(codecs.BOM_UTF8) else 0
                split = not first and codecs.BOM_UTF8 in tail + chunk[:2]  # a mark across two chunks
                if split or chunk.find(codecs.BOM_UTF8, start) >= 0:
                    out.clean = False
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    out.clean = False
            tail, first = chunk[-2:], False
    if out.clean:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            out.clean = False
    out.sha256 = hasher.hexdigest()
    out.lines = lines + (last != b"\n")
    return out


class Keeper:
    """On a thread, while DuckDB reads the file: copy it into `copy_dir` under a temporary
    name (the kernel copies: `shutil.copyfile`), then hash and check it (`scan_bytes`).
    Without `copy_dir` (a file about people, never kept as uploaded) it only hashes."""

    def __init__(self, path: str | os.PathLike, copy_dir: Path | None):
        self.path = Path(path)
        self.copy: Path | None = None
        self.scan = Scan()
        self._thread = threading.Thread(target=self._run, args=(copy_dir,), name="pillars-keep-upload")
        self._thread.start()

    def _run(self, copy_dir: Path | None) -> None:
        try:
            if copy_dir is not None:
                copy_dir.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(dir=copy_dir, prefix=INCOMING)
                os.close(fd)
                self.copy = Path(name)
                shutil.copyfile(self.path, self.copy)
            scan_bytes(self.path, self.scan)
        except BaseException as exc:  # the importer then takes the general path, which reports it
            self.scan.error = exc

    def result(self) -> Scan:
        """Wait for the thread; NotClean when the file is not clean text or could not be read."""
        self._thread.join()
        if self.scan.error is not None:
            raise NotClean(f"the file could not be kept: {self.scan.error}")
        if not self.scan.clean:
            raise NotClean("not clean UTF-8 text")
        return self.scan

    def keep(self, target: Path) -> None:
        """Move the copy to `target` (content-addressed: an existing one is the same bytes)."""
        self._thread.join()
        if self.copy is None:
            return
        if target.exists() or target.resolve() == self.path.resolve():
            self.copy.unlink(missing_ok=True)
        else:
            os.replace(self.copy, target)
        self.copy = None

    def discard(self) -> None:
        """Wait for the thread and delete a copy not kept."""
        self._thread.join()
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)
            self.copy = None


# ---------------------------------------------------------------------------- the write


@dataclass
class _Insert:
    sql: _Sql
    cells: list[str] = field(default_factory=list)  # level 1: the cell, typed or as validate._raw gives it
    values: list[str] = field(default_factory=list)  # level 2: the stored value, or error()
    columns: list[str] = field(default_factory=list)


def _guarded(column: Column, value: str, ok: str | None, cell: str) -> str:
    """`value` when the cell is empty (null; an error when required) or `ok` holds, else an error."""
    empty = "error('fast path: a required value is missing')" if column.required else "null"
    check = (
        f"when {ok} then {value} else error('fast path: a problem in {column.name}')"
        if ok
        else f"else {value}"
    )
    return f"case when {cell} is null then {empty} {check} end"


def _insert_sql(prepared: Prepared, options: ImportOptions, salt_value: str | None) -> _Insert:
    """The cells of the file and the value stored for each, by `validate.check`'s rules."""
    table, sql = prepared.table, _Sql(salt_value)
    out = _Insert(sql)
    low, high = dates.plausible_range()
    epoch, micro = dt.datetime(1970, 1, 1), dt.timedelta(microseconds=1)
    span_us: list[str] = []  # bound once, when a timestamp column needs them
    hints = dates.DateHints()
    for index, name in prepared.picks:
        column = table.column(name)
        cell = ident(name)
        typed_read = column.type in _READ_AS
        out.cells.append(f"{f'c{index}' if typed_read else _raw(column, f'c{index}')} as {cell}")
        out.columns.append(cell)
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
            value = _typed(sql, table, column, cell, salt_value is not None, hints, options.date_order)
            if column.type == "date":
                ok = f"{value} between {sql.bind(low)} and {sql.bind(high)}"
            elif column.type == "boolean":
                ok = f"{value} is not null"
            elif column.choices:
                ok = f"list_contains({sql.bind(list(column.choices))}, {value})"
            else:
                ok = None
        out.values.append(f"{_guarded(column, value, ok, cell)} as {cell}")
    return out


@contextlib.contextmanager
def time_zone(con: duckdb.DuckDBPyConnection, tz: str) -> Iterator[None]:
    """The session's TimeZone set to the file's for the import (values without an offset are
    read in it), restored after; put it around the transaction, so it is restored after a
    rollback too."""
    previous = con.execute("select current_setting('TimeZone')").fetchall()[0][0]
    con.execute("set TimeZone = ?", [tz])
    try:
        yield
    finally:
        con.execute("set TimeZone = ?", [previous])


def write(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    options: ImportOptions,
    salt_value: str,
    import_id: str,
) -> Written:
    """Read the file into its table, tagged `import_id`, and do the rest of the upsert (the
    module doc); call inside the import's transaction, within `time_zone`. NotClean when the file needs the
    general path (the caller rolls back)."""
    if not _IMPORT_ID.match(import_id):
        raise ValueError(f"not an import id: {import_id!r}")
    table = prepared.table
    target = ident(table.name)
    build = _insert_sql(prepared, options, salt_value)
    width = len(prepared.source.headers)
    read_as = {index: _READ_AS.get(table.column(name).type, "VARCHAR") for index, name in prepared.picks}
    types = "{" + ", ".join(f"'c{i}': '{read_as.get(i, 'VARCHAR')}'" for i in range(width)) + "}"
    anything = " or ".join(f"{cell} is not null" for cell in build.columns)
    query = (
        f"insert into {target} ({', '.join(build.columns)}, import_id) "
        f"select {', '.join(build.values)}, $import_id from ("
        f"select {', '.join(build.cells)} from read_csv($path, delim = $delim, {_READ_OPTIONS}, columns = {types})"
        f") where {anything}"
    )
    params = {**build.sql.params, "import_id": import_id, "path": str(prepared.source.path)}
    params["delim"] = prepared.source.delimiter
    try:
        con.execute(query, params)
    except duckdb.Error as exc:
        raise NotClean(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc
    # The rows just written, numbered as the file's rows (inserted in the file's order).
    view = stage_name("typed")
    mine = f"{target} where import_id = '{import_id}'"  # our own hex id, checked above
    query = f"create temp view {ident(view)} as select rowid - (select min(rowid) from {mine}) + 2 as _row, * from {mine}"
    con.execute(query)
    keys = ", ".join(ident(k) for k in table.key)
    distinct = f"count(distinct {keys})" if len(table.key) == 1 else f"count(distinct ({keys}))"
    query = f"select count(*), {distinct} from {target} where import_id = $import_id"
    rows, distinct_rows = con.execute(query, {"import_id": import_id}).fetchall()[0]
    if distinct_rows < rows:
        raise NotClean("two rows of the file share a key")
    present = set(prepared.supplied)
    warnings = tuple(backward_spans(con, table, present, view))
    if "team" in present and table.name != "teams":
        _respell_teams(con, table, import_id)
    _replace_earlier(con, table, view, import_id)
    return Written(rows, warnings, Checked(table, view, rows, (), 0, warnings, options.date_order, rows))


def _respell_teams(con: duckdb.DuckDBPyConnection, table: Table, import_id: str) -> None:
    """`payments` becomes `Payments` when the teams table spells it so (load.py's rule)."""
    target = ident(table.name)
    canon = "select lower(trim(team)) as k, min(team) as team from teams group by all having count(distinct team) = 1"
    query = (
        f"select count(*) from (select distinct team from {target} where import_id = $import_id) s "
        f"join ({canon}) c on c.k = lower(trim(s.team)) and c.team <> s.team"
    )
    if con.execute(query, {"import_id": import_id}).fetchall()[0][0]:
        query = (
            f"update {target} set team = c.team from ({canon}) c "
            f"where {target}.import_id = $import_id and c.k = lower(trim({target}.team))"
        )
        con.execute(query, {"import_id": import_id})


def _replace_earlier(con: duckdb.DuckDBPyConnection, table: Table, view: str, import_id: str) -> None:
    """Delete the rows of earlier imports whose key the file holds (the upsert's delete)."""
    target = ident(table.name)
    query = f"select exists (select 1 from {target} where import_id is distinct from $import_id)"
    if not con.execute(query, {"import_id": import_id}).fetchall()[0][0]:
        return
    match = " and ".join(f"s.{ident(k)} = t.{ident(k)}" for k in table.key)
    query = (
        f"delete from {target} t where t.import_id is distinct from $import_id "
        f"and exists (select 1 from {ident(view)} s where {match})"
    )
    con.execute(query, {"import_id": import_id})


def check_rows(scan: Scan, written: Written) -> None:
    """NotClean when a warning lists rows that may not be the spreadsheet's: rows are
    numbered by their order in the file, right when each record is one line; a blank line,
    a record with no value (both rows in a spreadsheet, skipped here) or a quoted line break
    make the lines differ from the rows (the general path then numbers them record by record)."""
    if scan.lines - 1 != written.rows and any(w.rows for w in written.warnings):
        raise NotClean("rows a warning lists may not be numbered as a spreadsheet does")


def drop_view(con: duckdb.DuckDBPyConnection, written: Written | None) -> None:
    if written is not None:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"drop view if exists temp.{ident(written.checked.name)}")
