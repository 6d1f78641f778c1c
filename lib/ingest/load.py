"""Load files: detect, stage, validate, then upsert in one transaction per file.

The rules (docs/IMPORT.md): every staged table of a file is validated before anything is
written; any problem rejects the whole file. A loaded file's rows are pseudonymised,
deduplicated on the table key (the last row of the file wins) and upserted (existing
rows with the same key are kept aside in `replaced_rows` and deleted, then the new ones
inserted), each carrying the import's id. A file whose exact bytes an import that stands
already loaded changes nothing (`ImportResult.already`). A rejected file is logged in
`imports` with status 'rejected' after the rollback, so the Data page can list it; no
canonical table changes, and no copy of it is kept. The import log, and undoing an
import, are lib/ingest/import_log.py.

The original upload, or a person-level file's minimised copy, is kept beside the
database before the import commits (lib/ingest/uploads.py), so any import can be
replayed (`replay_import`).

Messages are printable text only (lib.privacy.printable): a file name or a header from
a file never sends control characters or escape sequences to a terminal or a page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from lib.ingest import fast_import, fast_prepare, import_log, replaced, team_spelling
from lib.ingest.choices import (  # noqa: F401 (re-exported: the import API lives here)
    LayoutChoice,
    layout_choice,
    options_for,
    remember_layout,
    save_jira_rules,
)
from lib.ingest.dates import ORDERS
from lib.ingest.detect import UnrecognisedFile
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.plan import date_order_hint, home_dir, plan_sources
from lib.ingest.preview import Inspection, Preview, inspect_file, preview_file  # noqa: F401 (re-exported)
from lib.ingest.read import (
    MalformedFile,
    UnreadableFile,
    discard_copy,
    drop_staging,
    ident,
    read_sources,
    stage_name,
)
from lib.ingest.report import merge
from lib.ingest.result import Changes, Earlier, ImportResult  # noqa: F401 (re-exported)
from lib.ingest.uploads import MINIMISED, copy_into, forget_upload, keep_minimised, upload_path, uploads_dir
from lib.ingest.validate import Checked, Problem, ValidationError
from lib.privacy import printable, salt
from lib.tables import PERSON_LEVEL

MESSAGE_CHARS = 1000  # a refusal is cut to this many characters (its problems are listed in full)


def _valid_tz(con: duckdb.DuckDBPyConnection, tz: str) -> bool:
    return con.execute("select count(*) from pg_timezone_names() where name = ?", [tz]).fetchall()[0][0] > 0


def _upsert(
    con: duckdb.DuckDBPyConnection, checked: Checked, import_id: str
) -> tuple[int, replaced.Replaced]:
    """Write the file's rows of one table; returns the rows written (one per key) and the
    stored rows they replaced (kept for undo, `lib.ingest.replaced`)."""
    table = checked.table
    target, source = ident(table.name), "temp." + ident(checked.name)
    keys = ", ".join(ident(k) for k in table.key)
    distinct = checked.distinct
    if distinct is None:
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
    if "team" in table.column_names:
        team_spelling.respell(con, source, import_id, keyed="team" in table.key)
    kept = replaced.keep(con, table, source, import_id)  # before the delete: undo restores them
    match = " and ".join(f"t.{ident(k)} = s.{ident(k)}" for k in table.key)
    query = f"delete from {target} t using {source} s where {match}"
    con.execute(query)
    columns = ", ".join(ident(c) for c in table.column_names)
    query = f"insert into {target} ({columns}, import_id) select {columns}, $import_id from {source}"
    con.execute(query, {"import_id": import_id})
    return distinct, kept


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike,
    options: ImportOptions | None = None,
    name: str | None = None,
    *,
    again: bool = False,
    fast_path: bool = True,
) -> ImportResult:
    """Import one file whole or not at all; never raises for a bad file (see `ok`).

    A clean canonical CSV file is read once, straight into its table (lib/ingest/fast.py);
    any other file, and any file the fast path finds not clean, is staged, checked and
    upserted by the general path (`fast_path=False` forces it: the tests compare both).

    A workbook is one file: every sheet with a header row is imported, all in one
    transaction, or none. The date order chosen is remembered for the file's layout
    (`layout_choice`) once it loads.

    A file whose exact bytes (sha256) an import that still stands already loaded changes
    nothing: the result is `ok` with `already` naming that import, and no import is
    logged, so pressing Import twice, or uploading the same export again, never rewrites
    rows (with today's options). `again=True` imports it anyway (`replay_import`).
    `changes` says, per table, how many rows were new, updated or unchanged.
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
                import_log.log_import(
                    con, import_id, [], source_format, name, sources[0].sha256, 0, "rejected"
                )
        return ImportResult(
            False,
            name,
            import_id=import_id if sources else None,
            source_format=source_format,
            sha256=sources[0].sha256 if sources else "",
            errors=(printable(date_order_hint(con, sources, message), MESSAGE_CHARS),),
            problems=problems,
            problem_count=count,
            seconds=time.perf_counter() - began,
            unrecognised=unrecognised,
        )

    if not _valid_tz(con, options.default_tz):
        return rejected(f"{name}: unknown time zone {options.default_tz!r} (use a name such as Europe/Paris)")
    if options.date_order is not None and options.date_order not in ORDERS:
        return rejected(f"{name}: unknown date order {options.date_order!r} (use {', '.join(ORDERS)})")
    quick = fast_prepare.prepare(con, path, name, options) if fast_path else None
    if quick is not None:  # a canonical template: read once, straight into its table (fast.py)
        done = fast_import.import_quick(con, quick, path, name, options, began, again)
        if done is not None:
            return done
    try:
        sources = read_sources(path, name)
    except MalformedFile as exc:
        return rejected(f"{name}: {exc}", exc.problems, exc.count)
    except (UnreadableFile, OSError) as exc:
        return rejected(f"{name}: {exc}")
    # The upload is copied on a thread while DuckDB works; it must be kept before commit. A
    # file with person-level rows is never copied: its minimised copy is written once checked.
    # A workbook's sheets are all known only after the plan, so it is kept only then.
    copier = ThreadPoolExecutor(max_workers=1)
    loaded_ok = False
    kept: list = []

    def keep_original(tables: set[str]) -> None:
        if len(sources) == 1 and not kept and not tables & PERSON_LEVEL:
            kept.append(copier.submit(copy_into, path, upload_path(con, sources[0].sha256, name)))

    def skipped(earlier: Earlier) -> ImportResult:
        return ImportResult(
            True,
            name,
            source_format=None,
            sha256=sources[0].sha256,
            seconds=time.perf_counter() - began,
            already=earlier,
        )

    try:
        earlier = None if again else import_log.earlier_import(con, sources[0].sha256)
        if earlier:
            loaded_ok = True  # nothing to forget: the earlier import keeps its copy
            return skipped(earlier)
        plan = plan_sources(con, sources, options, salt(home_dir(con)), on_read=keep_original)
        formats = plan.formats
        if plan.person_level:
            parts: dict[str, int] = {}
            for c, columns in zip(plan.checked, plan.supplied, strict=True):
                parts[c.table.name] = parts.get(c.table.name, 0) + 1
                keep_minimised(con, c, columns, sources[0].sha256, parts[c.table.name])
        elif not kept:
            copy_into(path, upload_path(con, sources[0].sha256, name))
        for future in kept:
            future.result()
        with import_log.WRITE_LOCK:
            earlier = None if again else import_log.earlier_import(con, sources[0].sha256)
            if earlier:  # the same bytes loaded by another session meanwhile
                loaded_ok = True
                return skipped(earlier)
            con.execute("begin transaction")
            try:
                loaded: dict[str, int] = {}
                changes: dict[str, Changes] = {}
                for c in plan.checked:
                    rows, kept_rows = _upsert(con, c, import_id)
                    loaded[c.table.name] = loaded.get(c.table.name, 0) + rows
                    before = changes.get(c.table.name, Changes())
                    changes[c.table.name] = Changes(
                        before.new + rows - kept_rows.rows,
                        before.updated + kept_rows.updated,
                        before.unchanged + kept_rows.unchanged,
                    )
                source_format = ",".join(dict.fromkeys(formats))
                import_log.log_import(
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
        loaded_ok = True
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
            changes=changes,
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
        if not loaded_ok:  # nothing written from a rejected file, no copy of it kept either
            with contextlib.suppress(OSError, duckdb.Error):
                forget_upload(con, sources[0].sha256)


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
    """Import an upload held in memory (the Data page's file_uploader).

    The bytes go to a private temporary file outside the data folder for the import's
    length; `import_file` keeps the original or its minimised copy."""
    fd, tmp = tempfile.mkstemp(prefix="pillars-upload-", suffix=Path(name).suffix.lower()[:9])
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return import_file(con, tmp, options, name=name)
    finally:
        Path(tmp).unlink(missing_ok=True)


def replay_import(
    con: duckdb.DuckDBPyConnection, import_id: str, options: ImportOptions | None = None
) -> ImportResult:
    """Import a kept upload again (after a fix to a mapping or the time zone); an undone or
    rejected import's upload is no longer kept (FileNotFoundError)."""
    rows = con.execute("select sha256, file_name from imports where import_id = ?", [import_id]).fetchall()
    if not rows:
        raise KeyError(f"no import {import_id}")
    sha256, file_name = rows[0]
    minimised = sorted(uploads_dir(con).glob(f"{sha256}{MINIMISED}*.csv"))
    if minimised:  # a person-level file: replay what was kept of it, table by table
        options = options or options_for(con)
        results = []
        for copy in minimised:
            table = copy.name.split(MINIMISED)[1].split(".")[0]
            name = f"{Path(file_name or 'upload').stem} (minimised {table}).csv"
            results.append(
                import_file(con, copy, dataclasses.replace(options, table_hint=table), name=name, again=True)
            )
        failed = [r for r in results if not r.ok]
        return failed[0] if failed else results[-1]
    kept = upload_path(con, sha256, file_name or "")
    if not kept.exists():
        kept = next(iter(sorted(uploads_dir(con).glob(f"{sha256}.*"))), kept)
    if not kept.exists():
        raise FileNotFoundError(f"the upload of import {import_id} is no longer kept ({kept.name})")
    return import_file(con, kept, options, name=file_name, again=True)
