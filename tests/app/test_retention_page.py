"""The Retention & development page on the demo organisation, on an imported HRIS report only,
on a slice under the anonymity threshold, and without employee data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib import db
from lib.ingest.load import import_file
from lib.scope import default_scope
from lib.views import retention
from tests.app.conftest import assert_no_exception

HRIS = Path(__file__).resolve().parents[1] / "fixtures" / "hris"
PAGE = "pages/retention.py"
SECTIONS = {
    "Attrition": ["ret-headcount", "ret-attrition", "ret-by-org", "ret-first-year"],
    "Teams": ["ret-teams"],
    "Tenure": ["ret-survival"],
    "Careers": ["ret-promotions", "ret-time-to-promotion", "ret-levels"],
    "Managers": ["ret-span", "ret-coverage", "ret-coverage-trend"],
    "Locations and acquisitions": [
        "ret-by-location", "ret-by-sourcing", "ret-acquired-trend", "ret-acquired-survival", "ret-acquired-first-year",
    ],
    "Definitions": [],
}  # fmt: skip


def titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.fixture(autouse=True)
def _threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def test_tiles_state_the_catalog_values_on_the_demo(run_page, demo_db):
    at = run_page(demo_db, PAGE)
    assert_no_exception(at)
    con = db.connect(demo_db)
    summary = retention.retention_summary(con, default_scope(con))
    con.close()
    assert metric(at, "Attrition, last 12 months") == f"{summary['attrition_rate_ttm'] * 100:.0f}%"
    assert metric(at, "Headcount") == f"{summary['headcount_end']}"  # a head count, as the Overview's tile
    assert metric(at, "One-on-one coverage") == f"{summary['one_on_one_coverage'] * 100:.0f}%"
    assert metric(at, "Span of control (median)") == f"{summary['span_of_control_median']:g} reports"
    # an annualised rate says so: "37%" alone reads as a third of people promoted in a quarter
    assert metric(at, "Promotion rate (annualised)") == f"{summary['promotion_rate_annualized'] * 100:.0f}%"
    bands = " ".join(c.value for c in at.caption)
    assert "Mercer" in bands and "LinkedIn" in bands and "Grove" in bands


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_draws_its_charts_on_the_demo(run_page, demo_db, section):
    at = run_page(demo_db, PAGE, query={"section": section})
    assert_no_exception(at)
    drawn = titles(at)
    assert len(drawn) == len(SECTIONS[section]), drawn
    assert all(t and "no data" not in t.lower() for t in drawn), drawn


def test_definitions_and_the_separation_rules_live_on_their_own_tab(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={"section": "Definitions"})
    assert_no_exception(at)
    text = " ".join(m.value for m in at.markdown)
    assert "How leavers are classified as voluntary or involuntary" in text
    assert "mutual separation" in text


def test_the_demo_tells_its_retention_stories(run_page, demo_db):
    teams = run_page(demo_db, PAGE, query={"section": "Teams"})
    assert titles(teams)[0].startswith("Teams with the lowest psychological")
    groups = run_page(demo_db, PAGE, query={"section": "Locations and acquisitions"})
    text = " ".join(titles(groups))
    assert "Fjordline keeps" in text or "Fjordline lost" in text


def test_an_imported_hris_report_alone_draws_the_page(run_page, tmp_path):
    path = tmp_path / "hris.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    assert import_file(con, HRIS / "workday_workers.csv").ok
    con.close()
    query = {"from": "2025-01-01", "to": "2025-06-30"}
    at = run_page(path, PAGE, query=query)
    assert_no_exception(at)
    # a year before 2025-07-01: 1001 1002 1003 1005 1006 1007 = 6 (1004 left in Feb 2024, 1008 came back
    # in Oct 2024); at the end: 1001 1002 1005 1006 1008 = 5; leavers since: 1003 1007 → 2 ÷ 5.5
    assert metric(at, "Attrition, last 12 months") == "36%"
    assert metric(at, "Headcount") == "5"
    assert not at.warning
    for section in ("Tenure", "Managers", "Careers"):
        at = run_page(path, PAGE, query={**query, "section": section})
        assert_no_exception(at)


def test_a_slice_under_the_threshold_shows_only_the_reason(run_page, demo_db):
    at = run_page(demo_db, PAGE, query={"team": "security"})
    assert_no_exception(at)
    assert [w.value for w in at.warning] == [
        "Not shown: this selection has fewer than 5 people at the end of the period, the anonymity threshold. "
        "Widen the filters or the period to see retention figures."
    ]
    assert not at.metric and not at.get("plotly_chart")


def test_without_employees_the_page_says_what_to_import(run_page, empty_db):
    at = run_page(empty_db, PAGE)
    assert_no_exception(at)
    assert "No employee data" in at.warning[0].value
    assert not at.get("plotly_chart")


def test_the_headcount_tile_says_why_its_hires_and_leavers_do_not_add_up(run_page, tmp_path):
    # the second review: "132 · +3 · 8 hires, 6 leavers" (8 − 6 = 2): someone left on the period's
    # first day, which SPEC §5 counts as a separation but not in the start headcount
    from tests.unit.fixtures import app_file, make_db

    people = [dict(employee_id=f"e{i}", team="a", hire_date="2020-01-01") for i in range(8)]
    people += [dict(employee_id="new", team="a", hire_date="2025-08-01"),
               dict(employee_id="gone", team="a", hire_date="2020-01-01", termination_date="2025-07-01")]  # fmt: skip
    at = run_page(app_file(make_db(tmp_path, teams=[{"team": "a"}], employees=people)), PAGE,
                  query={"from": "2025-07-01", "to": "2025-09-30"})  # fmt: skip
    assert_no_exception(at)
    assert next(m for m in at.metric if m.label == "Headcount").value == "9"  # 8 at the start, 1 hire
    shown = "\n".join(e.value for e in (*at.markdown, *at.caption) if isinstance(e.value, str))
    assert (
        "1 hire, 1 leaver in the period · 1 leaver on the first day was already out of the start count"
        in shown
    )
    # (8 + 9) ÷ 2 people, not "among 8": the annualised rate is 1 ÷ 8.5 × 365 ÷ 92
    assert "1 leaver among 8.5 people on average, annualised: too few to compare" in shown
