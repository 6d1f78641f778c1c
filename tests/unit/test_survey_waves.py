"""Two pulses of one quarter without a `Survey` column: neither replaces the other.

A reviewer imported a November Google Forms pulse, then a December one answered by the same
people: both read as survey 2026-Q4, so the December import updated every November answer
and the Engagement page showed one wave. Their files (tests/fixtures/exports/
google_forms_pulse_nov_2026.csv and _dec_2026.csv) close 12 November and 2 December, 20
days apart: what tells them apart is what they hold. Every December answer is dated after
November's last one, while a later export of November's survey would still hold
November's answers (`lib/ingest/formats/_survey_ids.py`); a file with one date for all its
answers is placed by the 21 days. The files written below have Google Forms' shape (a
Timestamp with its GMT offset, the e-mail, a grid question, a 0–10 eNPS question); five
people answer three questions, so each file is 15 rows. `november` answers 8 to
10 November, `december` 1 to 2 December.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import db
from lib.ingest.import_log import undo_import
from lib.ingest.load import import_file
from lib.scope import Scope
from lib.views import engagement_detail

HEADER = (
    "Email Address,What team are you on?,"
    "How much do you agree with each statement? [It is safe to take a risk on this team.],"
    "I can decide how to approach my work.,How likely are you to recommend Acme as a place to work?\n"
)
PEOPLE = ("a", "b", "c", "d", "e")
ANSWERS = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
QUARTER = Scope(dt.date(2026, 10, 1), dt.date(2027, 1, 1))


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "waves.duckdb")
    yield connection
    connection.close()


def pulse(
    tmp_path, name: str, days: list[str], shift: int = 0, people=PEOPLE, dated: str | None = "Timestamp"
) -> str:
    """A Google Forms export: person i answered on days[i % len(days)] (YYYY/MM/DD), their
    answers turned `shift` places along the scale so that two pulses score differently.
    `dated`: "Timestamp", each answer's own time; "Survey date", the day alone under that
    header (one date for the file); None, no date column (the file name must hold one)."""
    lines = [f"{dated},{HEADER}" if dated else HEADER]
    for i, person in enumerate(people):
        answer = ANSWERS[(i + shift) % 5]
        day = days[i % len(days)]
        when = f"{day} 9:{i:02d}:00 AM GMT+1," if dated == "Timestamp" else f"{day}," if dated else ""
        lines.append(f"{when}{person}@acme.example,Payments,{answer},{answer},{(2 * i + shift) % 11}\n")
    path = tmp_path / name
    path.write_text("".join(lines))
    return str(path)


def november(tmp_path) -> str:
    return pulse(tmp_path, "pulse_nov.csv", ["2026/11/08", "2026/11/09", "2026/11/10"])


def december(tmp_path) -> str:
    return pulse(tmp_path, "pulse_dec.csv", ["2026/12/01", "2026/12/02"], shift=2)


def rows_by_survey(con) -> dict[str, tuple[int, dt.date]]:
    found = con.execute(
        "select survey_id, count(*), max(survey_date) from survey_responses group by survey_id"
    ).fetchall()
    return {sid: (n, day) for sid, n, day in found}


def scores(con, survey_id: str) -> list[float | None]:
    query = "select score from survey_responses where survey_id = ? order by respondent_id, question_id"
    return [r[0] for r in con.execute(query, [survey_id]).fetchall()]


def warnings_of(result, code):
    return [w.message for w in result.warnings if w.code == code]


def test_a_pulse_a_month_later_is_its_own_survey(con, tmp_path):
    nov = import_file(con, november(tmp_path))
    assert nov.ok, nov.errors
    kept = scores(con, "2026-Q4")
    dec = import_file(con, december(tmp_path))
    assert dec.ok, dec.errors
    assert dec.changes["survey_responses"].new == 15 and dec.changes["survey_responses"].updated == 0
    assert rows_by_survey(con) == {
        "2026-Q4": (15, dt.date(2026, 11, 10)),
        "2026-Q4 (02 Dec)": (15, dt.date(2026, 12, 2)),
    }
    assert scores(con, "2026-Q4") == kept  # November's answers as they were
    assert scores(con, "2026-Q4 (02 Dec)") != kept
    assert warnings_of(dec, "survey_kept_apart") == [
        "This file's answers, dated 01 to 02 December 2026, are read as their own survey, 2026-Q4 (02 Dec): "
        "every answer in it is dated after 10 November 2026, the last answer of survey 2026-Q4, so it is a new "
        "survey, not a later export of that one (which would still hold its answers). Neither survey's answers "
        "replace the other's. A 'Survey' column names surveys explicitly: if the two files are one survey, "
        "give both a 'Survey' column naming it"
    ]
    assert not warnings_of(dec, "survey_joins_existing") and not warnings_of(nov, "survey_kept_apart")
    # The Engagement page: two waves, oldest first, each named after its month
    assert engagement_detail.waves(con, QUARTER) == [
        ("2026-Q4", dt.date(2026, 11, 10)),
        ("2026-Q4 (02 Dec)", dt.date(2026, 12, 2)),
    ]
    current = engagement_detail.current_wave(con, QUARTER)
    assert (current["survey_id"], current["label"]) == ("2026-Q4 (02 Dec)", "Dec 2026 survey")
    assert (current["previous_id"], current["previous_label"]) == ("2026-Q4", "Nov 2026 survey")


def test_a_pulse_20_days_after_the_last_answer_is_its_own_survey(con, tmp_path):
    # The reviewer's shape: November's last answer 12 November, December's 1 and 2 December
    nov = pulse(tmp_path, "pulse_nov.csv", ["2026/11/10", "2026/11/11", "2026/11/12"])
    assert import_file(con, nov).ok
    kept = scores(con, "2026-Q4")
    dec = import_file(con, pulse(tmp_path, "pulse_dec.csv", ["2026/12/01", "2026/12/02"], shift=2))
    assert dec.ok, dec.errors
    assert dec.changes["survey_responses"].new == 15 and dec.changes["survey_responses"].updated == 0
    assert rows_by_survey(con) == {
        "2026-Q4": (15, dt.date(2026, 11, 12)),
        "2026-Q4 (02 Dec)": (15, dt.date(2026, 12, 2)),
    }
    assert scores(con, "2026-Q4") == kept
    (apart,) = warnings_of(dec, "survey_kept_apart")
    assert apart.startswith(
        "This file's answers, dated 01 to 02 December 2026, are read as their own survey, 2026-Q4 (02 Dec): "
        "every answer in it is dated after 12 November 2026, the last answer of survey 2026-Q4"
    )


def test_a_later_export_joins_the_survey(con, tmp_path):
    assert import_file(con, november(tmp_path)).ok
    # Ten days on, the same form exported again: the five answers and a late sixth one
    later = pulse(
        tmp_path,
        "pulse_nov_later.csv",
        ["2026/11/08", "2026/11/09", "2026/11/10", "2026/11/20"],
        people=(*PEOPLE, "f"),
    )
    result = import_file(con, later)
    assert result.ok, result.errors
    assert rows_by_survey(con) == {"2026-Q4": (18, dt.date(2026, 11, 20))}
    assert result.changes["survey_responses"].new == 3
    assert warnings_of(result, "survey_joins_existing") == [
        "Survey 2026-Q4 already holds answers dated 10 November 2026 from another import: this file's answers, "
        "dated 08 to 20 November 2026, join that survey (it holds answers dated on or before 10 November 2026, "
        "so it is a later export of that survey). If they are two surveys, add a 'Survey' column naming each"
    ]
    assert not warnings_of(result, "survey_kept_apart")


def test_a_later_export_joins_the_survey_even_25_days_on(con, tmp_path):
    assert import_file(con, november(tmp_path)).ok
    # November's five answers as they were, and two late ones on 5 December: 25 days after the last
    later = pulse(
        tmp_path,
        "pulse_nov_late.csv",
        ["2026/11/08", "2026/11/09", "2026/11/10", "2026/11/08", "2026/11/09", "2026/12/05"],
        people=(*PEOPLE, "f", "g"),
    )
    result = import_file(con, later)
    assert result.ok, result.errors
    assert rows_by_survey(con) == {"2026-Q4": (21, dt.date(2026, 12, 5))}
    assert result.changes["survey_responses"].new == 6
    (joins,) = warnings_of(result, "survey_joins_existing")
    assert (
        "dated 08 November to 05 December 2026, join that survey (it holds answers dated on or before "
        in joins
    )
    assert not warnings_of(result, "survey_kept_apart")


@pytest.mark.parametrize("dated", ["Survey date", None])
def test_a_file_with_one_date_for_all_its_answers_goes_by_21_days(con, tmp_path, dated):
    def one_date(day: str, shift: int) -> str:
        return pulse(tmp_path, f"pulse_{day.replace('/', '-')}.csv", [day], shift=shift, dated=dated)

    assert import_file(con, one_date("2026/11/12", 0)).ok
    why = "this file gives one date for all its answers, so only the distance between the dates can tell"
    # 20 days on: read as a later export of November's survey, its answers replacing November's
    joins = import_file(con, one_date("2026/12/02", 2))
    assert joins.ok, joins.errors
    assert warnings_of(joins, "survey_joins_existing") == [
        "Survey 2026-Q4 already holds answers dated 12 November 2026 from another import: this file's answers, "
        f"dated 02 December 2026, join that survey (within 21 days a file is read as a later export of it: {why})"
        ". If they are two surveys, add a 'Survey' column naming each"
    ]
    assert rows_by_survey(con) == {"2026-Q4": (15, dt.date(2026, 12, 2))}
    # 23 days after that: its own survey
    apart = import_file(con, one_date("2026/12/25", 4))
    assert apart.ok, apart.errors
    assert warnings_of(apart, "survey_kept_apart") == [
        "This file's answers, dated 25 December 2026, are read as their own survey, 2026-Q4 (25 Dec): survey "
        "2026-Q4 holds answers dated 02 December 2026, 23 days earlier, more than the 21 days within which a "
        f"file is read as a later export of it ({why}). Neither survey's answers replace the other's. A "
        "'Survey' column names surveys explicitly: if the two files are one survey, give both a 'Survey' "
        "column naming it"
    ]
    assert rows_by_survey(con) == {
        "2026-Q4": (15, dt.date(2026, 12, 2)),
        "2026-Q4 (25 Dec)": (15, dt.date(2026, 12, 25)),
    }


def test_the_reviewers_two_google_forms_pulses_are_two_surveys(con):
    db.set_setting(con, "survey_scale_points", "5")  # November's agreement answers fit 5 or 7 points
    nov = import_file(con, EXPORTS / "google_forms_pulse_nov_2026.csv")
    assert nov.ok, nov.errors
    dec = import_file(con, EXPORTS / "google_forms_pulse_dec_2026.csv")
    assert dec.ok, dec.errors
    assert dec.changes["survey_responses"].new == 42 and dec.changes["survey_responses"].updated == 0
    assert rows_by_survey(con) == {
        "2026-Q4": (42, dt.date(2026, 11, 12)),
        "2026-Q4 (02 Dec)": (42, dt.date(2026, 12, 2)),
    }
    (apart,) = warnings_of(dec, "survey_kept_apart")
    assert "every answer in it is dated after 12 November 2026, the last answer of survey 2026-Q4" in apart
    current = engagement_detail.current_wave(con, QUARTER)
    assert (current["label"], current["previous_label"]) == ("Dec 2026 survey", "Nov 2026 survey")


def test_importing_the_december_file_again_changes_nothing(con, tmp_path):
    assert import_file(con, november(tmp_path)).ok
    assert import_file(con, december(tmp_path)).ok
    before = rows_by_survey(con), scores(con, "2026-Q4"), scores(con, "2026-Q4 (02 Dec)")
    again = import_file(con, december(tmp_path))
    assert again.ok and again.already is not None  # the same bytes: already imported
    forced = import_file(con, december(tmp_path), again=True)  # read anew, it finds its own survey
    assert forced.ok, forced.errors
    changes = forced.changes["survey_responses"]
    assert (changes.new, changes.updated, changes.unchanged) == (0, 0, 15)
    assert not warnings_of(forced, "survey_kept_apart") and not warnings_of(forced, "survey_joins_existing")
    assert (rows_by_survey(con), scores(con, "2026-Q4"), scores(con, "2026-Q4 (02 Dec)")) == before


def test_undoing_either_pulse_leaves_the_other(con, tmp_path):
    nov = import_file(con, november(tmp_path))
    kept = scores(con, "2026-Q4")
    dec = import_file(con, december(tmp_path))
    undo_import(con, dec.import_id)
    assert rows_by_survey(con) == {"2026-Q4": (15, dt.date(2026, 11, 10))}
    assert scores(con, "2026-Q4") == kept
    again = import_file(con, december(tmp_path))  # the same id as before the undo
    assert rows_by_survey(con)["2026-Q4 (02 Dec)"] == (15, dt.date(2026, 12, 2))
    undo_import(con, nov.import_id)
    assert rows_by_survey(con) == {"2026-Q4 (02 Dec)": (15, dt.date(2026, 12, 2))}
    # November again: the quarter's id is free, so it takes it back, apart from December
    back = import_file(con, november(tmp_path))
    assert back.ok and again.ok
    assert set(rows_by_survey(con)) == {"2026-Q4", "2026-Q4 (02 Dec)"} and scores(con, "2026-Q4") == kept
    (apart,) = warnings_of(back, "survey_kept_apart")
    assert apart.startswith(
        "This file's answers, dated 10 November 2026, are read as their own survey, 2026-Q4:"
    )
    assert "survey 2026-Q4 (02 Dec) holds answers dated 02 December 2026, 22 days later" in apart
    assert "(every answer in this file is dated before 02 December 2026, that survey's last answer" in apart


def test_a_third_pulse_and_a_late_export_go_by_the_nearest_survey(con, tmp_path):
    assert import_file(con, november(tmp_path)).ok
    assert import_file(con, december(tmp_path)).ok
    october = pulse(tmp_path, "pulse_oct.csv", ["2026/10/12"], shift=4)
    third = import_file(con, october)
    assert third.ok, third.errors
    (apart,) = warnings_of(third, "survey_kept_apart")
    assert (
        "own survey, 2026-Q4 (12 Oct): survey 2026-Q4 holds answers dated 10 November 2026, 29 days later"
        in apart
    )
    # December's survey exported again ten days on: it joins December's survey, the nearest
    late = pulse(tmp_path, "pulse_dec_later.csv", ["2026/12/01", "2026/12/12"], shift=2)
    joined = import_file(con, late)
    assert joined.ok, joined.errors
    (joins,) = warnings_of(joined, "survey_joins_existing")
    assert joins.startswith("Survey 2026-Q4 (02 Dec) already holds answers dated 02 December 2026")
    assert rows_by_survey(con) == {
        "2026-Q4 (12 Oct)": (15, dt.date(2026, 10, 12)),
        "2026-Q4": (15, dt.date(2026, 11, 10)),
        "2026-Q4 (02 Dec)": (15, dt.date(2026, 12, 12)),
    }
    assert [sid for sid, _ in engagement_detail.waves(con, QUARTER)] == [
        "2026-Q4 (12 Oct)",
        "2026-Q4",
        "2026-Q4 (02 Dec)",
    ]
