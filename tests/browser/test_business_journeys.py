"""The Business alignment page in a real Chromium: a section opened from its link on the demo
(the board-ready tour draws every section), and the journey of a VP with no demo who uploads
finance's files, then reads the page built on them.
Screenshots (tests/browser/screenshots/business-*.png) are the board-ready check by eye."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from lib import db
from tests.browser.conftest import ROOT, _free_port, _wait_healthy, screenshot, wait_for_app

pytestmark = pytest.mark.browser
SECTIONS = ("Investment mix", "Initiatives", "Efficiency", "Capitalisation", "Outcomes")
FINANCE = ROOT / "tests" / "fixtures" / "finance"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"


def _slug(section: str) -> str:
    return section.lower().replace(" ", "-")


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _tile(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return metric.get_by_test_id("stMetricValue").inner_text()


# Every section is drawn in Chromium by the board-ready tour (tests/browser/test_board_ready.py,
# by its tab) and counted per section by AppTest (tests/app/test_business_page.py); here one
# section is opened by its link, as a shared link opens it.
@pytest.mark.parametrize("section", ["Outcomes"])
def test_a_section_opens_from_its_link_on_the_demo(server, page, section):
    _open(page, f"{server}/business?section={section.replace(' ', '+')}")
    expect(page.get_by_text("Demo data", exact=False).first).to_be_visible()
    expect(page.locator(".js-plotly-plot g.trace").first).to_be_attached(timeout=30_000)
    expect(page.get_by_text("Business alignment", exact=True).first).to_be_visible()
    screenshot(page, f"business-{_slug(section)}")


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A server on a database with no demo and no data: the VP's own files only."""
    workdir = tmp_path_factory.mktemp("business-server")
    db_file = workdir / "pillars.duckdb"
    con = db.connect(db_file)
    db.set_setting(con, "demo", "false")
    con.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(workdir / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "PILLARS_DB": str(db_file)}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _upload(page, server: str, files) -> None:
    _open(page, f"{server}/data")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text(files[-1].name).first).to_be_visible()
    page.get_by_role("button", name=re.compile("^.*Import$")).click()
    wait_for_app(page)


def test_a_bad_finance_sheet_is_refused_with_row_and_column(empty_server, page):
    _upload(page, empty_server, [FINANCE / "kpis_bad.csv"])
    alert = page.get_by_test_id("stAlert").filter(has_text="kpis_bad.csv")
    expect(alert.first).to_be_visible(timeout=30_000)
    text = alert.first.inner_text()
    assert "row 3" in text and "Revenue" in text and "#DIV/0!" in text
    screenshot(page, "business-finance-refused")


def test_finance_files_uploaded_on_the_data_page_build_the_page(empty_server, page):
    files = [
        FINANCE / "kpis_2025.csv",
        FINANCE / "initiatives.csv",
        FINANCE / "rate_card.csv",
        EXPORTS / "jira_cloud.csv",
        EXPORTS / "linear.csv",
    ]
    _upload(page, empty_server, files)
    expect(page.get_by_text(re.compile(r"^5 files? loaded"))).to_be_visible(timeout=60_000)
    for section in SECTIONS:
        _open(
            page, f"{empty_server}/business?from=2025-07-01&to=2025-12-31&section={section.replace(' ', '+')}"
        )
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        assert _tile(page, "R&D as % of revenue") == "23.0%"
        expect(page.get_by_text("Demo data", exact=False)).to_have_count(0)
        screenshot(page, f"business-imported-{_slug(section)}")
