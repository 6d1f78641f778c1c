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
import errno
import fcntl
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib import db

DEFAULT_WAIT_S = 60.0
KEEP_SNAPSHOTS = 3  # the current one and two before it, which other processes may still be opening
_POINTER = "current.json"
_SNAPSHOT = re.compile(r"^(\d{6})\.duckdb$")
_DUCKDB_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
_POLL_S = 0.1
log = logging.getLogger(__name__)


class Busy(RuntimeError):
    """The database could not be had for writing within the wait; the message says who has it."""


@dataclass(frozen=True)
class Holder:
    """Who holds the writers' lock: from `<db>.lock`, or from DuckDB's own lock message."""

    pid: int | None
    command: str
    since: str | None = None  # ISO time in UTC

    def describe(self) -> str:
        since = ""
        if self.since:
            with contextlib.suppress(ValueError):
                began = dt.datetime.fromisoformat(self.since)
                age = (dt.datetime.now(dt.UTC) - began).total_seconds()
                since = f", since {began:%H:%M:%S} UTC ({age:.0f} s ago)"
        pid = f" (pid {self.pid}{since})" if self.pid else since
        return f"{self.command}{pid}"


@dataclass(frozen=True)
class Snapshot:
    """A published read-only copy of the database: `file` to open, `version` to key caches by."""

    file: Path
    version: int


def wait_seconds(value: float | None = None) -> float:
    """The bounded wait for the lock: `value`, else $PILLARS_LOCK_WAIT, else 60 s.

    Raises ValueError when the variable is not a number of seconds ≥ 0 (never replaced).
    """
    if value is not None:
        return max(0.0, float(value))
    text = os.environ.get("PILLARS_LOCK_WAIT")
    if text is None or not text.strip():
        return DEFAULT_WAIT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(f"PILLARS_LOCK_WAIT must be a number of seconds ≥ 0, not {text!r}")
    return seconds


def lock_file(path: str | os.PathLike | None = None) -> Path:
    file = db.db_path(path)
    return file.with_name(file.name + ".lock")


def snapshot_dir(path: str | os.PathLike | None = None) -> Path:
    file = db.db_path(path)
    return file.with_name(file.name + ".snapshots")


def _this_process(purpose: str) -> str:
    """`purpose [command line]`, e.g. `python -m lib import (2 files) [python -m lib import a.csv b.csv]`."""
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("python")
    first = f"python -m {program.parent.name}" if program.name == "__main__.py" else program.name
    argv = " ".join([first, *sys.argv[1:]])
    return f"{purpose} [{argv[:160]}]"


def _process_command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    text = " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words))
    return text[:160]


def holder(path: str | os.PathLike | None = None) -> Holder | None:
    """Who holds the writers' lock now, as it wrote itself down (None when unknown)."""
    try:
        text = lock_file(path).read_text()
        info = json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    return Holder(info.get("pid"), str(info.get("command", "another Pillars process")), info.get("since"))


def _busy(file: Path, who: Holder | None, waited: float) -> Busy:
    who_text = who.describe() if who else "another Pillars process"
    stop = (
        f" If it is stuck, stop it (kill {who.pid}): its unfinished work is rolled back."
        if who and who.pid
        else ""
    )
    return Busy(
        f"{file} is being written by {who_text}; waited {waited:.0f} s for it to finish. "
        f"Try again once it has finished, or wait longer (--wait SECONDS, or PILLARS_LOCK_WAIT).{stop}"
    )


def _foreign(file: Path, error: duckdb.Error, waited: float) -> Busy:
    found = _DUCKDB_LOCK.search(str(error))
    if found:
        pid = int(found["pid"])
        command = _process_command(pid) or Path(found["program"]).name
        who = f"another program, {command} (pid {pid}),"
        advice = f"Close the database in that program (or stop it: kill {pid}) and try again."
    else:
        who, advice = "another program", "Close the database in that program and try again."
    return Busy(
        f"{file} is held open by {who} outside Pillars' turn-taking; waited {waited:.0f} s. {advice} "
        "Pillars' own app and command line share the file without this."
    )


@contextlib.contextmanager
def _exclusive(
    file: Path, purpose: str, wait: float, on_wait: Callable[[Holder | None], None] | None
) -> Iterator[float]:
    """Hold the writers' lock; yields the deadline (time.monotonic) for the rest of the work."""
    began = time.monotonic()
    deadline = began + wait
    file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file(file), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
            if time.monotonic() >= deadline:
                raise _busy(file, holder(file), time.monotonic() - began)
            if not told and on_wait is not None:
                on_wait(holder(file))
                told = True
            time.sleep(_POLL_S)
        me = {
            "pid": os.getpid(),
            "command": _this_process(purpose),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        try:
            yield deadline
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open(file: Path, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    """Open through DuckDB's own lock, retrying until `deadline` while another program holds it."""
    began = time.monotonic()
    while True:
        try:
            if read_only:
                con = duckdb.connect(str(file), read_only=True)
                con.execute("set TimeZone = 'UTC'")
                return con
            return db.connect(file)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise _foreign(file, exc, time.monotonic() - began) from None
            time.sleep(_POLL_S)


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
    """Checkpoint, copy the file beside it under the next number, point `current.json` at it."""
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
