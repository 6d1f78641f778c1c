"""`import_file` by the fast path: one transaction around `fast.write` (lib/ingest/fast.py).

The file is read straight into its table while `fast_keeper.Keeper` copies and hashes
it on another thread. Bytes an import that stands already loaded roll the read back
unseen (the result names that import, as the general path's does); otherwise the
numbering of the rows a warning lists is checked, the original or its minimised copy is
kept (lib/ingest/uploads.py), the import is logged and its layout remembered, and the
transaction commits. Whenever the file turns out not to be clean, the read is rolled
back, anything kept of it goes, and `lib.ingest.load.import_file` takes the general path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
import uuid

import duckdb

from lib.ingest import fast, fast_keeper, fast_prepare, import_log
from lib.ingest.choices import remember_layout
from lib.ingest.formats import ImportOptions
from lib.ingest.plan import home_dir
from lib.ingest.report import merge
from lib.ingest.result import Changes, ImportResult
from lib.ingest.uploads import forget_upload, keep_minimised, upload_path, uploads_dir
from lib.privacy import salt


def import_quick(
    con: duckdb.DuckDBPyConnection,
    quick: fast_prepare.Prepared,
    path: str | os.PathLike,
    name: str,
    options: ImportOptions,
    began: float,
    again: bool = False,
) -> ImportResult | None:
    """`import_file` for a canonical template by the fast path, or None when the file needs
    the general path (nothing written, nothing kept: the general path starts afresh). The
    file's hash is known only once it is read (on the keeper's thread), so bytes an import
    that stands already loaded are found then, and the read is rolled back unseen."""
    import_id = uuid.uuid4().hex
    keeper = fast_keeper.Keeper(path, None if quick.person_level else uploads_dir(con))
    written: fast.Written | None = None
    sha256 = ""
    try:
        with import_log.WRITE_LOCK, fast.session(con, quick, options):
            con.execute("begin transaction")
            try:
                written = fast.write(con, quick, options, salt(home_dir(con)), import_id)
                scan = keeper.result()
                sha256 = scan.sha256
                earlier = None if again else import_log.earlier_import(con, sha256)
                if earlier:  # the same bytes loaded before: nothing changes (as the general path)
                    con.execute("rollback")
                    return ImportResult(
                        True, name, source_format=None, sha256=sha256,
                        seconds=time.perf_counter() - began, already=earlier,
                    )  # fmt: skip
                fast.check_rows(path, written)
                source = dataclasses.replace(quick.source, sha256=sha256)
                if quick.person_level:
                    keep_minimised(con, written.checked, quick.supplied, sha256)
                else:
                    keeper.keep(upload_path(con, sha256, name))
                loaded = {quick.table.name: written.rows}
                import_log.log_import(
                    con, import_id, loaded, quick.format_name, name, sha256, written.rows, "loaded"
                )
                remember_layout(con, source, options)
                con.execute("commit")
            except BaseException as exc:
                con.execute("rollback")
                if isinstance(exc, fast.NotClean | duckdb.Error | OSError):
                    if sha256:  # a minimised copy written before the rollback
                        with contextlib.suppress(OSError, duckdb.Error):
                            forget_upload(con, sha256)
                    return None
                raise
        return ImportResult(
            True,
            name,
            tables=tuple(loaded),
            rows=written.rows,
            rows_by_table=loaded,
            import_id=import_id,
            source_format=quick.format_name,
            sha256=sha256,
            seconds=time.perf_counter() - began,
            warnings=merge(written.warnings),
            changes={
                quick.table.name: Changes(
                    written.rows - written.replaced.rows, written.replaced.updated, written.replaced.unchanged
                )
            },
        )
    finally:
        keeper.discard()
        fast.drop_view(con, written)
