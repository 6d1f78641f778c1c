"""One database, many processes: the app and the CLI read and write it at the same time.

DuckDB lets one process hold a database file read-write, or any number of processes
hold it read-only, never both at once. So that `streamlit run` and `python -m lib
import` share `data/pillars.duckdb` (issue 16), access is split in two:

- **Writers** (an import, an undo, the demo, a saved setting or mapping; in the app or
  the CLI) take turns through an exclusive `flock` on `<db>.lock`, waiting at most
  `wait` seconds (`$PILLARS_LOCK_WAIT`, default 60). Each opens the file read-write for
  its own work only, and before it closes, publishes a **snapshot**: a checkpoint, a
  copy of the file to `<db>.snapshots/NNNNNN.duckdb`, and `current.json` pointing at it.
- **Readers** (every page, `python -m lib metrics`) open the newest snapshot read-only.
  A page opened during an import reads the snapshot from before it and never waits;
  the first run after the writer finishes (a CLI command's last file, a page's upload)
  reads the new one. A write never waits for a reader.

A database changed without `writing` (an older Pillars, a test that opened the file
itself) is noticed by its size and modification time (and its write-ahead log's), and
re-published by the next reader when no writer is at work. When the lock cannot be had
in time, `Busy` names the process holding it (pid, command, since when) and what to do.

Why snapshots (bench/concurrency.py, figures in bench/RESULTS.md): publishing adds 50–160 ms
to a write on the large organisation's 76 MiB file (a checkpoint and a copy), and nothing
to a read. A connection opened per page request instead (the other candidate) costs
20–140 ms per request, reads with cold buffers, shuts the CLI out while any page reads,
and makes a page opened during an import wait for all of it (2–3 s for 100,000 rows).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib import db
from lib.store_turns import (  # noqa: F401 (re-exported: the writers' turn-taking)
    _POLL_S,
    DEFAULT_WAIT_S,
    Busy,
    Holder,
    _exclusive,
    _open,
    holder,
    lock_file,
    wait_seconds,
)

KEEP_SNAPSHOTS = 3  # the current one and two before it, which other processes may still be opening
_POINTER = "current.json"
_SNAPSHOT = re.compile(r"^(\d{6})\.duckdb$")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """A published read-only copy of the database: `file` to open, `version` to key caches by."""

    file: Path
    version: int


def snapshot_dir(path: str | os.PathLike | None = None) -> Path:
    file = db.db_path(path)
    return file.with_name(file.name + ".snapshots")


def clean_partial_files(path: str | os.PathLike | None = None) -> list[Path]:
    """Delete what a killed writer left half-written: `uploads/.incoming-*` and snapshot temps.

    Only safe while holding the writers' lock (every writer of those files holds it), so
    it runs inside `writing` and `start`. Returns the files removed.
    """
    file = db.db_path(path)
    removed = []
    for pattern_dir, pattern in ((file.parent / "uploads", ".incoming-*"), (snapshot_dir(file), ".*.tmp")):
        for leftover in pattern_dir.glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                removed.append(leftover)
    if removed:
        log.warning("removed %d partial file(s) left by a stopped process: %s", len(removed), removed)
    return removed


def tidy(path: str | os.PathLike | None = None) -> list[Path]:
    """On start (the app's first run, every writer): remove partial files a killed writer
    left, if no writer is at work now (else the one at work does it). Returns them."""
    file = db.db_path(path)
    try:
        with _exclusive(file, "tidying up after a stopped process", 0.0, None):
            return clean_partial_files(file)
    except Busy:
        return []


def _signature(file: Path) -> list:
    """What changes when the database's contents may have: size and mtime of the file and its WAL."""
    out = []
    for part in (file, file.with_name(file.name + ".wal")):
        try:
            stat = part.stat()
            out += [stat.st_size, stat.st_mtime_ns]
        except FileNotFoundError:
            out += [None, None]
    return out


def _pointer(file: Path) -> dict | None:
    try:
        info = json.loads((snapshot_dir(file) / _POINTER).read_text())
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and "version" in info and "file" in info else None


def _fresh(file: Path, pointer: dict | None) -> Snapshot | None:
    if not pointer or pointer.get("source") != _signature(file):
        return None
    snap = snapshot_dir(file) / str(pointer["file"])
    return Snapshot(snap, int(pointer["version"])) if snap.exists() else None


def _publish(con: duckdb.DuckDBPyConnection, file: Path) -> Snapshot:
    """Release the survey waves, checkpoint, copy the file beside it under the next number,
    point `current.json` at it."""
    _release_surveys(con)
    con.execute("checkpoint")
    folder = snapshot_dir(file)
    folder.mkdir(exist_ok=True)
    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := _SNAPSHOT.match(p.name))]
    pointer = _pointer(file) or {}
    version = max([int(pointer.get("version", 0)), *numbers]) + 1
    name = f"{version:06d}.duckdb"
    signature = _signature(file)
    tmp = folder / f".{name}.tmp"
    shutil.copyfile(file, tmp)
    os.replace(tmp, folder / name)
    wal = file.with_name(file.name + ".wal")
    if wal.exists():  # a checkpoint leaves none; if it did, the copy must carry it
        shutil.copyfile(wal, folder / f"{name}.wal")
    info = {
        "version": version,
        "file": name,
        "source": signature,
        "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    tmp = folder / f".{_POINTER}.tmp"
    tmp.write_text(json.dumps(info))
    os.replace(tmp, folder / _POINTER)
    for old in sorted(n for n in numbers if n <= version - KEEP_SNAPSHOTS):
        for leftover in folder.glob(f"{old:06d}.duckdb*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return Snapshot(folder / name, version)


def _release_surveys(con: duckdb.DuckDBPyConnection) -> None:
    """Cut the survey waves' releases (lib/anonymity) here, in the writer: readers open the
    snapshot read-only, so what a wave publishes must be decided before it is copied."""
    from lib import anonymity

    with contextlib.suppress(anonymity.ThresholdError):  # the pages say what is wrong with it
        anonymity.waves(con)


@contextlib.contextmanager
def writing(
    path: str | os.PathLike | None = None,
    purpose: str = "a write",
    wait: float | None = None,
    on_wait: Callable[[Holder | None], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection, held alone across processes; publishes a snapshot after.

    `purpose` is shown to anyone kept waiting ("python -m lib import: 2 files").
    Waits at most `wait` seconds (default `wait_seconds()`) for another writer, calling
    `on_wait(holder)` once if it has to; then raises `Busy` naming the holder. The body's
    own transactions decide what is written; the snapshot is published even when the body
    raises (a rejected import still logs itself), and a failed publish only leaves the
    snapshot stale until the next reader re-publishes it.
    """
    file = db.db_path(path)
    with _exclusive(file, purpose, wait_seconds(wait), on_wait) as deadline:
        clean_partial_files(file)
        con = _open(file, read_only=False, deadline=deadline)
        try:
            yield con
        finally:
            try:
                _publish(con, file)
            except (OSError, duckdb.Error) as exc:
                log.warning("snapshot of %s not published (readers will retry): %s", file, exc)
            finally:
                con.close()


def current(
    path: str | os.PathLike | None = None,
    wait: float | None = None,
    on_wait: Callable[[Holder | None], None] | None = None,
) -> Snapshot:
    """The newest snapshot, publishing one first when the file changed since (or has none).

    While a writer is at work the last published snapshot is returned at once (the data
    from before that write). Only a database with no snapshot at all waits for the writer,
    at most `wait` seconds (calling `on_wait(holder)` once if it must); then `Busy`.
    Raises OSError when the folder is not writable.
    """
    file = db.db_path(path)
    found = _fresh(file, _pointer(file))
    if found:
        return found
    pointer = _pointer(file)
    previous = snapshot_dir(file) / str(pointer["file"]) if pointer else None
    has_previous = previous is not None and previous.exists()
    try:
        wait_s = 0.0 if has_previous else wait_seconds(wait)
        with _exclusive(file, "publishing a snapshot", wait_s, on_wait) as deadline:
            found = _fresh(file, _pointer(file))
            if found:
                return found
            clean_partial_files(file)
            con = _open(file, read_only=False, deadline=deadline)
            try:
                return _publish(con, file)
            finally:
                con.close()
    except Busy:
        if has_previous:
            return Snapshot(previous, int(pointer["version"]))
        raise


def open_snapshot(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A read-only connection on a snapshot, in UTC. Raises duckdb.IOException if it is gone."""
    con = duckdb.connect(str(snapshot.file), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


@contextlib.contextmanager
def reading(
    path: str | os.PathLike | None = None,
    wait: float | None = None,
    on_wait: Callable[[Holder | None], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection on the newest snapshot, closed after (the CLI's readers).

    A snapshot removed between finding and opening it (a writer published two more) is
    looked up again.
    """
    for attempt in range(3):
        snap = current(path, wait, on_wait)
        try:
            con = open_snapshot(snap)
            break
        except duckdb.IOException:
            if snap.file.exists() or attempt == 2:
                raise
    try:
        yield con
    finally:
        con.close()
