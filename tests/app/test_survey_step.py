"""The Data page's survey step in AppTest: the detected scales and warnings before the import,
and the choices it saves for questions that wait (a dimension, a scale)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import db, survey_mappings
from tests.app.conftest import assert_no_exception

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from lib.ui.survey_mapping import mapping_step
ready = mapping_step({path!r}, {name!r}, key="step")
import streamlit as st
st.caption("ready" if ready else "waiting")
"""


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "pillars.duckdb"
    con = db.connect(path)
    db.set_setting(con, "demo", "false")
    con.close()
    monkeypatch.setenv("PILLARS_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


def step(path: Path, name: str | None = None) -> AppTest:
    at = AppTest.from_string(
        SCRIPT.format(root=str(ROOT), path=str(path), name=name or path.name), default_timeout=60
    )
    at.run()
    assert_no_exception(at)
    return at


def test_each_question_shows_its_dimension_scale_and_how_it_was_decided(empty_db):
    at = step(EXPORTS / "google_forms_somewhat_scale.csv")
    assert "Google Forms export · 15 responses" in at.markdown[0].value
    table = at.dataframe[0].value
    widths = {name: config.get("width") for name, config in json.loads(at.dataframe[0].proto.columns).items()}
    assert widths["Dimension"] == widths["Question"] == "medium"  # "Psychologic…" at 1280 px (a review)
    rows = {r["Question"]: (r["Dimension"], r["Scale"], r["Decided from"]) for r in table.to_dict("records")}
    assert rows["I can decide how to approach my work."] == (
        "Autonomy",
        "5-point agreement scale, Somewhat wording",
        "all of its labels",
    )
    assert rows["My workload is manageable over a normal working week."][2] == "the file's other questions"
    assert rows["How likely are you to recommend Acme as a place to work?"][:2] == (
        "eNPS",
        "0–10 likelihood to recommend",
    )
    (note,) = at.warning
    assert "Read on the 5-point agreement scale, Somewhat wording" in note.value
    assert (
        "Columns not imported (free-text or choice answers, not a rating scale): 'What could we do better?'"
        in note.value
    )
    assert at.caption[-1].value == "ready"


def test_a_question_outside_the_bank_waits_for_its_dimension_and_the_choice_is_saved(empty_db):
    at = step(EXPORTS / "culture_amp_engagement.csv")
    assert at.caption[-1].value == "waiting"
    question = "I would recommend Acme as a great place to work"
    box = next(s for s in at.selectbox if s.label == question)
    box.set_value("New dimension…").run()
    at.text_input[0].input("Engagement").run()
    at.button[0].click().run()
    assert_no_exception(at)
    con = db.connect(empty_db, read_only=True)
    assert survey_mappings.saved(con) == {"i would recommend acme as a great place to work": "engagement"}
    con.close()
    assert step(EXPORTS / "culture_amp_engagement.csv").caption[-1].value == "ready"


def test_a_scale_the_answers_cannot_show_is_chosen_and_saved(empty_db, tmp_path):
    path = tmp_path / "pulse.csv"
    path.write_text(
        "Timestamp,Team,I can decide how to approach my work.\n"
        + "".join(
            f"2025/10/0{d} 9:00:00 AM GMT+2,core,{a}\n"
            for d, a in enumerate(["Agree", "Strongly agree"] * 3, 1)
        )
    )
    at = step(path)
    box = next(s for s in at.selectbox if s.label.startswith("Scale of: I can decide"))
    assert box.options == [
        "5-point agreement scale",
        "7-point agreement scale",
        "6-point agreement scale",
        "4-point agreement scale",
    ]
    box.set_value("agree7").run()
    at.button[0].click().run()
    assert_no_exception(at)
    con = db.connect(empty_db, read_only=True)
    assert survey_mappings.saved_scales(con) == {"i can decide how to approach my work": "agree7"}
    con.close()


def test_a_file_that_is_no_survey_shows_nothing(empty_db):
    at = step(EXPORTS / "deployments.csv")
    assert not at.dataframe and at.caption[-1].value == "ready"
