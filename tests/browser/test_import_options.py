"""Real-layout exports through the Data page: the choices before the import, then the warnings.

Issue 10's inputs in their tools' layouts (tests/fixtures/exports/README.md): a Jira Server
"current fields" export, `pd incident list --csv`, Opsgenie alerts flattened from the API,
an HRIS workbook, and a template whose numeric dates no tool or value can order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, demo_server, press_import, screenshot, wait_for_app
from tests.unit.workbook_fixture import hris_workbook

pytestmark = pytest.mark.browser

# This module uploads files: its own server and database copy, not the shared read-only one.
server = pytest.fixture(demo_server, scope="module", name="server")


@pytest.fixture(scope="module")
def viewport() -> dict:
    """A tall tab: in a 1000-pixel one the date-order dropdown, low on the Data page, missed
    its option once in CI (the listbox opened while the page still scrolled)."""
    return {"width": 1440, "height": 2600}


EXPORTS = ROOT / "tests" / "fixtures" / "exports"


def test_real_exports_import_with_their_options_and_warnings(server, page, tmp_path):
    ambiguous = tmp_path / "one_on_ones.csv"
    ambiguous.write_text("manager_id,employee_id,held_at\nm-1,e-1,05/11/2025\nm-1,e-2,06/11/2025\n")
    files = [
        EXPORTS / "jira_server_current_fields.csv",
        EXPORTS / "pagerduty_cli_incidents.csv",
        EXPORTS / "opsgenie_api_alerts_flat.csv",
        hris_workbook(tmp_path / "hris.xlsx"),
        ambiguous,
    ]
    page.goto(f"{server}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    wait_for_app(page)

    # What was detected is filled in, per file.
    cli = page.locator(".st-key-import-options-1")
    expect(cli.get_by_text("pagerduty", exact=False).first).to_be_visible(timeout=60_000)
    expect(cli.get_by_role("combobox", name="Date order")).to_have_value("Month first: 05/11/2025 is May 11")
    expect(cli.get_by_text("Detected from the tool").first).to_be_visible()
    jira = page.locator(".st-key-import-options-0")
    expect(jira.get_by_text("How Jira's resolutions and statuses count").first).to_be_visible()
    expect(jira.get_by_test_id("stDataFrame")).to_have_count(1)
    unset = page.locator(".st-key-import-options-4")
    expect(unset.get_by_text("Choose the date order").first).to_be_visible()
    expect(
        unset.get_by_text("could be 5 November 2025 (day first) or 11 May 2025 (month first)").first
    ).to_be_visible()
    screenshot(page, "data-import-options")

    # The one file without an order gets one; the choice applies to it alone.
    unset.get_by_role("combobox", name="Date order").click()
    page.get_by_role("option", name=re.compile("^Day first")).click()
    wait_for_app(page)
    expect(unset.get_by_text("Choose the date order")).to_have_count(0)

    press_import(page, 5, timeout=60_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    warnings = page.get_by_test_id("stAlert")
    expect(warnings.filter(has_text="jira_server_current_fields.csv loaded with").first).to_be_visible()
    expect(warnings.filter(has_text="have no Resolved date in this export").first).to_be_visible()
    expect(
        warnings.filter(has_text="PagerDuty's CLI writes dates in the US English form").first
    ).to_be_visible()
    expect(warnings.filter(has_text="Opsgenie gives these alerts' teams as ids").first).to_be_visible()
    expect(warnings.filter(has_text="Sheet Pivot was not imported").first).to_be_visible()
    screenshot(page, "data-import-warnings")
