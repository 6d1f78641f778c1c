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
    assert done.stdout.startswith("loaded teams.csv → teams: 1 rows")
    assert (
        done.stderr.strip()
        == "rejected work_items.csv: row 3, column created_at: 'yesterday' is not a timestamp"
    )
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("select count(*) from work_items").fetchall() == [(0,)]
    assert con.execute("select count(*) from teams").fetchall() == [(1,)]
