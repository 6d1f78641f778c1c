"""Load files: detect, stage, validate, then upsert in one transaction per file.

The rules (docs/IMPORT.md): every staged table of a file is validated before anything is
written; any problem rejects the whole file. A loaded file's rows are pseudonymised,
deduplicated on the table key (the last row of the file wins) and upserted (existing
rows with the same key are deleted, then the new ones inserted), each carrying the
import's id. The original upload is kept as `uploads/<sha256>.<ext>` beside the database
so any import can be replayed. A rejected file is logged in `imports` with status
'rejected' after the rollback, so the Data page can list it; no canonical table changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from lib import db
from lib.ingest.dates import ORDERS
from lib.ingest.detect import UnrecognisedFile, detect
from lib.ingest.formats import Format, ImportOptions, SourceFile, all_formats
from lib.ingest.formats.mapped import header_signature, saved_formats
from lib.ingest.read import UnreadableFile, discard_copy, drop_staging, ident, read_sources, stage_name
from lib.ingest.report import ImportWarning, merge
from lib.ingest.validate import MAX_PROBLEMS, Checked, Problem, ValidationError, check, error_message
from lib.privacy import salt
from lib.tables import TABLES

_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")
# Keys are enforced by delete-then-insert, which two concurrent transactions could both
# pass (DuckDB sees no conflict between two inserts), so writes take turns in a process;
# DuckDB itself lets only one process write a database file.
_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    file_name: str
    tables: tuple[str, ...] = ()
    rows: int = 0
    rows_by_table: dict[str, int] = field(default_factory=dict)
    import_id: str | None = None
    source_format: str | None = None
    sha256: str = ""
    errors: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # the first MAX_PROBLEMS, for the validation report
    problem_count: int = 0
    seconds: float = 0.0
    unrecognised: bool = False  # no format matched: offer the column-mapping step
    # What the importer interpreted (lib.ingest.report): listed beside the file's result.
    warnings: tuple[ImportWarning, ...] = ()

    @property
    def table(self) -> str | None:
        return self.tables[0] if self.tables else None

    @property
    def error(self) -> str | None:
        return self.errors[0] if self.errors else None

    def summary(self) -> str:
        """One line: `loaded work_items.csv → work_items: 120 rows (import 3f2a1b2c…)`."""
        if not self.ok:
            return f"rejected {self.error or self.file_name}"
        loaded = ", ".join(f"{t}: {n} rows" for t, n in self.rows_by_table.items()) or "0 rows"
        return f"loaded {self.file_name} → {loaded} (import {(self.import_id or '')[:8]}…)"

    def lines(self) -> list[str]:
        """The summary, then one `  warning: …` line per warning (what the CLI prints)."""
        return [self.summary(), *(f"  warning: {w.describe()}" for w in self.warnings)]


def options_for(
    con: duckdb.DuckDBPyConnection,
    tz: str | None = None,
    table_hint: str | None = None,
    date_order: str | None = None,
) -> ImportOptions:
    """Options from the arguments, else the saved settings (`default_tz`, `type_rules`,
    `jira_rules`), else UTC. A date order is only ever the one given: a remembered
    choice is shown before an import (`layout_choice`), never applied unseen."""
    rules = db.get_setting(con, "type_rules")
    jira = db.get_setting(con, "jira_rules")
    if date_order is not None and date_order not in ORDERS:
        raise ValueError(f"date order {date_order!r}: use one of {', '.join(ORDERS)}")
    return ImportOptions(
        default_tz=tz or db.get_setting(con, "default_tz") or "UTC",
        type_rules=json.loads(rules) if rules else {},
        table_hint=table_hint,
        date_order=date_order,
        jira_rules=json.loads(jira) if jira else {},
    )


def save_jira_rules(con: duckdb.DuckDBPyConnection, rules: dict[str, dict[str, str]]) -> dict:
    """Merge the user's Jira marks into the saved ones (`jira_rules` setting) and return them.

    `rules` is `{"resolutions": {name: "done" | "dropped"}, "statuses": {name: "done" |
    "dropped" | "open"}}`; raises ValueError for any other mark (formats/jira.py checks).
    """
    from lib.ingest.formats.jira import vocabulary

    saved = json.loads(db.get_setting(con, "jira_rules") or "{}")
    for kind in ("resolutions", "statuses"):
        saved.setdefault(kind, {}).update((rules or {}).get(kind) or {})
    vocabulary(saved)  # validates every mark
    db.set_setting(con, "jira_rules", json.dumps(saved, sort_keys=True))
    return saved


@dataclass(frozen=True)
class LayoutChoice:
    """What the user chose for files with these headers (migration 007)."""

    date_order: str | None
    time_zone: str | None
    saved_at: dt.datetime | None


def layout_choice(con: duckdb.DuckDBPyConnection, source: SourceFile) -> LayoutChoice | None:
    """The choice remembered for `source`'s header signature, if any."""
    rows = con.execute(
        "select date_order, time_zone, saved_at from layout_choices where header_signature = ? "
        "order by saved_at desc limit 1",
        [header_signature(source)],
    ).fetchall()
    return LayoutChoice(*rows[0]) if rows else None


def remember_layout(con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions) -> None:
    """Remember the date order (when one was chosen) and time zone used for this layout."""
    signature = header_signature(source)
    previous = layout_choice(con, source)
    order = options.date_order or (previous.date_order if previous else None)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("delete from layout_choices where header_signature = ?", [signature])
    con.execute("insert into layout_choices values (?, ?, ?, ?)", [signature, order, options.default_tz, now])


def home_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder beside the database file (an in-memory database uses the default one)."""
    rows = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    row = rows[0] if rows else None
    return Path(row[0]).resolve().parent if row and row[0] else db.data_dir()


def uploads_dir(con: duckdb.DuckDBPyConnection) -> Path:
    return home_dir(con) / "uploads"


def _upload_path(con: duckdb.DuckDBPyConnection, sha256: str, name: str) -> Path:
    ext = Path(name).suffix.lower()
    return uploads_dir(con) / f"{sha256}{ext if _EXTENSION.match(ext) else '.csv'}"


def _copy_into(path: str | os.PathLike, target: Path) -> Path:
    if target.exists() or Path(path).resolve() == target.resolve():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    os.close(fd)
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)
    return target


def keep_upload(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, sha256: str, name: str) -> Path:
    """Copy the original bytes to `uploads/<sha256>.<ext>` (once; content-addressed)."""
    return _copy_into(path, _upload_path(con, sha256, name))


def _valid_tz(con: duckdb.DuckDBPyConnection, tz: str) -> bool:
    return con.execute("select count(*) from pg_timezone_names() where name = ?", [tz]).fetchall()[0][0] > 0


def _upsert(con: duckdb.DuckDBPyConnection, checked: Checked, import_id: str) -> int:
    table = checked.table
    target, source = ident(table.name), "temp." + ident(checked.name)
    keys = ", ".join(ident(k) for k in table.key)
    query = f"select count(*) from (select distinct {keys} from {source})"
    (distinct,) = con.execute(query).fetchall()[0]
    if distinct < checked.rows:  # duplicates within the file: the last row wins
        deduped = stage_name("dedup")
        query = (
            f"create temp table {ident(deduped)} as select * from {source} "
            f"qualify row_number() over (partition by {keys} order by _row desc) = 1"
        )
        con.execute(query)
        source = "temp." + ident(deduped)
    if "team" in table.column_names and table.name != "teams":
        _spell_teams_as_the_teams_table(con, source)
    match = " and ".join(f"t.{ident(k)} = s.{ident(k)}" for k in table.key)
    query = f"delete from {target} t using {source} s where {match}"
    con.execute(query)
    columns = ", ".join(ident(c) for c in table.column_names)
    query = f"insert into {target} ({columns}, import_id) select {columns}, $import_id from {source}"
    con.execute(query, {"import_id": import_id})
    return distinct


def _spell_teams_as_the_teams_table(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """`payments` from Jira becomes `Payments` when that is how the teams table spells it, so
    a team filter finds every tool's rows. Only case and surrounding spaces are forgiven."""
    canon = "select lower(trim(team)) as k, min(team) as team from teams group by all having count(distinct team) = 1"
    query = (
        f"select count(*) from (select distinct team from {source}) s join ({canon}) c "
        "on c.k = lower(trim(s.team)) and c.team <> s.team"
    )
    if con.execute(query).fetchall()[0][0]:
        query = f"update {source} s set team = c.team from ({canon}) c where c.k = lower(trim(s.team))"
        con.execute(query)


def _log(
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
class _Plan:
    """What a file (or each sheet of a workbook) would write, before anything is written."""

    formats: list[str] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # only when not strict
    problem_count: int = 0
    label: str = ""  # the source the first problem is in


def _plan(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    options: ImportOptions,
    salt_value: str | None,
    strict: bool = True,
) -> _Plan:
    """Detect, read and check every source; a workbook's unrecognised sheet is skipped with a
    warning when another sheet is recognised. Raises UnrecognisedFile, and ValidationError
    for any problem when `strict` (else the problems are kept on the plan)."""
    plan, skipped = _Plan(), []
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


def _date_order_hint(con: duckdb.DuckDBPyConnection, sources: list[SourceFile], message: str) -> str:
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


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import one file whole or not at all; never raises for a bad file (see `ok`).

    A workbook is one file: every sheet with a header row is imported, all in one
    transaction, or none. The date order and time zone used are remembered for the
    file's layout (`layout_choice`) once it loads.
    """
    began = time.perf_counter()
    options = options or options_for(con)
    name = name or Path(path).name
    import_id = uuid.uuid4().hex
    sources: list[SourceFile] = []
    formats: list[str] = []

    def rejected(
        message: str, problems: tuple[Problem, ...] = (), count: int = 0, unrecognised: bool = False
    ) -> ImportResult:
        source_format = ",".join(dict.fromkeys(formats)) or None
        if sources:
            with contextlib.suppress(duckdb.Error):  # the log is a courtesy; the rejection stands
                _log(con, import_id, [], source_format, name, sources[0].sha256, 0, "rejected")
        return ImportResult(
            False,
            name,
            import_id=import_id if sources else None,
            source_format=source_format,
            sha256=sources[0].sha256 if sources else "",
            errors=(_date_order_hint(con, sources, message),),
            problems=problems,
            problem_count=count,
            seconds=time.perf_counter() - began,
            unrecognised=unrecognised,
        )

    if not _valid_tz(con, options.default_tz):
        return rejected(f"{name}: unknown time zone {options.default_tz!r} (use a name such as Europe/Paris)")
    if options.date_order is not None and options.date_order not in ORDERS:
        return rejected(f"{name}: unknown date order {options.date_order!r} (use {', '.join(ORDERS)})")
    try:
        sources = read_sources(path, name)
    except (UnreadableFile, OSError) as exc:
        return rejected(f"{name}: {exc}")
    # The upload is copied on a thread while DuckDB works; it must be kept before commit.
    copier = ThreadPoolExecutor(max_workers=1)
    try:
        kept = copier.submit(_copy_into, path, _upload_path(con, sources[0].sha256, name))
        plan = _plan(con, sources, options, salt(home_dir(con)))
        formats = plan.formats
        kept.result()
        with _WRITE_LOCK:
            con.execute("begin transaction")
            try:
                loaded: dict[str, int] = {}
                for c in plan.checked:
                    loaded[c.table.name] = loaded.get(c.table.name, 0) + _upsert(con, c, import_id)
                source_format = ",".join(dict.fromkeys(formats))
                _log(
                    con,
                    import_id,
                    loaded,
                    source_format,
                    name,
                    sources[0].sha256,
                    sum(loaded.values()),
                    "loaded",
                )
                for source in plan.sources:
                    remember_layout(con, source, options)
                con.execute("commit")
            except Exception:
                con.execute("rollback")
                raise
        return ImportResult(
            True,
            name,
            tables=tuple(loaded),
            rows=sum(loaded.values()),
            rows_by_table=loaded,
            import_id=import_id,
            source_format=source_format,
            sha256=sources[0].sha256,
            seconds=time.perf_counter() - began,
            warnings=merge(plan.warnings),
        )
    except UnrecognisedFile as exc:
        return rejected(str(exc), unrecognised=True)
    except ValidationError as exc:
        return rejected(str(exc), exc.problems, exc.count)
    except duckdb.Error as exc:
        return rejected(f"{name}: not loaded: {str(exc).strip().splitlines()[0]}")
    except OSError as exc:
        return rejected(f"{name}: not loaded: the upload could not be kept ({exc})")
    finally:
        copier.shutdown(wait=True)
        drop_staging(con)
        for source in sources:
            discard_copy(source, path)


def import_files(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | os.PathLike],
    options: ImportOptions | None = None,
) -> list[ImportResult]:
    """Each file in its own transaction; one rejected file does not stop the others."""
    options = options or options_for(con)
    return [import_file(con, p, options) for p in paths]


def import_bytes(
    con: duckdb.DuckDBPyConnection, data: bytes, name: str, options: ImportOptions | None = None
) -> ImportResult:
    """Import an upload held in memory (the Data page's file_uploader)."""
    target = _upload_path(con, hashlib.sha256(data).hexdigest(), name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    return import_file(con, target, options, name=name)


@dataclass(frozen=True)
class Preview:
    """What an import would do, without writing: for the Data page's preview step."""

    file_name: str
    headers: tuple[str, ...] = ()
    source_format: str | None = None
    rows_by_table: dict[str, int] = field(default_factory=dict)
    samples: dict[str, pd.DataFrame] = field(default_factory=dict)  # first rows as they would be stored
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    error: str | None = None
    candidates: tuple[tuple[str, float, tuple[str, ...]], ...] = ()  # when unrecognised
    warnings: tuple[ImportWarning, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and self.problem_count == 0


def preview_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
    limit: int = 20,
) -> Preview:
    options = options or options_for(con)
    name = name or Path(path).name
    try:
        sources = read_sources(path, name)
    except (UnreadableFile, OSError) as exc:
        return Preview(name, error=f"{name}: {exc}")
    headers = sources[0].headers
    try:
        plan = _plan(con, sources, options, salt(home_dir(con)), strict=False)
        samples = {}
        for c in plan.checked:
            columns = ", ".join(["_row", *(ident(n) for n in c.table.column_names)])
            query = f"select {columns} from temp.{ident(c.name)} order by _row limit ?"
            samples[c.table.name] = con.execute(query, [limit]).df()
        error = None
        if plan.problem_count:
            message = error_message(plan.label, plan.problems, plan.problem_count)
            error = _date_order_hint(con, sources, message)
        return Preview(
            name,
            headers,
            ",".join(dict.fromkeys(plan.formats)),
            {c.table.name: c.rows for c in plan.checked},
            samples,
            tuple(plan.problems[:MAX_PROBLEMS]),
            plan.problem_count,
            error,
            warnings=merge(plan.warnings),
        )
    except UnrecognisedFile as exc:
        return Preview(name, headers, error=str(exc), candidates=exc.candidates)
    except ValidationError as exc:
        message = _date_order_hint(con, sources, str(exc))
        return Preview(name, headers, problems=exc.problems, problem_count=exc.count, error=message)
    except duckdb.Error as exc:
        return Preview(name, headers, error=f"{name}: {str(exc).strip().splitlines()[0]}")
    finally:
        drop_staging(con)
        for source in sources:
            discard_copy(source, path)


@dataclass(frozen=True)
class Inspection:
    """What the Data page shows before a file is imported, with what was detected filled in.

    date_order_status: "none" (no numeric day/month dates), "tool" (the tool writes one
      order), "values" (only one order reads every value), "ambiguous" (the user must
      choose), or "chosen" (the options carried one);
    date_order: the order detected or chosen (None when ambiguous or not needed);
    date_order_note: why, in words (the warning or the refusal);
    remembered: the choice saved for this layout (shown pre-filled, never applied unseen);
    jira: for a Jira export, (kind, name, issues, mark) per resolution and status in the
      file, kind "resolution" or "status", mark done / dropped / open / unknown.
    """

    file_name: str
    source_format: str | None = None
    signature: str = ""
    date_order_status: str = "none"
    date_order: str | None = None
    date_order_note: str = ""
    remembered: LayoutChoice | None = None
    warnings: tuple[ImportWarning, ...] = ()
    error: str | None = None
    jira: tuple[tuple[str, str, int, str], ...] = ()


def inspect_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
) -> Inspection:
    """Read a file as an import would (nothing written) to say what its options should be."""
    options = options or options_for(con)
    name = name or Path(path).name
    try:
        sources = read_sources(path, name)
    except (UnreadableFile, OSError) as exc:
        return Inspection(name, error=f"{name}: {exc}")
    first = sources[0]
    remembered = layout_choice(con, first)
    base = {"signature": header_signature(first), "remembered": remembered}
    try:
        plan = _plan(con, sources, options, None)
        jira = ()
        if "jira" in plan.formats:
            from lib.ingest.formats.jira import vocabulary_in_file

            jira = tuple(vocabulary_in_file(first, options))
    except UnrecognisedFile as exc:
        return Inspection(name, error=str(exc), **base)
    except ValidationError as exc:
        refusal = next((p for p in exc.problems if "--date-order" in p.reason), None)
        if refusal:
            return Inspection(
                name,
                date_order_status="ambiguous",
                date_order_note=f"row {refusal.row}, column {refusal.column}: {refusal.value!r} {refusal.reason}",
                error=None,
                **base,
            )
        return Inspection(name, error=str(exc), **base)
    except duckdb.Error as exc:
        return Inspection(name, error=f"{name}: {str(exc).strip().splitlines()[0]}", **base)
    finally:
        drop_staging(con)
        for source in sources:
            discard_copy(source, path)
    warnings = merge(plan.warnings)
    order_warning = next((w for w in warnings if w.code == "date_order"), None)
    if options.date_order:
        status, order, note = "chosen", options.date_order, ""
    elif order_warning:
        status = "values" if "no date order was set" in order_warning.message else "tool"
        order, note = order_warning.detail or None, order_warning.message
    else:
        status, order, note = "none", None, ""
    return Inspection(
        name, ",".join(dict.fromkeys(plan.formats)), base["signature"], status, order, note, remembered, warnings,
        None, jira,
    )  # fmt: skip


def undo_import(con: duckdb.DuckDBPyConnection, import_id: str) -> int:
    """Delete every row the import wrote, in one transaction; returns the rows deleted.

    Rows the import had replaced (same key, earlier import) are not restored: replay that
    earlier import to bring them back.
    """
    if not con.execute("select count(*) from imports where import_id = ?", [import_id]).fetchall()[0][0]:
        raise KeyError(f"no import {import_id}")
    with _WRITE_LOCK:
        return _undo(con, import_id)


def _undo(con: duckdb.DuckDBPyConnection, import_id: str) -> int:
    con.execute("begin transaction")
    try:
        deleted = 0
        for table in TABLES:
            query = f"delete from {ident(table)} where import_id = ?"
            deleted += con.execute(query, [import_id]).fetchall()[0][0]
        con.execute(
            "update imports set status = 'undone' where import_id = ? and status = 'loaded'", [import_id]
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return deleted


def replay_import(
    con: duckdb.DuckDBPyConnection, import_id: str, options: ImportOptions | None = None
) -> ImportResult:
    """Import a kept upload again (after a fix to a mapping, the time zone, or an undo)."""
    rows = con.execute("select sha256, file_name from imports where import_id = ?", [import_id]).fetchall()
    if not rows:
        raise KeyError(f"no import {import_id}")
    sha256, file_name = rows[0]
    kept = _upload_path(con, sha256, file_name or "")
    if not kept.exists():
        kept = next(iter(sorted(uploads_dir(con).glob(f"{sha256}.*"))), kept)
    if not kept.exists():
        raise FileNotFoundError(f"the upload of import {import_id} is no longer kept ({kept.name})")
    return import_file(con, kept, options, name=file_name)


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first."""
    return con.execute(
        'select import_id, imported_at, file_name, "table", source_format, rows, status, sha256 '
        "from imports order by imported_at desc"
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
