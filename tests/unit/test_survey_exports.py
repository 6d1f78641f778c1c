"""Issue 11: survey exports read right, each failing input's kind with hand-computed values.

Fixtures (tests/fixtures/exports/SURVEYS.md says where each layout comes from):
- google_forms_somewhat_scale.csv: 15 responses on the 5-point "Somewhat" scale;
- culture_amp_engagement.csv (and as a workbook): an "I would recommend Acme as a great
  place to work" agreement item (1–5) beside the 0–10 eNPS question;
- qualtrics_engagement.csv (three header rows) and surveymonkey_engagement.csv (two);
- ms_forms_pulse_uk.csv: a UK Microsoft Forms export whose dates read two ways.
Every file has a team under the anonymity threshold of 5, whose figures must be null.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import db, survey_mappings
from lib.ingest.load import import_file, options_for
from lib.metrics import catalog
from lib.scope import Scope
from tests.unit.survey_workbooks import culture_amp_workbook, qualtrics_workbook

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "surveys.duckdb")
    yield connection
    connection.close()


def engagement(con, start, end, team=None):
    scope = Scope(start, end, teams=(team,)) if team else Scope(start, end)
    return catalog(con, scope)["engagement"]


def assert_suppressed(figures):
    assert figures["respondents"] is None and figures["enps"] is None and figures["index"] is None
    # each dimension of the wave is listed, null (SPEC §5: a slice under the threshold is null)
    assert figures["favorability"] and set(figures["favorability"].values()) == {None}


def warnings_of(result, code):
    return [w for w in result.warnings if w.code == code]


# ---------------------------------------------------------------- 1. scales from the whole label set


def test_google_forms_somewhat_scale_is_five_points(con):
    result = import_file(con, EXPORTS / "google_forms_somewhat_scale.csv")
    assert result.ok, result.errors
    assert result.source_format == "survey_wide"
    # autonomy: 6 Strongly agree + 6 Somewhat agree of 15 answers; workload: 3 + 9 of 15
    # eNPS: 6 promoters (9–10), 3 detractors (0–6) of 15 → 100 × (6 − 3) ÷ 15
    figures = engagement(con, dt.date(2025, 4, 1), dt.date(2025, 7, 1))
    assert figures["survey_id"] == "2025-Q2" and figures["respondents"] == 15
    assert figures["favorability"] == {"autonomy": pytest.approx(12 / 15), "workload": pytest.approx(12 / 15)}
    assert figures["index"] == pytest.approx(24 / 30)
    assert figures["enps"] == pytest.approx(20.0)
    stored = dict(
        con.execute("select distinct score, 1 from survey_responses where question_id = 'au1'").fetchall()
    )
    assert sorted(stored) == [1, 2, 3, 4, 5]  # Somewhat disagree 2, Somewhat agree 4
    # The last response, 10 May 1:30 AM GMT+2, was 9 May 23:30 UTC: the survey date.
    assert con.execute("select distinct survey_date from survey_responses").fetchall() == [
        (dt.date(2025, 5, 9),)
    ]
    # workload's answers lack Strongly disagree: its scale comes from autonomy's, and the import says so
    (assumed,) = warnings_of(result, "survey_scale_assumed")
    assert (
        "My workload is manageable" in assumed.message
        and "5-point agreement scale, Somewhat wording" in assumed.message
    )
    (dropped,) = warnings_of(result, "survey_columns_not_imported")
    assert "'What could we do better?'" in dropped.message and "free-text" in dropped.message
    assert_suppressed(engagement(con, dt.date(2025, 4, 1), dt.date(2025, 7, 1), "Data"))  # 3 respondents


def test_a_column_whose_scale_cannot_be_decided_is_refused_naming_its_labels(con, tmp_path):
    path = tmp_path / "pulse.csv"
    path.write_text(
        "Timestamp,Team,I can decide how to approach my work.\n"
        + "".join(
            f"2025/10/0{d} 9:00:00 AM GMT+2,core,{a}\n"
            for d, a in enumerate(["Agree", "Strongly agree"] * 3, 1)
        )
    )
    refused = import_file(con, path)
    assert not refused.ok
    assert "cannot be decided" in refused.error and "'Agree', 'Strongly agree'" in refused.error
    assert "5-point agreement" in refused.error and "7-point agreement" in refused.error
    survey_mappings.save_scale(con, "I can decide how to approach my work.", "agree7")
    loaded = import_file(con, path)
    assert loaded.ok, loaded.errors
    scores = {s for (s,) in con.execute("select distinct round(score, 4) from survey_responses").fetchall()}
    assert scores == {round(1 + 5 * 4 / 6, 4), 5.0}  # Agree is the 6th of 7 answers
    assert warnings_of(loaded, "survey_scale_assumed")[0].detail == "agree7"


# ---------------------------------------------------------------- 2. eNPS by its scale, one id per column


def _culture_amp(con, path):
    first = import_file(con, path)
    assert not first.ok and "I would recommend Acme as a great place to work" in first.error
    assert con.execute("select count(*) from survey_responses").fetchone()[0] == 0
    survey_mappings.save(con, "I would recommend Acme as a great place to work", "engagement")
    result = import_file(con, path)
    assert result.ok, result.errors
    return result


@pytest.mark.parametrize("as_workbook", [False, True])
def test_culture_amp_recommend_item_is_an_agreement_item_beside_the_enps_question(con, tmp_path, as_workbook):
    path = (
        culture_amp_workbook(tmp_path / "extract.xlsx")
        if as_workbook
        else EXPORTS / "culture_amp_engagement.csv"
    )
    _culture_amp(con, path)
    ids = dict(con.execute("select question_id, dimension from survey_responses group by all").fetchall())
    assert ids == {
        "ps4": "psychological_safety",
        "gr2": "growth",
        "q_i_would_recommend_acme_as_a_great_place_to_work": "engagement",
        "enps": "enps",
    }
    figures = engagement(con, dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    # eNPS over the 0–10 column only: 9, 10, 9 promote, 6, 5, 2 detract, of 8 → 0 (not −100)
    assert figures["enps"] == pytest.approx(0.0)
    # the recommend item (1–5): 5, 4, 5, 4, 4 of 8 are 4 or 5
    assert figures["favorability"]["engagement"] == pytest.approx(5 / 8)
    assert figures["favorability"]["psychological_safety"] == pytest.approx(5 / 8)
    assert figures["favorability"]["growth"] == pytest.approx(4 / 7)  # one growth answer left blank
    assert figures["index"] == pytest.approx(14 / 23)
    assert con.execute("select survey_date from survey_responses limit 1").fetchone()[0] == dt.date(
        2025, 3, 14
    )
    assert_suppressed(engagement(con, dt.date(2025, 1, 1), dt.date(2025, 4, 1), "Mobile"))  # 3 respondents


def _wide(tmp_path, name, header, answers):
    path = tmp_path / name
    lines = [f"Timestamp,Team,{header}"]
    lines += [f"2025/10/0{1 + i % 9} 9:00:00 AM GMT+2,core,{a}" for i, a in enumerate(answers)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_enps_wording_answered_on_an_agreement_scale_waits_for_a_dimension(con, tmp_path):
    header = (
        '"How likely are you to recommend Acme as a place to work?","It is safe to take a risk on this team."'
    )
    path = _wide(
        tmp_path, "likert.csv", header, [f"{a},Agree" for a in ["Agree", "Strongly agree", "Disagree"] * 2]
    )
    refused = import_file(con, path)
    assert (
        not refused.ok and "worded like the eNPS question" in refused.error and "agreement" in refused.error
    )
    numbers = _wide(tmp_path, "numbers.csv", header, [f"{a},Agree" for a in [1, 2, 4, 5, 3, 4]])
    refused = import_file(con, numbers)
    assert not refused.ok and "does not show a 0–10 scale" in refused.error


def test_two_enps_columns_never_collapse_into_one_question(con, tmp_path):
    header = (
        '"How likely are you to recommend Acme as a place to work?",'
        '"How likely are you to recommend your team as a place to work?"'
    )
    path = _wide(tmp_path, "two.csv", header, ["9,3", "10,6", "7,8", "2,10", "8,9"])
    refused = import_file(con, path)
    assert not refused.ok and "two columns are the eNPS question" in refused.error
    survey_mappings.save(
        con, "How likely are you to recommend your team as a place to work?", survey_mappings.SKIP
    )
    loaded = import_file(con, path)
    assert loaded.ok, loaded.errors
    scores = sorted(
        s for (s,) in con.execute("select score from survey_responses where dimension = 'enps'").fetchall()
    )
    assert scores == [2, 7, 8, 9, 10]  # the company question's answers, each respondent once
    (skipped,) = warnings_of(loaded, "survey_columns_not_imported")
    assert "skipped by your saved mapping" in skipped.message and "your team" in skipped.message


def test_one_question_asked_twice_keeps_both_columns(con, tmp_path):
    header = '"About your team [It is safe to take a risk on this team.]","About your org [It is safe to take a risk on this team.]"'
    path = _wide(
        tmp_path,
        "twice.csv",
        header,
        ["Agree,Disagree", "Strongly agree,Neither agree nor disagree", "Strongly disagree,Agree"],
    )
    result = import_file(con, path)
    assert result.ok, result.errors
    counts = dict(con.execute("select question_id, count(score) from survey_responses group by 1").fetchall())
    assert counts == {"ps4": 3, "ps4_2": 3}
    assert "ps4, ps4_2" in warnings_of(result, "survey_repeated_question")[0].message


# ---------------------------------------------------------------- 3. multi-row headers


@pytest.mark.parametrize("as_workbook", [False, True])
def test_qualtrics_three_header_rows(con, tmp_path, as_workbook):
    path = (
        qualtrics_workbook(tmp_path / "qualtrics.xlsx")
        if as_workbook
        else EXPORTS / "qualtrics_engagement.csv"
    )
    result = import_file(con, path)
    assert result.ok, result.errors
    assert result.source_format == "qualtrics"
    ids = {q for (q,) in con.execute("select distinct question_id from survey_responses").fetchall()}
    assert ids == {"ps4", "ps2", "ps5", "enps"}  # matched on the statements of row 2
    # the preview (row 4) is left out: 8 responses, the partial one with its one answer
    assert con.execute("select count(distinct respondent_id) from survey_responses").fetchone()[0] == 8
    assert con.execute("select count(*), count(score) from survey_responses").fetchone() == (32, 29)
    (previews,) = warnings_of(result, "survey_rows_not_imported")
    assert previews.rows == (4,) and "previews" in previews.message
    # 19 September 18:30 in America/Los_Angeles (row 3's time zone) is 20 September 01:30 UTC
    assert con.execute("select distinct survey_date from survey_responses").fetchall() == [
        (dt.date(2025, 9, 20),)
    ]
    figures = engagement(con, dt.date(2025, 7, 1), dt.date(2025, 10, 1))
    # ps4: 5 of 8 at 4–5; ps2: 5 of 7; ps5 (reversed, 6 − answer): 4 of 7
    assert figures["favorability"] == {"psychological_safety": pytest.approx(14 / 22)}
    assert figures["enps"] == pytest.approx(100 * (3 - 2) / 7)
    assert_suppressed(engagement(con, dt.date(2025, 7, 1), dt.date(2025, 10, 1), "Search"))
    stored = " ".join(str(v) for row in con.execute("select * from survey_responses").fetchall() for v in row)
    assert "e-1001" not in stored and "@" not in stored and "Lisbon" not in stored
    listed = " ".join(w.message for w in warnings_of(result, "survey_columns_not_imported"))
    for column in ("Recipient First Name", "IP Address", "Response Type", "Which office do you work from?"):
        assert column in listed


def test_a_qualtrics_export_without_ratings_is_refused_as_a_survey_never_as_another_table(con, tmp_path):
    lines = (EXPORTS / "qualtrics_engagement.csv").read_text().splitlines()
    keep = list(range(17)) + [23]  # the metadata and the free-text question
    path = tmp_path / "comments.csv"
    path.write_text("\n".join(",".join(_cells(line)[i] for i in keep) for line in lines) + "\n")
    result = import_file(con, path)
    assert not result.ok and not result.unrecognised
    assert "no rating questions" in result.error and "deployments" not in result.error


def _cells(line):
    import csv

    return ['"' + c.replace('"', '""') + '"' for c in next(csv.reader([line]))]


def test_surveymonkey_two_header_rows(con):
    result = import_file(con, EXPORTS / "surveymonkey_engagement.csv")
    assert result.ok, result.errors
    assert result.source_format == "surveymonkey"
    ids = {q for (q,) in con.execute("select distinct question_id from survey_responses").fetchall()}
    assert ids == {"au1", "au2", "tr1", "tr2", "enps"}  # the matrix rows of row 2
    figures = engagement(con, dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    assert figures["respondents"] == 7
    assert figures["favorability"] == {"autonomy": pytest.approx(11 / 14), "trust": pytest.approx(8 / 14)}
    assert figures["index"] == pytest.approx(19 / 28)
    assert figures["enps"] == pytest.approx(100 * (3 - 2) / 7)
    assert con.execute("select distinct survey_date from survey_responses").fetchall() == [
        (dt.date(2026, 1, 16),)
    ]
    (order,) = warnings_of(result, "date_order")
    assert "SurveyMonkey writes dates month first" in order.message
    assert_suppressed(engagement(con, dt.date(2026, 1, 1), dt.date(2026, 4, 1), "Web"))


# ---------------------------------------------------------------- 4. dates through the one parser


def test_a_uk_microsoft_forms_export_is_refused_until_its_date_order_is_set(con):
    refused = import_file(con, EXPORTS / "ms_forms_pulse_uk.csv")
    assert not refused.ok
    assert "row 2, column Completion time: '05/11/2025 09:12:44'" in refused.error
    assert "5 November 2025 (day first) or 11 May 2025 (month first)" in refused.error
    assert "--date-order" in refused.error
    assert import_file(con, EXPORTS / "ms_forms_pulse_uk.csv", options_for(con, date_order="dmy")).ok
    assert con.execute("select distinct survey_id, survey_date from survey_responses").fetchall() == [
        ("2025-Q4", dt.date(2025, 11, 7))
    ]
    assert_suppressed(engagement(con, dt.date(2025, 10, 1), dt.date(2026, 1, 1), "Security"))  # 3 respondents
    assert engagement(con, dt.date(2025, 10, 1), dt.date(2026, 1, 1))["respondents"] == 7


def test_the_user_s_date_order_overrides_the_tool_s(con):
    result = import_file(con, EXPORTS / "surveymonkey_engagement.csv", options_for(con, date_order="dmy"))
    # 01/13/2026 is no date day first: the user's order is applied as given, never second-guessed
    assert not result.ok
    assert (
        "row 5, column End Date: '01/13/2026 08:09:02 AM' is not a date (and 4 more problems)" in result.error
    )


def test_a_date_in_the_file_name_when_there_is_no_date_column(con, tmp_path):
    path = tmp_path / "pulse_2025-06-30.csv"
    answers = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    path.write_text(
        "Team,It is safe to take a risk on this team.\n" + "".join(f"core,{a}\n" for a in answers)
    )
    result = import_file(con, path)
    assert result.ok, result.errors
    assert con.execute("select distinct survey_id, survey_date from survey_responses").fetchall() == [
        ("2025-Q2", dt.date(2025, 6, 30))
    ]
    assert warnings_of(result, "survey_date_from_file_name")


def test_the_data_page_is_told_before_the_import_that_the_order_is_needed(con):
    from lib.ingest.preview import inspect_file

    found = inspect_file(con, EXPORTS / "ms_forms_pulse_uk.csv")
    assert found.needs_order and found.error is None and found.source_format == "survey_wide"
    assert found.date_order_note.startswith("row 2, column Completion time: '05/11/2025 09:12:44' could be")
    assert (
        inspect_file(con, EXPORTS / "ms_forms_pulse_uk.csv", options_for(con, date_order="dmy")).prefill_order
        == "dmy"
    )
    monkey = inspect_file(con, EXPORTS / "surveymonkey_engagement.csv")
    assert monkey.source_format == "surveymonkey" and monkey.date_order_status == "tool"
    assert monkey.prefill_order == "mdy"


def test_a_second_survey_in_the_same_quarter_is_kept_apart_and_says_so(con):
    assert import_file(con, EXPORTS / "ms_forms_pulse_uk.csv", options_for(con, date_order="dmy")).ok
    again = import_file(con, EXPORTS / "ms_forms_pulse_uk.csv", options_for(con, date_order="dmy"))
    assert not warnings_of(again, "survey_joins_existing")  # the same survey imported again
    # Submitted 1 to 5 December, every answer after 7 November: 2025-Q4 too, yet another survey
    lattice = import_file(con, EXPORTS / "lattice_survey_responses.csv")
    assert not warnings_of(lattice, "survey_joins_existing")
    (apart,) = warnings_of(lattice, "survey_kept_apart")
    assert (
        "dated 01 to 05 December 2025, are read as their own survey, 2025-Q4 (05 Dec): every answer in it is "
        "dated after 07 November 2025, the last answer of survey 2025-Q4" in apart.message
    )
    assert con.execute(
        "select survey_id, survey_date, count(distinct respondent_id) from survey_responses group by all order by 2"
    ).fetchall() == [("2025-Q4", dt.date(2025, 11, 7), 7), ("2025-Q4 (05 Dec)", dt.date(2025, 12, 5), 5)]
