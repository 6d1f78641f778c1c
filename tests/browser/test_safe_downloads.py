"""Every way a table leaves the app neutralises formula cells (SPEC §6), tried in Chromium.

Four teams of a copy of the demo organisation are renamed to spreadsheet payloads, and
four files whose names are payloads are imported by the CLI. Then each path out is
used as a user would, and the downloaded file is read back:

- the "Download as CSV" button of `st.dataframe`'s own toolbar, on the Data page's
  import history (file names) and on the Delivery page's drill-down (team names);
- the project's download button, on the Engagement page's heatmap (team names);
- `python -m lib imports --csv FILE` (the command line's file output).

A payload must come out with a leading apostrophe, and no cell may begin with one of
`= + - @`, tab or carriage return, unless it is a plain number (a negative eNPS is -12.5).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from lib.tables import TABLES
from lib.templates import template_csv
from tests.browser.conftest import ROOT, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

TEAM_PAYLOADS = ['=HYPERLINK("http://example.invalid/x","open")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"]
FILE_PAYLOADS = ["=HYPERLINK(1,2).csv", "@SUM(1+1).csv", "+cmd|calc.csv", "-2+3.csv"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _assert_safe(rows: list[list[str]], payloads: list[str]) -> None:
    flat = [cell for row in rows for cell in row]
    live = [cell for cell in flat if cell.startswith(DANGEROUS) and not NUMBER.match(cell)]
    assert live == [], live
    for payload in payloads:
        assert "'" + payload in flat, (payload, flat[:40])


@pytest.fixture(scope="module")
def hostile(demo_db, tmp_path_factory):
    """A server on a demo copy where teams and imported file names are payloads."""
    work = tmp_path_factory.mktemp("hostile")
    db_file = work / "pillars.duckdb"
    shutil.copy(demo_db, db_file)
    con = duckdb.connect(str(db_file))
    originals = [r[0] for r in con.execute("select team from teams order by team limit 4").fetchall()]
    for old, new in zip(originals, TEAM_PAYLOADS, strict=True):
        for table in TABLES.values():
            if "team" in table.column_names:
                con.execute(f'update "{table.name}" set team = ? where team = ?', [new, old])  # noqa: S608
    con.close()
    for name in FILE_PAYLOADS:
        path = work / name
        path.write_bytes(template_csv("teams"))
        done = subprocess.run(
            [sys.executable, "-m", "lib", "import", "--db", str(db_file), "--again", str(path)],  # same bytes
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "PILLARS_DB"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    with serve(db_file, work) as (url, _):
        yield url, db_file


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 2200}, accept_downloads=True)
    # Without the File System Access API the toolbar's export falls back to a plain
    # download, which Playwright can catch (headless Chromium has no save dialog).
    context.add_init_script("delete window.showSaveFilePicker;")
    page = context.new_page()
    yield page
    context.close()


def _toolbar_csv(page, grid) -> list[list[str]]:
    grid.scroll_into_view_if_needed()
    grid.hover()
    button = grid.get_by_role("button", name="Download as CSV")
    expect(button).to_be_visible(timeout=30_000)
    # The toolbar fades in over the grid's top edge and the heading above it; while it
    # moves, a pointer click can land on the grid's scroller or the heading instead
    # (seen in CI). The button's own click event is what the user's click delivers.
    with page.expect_download(timeout=30_000) as info:
        button.dispatch_event("click")
    return _cells(Path(info.value.path()).read_text(encoding="utf-8"))


def test_table_toolbar_download_of_the_import_history(hostile, tab):
    url, _ = hostile
    tab.goto(f"{url}/data")
    wait_for_app(tab)
    grid = tab.get_by_test_id("stDataFrame").filter(has=tab.locator("th", has_text="Imported"))
    expect(grid).to_be_visible(timeout=30_000)
    wait_for_app(tab)
    rows = _toolbar_csv(tab, grid)
    assert rows[0][:4] == ["Import", "Imported (UTC)", "File", "Data"]  # headers in words (issue 18)
    _assert_safe(rows, FILE_PAYLOADS)
    screenshot(tab, "data-history-payloads")


def test_table_toolbar_download_of_the_delivery_drill_down(hostile, tab):
    url, _ = hostile
    tab.goto(f"{url}/delivery?section=Drill+down")
    wait_for_app(tab)
    grid = tab.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=30_000)
    wait_for_app(tab)
    rows = _toolbar_csv(tab, grid)
    header = rows[0]
    teams = {row[header.index("team")] for row in rows[1:]}
    assert teams & {"'" + p for p in TEAM_PAYLOADS}, teams
    _assert_safe(rows, [])
    screenshot(tab, "delivery-drill-payloads")


def test_download_button_of_the_engagement_heatmap(hostile, tab):
    url, _ = hostile
    tab.goto(f"{url}/engagement")
    wait_for_app(tab)
    button = tab.get_by_role("button", name="Download the heatmap (CSV)")
    expect(button).to_be_visible(timeout=30_000)
    with tab.expect_download(timeout=30_000) as info:
        button.click()
    rows = _cells(Path(info.value.path()).read_text(encoding="utf-8"))
    _assert_safe(rows, TEAM_PAYLOADS)
    assert info.value.suggested_filename.endswith("-all-teams.csv")  # the filter in the name (a review)


def test_command_line_csv_output(hostile, tmp_path):
    _, db_file = hostile
    out = tmp_path / "imports.csv"
    done = subprocess.run(
        [sys.executable, "-m", "lib", "imports", "--db", str(db_file), "--csv", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    _assert_safe(_cells(out.read_text(encoding="utf-8")), FILE_PAYLOADS)
