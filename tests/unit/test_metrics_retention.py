"""Retention keys: headcount at the bounds, hires, separations, annualised rates, tenure."""

from __future__ import annotations

import pytest

from lib.views import retention
from tests.unit.fixtures import make_db, scope

# Period [2025-01-01, 2025-07-01): 181 days; annualising factor 365 ÷ 181.
PERIOD = ("2025-01-01", "2025-07-01")
YEAR = 365 / 181
EMPLOYEES = [
    dict(employee_id="e1", team="a", hire_date="2018-01-01"),
    dict(
        employee_id="e2",
        team="a",
        hire_date="2020-06-30",
        termination_date="2025-03-15",
        termination_type="voluntary",
        regretted=True,
    ),
    dict(
        employee_id="e3",
        team="a",
        hire_date="2021-01-01",
        termination_date="2025-05-01",
        termination_type="involuntary",
        regretted=False,
    ),
    dict(employee_id="e4", team="b", hire_date="2025-01-01"),  # hired at start: a hire, and at start
    dict(employee_id="e5", team="b", hire_date="2025-07-01"),  # hired at end: not a hire, at end
    dict(
        employee_id="e6",
        team="b",
        hire_date="2019-01-01",
        termination_date="2025-01-01",
        termination_type="Voluntary",
    ),  # left at start: a separation, not at start
    dict(
        employee_id="e7",
        team="b",
        hire_date="2019-01-01",
        termination_date="2025-07-01",
        termination_type="voluntary",
    ),  # left at end: not a separation, not at end
    dict(employee_id="e8", team="a", hire_date="2022-03-01", termination_date="2024-12-31"),
    dict(employee_id="e9", team="a", hire_date="2023-01-01"),
]
PROMOTIONS = [
    dict(employee_id="e1", promoted_at="2025-02-01"),
    dict(employee_id="e4", promoted_at="2025-01-01"),  # at start: in
    dict(employee_id="e9", promoted_at="2025-07-01"),  # at end: out
    dict(employee_id="e3", promoted_at="2024-06-01"),
]


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, employees=EMPLOYEES, promotions=PROMOTIONS)


def test_retention_keys_whole_org(con):
    got = retention.retention_summary(con, scope(*PERIOD))
    # at 2025-01-01: e1 e2 e3 e4 e7 e9 = 6; at 2025-07-01: e1 e4 e5 e9 = 4 → average 5
    assert got["headcount_start"] == 6
    assert got["headcount_end"] == 4
    assert got["hires"] == 1  # e4
    assert got["separations"] == 3  # e6 e2 e3
    assert got["attrition_rate_annualized"] == pytest.approx(3 / 5 * YEAR)
    assert got["voluntary_attrition_rate_annualized"] == pytest.approx(2 / 5 * YEAR)  # e2 e6
    assert got["regretted_attrition_rate_annualized"] == pytest.approx(1 / 5 * YEAR)  # e2
    # tenure at 2025-07-01 in days: e5 0, e4 181, e9 912, e1 2738 → (181 + 912) ÷ 2 ÷ 365.25
    assert got["median_tenure_years"] == pytest.approx(546.5 / 365.25)
    # promotions in period: e1, e4 → 2 ÷ 5 × 365 ÷ 181
    assert got["promotion_rate_annualized"] == pytest.approx(2 / 5 * YEAR)


def test_team_filter(con):
    got = retention.retention_summary(con, scope(*PERIOD, teams=("a",)))
    # a at start: e1 e2 e3 e9 = 4; at end: e1 e9 = 2 → average 3
    assert (got["headcount_start"], got["headcount_end"], got["hires"], got["separations"]) == (4, 2, 0, 2)
    assert got["attrition_rate_annualized"] == pytest.approx(2 / 3 * YEAR)
    # promotions of team a's people in period: e1 only
    assert got["promotion_rate_annualized"] == pytest.approx(1 / 3 * YEAR)
    # tenure of e1 (2738 days) and e9 (912 days) → 1825 days
    assert got["median_tenure_years"] == pytest.approx(1825 / 365.25)


def test_empty_database(tmp_path):
    got = retention.retention_summary(make_db(tmp_path), scope(*PERIOD))
    assert (got["headcount_start"], got["headcount_end"], got["hires"], got["separations"]) == (0, 0, 0, 0)
    assert got["attrition_rate_annualized"] is None
    assert got["median_tenure_years"] is None
    assert got["promotion_rate_annualized"] is None


def test_no_promotion_data_is_null_not_zero(tmp_path):
    got = retention.retention_summary(make_db(tmp_path, employees=EMPLOYEES), scope(*PERIOD))
    assert got["promotion_rate_annualized"] is None
    assert got["attrition_rate_annualized"] == pytest.approx(3 / 5 * YEAR)


def test_headcount_by_quarter(con):
    frame = retention.headcount_by_period(con, scope(*PERIOD, grain="quarter"))
    assert list(frame["days"]) == [90, 91]
    # Q1 end (2025-04-01): e1 e3 e4 e7 e9 = 5; Q2 end = period end: 4
    assert list(frame["headcount_start"]) == [6, 5]
    assert list(frame["headcount_end"]) == [5, 4]
    assert list(frame["hires"]) == [1, 0]
    assert list(frame["separations"]) == [2, 1]  # Q1: e6 e2; Q2: e3
    assert frame["attrition_rate_annualized"].iloc[0] == pytest.approx(2 / 5.5 * 365 / 90)
    assert frame["attrition_rate_annualized"].iloc[1] == pytest.approx(1 / 4.5 * 365 / 91)


def test_a_team_without_promotions_has_rate_zero_once_the_table_has_rows(con):
    got = retention.retention_summary(con, scope("2025-03-01", "2025-07-01", teams=("b",)))
    # b at 03-01: e4 e7; at 07-01: e4 e5 → average 2; no promotion of b's people then → 0
    assert got["promotion_rate_annualized"] == 0.0
