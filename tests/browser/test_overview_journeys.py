"""The Overview in a real Chromium: on the demo as the one page a VP shows a board (looked at
on a 1440 × 900 screen), and for a VP with no demo who uploads their own exports, where a
pillar without data says what to load and links to the Data page. The Business page is
opened on the same imported files. Screenshots (tests/browser/screenshots/overview-*.png)
are the board-slide check by eye."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lib import db
from tests.browser.conftest import ROOT, SCREENSHOTS, press_import, serve, wait_for_app

pytestmark = pytest.mark.browser
FINANCE = ROOT / "tests" / "fixtures" / "finance"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
HRIS = ROOT / "tests" / "fixtures" / "hris"
PERIOD = "from=2025-07-01&to=2025-12-31"


def _open(tab, url: str) -> None:
    tab.goto(url)
    wait_for_app(tab)
    expect(tab.get_by_test_id("stException")).to_have_count(0)


def _tile(tab, label: str) -> str:
    metric = tab.get_by_test_id("stMetric").filter(
        has=tab.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_the_overview_reads_as_a_board_slide_on_the_demo(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    try:
        _open(tab, server)
        expect(tab.get_by_text("Engineering at a glance")).to_be_visible()
        expect(tab.get_by_text(re.compile("of R&D spend delivered"))).to_be_visible()
        expect(tab.get_by_test_id("stMetric")).to_have_count(12)
        for group in ("Delivery & quality", "People engagement", "Retention & development"):
            expect(tab.get_by_test_id("stMainBlockContainer").get_by_text(group, exact=True)).to_be_visible()
        # A sparkline in every tile with a history (the demo has one for each), drawn as an
        # image named by its values; no Vega chart (its bundle and views cost a new tab 0.4 s).
        sparks = tab.locator("img.pillars-spark")
        expect(sparks).to_have_count(12, timeout=30_000)
        expect(sparks.first).to_have_attribute(
            "alt", re.compile(r"^Deploy frequency in this period and the 7 before")
        )
        assert sparks.first.bounding_box()["height"] == 44 and sparks.first.bounding_box()["width"] > 100
        expect(tab.get_by_test_id("stMetricChart")).to_have_count(0)
        assert _tile(tab, "Deploy frequency").endswith("/wk")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / "overview-demo-1440x900.png"))
        tab.get_by_text(re.compile(r"^Why the other changes are not news")).scroll_into_view_if_needed()
        expect(tab.locator(".js-plotly-plot g.trace").first).to_be_attached(timeout=60_000)
        tab.screenshot(path=str(SCREENSHOTS / "overview-demo-takeaways.png"))
    finally:
        context.close()


@pytest.fixture(scope="module")
def own_data_server(tmp_path_factory):
    """A server on a database with no demo and no data: the VP's own files only."""
    workdir = tmp_path_factory.mktemp("overview-server")
    db_file = workdir / "pillars.duckdb"
    con = db.connect(db_file)
    db.set_setting(con, "demo", "false")
    con.close()
    with serve(db_file, workdir) as (url, _):
        yield url


def test_own_exports_build_the_overview_and_a_missing_pillar_points_to_the_data_page(own_data_server, page):
    files = [
        FINANCE / "kpis_2025.csv",
        EXPORTS / "deployments.csv",
        EXPORTS / "pagerduty_incidents.csv",
        EXPORTS / "jira_cloud.csv",
        HRIS / "bamboohr_employees.csv",
    ]
    _open(page, f"{own_data_server}/data")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text(files[-1].name).first).to_be_visible(timeout=60_000)
    press_import(page, 5, timeout=60_000)

    _open(page, f"{own_data_server}/?{PERIOD}")
    expect(page.get_by_text("Demo data", exact=False)).to_have_count(0)
    # Delivery, retention and business have data: their tiles carry values, not zeros.
    assert _tile(page, "Deploy frequency") != "—"
    assert _tile(page, "Engineers") != "—"
    assert _tile(page, "R&D / revenue") == "23%"
    expect(page.get_by_text(re.compile(r"of R&D spend delivered"))).to_be_visible()
    # Too few events for any takeaway, and the page says why.
    expect(page.get_by_text(re.compile("no headline metric moved beyond its usual swing"))).to_be_visible()
    # No survey and no AI or learning export: said, with the way to the Data page.
    expect(page.get_by_text(re.compile("^No survey loaded"))).to_be_visible()
    expect(page.get_by_text(re.compile("^No AI-usage or learning export loaded"))).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "overview-imported.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Load data on the Data page")).first.click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/data"))

    _open(page, f"{own_data_server}/business?{PERIOD}")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Business alignment", exact=True).first).to_be_visible()
