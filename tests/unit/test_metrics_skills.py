"""Skills keys: bus-factor risks, learning hours, AI adoption."""

from __future__ import annotations

import pytest

from lib.views import skills
from tests.unit.fixtures import make_db, scope

# Period [2025-01-01, 2025-04-01): 90 days.
PERIOD = ("2025-01-01", "2025-04-01")
EMPLOYEES = [
    dict(employee_id="e1", team="a", hire_date="2020-01-01"),
    dict(employee_id="e2", team="a", hire_date="2020-01-01"),
    dict(employee_id="e3", team="b", hire_date="2020-01-01"),
    dict(employee_id="e4", team="a", hire_date="2020-01-01", termination_date="2025-02-01"),
    dict(employee_id="e5", team="b", hire_date="2025-04-01"),  # hired on the end date: active at end
]
SKILLS = [
    dict(employee_id="e1", skill="python", proficiency=4),
    dict(employee_id="e2", skill="python", proficiency=3),  # two experts: no risk
    dict(employee_id="e1", skill="k8s", proficiency=3),
    dict(employee_id="e4", skill="k8s", proficiency=4),  # left: k8s has one active expert → risk
    dict(employee_id="e3", skill="rust", proficiency=4),  # one expert → risk
    dict(employee_id="e2", skill="go", proficiency=2),  # no expert: not a bus-factor risk
]
LEARNING = [
    dict(employee_id="e1", date="2025-01-10", title="course", hours=10),
    dict(employee_id="e2", date="2025-03-31", title="book", hours=6),
    dict(employee_id="e3", date="2025-04-01", title="at end", hours=4),  # out
    dict(employee_id="e4", date="2025-01-01", title="at start", hours=2),  # in
    dict(employee_id="e3", date="2024-12-31", title="before", hours=8),
]
AI = [
    dict(date="2025-03-03", team="a", tool="copilot", active_users=100),  # before the last 28 days
    dict(date="2025-03-04", team="a", tool="copilot", active_users=2),  # window starts 04-01 − 28
    dict(date="2025-03-04", team="b", tool="copilot", active_users=1),
    dict(date="2025-03-04", team="a", tool="chat", active_users=1),
    dict(date="2025-03-20", team="a", tool="copilot", active_users=3),
    dict(date="2025-04-01", team="a", tool="copilot", active_users=50),  # at end: out
]


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, employees=EMPLOYEES, skills=SKILLS, learning=LEARNING, ai_usage=AI)


def test_skills_keys_whole_org(con):
    got = skills.skills_summary(con, scope(*PERIOD))
    assert got["bus_factor_risks"] == 2  # k8s, rust
    # headcount start e1 e2 e3 e4 = 4, end e1 e2 e3 e5 = 4 → average 4
    # hours in period 10 + 6 + 2 = 18 → 18 ÷ 4 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(18 / 4 * 365 / 90)
    # days with data in [03-04, 04-01): 03-04 → 2 + 1 + 1 = 4, 03-20 → 3; mean 3.5 ÷ headcount 4
    assert got["ai_adoption_rate"] == pytest.approx(3.5 / 4)


def test_team_filter(con):
    got = skills.skills_summary(con, scope(*PERIOD, teams=("a",)))
    assert got["bus_factor_risks"] == 1  # k8s (e1 only; e4 left); python has two
    # a: start e1 e2 e4 = 3, end e1 e2 = 2 → average 2.5; hours 18 → 18 ÷ 2.5 × 365 ÷ 90
    assert got["learning_hours_per_engineer_annualized"] == pytest.approx(18 / 2.5 * 365 / 90)
    # a's days: 03-04 → 2 + 1 = 3, 03-20 → 3; mean 3 ÷ headcount 2
    assert got["ai_adoption_rate"] == pytest.approx(1.5)


def test_period_shorter_than_28_days_uses_all_of_it(con):
    got = skills.skills_summary(con, scope("2025-03-15", "2025-03-25"))
    # only 03-20 (3 users) in the window; headcount at 03-25: e1 e2 e3 → 3 ÷ 3
    assert got["ai_adoption_rate"] == pytest.approx(1.0)


def test_missing_sources_are_null(tmp_path):
    got = skills.skills_summary(make_db(tmp_path, employees=EMPLOYEES), scope(*PERIOD))
    assert got["bus_factor_risks"] is None
    assert got["learning_hours_per_engineer_annualized"] is None
    assert got["ai_adoption_rate"] is None


def test_no_learning_in_period_is_zero_when_the_source_exists(con):
    got = skills.skills_summary(con, scope("2024-06-01", "2024-07-01"))
    assert got["learning_hours_per_engineer_annualized"] == 0.0
    assert got["ai_adoption_rate"] is None  # no AI usage then


def test_ai_adoption_by_month(con):
    frame = skills.ai_adoption_by_period(con, scope(*PERIOD))
    assert list(frame["days_with_data"]) == [0, 0, 3]
    # March: daily sums 100, 4, 3 → mean 107 ÷ 3; headcount at 04-01 = 4
    assert frame["active_users_daily_mean"].iloc[2] == pytest.approx(107 / 3)
    assert frame["ai_adoption_rate"].iloc[2] == pytest.approx(107 / 3 / 4)
    assert frame["ai_adoption_rate"].isna().iloc[0]


def test_a_team_without_learning_rows_has_zero_hours_once_the_table_has_rows(tmp_path):
    con = make_db(
        tmp_path,
        employees=[*EMPLOYEES, dict(employee_id="c1", team="c", hire_date="2020-01-01")],
        learning=LEARNING,
    )
    got = skills.skills_summary(con, scope(*PERIOD, teams=("c",)))
    assert got["learning_hours_per_engineer_annualized"] == 0.0
    assert got["bus_factor_risks"] is None  # c1 has no skills row: unknown, not 0
    assert got["ai_adoption_rate"] is None
