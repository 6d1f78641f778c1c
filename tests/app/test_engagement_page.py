"""The People engagement page on the demo organisation and on an imported survey only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lib import db
from lib.ingest.load import import_file
from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import make_db
from tests.unit.survey_fixture import TEAMS, survey_rows
from tests.unit.test_survey_waves import december, november

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
PAGE = "pages/engagement.py"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from lib.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    build_demo(con)
    con.close()
    return path


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_renders_on_the_demo_organisation(run_page, demo_db):
    at = run_page(demo_db, PAGE)
    assert_no_exception(at)
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Engagement index", "eNPS"]
    assert re.match(r"^\d+%$", at.metric[0].value)
    assert len(at.get("plotly_chart")) >= 5
    # the survey tile names waves in words, never by the export's id ("engagement-2026-10")
    closed = [m for m in at.metric if m.label == "Survey closed"]
    assert closed
    text = texts(at)
    assert re.search(r"[A-Z][a-z]{2} \d{4} survey · compared with the [A-Z][a-z]{2} \d{4} survey", text)
    assert "engagement-20" not in text


def test_renders_with_only_an_imported_wide_survey(run_page, tmp_path):
    path = tmp_path / "survey.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    assert import_file(con, EXPORTS / "google_forms_engagement.csv").ok
    con.close()
    at = run_page(path, PAGE, query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    assert at.metric[0].label == "Engagement index"
    assert at.metric[0].value != "—"


def test_two_pulses_of_one_quarter_are_two_waves(run_page, tmp_path):
    path = tmp_path / "pulses.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    assert import_file(con, november(tmp_path)).ok and import_file(con, december(tmp_path)).ok
    con.close()
    at = run_page(path, PAGE, query={"from": "2026-10-01", "to": "2026-12-31"})
    assert_no_exception(at)
    text = texts(at)
    assert "Dec 2026 survey · compared with the Nov 2026 survey" in text
    assert "2026-Q4" not in text
    # a handful of people in each pulse: the tiles show no change, as the change chart's title
    # says "too few to call a change" (a review saw "-29 pts" in red beside it)
    assert all(not m.delta for m in at.metric if m.label in ("Engagement index", "eNPS"))


def test_suppressed_cells_say_why_and_a_small_slice_shows_no_numbers(run_page, tmp_path):
    path = tmp_path / "small.duckdb"
    con = make_db(tmp_path, teams=TEAMS, survey_responses=survey_rows())
    db.set_setting(con, "demo", "false")
    file = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    at = run_page(Path(file), PAGE, query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    assert "fewer than 5 respondents" in texts(at)
    small = run_page(Path(file), PAGE, query={"from": "2025-07-01", "to": "2025-09-30", "team": "cygnus"})
    assert_no_exception(small)
    values = {m.label: m.value for m in small.metric}
    assert values["Engagement index"] == "—" and values["eNPS"] == "—" and values["Participation"] == "—"
    assert "No figures for this selection" in texts(small)
    for chart in small.get("plotly_chart"):  # what is drawn carries no figure, only "hidden"
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            cells = [
                c for row in (trace.get("text") or []) for c in (row if isinstance(row, list) else [row])
            ]
            assert all(c in ("", "hidden") for c in cells), cells
    del path
