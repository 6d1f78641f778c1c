"""lib/store.py: writers take turns, readers read the last published snapshot.

The other processes here are real ones (a Python holding DuckDB's own lock, the CLI);
the app's side, with a real server and browser, is tests/browser/test_concurrency.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib import db, store
from lib.templates import template_csv

ROOT = Path(__file__).resolve().parents[2]


def _count(path: Path, table: str = "teams") -> int:
    with store.reading(path) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608 - fixed names


def _add_team(con, name: str) -> None:
    con.execute("insert into teams (team, org) values (?, 'Org')", [name])


@pytest.fixture
def database(empty_db):
    return empty_db


def test_a_write_is_read_after_it_is_published_and_not_before(database):
    assert _count(database) == 0
    first = store.current(database).version
    with store.writing(database, purpose="test") as con:
        _add_team(con, "a")
        # Another reader meanwhile (the lock is held through another file handle) reads
        # the snapshot from before the write, without waiting.
        assert _count(database) == 0
        assert store.current(database).version == first
    assert _count(database) == 1
    assert store.current(database).version == first + 1


def test_a_database_changed_outside_writing_is_published_again(database):
    assert _count(database) == 0
    con = db.connect(database)
    _add_team(con, "outside")
    con.close()
    assert _count(database) == 1


def test_only_the_last_three_snapshots_are_kept(database):
    for i in range(5):
        with store.writing(database) as con:
            _add_team(con, f"t{i}")
    kept = sorted(p.name for p in store.snapshot_dir(database).glob("*.duckdb"))
    newest = store.current(database).version
    assert kept == [f"{v:06d}.duckdb" for v in range(newest - 2, newest + 1)]
    assert _count(database) == 5


def test_a_second_writer_waits_a_bounded_time_and_names_the_holder(database):
    with store.writing(database, purpose="python -m lib import (1 file)"):
        began = time.monotonic()
        with pytest.raises(store.Busy) as busy, store.writing(database, wait=0.3):
            pass
        assert time.monotonic() - began >= 0.3
    message = str(busy.value)
    assert f"pid {os.getpid()}" in message
    assert "python -m lib import (1 file)" in message
    assert f"kill {os.getpid()}" in message
    assert "--wait" in message and "PILLARS_LOCK_WAIT" in message


def test_a_writer_waiting_is_told_who_it_waits_for_then_goes_ahead(database):
    seen = []
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from lib import store\n"
            f"with store.writing({str(database)!r}, purpose='a slow import'):\n"
            "    print('held', flush=True); sys.stdin.readline()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"

        def on_wait(who):
            seen.append(who)
            holder.stdin.write("go\n")
            holder.stdin.flush()

        with store.writing(database, wait=60, on_wait=on_wait) as con:
            _add_team(con, "after")
    finally:
        holder.wait(timeout=30)
    assert [(w.pid, w.command.split(" [")[0]) for w in seen] == [(holder.pid, "a slow import")]
    assert _count(database) == 1


def test_a_program_holding_duckdbs_own_lock_is_named(database):
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; con = duckdb.connect({str(database)!r}); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "open"
        with pytest.raises(store.Busy) as busy, store.writing(database, wait=0.3):
            pass
    finally:
        other.stdin.close()
        other.wait(timeout=30)
    message = str(busy.value)
    assert f"(pid {other.pid})" in message and "python" in message
    assert f"kill {other.pid}" in message


def test_partial_uploads_left_by_a_killed_process_are_removed_by_the_next_writer(database):
    uploads = database.parent / "uploads"
    uploads.mkdir()
    partial = uploads / ".incoming-abc123"
    partial.write_bytes(b"half a file")
    kept = uploads / ("0" * 64 + ".csv")
    kept.write_bytes(b"a whole file")
    with store.writing(database):
        pass
    assert not partial.exists()
    assert kept.exists()


def test_the_wait_setting_must_be_seconds(monkeypatch):
    monkeypatch.setenv("PILLARS_LOCK_WAIT", "soon")
    with pytest.raises(ValueError, match="PILLARS_LOCK_WAIT must be a number of seconds"):
        store.wait_seconds()
    monkeypatch.setenv("PILLARS_LOCK_WAIT", "2.5")
    assert store.wait_seconds() == 2.5


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PILLARS_DB", "PILLARS_SALT", "PILLARS_LOCK_WAIT")
    }
    return subprocess.run(
        [sys.executable, "-m", "lib", *args],
        cwd=ROOT,
        env={**env, **(env_extra or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_import_while_the_lock_is_held_too_long_exits_75_naming_the_holder(database, tmp_path):
    teams = tmp_path / "teams.csv"
    teams.write_bytes(template_csv("teams"))
    assert _count(database) == 0  # a snapshot exists
    with store.writing(database, purpose="the app: importing 3 uploaded file(s)"):
        done = _cli("import", "--db", str(database), "--wait", "0.5", str(teams))
        # A reader does not wait at all.
        metrics = _cli("metrics", "--db", str(database))
    assert done.returncode == 75
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("waiting for the app: importing 3 uploaded file(s)")
    # the holder's own command line follows in brackets ("python -m pytest", or "-c" in a
    # pytest-xdist worker): what matters is the purpose and the pid to stop
    assert "is being written by the app: importing 3 uploaded file(s) [" in done.stderr
    assert f"kill {os.getpid()}" in done.stderr
    assert metrics.returncode == 0, metrics.stderr
    assert _count(database) == 0


def test_cli_imports_lists_the_log_and_undo_removes_one_import(database, tmp_path):
    teams = tmp_path / "teams.csv"
    teams.write_bytes(template_csv("teams"))
    assert _cli("import", "--db", str(database), str(teams)).returncode == 0
    listed = _cli("imports", "--db", str(database))
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    import_id, _, _, status, rows, table, name = line.split()
    assert (status, rows, table, name) == ("loaded", "1", "teams", "teams.csv")
    assert len(import_id) == 32

    ambiguous = _cli("undo", "--db", str(database), import_id[:4])
    assert ambiguous.returncode == 1 and "no import" in ambiguous.stderr
    undone = _cli("undo", "--db", str(database), import_id[:8])
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.strip() == f"undone import {import_id} (teams.csv): 1 rows deleted"
    assert _count(database) == 0
    again = _cli("undo", "--db", str(database), import_id)
    assert again.returncode == 1 and "is undone: nothing to undo" in again.stderr
    assert _cli("imports", "--db", str(database)).stdout.split()[3] == "undone"


def test_cli_undo_of_an_unknown_import_says_how_to_find_one(database):
    done = _cli("undo", "--db", str(database), "feedfacefeedface")
    assert done.returncode == 1
    assert done.stderr.strip() == "no import 'feedfacefeedface': `python -m lib imports` lists them"


def test_a_writer_killed_mid_upload_leaves_no_lock_and_its_partial_copy_is_removed_on_start(database):
    uploads = database.parent / "uploads"
    script = (
        "import os, sys; from pathlib import Path; from lib import store\n"
        f"with store.writing({str(database)!r}, purpose='an upload'):\n"
        f"    folder = Path({str(uploads)!r}); folder.mkdir(exist_ok=True)\n"
        "    (folder / '.incoming-k1ll3d').write_bytes(b'x' * 100_000)\n"
        "    print('copying', flush=True); sys.stdin.readline()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdout.readline().strip() == b"copying"
    assert store.tidy(database) == []  # the writer is at work: its file is not touched
    assert (uploads / ".incoming-k1ll3d").exists()
    proc.kill()
    proc.wait(timeout=30)
    assert store.tidy(database) == [uploads / ".incoming-k1ll3d"]
    assert not list(uploads.iterdir())
    with store.writing(database, wait=0) as con:  # the kernel released the dead writer's lock
        _add_team(con, "next")
    assert _count(database) == 1
