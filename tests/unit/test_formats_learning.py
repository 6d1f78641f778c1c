"""LMS exports and activity logs → learning, from files in the layouts
tests/fixtures/exports/learning/README.md describes, with hand-computed rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file
from lib.ingest.read import read_source
from lib.views import skills
from tests.unit.fixtures import make_db, scope
from tests.unit.people_fixture import SALT, add_employees, pid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "learning"
ANA, BEN, CHEN = "ana.silva@example.com", "ben.okafor@example.com", "chen.li@example.com"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv("PILLARS_SALT", SALT)
    con = make_db(tmp_path)
    add_employees(con)
    return con


def learning(con) -> dict:
    got = con.execute("select employee_id, date, title, kind, hours from learning").fetchall()
    return {(r[0], r[1], r[2]): (r[3], None if r[4] is None else round(r[4], 4)) for r in got}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("pluralsight_course_usage.csv", "lms:pluralsight-usage"),
        ("pluralsight_course_completion.csv", "lms:pluralsight-completion"),
        ("udemy_business_user_course_activity.csv", "lms:udemy-business"),
        ("linkedin_learning_learner_detail.csv", "lms:linkedin-learning"),
        ("coursera_enrollment_report.csv", "lms:coursera"),
        ("docebo_users_courses.csv", "lms:docebo"),
        ("innovation_activities.csv", "lms:activity-log"),
    ],
)
def test_each_layout_is_recognised(name, fmt):
    assert detect(read_source(FIXTURES / name), ImportOptions()).name == fmt


def test_pluralsight_usage_adds_seconds_per_person_course_and_day(con):
    result = import_file(con, FIXTURES / "pluralsight_course_usage.csv")
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-03-04"), "Kubernetes Fundamentals"): ("course", 0.75),  # 1800 + 900 s, month first
        (pid(ANA), d("2025-03-11"), "Kubernetes Fundamentals"): ("course", 1.0),
        (pid(BEN), d("2025-03-05"), "Go Concurrency"): ("course", 1.5),
        (pid("zoe.contractor@example.com"), d("2025-03-06"), "Go Concurrency"): (
            "course",
            round(600 / 3600, 4),
        ),
    }
    unlinked = next(w for w in result.warnings if w.code == "person_unlinked")
    assert unlinked.message.startswith(
        "1 of 3 people match no employee"
    )  # zoe: no employee carries her e-mail
    assert unlinked.rows == (6,)
    assert any(w.code == "date_order" and w.detail == "mdy" for w in result.warnings)


def test_pluralsight_completion_counts_completed_courses_once(con):
    result = import_file(con, FIXTURES / "pluralsight_course_completion.csv")
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-03-11"), "Kubernetes Fundamentals"): ("course", None),
        # an exam-prep course is a course, not a certification
        (pid(BEN), d("2025-02-20"), "AWS Certified Solutions Architect Exam Prep"): ("course", None),
    }
    skipped = next(w for w in result.warnings if w.code == "learning_not_completed")
    assert skipped.count == 1 and skipped.rows == (3,)  # Ben's Go Concurrency, in progress
    assert any("hours unknown" in w.describe() for w in result.warnings)


def test_udemy_minutes_and_a_certification_course(con):
    result = import_file(con, FIXTURES / "udemy_business_user_course_activity.csv")
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-02-14"), "Terraform for Beginners"): ("course", 5.2),  # 312 min
        (pid(CHEN), d("2025-03-28"), "CKA Certification Course - Certified Kubernetes Administrator"): (
            "course",
            17.0,
        ),
    }


def test_linkedin_hours_viewed_as_h_mm_ss_and_percent_completed(con):
    result = import_file(con, FIXTURES / "linkedin_learning_learner_detail.csv")
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-04-02"), "Learning Python"): ("course", round(2 + 45 / 60 + 30 / 3600, 4)),
        (pid(BEN), d("2025-04-15"), "Prepare for the CISSP Certification Exam"): ("course", 12.0),
    }


def test_coursera_estimated_learning_hours_of_completed_courses(con):
    result = import_file(con, FIXTURES / "coursera_enrollment_report.csv")
    assert result.ok, result.error
    assert learning(con) == {(pid(ANA), d("2025-03-22"), "Machine Learning"): ("course", 61.5)}


def test_docebo_seconds_and_event_types(con):
    result = import_file(con, FIXTURES / "docebo_users_courses.csv")
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-02-20"), "Secure Coding Essentials"): ("course", 2.0),
        (pid(BEN), d("2025-04-04"), "KubeCon EU 2025"): ("conference", 24.0),
    }


def test_innovation_activities_are_experiments(con):
    result = import_file(con, FIXTURES / "innovation_activities.csv")
    assert result.ok, result.error
    got = learning(con)
    assert got[(pid("E-101"), d("2025-03-13"), "Spring hackathon: AI code review bot")] == (
        "experiment",
        16.0,
    )
    assert got[(pid("E-103"), d("2025-03-20"), "Spike: contract testing with Pact")] == ("experiment", 6.0)
    assert got[(pid("E-101"), d("2025-03-28"), "Innovation Friday: feature flag cleanup")] == (
        "experiment",
        4.0,
    )
    assert got[(pid("E-102"), d("2025-04-02"), "LeadDev London")] == ("conference", 14.0)
    summary = skills.skills_summary(con, scope("2025-03-01", "2025-04-01"))
    assert summary["experiments"] == 4 and summary["certifications"] == 0
    # 16 + 16 + 6 + 4 hours in March over 4 employees: 42 ÷ 4 × 365 ÷ 31
    assert summary["learning_hours_per_engineer_annualized"] == pytest.approx(42 / 4 * 365 / 31)


def test_a_numeric_date_of_unknown_order_is_refused_saying_how_to_fix_it(con):
    result = import_file(con, FIXTURES / "ambiguous_dates_activities.csv")
    assert not result.ok
    assert (
        "row 2, column Date: '03/04/2025' could be 3 April 2025 (day first) or 4 March 2025" in result.error
    )
    assert "--date-order dmy|mdy|ymd" in result.error
    assert con.execute("select count(*) from learning").fetchone()[0] == 0


def test_the_canonical_template_accepts_kinds_as_teams_write_them(con, tmp_path):
    file = tmp_path / "learning.csv"
    file.write_text("employee_id,date,title,kind,hours\nE-101,2025-03-01,Hack day,Hackathon,8\n")
    result = import_file(con, file)
    assert result.ok, result.error
    assert learning(con) == {(pid("E-101"), d("2025-03-01"), "Hack day"): ("experiment", 8.0)}


def test_the_date_order_set_by_the_user_reads_an_ambiguous_log(con):
    from lib.ingest.load import options_for

    result = import_file(con, FIXTURES / "ambiguous_dates_activities.csv", options_for(con, date_order="dmy"))
    assert result.ok, result.error
    assert learning(con) == {
        (pid("E-101"), d("2025-04-03"), "Spike: trunk-based development"): ("experiment", 5.0)
    }


def test_an_lms_workbook_reads_like_its_csv_with_excel_dates(con, tmp_path):
    """LMS reports often arrive as .xlsx: real date cells (Excel serials) and a title row above."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Users - Courses"
    sheet.append(["Docebo report: users and courses"])  # a title row above the header
    sheet.append(["Username", "Email", "Course Code", "Course Name", "Course Type", "Enrollment Date",
                  "Completion Date", "Status", "Training Material Time (sec)"])  # fmt: skip
    sheet.append(["ana.silva", ANA, "SEC-101", "Secure Coding Essentials", "E-Learning",
                  dt.datetime(2025, 2, 1), dt.datetime(2025, 2, 20), "Completed", 7200])  # fmt: skip
    sheet.append(["ben.okafor", BEN, "CONF-25", "KubeCon EU 2025", "Event",
                  dt.datetime(2025, 4, 1), dt.datetime(2025, 4, 4), "Completed", 86400])  # fmt: skip
    path = tmp_path / "docebo_users_courses.xlsx"
    book.save(path)
    result = import_file(con, path)
    assert result.ok, result.error
    assert learning(con) == {
        (pid(ANA), d("2025-02-20"), "Secure Coding Essentials"): ("course", 2.0),
        (pid(BEN), d("2025-04-04"), "KubeCon EU 2025"): ("conference", 24.0),
    }
