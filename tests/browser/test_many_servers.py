"""Past one machine (issue 17, docs/DEPLOY.md): several app servers on one database, one writer.

Two `streamlit run` servers, on two loopback ports, serve the same database file, as two
app servers behind a load balancer would. While both serve (each with a page open, so
each holds its read-only snapshot), `python -m lib import` loads a file through the one
writer (lib/store.py: the writers' lock, then a snapshot published). Checked by value, as
a user would: before the import both show the same rows; the import succeeds while both
serve; after it, a page opened on either server shows the new rows, exactly once, and no
page and no server log shows an error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lib import store
from tests.browser.conftest import ROOT, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

HEADER = "item_id,team,type,title,initiative,created_at,started_at,completed_at,canceled_at,effort"
ROWS = 2_500


def _work_items(path: Path) -> Path:
    lines = [HEADER] + [
        f"MS-{i},payments,feature,Item {i},,2026-09-{1 + i % 28:02d}T09:00:00Z,,2026-10-{1 + i % 28:02d}T16:00:00Z,,2"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _rows_shown(browser, url: str, name: str) -> int:
    """Open the Data page in a new tab; the rows its freshness table shows for work_items."""
    context = browser.new_context(viewport={"width": 1440, "height": 2000})
    try:
        tab = context.new_page()
        tab.goto(f"{url}/data")
        wait_for_app(tab)
        grid = tab.get_by_test_id("stDataFrame").filter(has=tab.locator("th", has_text="Last import"))
        row = grid.locator("tr", has=tab.locator("td", has_text=re.compile("^Work items$")))
        expect(row).to_have_count(1, timeout=30_000)
        expect(tab.get_by_test_id("stException")).to_have_count(0)
        screenshot(tab, name)
        return int(re.sub(r"\D", "", row.locator("td").nth(1).inner_text()))
    finally:
        context.close()


def _overview_opens(browser, url: str) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        tab = context.new_page()
        tab.goto(url)
        wait_for_app(tab)
        expect(tab.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
        expect(tab.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_two_app_servers_serve_one_database_while_the_cli_imports(demo_db, tmp_path, browser):
    db_file = tmp_path / "shared" / "pillars.duckdb"
    db_file.parent.mkdir()
    shutil.copy(demo_db, db_file)
    upload = _work_items(tmp_path / "new_items.csv")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    with serve(db_file, tmp_path / "a") as (url_a, _), serve(db_file, tmp_path / "b") as (url_b, _):
        assert url_a != url_b
        before = _rows_shown(browser, url_a, "many-servers-a-before")
        assert _rows_shown(browser, url_b, "many-servers-b-before") == before

        # Each server keeps a page open (its session reads the published snapshot: the
        # sidebar's filters alone query it) while the one writer imports.
        open_pages = []
        for url in (url_a, url_b):
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            tab = context.new_page()
            tab.goto(f"{url}/data")
            wait_for_app(tab)
            open_pages.append(context)
        done = subprocess.run(
            [sys.executable, "-m", "lib", "import", "--db", str(db_file), str(upload)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"loaded {upload.name} → work_items: {ROWS:,} rows: {ROWS:,} new"), (
            done.stdout
        )
        assert "Traceback" not in done.stderr
        for context in open_pages:
            context.close()

        # Both servers show the new data: a page opened on either after the import.
        assert _rows_shown(browser, url_a, "many-servers-a-after") == before + ROWS
        assert _rows_shown(browser, url_b, "many-servers-b-after") == before + ROWS
        # and a page of charts computes on the new snapshot (one server: the other serves the
        # same file, as its Data page above shows)
        _overview_opens(browser, url_b)

    for side in ("a", "b"):
        log = (tmp_path / side / "streamlit.log").read_text()
        assert "Traceback" not in log and "Error" not in log, log[-2000:]
    with store.reading(db_file) as con:
        count, keys = con.execute(
            "select count(*), count(distinct item_id) from work_items where item_id like 'MS-%'"
        ).fetchone()
        assert (count, keys) == (ROWS, ROWS)
