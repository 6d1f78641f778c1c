"""`python -m lib import`: one line per file, exit 1 and the error on stderr when one is rejected."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from lib.templates import template_csv

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PILLARS_DB", "PILLARS_SALT")}
    return subprocess.run(
        [sys.executable, "-m", "lib", "import", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_all_files_load(tmp_path):
    files = []
    for table in ("teams", "work_items", "deployments"):
        path = tmp_path / f"{table}.csv"
        path.write_bytes(template_csv(table))
        files.append(str(path))
    database = tmp_path / "cli.duckdb"
    done = run("--db", str(database), *files)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" → ")[0] for line in lines] == [
        "loaded teams.csv",
        "loaded work_items.csv",
        "loaded deployments.csv",
    ]
    assert done.stderr == ""
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("select count(*) from work_items").fetchall() == [(1,)]


def test_a_rejected_file_exits_1_with_the_error_on_stderr_and_writes_nothing(tmp_path):
    good = tmp_path / "teams.csv"
    good.write_bytes(template_csv("teams"))
    bad = tmp_path / "work_items.csv"
    bad.write_text("item_id,created_at\nA,2025-09-01\nB,yesterday\n")
    database = tmp_path / "cli.duckdb"
    done = run("--db", str(database), str(good), str(bad), "--tz", "Europe/Paris")
    assert done.returncode == 1
    assert done.stdout.startswith("loaded teams.csv → teams: 1 row: 1 new")
    assert (
        done.stderr.strip()
        == "rejected work_items.csv: row 3, column created_at: 'yesterday' is not a timestamp: write a date and "
        "time such as 2025-09-01T09:00:00Z, 2025-09-01 09:00, 2025-09-01T11:00:00+02:00, 14/Jul/25 3:42 PM or "
        "July 14, 2025"
    )
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("select count(*) from work_items").fetchall() == [(0,)]
    assert con.execute("select count(*) from teams").fetchall() == [(1,)]


def test_the_same_file_again_changes_nothing_and_a_changed_file_says_what_it_changed(tmp_path):
    database = tmp_path / "cli.duckdb"
    first = tmp_path / "teams.csv"
    first.write_text("team,org\nPayments,Commerce\nSearch,Core\n")
    done = run("--db", str(database), str(first))
    assert done.returncode == 0 and done.stdout.startswith("loaded teams.csv → teams: 2 rows: 2 new (import ")
    con = duckdb.connect(str(database), read_only=True)
    ((import_id, when),) = con.execute("select import_id, imported_at from imports").fetchall()
    con.close()

    again = run("--db", str(database), str(first))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (
        f"skipped teams.csv: already imported on {when:%Y-%m-%d %H:%M} UTC as import {import_id[:8]} "
        "(teams.csv); nothing changed (to import it again with other choices, undo that import first)\n"
        "  note: --again imports it anyway, with the options given"
    )

    changed = tmp_path / "teams_v2.csv"
    changed.write_text("team,org\nPayments,Payments org\nSearch,Core\nPlatform,Core\n")
    done = run("--db", str(database), str(changed))
    assert done.stdout.startswith(
        "loaded teams_v2.csv → teams: 3 rows: 1 new, 1 updated, 1 unchanged (import "
    )
    con = duckdb.connect(str(database), read_only=True)
    newer = con.execute("select import_id from imports where file_name = 'teams_v2.csv'").fetchall()[0][0]
    con.close()
    env = {k: v for k, v in os.environ.items() if k not in ("PILLARS_DB", "PILLARS_SALT")}
    undone = subprocess.run(
        [sys.executable, "-m", "lib", "undo", "--db", str(database), newer[:8]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert undone.stdout.strip() == (
        f"undone import {newer} (teams_v2.csv): 3 rows deleted, 2 rows it had replaced restored"
    )
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("select team, org from teams order by team").fetchall() == [
        ("Payments", "Commerce"),
        ("Search", "Core"),
    ]
