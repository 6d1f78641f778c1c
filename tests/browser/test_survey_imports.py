"""Five survey exports through the Data page, as a VP would bring them (issue 11).

Google Forms (the 5-point "Somewhat" scale), Microsoft Forms saved by UK Excel (dates that
read two ways), Qualtrics (three header rows), SurveyMonkey (two) and a Culture Amp
workbook (a recommend statement beside the eNPS question). Before the import the page
shows each question's detected scale and the import's warnings, asks for what it cannot
decide (the date order, a dimension), then every file loads with its warnings shown; the
catalog's figures are then checked: each survey's organisation figures as computed by
hand, and its small team (under the threshold of 5) null.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lib import db, store
from lib.metrics import catalog
from lib.scope import Scope
from tests.browser.conftest import ROOT, press_import, screenshot, serve, wait_for_app
from tests.unit.survey_workbooks import culture_amp_workbook

pytestmark = pytest.mark.browser
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
# (file, quarter of its survey, its small team): tests/fixtures/exports/SURVEYS.md
SURVEYS = {
    "google_forms_somewhat_scale.csv": ((dt.date(2025, 4, 1), dt.date(2025, 7, 1)), "Data"),
    "ms_forms_pulse_uk.csv": ((dt.date(2025, 10, 1), dt.date(2026, 1, 1)), "Security"),
    "qualtrics_engagement.csv": ((dt.date(2025, 7, 1), dt.date(2025, 10, 1)), "Search"),
    "surveymonkey_engagement.csv": ((dt.date(2026, 1, 1), dt.date(2026, 4, 1)), "Web"),
    "culture_amp_extract.xlsx": ((dt.date(2025, 1, 1), dt.date(2025, 4, 1)), "Mobile"),
}


@pytest.fixture
def empty_server(tmp_path):
    database = tmp_path / "pillars.duckdb"
    con = db.connect(database)
    db.set_setting(con, "demo", "false")  # a new user's own data, no demo organisation
    con.close()
    with serve(database, tmp_path) as (url, _):
        yield url, database


def test_five_survey_exports_import_with_their_scales_warnings_and_anonymity(empty_server, page, tmp_path):
    url, database = empty_server
    files = [
        EXPORTS / "google_forms_somewhat_scale.csv",
        EXPORTS / "ms_forms_pulse_uk.csv",
        EXPORTS / "qualtrics_engagement.csv",
        EXPORTS / "surveymonkey_engagement.csv",
        culture_amp_workbook(tmp_path / "culture_amp_extract.xlsx"),
    ]
    page.set_viewport_size({"width": 1440, "height": 5200})
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(page.get_by_text("culture_amp_extract.xlsx, sheet Survey Responses").first).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)

    # Before the import: each file's questions with the scale their answers were read on.
    expect(page.get_by_text("Google Forms export · 15 responses")).to_be_visible()
    expect(
        page.get_by_text("Qualtrics export · 8 responses, 1 preview or test response left out")
    ).to_be_visible()
    expect(page.get_by_text("SurveyMonkey export · 7 responses")).to_be_visible()
    tables = page.get_by_test_id("stDataFrame")
    expect(tables.filter(has_text="5-point agreement scale, Somewhat wording").first).to_be_visible()
    expect(tables.filter(has_text="7-point agreement scale").first).to_be_visible()
    expect(tables.filter(has_text="5-point scale, 1–5").first).to_be_visible()
    notes = page.get_by_test_id("stAlert")
    expect(notes.filter(has_text="Columns not imported (personal data").first).to_be_visible()
    expect(
        notes.filter(has_text="Read on the 5-point agreement scale, Somewhat wording").first
    ).to_be_visible()
    # What cannot be decided waits for a choice: a dimension, and the UK file's date order.
    expect(page.get_by_text("Why it waits: not in the question bank.")).to_be_visible()
    uk = page.locator(".st-key-import-options-1")
    expect(uk.get_by_text("Choose the date order").first).to_be_visible()
    expect(uk.get_by_text("survey export").first).to_be_visible()
    expect(
        uk.get_by_text("could be 5 November 2025 (day first) or 11 May 2025 (month first)").first
    ).to_be_visible()
    screenshot(page, "data-survey-step")

    page.get_by_role("combobox", name="I would recommend Acme as a great place to work").click()
    page.get_by_role("option", name="New dimension…").click()
    wait_for_app(page)
    page.get_by_label("Name of the new dimension").fill("Engagement")
    page.get_by_label("Name of the new dimension").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name=re.compile("Save choices")).click()
    wait_for_app(page)
    expect(page.get_by_text("Why it waits")).to_have_count(0, timeout=60_000)
    uk = page.locator(".st-key-import-options-1")
    uk.get_by_role("combobox", name="Date order").click()
    page.get_by_role("option", name=re.compile("^Day first")).click()
    wait_for_app(page)
    expect(uk.get_by_text("Choose the date order")).to_have_count(0, timeout=60_000)

    press_import(page, 5, timeout=90_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="qualtrics_engagement.csv loaded with").first).to_be_visible()
    expect(alerts.filter(has_text="Responses not imported: Qualtrics survey previews").first).to_be_visible()
    expect(alerts.filter(has_text="SurveyMonkey writes dates month first").first).to_be_visible()
    screenshot(page, "data-survey-imported")

    with store.reading(database) as con:
        figures = {}
        for name, ((start, end), small) in SURVEYS.items():
            whole = catalog(con, Scope(start, end))["engagement"]
            team = catalog(con, Scope(start, end, teams=(small,)))["engagement"]
            assert whole["respondents"] and whole["index"] is not None, name
            assert team["respondents"] is None and team["enps"] is None and team["index"] is None, (
                name,
                small,
            )
            # each dimension of the wave listed, null (a slice under the threshold)
            assert team["favorability"] and set(team["favorability"].values()) == {None}, (name, small)
            figures[name] = whole
    assert figures["google_forms_somewhat_scale.csv"]["index"] == pytest.approx(0.8)
    assert figures["google_forms_somewhat_scale.csv"]["enps"] == pytest.approx(20.0)
    assert figures["ms_forms_pulse_uk.csv"]["survey_id"] == "2025-Q4"
    assert figures["ms_forms_pulse_uk.csv"]["respondents"] == 7
    assert figures["qualtrics_engagement.csv"]["favorability"] == {
        "psychological_safety": pytest.approx(14 / 22)
    }
    assert figures["surveymonkey_engagement.csv"]["index"] == pytest.approx(19 / 28)
    assert figures["culture_amp_extract.xlsx"]["enps"] == pytest.approx(0.0)
    assert figures["culture_amp_extract.xlsx"]["favorability"]["engagement"] == pytest.approx(5 / 8)


def test_a_survey_chosen_twice_and_two_surveys_sharing_a_name_import_without_a_crash(
    empty_server, page, tmp_path
):
    """The same export picked twice in one upload crashed the page (two survey steps with one
    key); two different exports with one name (from two folders) must both import."""
    url, database = empty_server
    same = EXPORTS / "google_forms_engagement.csv"
    other = tmp_path / "other" / "google_forms_engagement.csv"
    other.parent.mkdir()
    other.write_bytes((EXPORTS / "google_forms_somewhat_scale.csv").read_bytes())
    page.set_viewport_size({"width": 1440, "height": 3200})
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(same), str(same), str(other)])
    expect(
        page.get_by_text("google_forms_engagement.csv is chosen twice: it is imported once.")
    ).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    press_import(page, 2, timeout=90_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    with store.reading(database) as con:
        (loaded,) = con.execute(
            "select count(distinct sha256) from imports where status = 'loaded' and file_name = ?",
            [same.name],
        ).fetchone()
    assert loaded == 2  # the two different files, each once
