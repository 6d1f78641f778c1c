"""Wide survey exports: each tool's layout, scales, reverse items, mapping step, and the
promise that a wide and a long export of one survey give the same engagement numbers."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from lib import db, survey_mappings
from lib.ingest.load import import_file
from lib.metrics import catalog
from lib.scope import Scope

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "survey.duckdb")
    yield connection
    connection.close()


def rows(con, sql="select * from survey_responses order by _r", params=()):
    return con.execute(sql.replace("order by _r", "order by respondent_id, question_id"), params).df()


def test_google_forms_grid_labels_reverse_items_and_enps(con):
    result = import_file(con, EXPORTS / "google_forms_engagement.csv")
    assert result.ok, result.errors
    assert result.source_format == "survey_wide"
    df = rows(con)
    assert set(df["survey_id"]) == {"2025-Q3"}
    assert set(df["survey_date"].astype(str)) == {"2025-09-19"}  # the latest timestamp
    assert set(df["team"]) == {"Payments", "Search"}  # "payments" folded onto the usual spelling
    assert df["respondent_id"].str.contains("@").sum() == 0  # e-mails pseudonymised by the loader
    # 8 respondents × (4 safety + autonomy + workload + eNPS); the comment column is not stored
    assert len(df) == 8 * 7
    # ps1 is reverse-scored: "Disagree" (2) with "mistakes are held against you" stores 4
    first = con.execute(
        "select score from survey_responses where question_id = 'ps1' and team = 'Payments' order by score"
    ).fetchall()
    assert sorted(s for (s,) in first) == [2.0, 3.0, 4.0, 4.0, 5.0]
    enps = sorted(
        s for (s,) in con.execute("select score from survey_responses where dimension = 'enps'").fetchall()
    )
    assert enps == [3, 6, 7, 8, 9, 9, 10, 10]


def test_ms_forms_seven_point_scale_is_rescaled_linearly(con):
    result = import_file(con, EXPORTS / "ms_forms_pulse.csv")
    assert result.ok, result.errors
    got = dict(
        con.execute(
            "select question_id, list(score order by score) from survey_responses group by 1"
        ).fetchall()
    )
    # tr1 answers: Strongly agree ×2 (7), Agree ×2 (6), Somewhat agree (5), Somewhat disagree (3)
    assert got["tr1"] == pytest.approx([1 + 2 * 4 / 6, 1 + 4 * 4 / 6, 1 + 5 * 4 / 6, 1 + 5 * 4 / 6, 5, 5])
    # au3 is reverse-scored: "Strongly disagree" (1) stores 6 − 1 = 5
    assert max(got["au3"]) == 5 and min(got["au3"]) == pytest.approx(6 - 5)
    assert con.execute("select min(survey_date) from survey_responses").fetchone()[0] == dt.date(2025, 6, 20)
    # anonymous Forms responses fall back to the Forms response ID, one respondent per row
    assert con.execute("select count(distinct respondent_id) from survey_responses").fetchone()[0] == 6


def test_lattice_layout_skips_na_and_drops_demographics(con):
    result = import_file(con, EXPORTS / "lattice_survey_responses.csv")
    assert result.ok, result.errors
    columns = {r[0] for r in con.execute("describe survey_responses").fetchall()}
    assert "location" not in columns
    # 5 responses to ps3, one of them N/A: stored with an empty score (it counts for nothing)
    answered = "select count(*), count(score) from survey_responses where question_id = 'ps3'"
    assert con.execute(answered).fetchone() == (5, 4)
    assert con.execute("select survey_id from survey_responses limit 1").fetchone()[0] == "2025-Q4"


def test_unmapped_question_rejects_the_file_until_mapped_and_the_mapping_is_reused(con, tmp_path):
    first = import_file(con, EXPORTS / "culture_amp_raw_extract.csv")
    assert not first.ok
    assert "I have the tools I need to do my job well." in " ".join(first.errors)
    assert con.execute("select count(*) from survey_responses").fetchone()[0] == 0

    survey_mappings.save(con, "I have the tools I need to do my job well.", "enablement")
    second = import_file(con, EXPORTS / "culture_amp_raw_extract.csv")
    assert second.ok, second.errors
    assert (
        con.execute("select count(*) from survey_responses where dimension = 'enablement'").fetchone()[0] == 7
    )

    # the next wave, with the question in different case and punctuation, needs no new mapping
    wave2 = tmp_path / "culture_amp_2025-06.csv"
    text = (EXPORTS / "culture_amp_raw_extract.csv").read_text()
    wave2.write_text(
        text.replace(
            "I have the tools I need to do my job well.", "i have the tools i need to do my job well"
        ).replace("2025-03", "2025-06")
    )
    assert import_file(con, wave2).ok


def test_unreadable_answer_names_row_column_and_value(con, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Timestamp,Team,It is safe to take a risk on this team.\n2025-01-10,core,Agree\n2025-01-10,core,Maybe\n"
    )
    result = import_file(con, bad)
    assert not result.ok
    message = " ".join(result.errors)
    assert "row 3" in message and "Maybe" in message and "It is safe to take a risk" in message


# ---------------------------------------------------------------- wide vs long

LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
QUESTIONS = [  # (header, question_id, dimension, reverse)
    (
        "If you make a mistake on this team, it is often held against you.",
        "ps1",
        "psychological_safety",
        True,
    ),
    ("It is safe to take a risk on this team.", "ps4", "psychological_safety", False),
    ("I can decide how to approach my work.", "au1", "autonomy", False),
    ("I often work long hours to keep up.", "wl3", "workload", True),
    ("How likely are you to recommend Acme as a place to work?", "enps", "enps", False),
]


def test_wide_and_long_exports_of_one_survey_give_identical_engagement_numbers(tmp_path):
    import random

    rng = random.Random(11)
    teams = ["alpha"] * 7 + ["beta"] * 6 + ["gamma"] * 3
    answers = [
        [rng.randint(0, 10) if q[2] == "enps" else rng.randint(1, 5) for q in QUESTIONS] for _ in teams
    ]
    wide = tmp_path / "wide.csv"
    with wide.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Timestamp", "Email Address", "Team", *(q[0] for q in QUESTIONS)])
        for i, (team, row) in enumerate(zip(teams, answers, strict=True)):
            cells = [str(a) if q[2] == "enps" else LABELS[a] for q, a in zip(QUESTIONS, row, strict=True)]
            w.writerow([f"2025/09/{10 + i % 5} 9:00:00 AM GMT+1", f"p{i}@acme.example", team, *cells])
    long = tmp_path / "long.csv"
    with long.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["survey_id", "survey_date", "respondent_id", "team", "question_id", "dimension", "score"])
        for i, (team, row) in enumerate(zip(teams, answers, strict=True)):
            for (_, qid, dim, reverse), a in zip(QUESTIONS, row, strict=True):
                w.writerow(
                    ["2025-Q3", "2025-09-14", f"p{i}@acme.example", team, qid, dim, 6 - a if reverse else a]
                )

    scope = Scope(dt.date(2025, 7, 1), dt.date(2025, 10, 1))
    numbers = []
    for file in (wide, long):
        con = db.connect(tmp_path / f"{file.stem}.duckdb")
        result = import_file(con, file)
        assert result.ok, result.errors
        org = catalog(con, scope)["engagement"]
        alpha = catalog(con, Scope(scope.start, scope.end, teams=("alpha",)))["engagement"]
        gamma = catalog(con, Scope(scope.start, scope.end, teams=("gamma",)))["engagement"]
        numbers.append((org, alpha, gamma))
        con.close()
    assert numbers[0] == numbers[1]
    org, alpha, gamma = numbers[0]
    assert org["respondents"] == 16 and org["enps"] is not None and org["index"] is not None
    assert gamma["enps"] is None and gamma["index"] is None  # 3 respondents: under the threshold
