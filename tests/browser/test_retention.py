"""The Retention & development page in a real Chromium: a section opens from its link on the
demo (the board-ready tour draws every section), a clicked point lists the counts behind it
(no person), and a BambooHR-style report uploaded through the Data page is all the page needs. Screenshots land in tests/browser/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from lib import db
from tests.browser.conftest import ROOT, _free_port, _wait_healthy, press_import, screenshot, wait_for_app
from tests.fixtures.hris.generate import write_report

pytestmark = pytest.mark.browser

SECTIONS = {
    "Attrition": 4,
    "Teams": 1,
    "Tenure": 1,
    "Careers": 3,
    "Managers": 3,
    "Locations and acquisitions": 5,
}


SCROLL_DOWN = """() => { for (const el of document.querySelectorAll('*')) {
    if (el.scrollHeight > el.clientHeight + 10) el.scrollTop = el.scrollHeight; } }"""


def _drawn(tab, charts: int) -> None:
    """Every chart of the section drawn: charts below the fold mount once scrolled to."""
    expect(tab.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=60_000)
    tab.evaluate(SCROLL_DOWN)
    expect(tab.get_by_test_id("stPlotlyChart")).to_have_count(charts, timeout=60_000)
    expect(tab.locator(".js-plotly-plot g.trace").first).to_be_attached(timeout=30_000)
    expect(tab.get_by_test_id("stException")).to_have_count(0)


# Every section is drawn in Chromium by the board-ready tour (tests/browser/test_board_ready.py,
# by its tab) and counted per section by AppTest (tests/app/test_retention_page.py); here the
# section with the most charts is opened by its link, as a shared link opens it.
@pytest.mark.parametrize("section", ["Locations and acquisitions"])
def test_a_section_opens_from_its_link_on_the_demo(server, page, section):
    page.goto(f"{server}/retention?section={quote(section)}")
    wait_for_app(page)
    _drawn(page, SECTIONS[section])
    expect(page.get_by_role("tab", name=section, selected=True)).to_be_visible()
    screenshot(page, "retention-" + re.sub(r"\W+", "-", section.lower()))


def test_a_clicked_month_lists_the_counts_behind_it(server, page):
    page.goto(f"{server}/retention")
    wait_for_app(page)
    _drawn(page, SECTIONS["Attrition"])
    chart = page.locator(".st-key-ret-attrition")
    points = chart.locator(".scatterlayer .points path")
    expect(points.first).to_be_attached(timeout=60_000)
    points.nth(points.count() - 2).click(force=True)
    expect(page.get_by_text(re.compile(r"^Counts behind")).first).to_be_visible(timeout=30_000)
    wait_for_app(page)
    # the separation-rules editor below is a data frame too: find the counts by their words
    table = page.get_by_test_id("stDataFrame").filter(has_text="Leavers in the 12 months to the end")
    expect(table).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "retention-clicked-point")


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A server on a database whose demo was cleared: only what a test uploads."""
    workdir = tmp_path_factory.mktemp("hris-server")
    path = workdir / "pillars.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    con.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "PILLARS_DB": str(path)}, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(url, proc)
        yield url, workdir
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir / "uploads", ignore_errors=True)


def test_an_uploaded_hris_report_draws_the_page_and_leaves_no_name_behind(empty_server, page, tmp_path):
    url, workdir = empty_server
    report = tmp_path / "bamboohr_report.csv"
    write_report(report, end=__import__("datetime").date(2026, 10, 31))
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(report))
    expect(page.get_by_text(report.name).first).to_be_visible()
    press_import(page, 1)
    expect(page.get_by_text(re.compile(r"1 file loaded: 175 rows"))).to_be_visible(timeout=60_000)
    screenshot(page, "retention-hris-uploaded")

    for section, charts in (("Attrition", 4), ("Tenure", 1), ("Locations and acquisitions", 5)):
        page.goto(f"{url}/retention?section={quote(section)}")
        wait_for_app(page)
        _drawn(page, charts)
        screenshot(page, "retention-hris-" + re.sub(r"\W+", "-", section.lower()))
    expect(page.get_by_text("Demo data")).to_have_count(0)

    kept = [p.name for p in (workdir / "uploads").iterdir()]
    assert len(kept) == 1 and kept[0].endswith(".minimised.employees.csv")
    text = (workdir / "uploads" / kept[0]).read_text()
    assert "@acme.test" not in text and "Linden Allee" not in text and "EUR" not in text
