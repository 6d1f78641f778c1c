"""Issue 9 in Chromium: the Delivery page and the Overview show the literal tiers and the
notes beside the numbers (failed runs, incidents naming no deployment, runs without a
status), on a new user's own tool exports brought through the Data page.

Layouts: tests/fixtures/exports (README there says where each comes from); the status-less
file is the canonical deployments template without its `status` column.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lib import db
from tests.browser.conftest import ROOT, press_import, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
# [2025-07-01, 2025-09-30): the sidebar's "to" date is inclusive
PERIOD = "from=2025-07-01&to=2025-09-29"
DRAW_TIMEOUT = 90_000


@pytest.fixture
def empty_server(tmp_path):
    database = tmp_path / "pillars.duckdb"
    con = db.connect(database)
    db.set_setting(con, "demo", "false")
    con.close()
    with serve(database, tmp_path) as (url, _):
        yield url


def _import(page, url: str, files) -> None:
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text(files[-1].name).first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    press_import(page, len(files), timeout=90_000)


def _tile(page, label: str):
    """The tile's card: its value and the line under it (the innermost block holding the label)."""
    label = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stVerticalBlock").filter(has=label).last


def test_tiers_and_notes_on_the_delivery_page_and_the_overview(empty_server, page):
    url = empty_server
    page.set_viewport_size({"width": 1440, "height": 2400})
    # deployments.csv: 2 of its runs failed; the PagerDuty export: 3 incidents in the period, none naming a deployment
    _import(page, url, [EXPORTS / "deployments.csv", EXPORTS / "pagerduty_incidents.csv"])
    page.goto(f"{url}/delivery?{PERIOD}")
    wait_for_app(page)
    # 5 successful deployments in 13 weeks (tests/unit/test_formats_delivery.py): 0.38 a week, which
    # the bands read as medium, but on 5 events no tier is stated (METRICS.md, "Tiers on too few
    # events"); the two failed runs are no deployments
    frequency = _tile(page, "Deploy frequency")
    expect(frequency.get_by_test_id("stMetricValue")).to_have_text("0.38/wk")
    expect(
        frequency.get_by_text("5 successful deployments: too few for a DORA tier (20 needed)").first
    ).to_be_visible()
    expect(page.get_by_text(re.compile("medium tier"))).to_have_count(0)
    expect(page.get_by_text("Not counted as deployments: 2 failed deployment runs").first).to_be_visible()
    rate = _tile(page, "Change failure rate")
    expect(rate.get_by_text("3 of 3 incidents in the period name no deployment").first).to_be_visible()
    # no overall tier on keys that have none
    expect(page.get_by_text(re.compile(r"^Overall delivery performance"))).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "delivery-rules")

    page.goto(f"{url}/?{PERIOD}")
    wait_for_app(page)
    frequency = _tile(page, "Deploy frequency")
    expect(frequency.get_by_test_id("stMetricValue")).to_have_text(re.compile(r"^0\.38"))
    expect(
        frequency.get_by_text("5 successful deployments: too few for a DORA tier (20 needed)").first
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"tier overall"))).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "overview-rules")


def test_deployments_without_a_status_are_warned_and_never_zero(empty_server, page, tmp_path):
    url = empty_server
    page.set_viewport_size({"width": 1440, "height": 2400})
    plain = tmp_path / "deployments_no_status.csv"
    plain.write_text(
        "deploy_id,service,team,environment,deployed_at,commit_at\n"
        "d1,api,payments,production,2025-08-04T10:00:00Z,2025-08-04T08:00:00Z\n"
        "d2,api,payments,production,2025-08-06T10:00:00Z,2025-08-05T10:00:00Z\n"
        "d3,web,growth,prod-eu,2025-08-08T10:00:00Z,2025-08-08T04:00:00Z\n"
    )
    _import(page, url, [plain])
    expect(page.get_by_text("The file has no status column").first).to_be_visible()
    page.goto(f"{url}/delivery?{PERIOD}")
    wait_for_app(page)
    frequency = _tile(page, "Deploy frequency")
    expect(frequency.get_by_test_id("stMetricValue")).to_have_text("—")
    expect(frequency.get_by_text("No data: no production run in the period has a status")).to_be_visible()
    expect(
        page.get_by_text("3 production deployment runs in this period, but none has a status").first
    ).to_be_visible()
    expect(page.get_by_text(re.compile("low tier"))).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "delivery-no-status")
