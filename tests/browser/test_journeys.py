"""Journeys a VP takes, in a real Chromium against a real `streamlit run` server.

Each test looks at what a person sees: pages open without an exception box, charts
draw, an upload changes the Overview's numbers, a malformed file is refused with its
row and column named. Screenshots land in tests/browser/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import navigation
from tests.browser.conftest import ROOT, demo_server, press_import, screenshot, wait_for_app

# Drawing six Plotly charts took a loaded 2-core machine (load 20) 45–55 s after the script
# finished, on main as on this branch: waits, not timings.
DRAW_TIMEOUT = 90_000

pytestmark = pytest.mark.browser

# This module uploads files: its own server and database copy, not the shared read-only one.
server = pytest.fixture(demo_server, scope="module", name="server")

# Every page the navigation lists (tests/browser/navigation.py reads dashboard.PAGES). Each
# opens, without an exception and with every chart drawn, in the board-ready tour
# (test_board_ready.py, three sizes), and by its URL in the journeys of its pillar.
PAGES = navigation.pages()


def _tile_value(tab, label: str) -> str:
    metric = tab.get_by_test_id("stMetric").filter(
        has=tab.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return metric.get_by_test_id("stMetricValue").inner_text()


def test_the_navigation_lists_exactly_the_pages_the_journeys_open(server, page):
    """The sidebar's links are the pages above: none missing from the journeys."""
    page.goto(server)
    wait_for_app(page)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links).to_have_count(len(PAGES), timeout=30_000)
    # read at once: counted, then read one by one, a link re-drawn in between timed out in CI
    # a link's text is its icon's ligature name, then its title
    shown = [text.strip().split("\n")[-1] for text in links.all_inner_texts()]
    assert shown == [p["title"] for p in PAGES]
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    for href, info in zip(hrefs, PAGES, strict=True):
        assert href.rstrip("/").endswith(info["path"]) or info["path"] == "", (href, info)


def test_filters_live_in_the_url(server, page):
    page.goto(f"{server}/?grain=quarter")
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(
        page.get_by_role("radio", name="Quarter", checked=True).or_(
            page.get_by_role("button", name="Quarter")
        )
    ).to_be_visible()
    assert "grain=quarter" in page.url


def test_delivery_sections_open_from_their_tab_and_their_link(server, page):
    page.goto(f"{server}/delivery")
    wait_for_app(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(6, timeout=DRAW_TIMEOUT)
    page.get_by_role("tab", name="Teams").click()
    expect(page.get_by_text("each against its own trend").first).to_be_visible(timeout=DRAW_TIMEOUT)
    wait_for_app(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "section=Teams" in page.url
    # The link opens on the same section.
    page.goto(page.url)
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Teams", selected=True)).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=DRAW_TIMEOUT)
    screenshot(page, "delivery-teams")


def test_clicking_a_trend_point_lists_the_rows_behind_it(server, page):
    page.goto(f"{server}/delivery")
    wait_for_app(page)
    chart = page.locator(".st-key-dora-0-deployment_frequency_per_week")
    points = chart.locator(".scatterlayer .points path")
    expect(points.first).to_be_attached(timeout=DRAW_TIMEOUT)
    points.nth(points.count() - 2).click(force=True)
    expect(page.get_by_text("Rows behind the point clicked: Deployments").first).to_be_visible(
        timeout=DRAW_TIMEOUT
    )
    wait_for_app(page)
    # The rows table under the chart: the only grid (the DORA tab's tier tables are static tables).
    expect(page.get_by_text("rows in deployments").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(page.get_by_test_id("stTable")).to_have_count(2)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "delivery-clicked-point")


def _upload(tab, server: str, file: Path) -> None:
    tab.goto(f"{server}/data")
    wait_for_app(tab)
    tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    expect(tab.get_by_text(file.name).first).to_be_visible()
    tab.get_by_role("button", name=re.compile("^.*Import$")).click()
    wait_for_app(tab)


def test_malformed_csv_is_refused_with_row_and_column(server, page, tmp_path):
    bad = tmp_path / "bad_work_items.csv"
    bad.write_text(
        "item_id,team,type,created_at\n"
        "BT-1,payments,feature,2026-09-01T10:00:00Z\n"
        "BT-2,payments,feature,not-a-date\n"
    )
    _upload(page, server, bad)
    alert = page.get_by_test_id("stAlert").filter(has_text="bad_work_items.csv")
    expect(alert.first).to_be_visible(timeout=30_000)
    text = alert.first.inner_text()
    assert "row 3" in text and "created_at" in text and "not-a-date" in text
    screenshot(page, "data-rejected")


def test_uploaded_csv_changes_the_overview(server, page, tmp_path):
    page.goto(server)
    wait_for_app(page)
    before = _tile_value(page, "Deploy frequency")

    rows = ["deploy_id,service,team,environment,deployed_at,commit_at,status"]
    for i in range(300):
        day = 5 + i % 25
        rows.append(
            f"bt-{i},browser-test,payments,production,2026-10-{day:02d}T12:00:00Z,2026-10-{day:02d}T09:00:00Z,success"
        )
    good = tmp_path / "deployments.csv"
    good.write_text("\n".join(rows) + "\n")
    _upload(page, server, good)
    expect(page.get_by_text("1 file loaded: 300 rows (300 new).")).to_be_visible(timeout=30_000)
    screenshot(page, "data-loaded")

    page.goto(server)
    wait_for_app(page)
    after = _tile_value(page, "Deploy frequency")
    assert after != before, (before, after)


def test_tool_exports_import_together_through_the_data_page(server, page):
    """Several real-layout exports in one upload: each is recognised and loaded."""
    exports = ROOT / "tests" / "fixtures" / "exports"
    files = [exports / "jira_cloud.csv", exports / "pagerduty_incidents.csv", exports / "github_prs.json"]
    page.goto(f"{server}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text("github_prs.json").first).to_be_visible()
    press_import(page, 3, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "data-tool-exports")
