"""The Skills & capabilities page in Chromium: the AI sections opened from their links on the
demo organisation (the board-ready tour draws every section), the same page drawn from
imported files only, and AI exports uploaded through the Data page with their warnings shown. Screenshots land in tests/browser/screenshots/skills-*.png."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, _free_port, _wait_healthy, press_import, screenshot, wait_for_app

pytestmark = pytest.mark.browser
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
SECTIONS = {"Skills matrix": 2, "Learning": 3, "AI adoption": 7, "AI and delivery": 2}


def _open(page, url: str, charts: int) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts, timeout=60_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached(timeout=30_000)


# Every section is drawn in Chromium by the board-ready tour (tests/browser/test_board_ready.py,
# by its tab) and by AppTest (tests/app/test_skills_page.py); here the sections whose text the
# browser must show are opened by their links, as a shared link opens them.
@pytest.mark.parametrize("section", ["AI adoption", "AI and delivery"])
def test_a_section_opens_from_its_link_on_the_demo(server, page, section):
    _open(page, f"{server}/skills?section={section.replace(' ', '+')}", SECTIONS[section])
    expect(page.get_by_role("tab", name=section, selected=True)).to_be_visible()
    if section == "AI and delivery":
        expect(page.get_by_text(re.compile("Change lead time fell in")).first).to_be_attached()
        expect(page.get_by_text("DORA's 2024 Accelerate State of DevOps report", exact=False)).to_be_visible()
    screenshot(page, f"skills-demo-{section.lower().replace(' ', '-')}")


@pytest.fixture(scope="module")
def imported_server(tmp_path_factory):
    """A server on a database holding only imported files (no demo)."""
    from lib import db
    from lib.ingest.load import import_file

    workdir = tmp_path_factory.mktemp("skills-imported")
    path = workdir / "pillars.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    people = workdir / "employees.csv"
    people.write_text(
        "employee_id,team,hire_date\nE-101,payments,2020-01-01\nE-102,platform,2021-03-01\n"
        "E-103,platform,2022-06-01\nE-104,payments,2023-02-01\n"
    )
    teams = workdir / "teams.csv"
    teams.write_text("team,org,location\npayments,Commerce,Berlin\nplatform,Platform,Lisbon\n")
    files = [
        teams, people,
        EXPORTS / "skills" / "matrix_wide_labels.csv", EXPORTS / "skills" / "team_targets_wide.csv",
        EXPORTS / "learning" / "innovation_activities.csv", EXPORTS / "ai" / "copilot_org_28_day_report.json",
        EXPORTS / "ai" / "ai_daily_usage_generic.csv", EXPORTS / "ai" / "user_teams.csv",
    ]  # fmt: skip
    for file in files:
        result = import_file(con, file)
        assert result.ok, result.error
    con.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(workdir / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "PILLARS_DB": str(path)}, stdout=log, stderr=subprocess.STDOUT,
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


def test_the_page_draws_from_imported_files(imported_server, page):
    period = "from=2025-01-01&to=2025-10-31"
    _open(page, f"{imported_server}/skills?{period}", 2)
    expect(page.get_by_text("Demo data")).to_have_count(0)
    risks = page.get_by_test_id("stMetric").filter(has_text="Bus-factor risks")
    # python is held at 3+ by E-101 and E-102; nobody holds kubernetes or security at 3+: no risk
    expect(risks.get_by_test_id("stMetricValue")).to_have_text("0")
    # four employees: under the anonymity threshold, per-person figures are hidden, never shown
    gaps = page.get_by_test_id("stMetric").filter(has_text="Skills below target")
    expect(gaps.get_by_test_id("stMetricValue")).to_have_text("—")
    expect(page.get_by_text("Hidden: fewer than 5 people in the filter").first).to_be_visible()
    screenshot(page, "skills-imported-matrix")
    _open(page, f"{imported_server}/skills?{period}&section=Learning", 3)
    screenshot(page, "skills-imported-learning")
    _open(page, f"{imported_server}/skills?{period}&section=AI+adoption", 7)
    screenshot(page, "skills-imported-ai-adoption")


def test_ai_exports_uploaded_on_the_data_page_show_their_warnings(imported_server, page):
    files = [EXPORTS / "ai" / "copilot_seats.json", EXPORTS / "ai" / "copilot_users_report.ndjson"]
    page.goto(f"{imported_server}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text("copilot_seats.json").first).to_be_visible()  # long names are shortened
    press_import(page, 2, timeout=60_000)
    expect(page.get_by_text("no login or e-mail is stored", exact=False).first).to_be_visible()
    screenshot(page, "skills-data-ai-warnings")
