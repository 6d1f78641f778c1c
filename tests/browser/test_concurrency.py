"""The app and the command line on one database at the same time (issue 16), with real processes.

A `streamlit run` server serves a copy of the demo database. This test process plays an
import in progress: it holds the writers' turn (lib/store.py) with one file committed
and a second change still uncommitted. Meanwhile two `python -m lib import` processes
start, a page upload is made in the browser, and pages are opened. Then the import
finishes and every writer lands in turn. Checked by value, as a user would:

- a page opened during the import shows the data from before it, without a traceback;
- the waiting CLI imports and the waiting upload say who they wait for;
- the CLI's `metrics` answers during the import (it reads the last published data);
- once the import finishes, both CLI imports and the upload land, one after the other,
  and a page opened then shows every row of all four: the counts add up exactly, no
  key is duplicated, and the uncommitted change never appears.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lib import store
from lib.charts import table_label
from tests.browser.conftest import ROOT, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

HEADER = "item_id,team,type,title,initiative,created_at,started_at,completed_at,canceled_at,effort"


def _work_items(path: Path, prefix: str, rows: int) -> Path:
    lines = [HEADER]
    for i in range(rows):
        day = 1 + i % 28
        lines.append(
            f"{prefix}-{i},payments,feature,Item {i},,2026-09-{day:02d}T09:00:00Z,"
            f"2026-09-{day:02d}T10:00:00Z,2026-10-{day:02d}T16:00:00Z,,3"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def _freshness_rows(tab, table: str) -> int:
    """The `rows` the Data page's freshness table shows for `table`."""
    grid = tab.get_by_test_id("stDataFrame").filter(has=tab.locator("th", has_text="Last import"))
    row = grid.locator("tr", has=tab.locator("td", has_text=re.compile(f"^{re.escape(table_label(table))}$")))
    expect(row).to_have_count(1, timeout=30_000)
    return int(re.sub(r"\D", "", row.locator("td").nth(1).inner_text()))


def _open_data_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    tab = context.new_page()
    tab.goto(f"{url}/data")
    wait_for_app(tab)
    expect(tab.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
    wait_for_app(tab)
    expect(tab.get_by_test_id("stException")).to_have_count(0)
    return context, tab


def _cli(*args: str, stderr: Path, stdout: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PILLARS_LOCK_WAIT"}
    return subprocess.Popen(
        [sys.executable, "-m", "lib", *args],
        cwd=ROOT,
        env=env,
        stdout=stdout.open("w"),
        stderr=stderr.open("w"),
    )


def _until(condition, what: str, limit_s: float = 180.0) -> None:
    """Wait for a condition another process brings about (bounded; not a timing check)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def test_cli_imports_page_loads_and_an_upload_share_the_database(demo_db, tmp_path, browser):
    from lib.ingest.load import import_file

    db_file = tmp_path / "pillars.duckdb"
    shutil.copy(demo_db, db_file)
    held = _work_items(tmp_path / "held.csv", "CC-HELD", 1_000)
    first = _work_items(tmp_path / "first.csv", "CC-A", 3_000)
    second = _work_items(tmp_path / "second.csv", "CC-B", 2_000)
    uploaded = _work_items(tmp_path / "uploaded.csv", "CC-UP", 200)

    with serve(db_file, tmp_path, env={"PILLARS_LOCK_WAIT": "300"}) as (url, _):
        context, tab = _open_data_page(browser, url)
        before = _freshness_rows(tab, "work_items")
        teams_before = _freshness_rows(tab, "teams")
        context.close()

        clis = []
        with store.writing(db_file, purpose="test: an import in progress") as con:
            assert import_file(con, held).rows == 1_000  # committed, not yet published
            con.execute("begin transaction")
            con.execute("insert into teams (team, org) values ('never-committed', 'Test')")

            for name, file in (("first", first), ("second", second)):
                err, out = tmp_path / f"{name}.err", tmp_path / f"{name}.out"
                proc = _cli(
                    "import", "--db", str(db_file), "--wait", "300", str(file), stderr=err, stdout=out
                )
                clis.append((proc, err, out, file))
            for _, err, _, _ in clis:
                _until(
                    lambda err=err: err.read_text().startswith("waiting for test: an import in progress"),
                    "a CLI import says whom it waits for",
                )

            # A page opened during the import shows the data from before it.
            context, tab = _open_data_page(browser, url)
            assert _freshness_rows(tab, "work_items") == before
            assert _freshness_rows(tab, "teams") == teams_before
            tab.goto(url)
            wait_for_app(tab)
            expect(tab.get_by_test_id("stException")).to_have_count(0)
            context.close()

            # The CLI's readers answer at once from the last published data.
            metrics = subprocess.run(
                [sys.executable, "-m", "lib", "metrics", "--db", str(db_file)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert metrics.returncode == 0, metrics.stderr
            assert metrics.stderr == ""

            # An upload from the page waits its turn and says for whom.
            up_context, up_tab = _open_data_page(browser, url)
            up_tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(uploaded))
            expect(up_tab.get_by_text(uploaded.name).first).to_be_visible()
            up_tab.get_by_role("button", name=re.compile("^.*Import$")).click()
            expect(up_tab.get_by_text(re.compile("^Waiting for test: an import in progress"))).to_be_visible(
                timeout=60_000
            )
            screenshot(up_tab, "data-upload-waiting")
            con.execute("rollback")

        # The import finished: every writer lands in turn.
        for proc, err, out, file in clis:
            assert proc.wait(timeout=300) == 0, err.read_text()
            assert "Traceback" not in err.read_text()
            assert out.read_text().startswith(f"loaded {file.name} → work_items:")
        expect(up_tab.get_by_text("1 file loaded: 200 rows (200 new).")).to_be_visible(timeout=300_000)
        wait_for_app(up_tab)
        expect(up_tab.get_by_test_id("stException")).to_have_count(0)
        up_context.close()

        context, tab = _open_data_page(browser, url)
        assert _freshness_rows(tab, "work_items") == before + 1_000 + 3_000 + 2_000 + 200
        assert _freshness_rows(tab, "teams") == teams_before
        screenshot(tab, "data-after-concurrent-imports")
        context.close()

    with store.reading(db_file) as con:
        loaded = con.execute(
            "select file_name, rows from imports where status = 'loaded' and file_name like '%.csv' order by 1"
        ).fetchall()
        assert loaded == [
            ("first.csv", 3_000),
            ("held.csv", 1_000),
            ("second.csv", 2_000),
            ("uploaded.csv", 200),
        ]
        ours = con.execute(
            "select count(*), count(distinct item_id) from work_items where item_id like 'CC-%'"
        ).fetchone()
        assert ours == (6_200, 6_200)
        assert con.execute("select count(*) from teams where team = 'never-committed'").fetchone()[0] == 0
