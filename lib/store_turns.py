"""Writers take turns (for `lib.store`, whose module doc explains the design): an exclusive
`flock` on `<db>.lock` held for one write, a bounded wait for it, and when the wait runs
out, `Busy` naming the process that holds it (pid, command, since when) and what to do;
DuckDB's own lock, held by a program outside Pillars, is named the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib import db

DEFAULT_WAIT_S = 60.0
_DUCKDB_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
_POLL_S = 0.1


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
