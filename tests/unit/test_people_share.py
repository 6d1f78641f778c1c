"""A share of people over two sources that cover different people is missing, with the reason:
never survey participation of 160% or AI adoption of 317% (issue 18)."""

from __future__ import annotations

import pytest

from lib import metrics
from lib.overview_board import board
from lib.views import engagement, skills
from lib.views.people_share import different_people, exceeds, people_share
from lib.views.skills_ai import adoption_by_period
from tests.unit.fixtures import make_db, scope
from tests.unit.test_metrics_engagement import wave

PERIOD = ("2025-01-01", "2025-04-01")


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def staff(n: int, team: str = "a") -> list[dict]:
    return [dict(employee_id=f"{team}{i}", team=team, hire_date="2020-01-01") for i in range(n)]


@pytest.mark.parametrize(
    ("part", "whole", "share"),
    [(3, 4, 0.75), (4, 4, 1.0), (0, 4, 0.0), (5, 4, None), (1, 0, None), (None, 4, None), (2, None, None),
     (4.5, 4, None), (3.5, 4, 0.875)],
)  # fmt: skip
def test_the_sql_macro_and_the_python_rule_agree(tmp_path, part, whole, share):
    con = make_db(tmp_path)
    (got,) = con.execute("select people_share(?::double, ?::double)", [part, whole]).fetchone()
    assert got == (None if share is None else pytest.approx(share))
    assert people_share(part, whole) == (None if share is None else pytest.approx(share))
    assert exceeds(part, whole) == (part is not None and whole not in (None, 0) and part > whole)


def test_the_reason_names_both_counts():
    assert different_people("respondents", 8, "people in the HR data on the survey date", 5) == (
        "8 respondents but 5 people in the HR data on the survey date: the two files cover different people"
    )
    assert different_people("daily AI users", 317.25, "people in the HR data", 100).startswith(
        "317.2 daily AI users but 100 people"
    )


def survey(respondents: int) -> list[dict]:
    return wave("s", "2025-03-10", "a", 0, [5] * respondents, [4] * respondents, [9] * respondents)


def test_participation_over_a_smaller_hris_file_is_missing_with_the_reason(tmp_path):
    con = make_db(tmp_path, survey_responses=survey(8), employees=staff(5))
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["respondents"] == 8  # the survey's own figures stand
    assert got["enps"] == pytest.approx(100.0)
    assert got["participation_rate"] is None  # 8 ÷ 5 would read 160%
    assert got["reasons"]["participation_rate"] == (
        "8 respondents but 5 people in the HR data on the survey date: the two files cover different people"
    )
    by_wave = engagement.engagement_by_wave(con, scope(*PERIOD))
    assert by_wave["participation_rate"].isna().all()
    assert metrics.catalog(con, scope(*PERIOD))["engagement"]["participation_rate"] is None


def test_participation_up_to_everyone_is_shown(tmp_path):
    con = make_db(tmp_path, survey_responses=survey(8), employees=staff(8))
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["participation_rate"] == pytest.approx(1.0)
    assert "participation_rate" not in got["reasons"]
    con = make_db(tmp_path, survey_responses=survey(8), employees=staff(10))
    assert engagement.engagement_summary(con, scope(*PERIOD))["participation_rate"] == pytest.approx(0.8)


# Copilot's organisation report: 317 daily users on each of the period's last 28 days,
# against a 100-person HRIS file (the 317%)
ORG_AI = [
    dict(date=f"2025-03-{day:02d}", team="(all teams)", tool="copilot", active_users=317)
    for day in range(4, 32)
]


def test_ai_adoption_over_a_smaller_headcount_is_missing_everywhere(tmp_path):
    con = make_db(tmp_path, ai_usage=ORG_AI, employees=staff(100))
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["ai_active_users_daily_mean"] == pytest.approx(317)
    assert got["headcount_end"] == 100
    assert got["ai_adoption_rate"] is None
    assert got["ai_users_exceed_headcount"] is True
    assert metrics.catalog(con, scope(*PERIOD))["skills"]["ai_adoption_rate"] is None
    monthly = skills.ai_adoption_by_period(con, scope(*PERIOD))
    assert monthly["ai_adoption_rate"].isna().all()
    per_tool = adoption_by_period(con, scope(*PERIOD), "tool")
    assert per_tool["ai_adoption_rate"].isna().all()
    assert per_tool["active_users_daily_mean"].iloc[-1] == pytest.approx(317)

    tiles = {t.key: t for g in board(con, scope(*PERIOD)).groups for t in g.tiles}
    adoption = tiles["skills.ai_adoption_rate"]
    assert adoption.value is None
    assert adoption.band == (
        "No data: 317 daily AI users but 100 people in the HR data: the two files cover different people"
    )


def test_ai_adoption_with_enough_people_is_the_share(tmp_path):
    con = make_db(tmp_path, ai_usage=ORG_AI, employees=staff(400))
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["ai_adoption_rate"] == pytest.approx(317 / 400)
    assert got["ai_users_exceed_headcount"] is False
    tiles = {t.key: t for g in board(con, scope(*PERIOD)).groups for t in g.tiles}
    assert tiles["skills.ai_adoption_rate"].value == pytest.approx(317 / 400)


def test_without_hr_data_the_reason_is_the_missing_headcount_not_different_people(tmp_path):
    """Undoing the HRIS import left "19 daily AI users but 0 people in the HR data": no
    headcount is missing data, not two files that disagree."""
    con = make_db(tmp_path, ai_usage=ORG_AI)
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["ai_adoption_rate"] is None
    assert got["ai_users_exceed_headcount"] is False
    tiles = {t.key: t for g in board(con, scope(*PERIOD)).groups for t in g.tiles}
    assert tiles["skills.ai_adoption_rate"].band == (
        "No data: no people in the HR data for these teams at the period's end: adoption needs the headcount"
    )
