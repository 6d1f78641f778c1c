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


# ---------------------------------------------------------------------------- SPEC §5 keys with a year's look-back
# Period [2025-01-01, 2025-07-01): end = 2025-07-01, end − 365 days = 2024-07-01 ("a year ago"),
# end − 730 days = 2023-07-02 (2024 is a leap year). Each row names the edge it tests.


def _person(employee_id, team, hire, term=None, kind=None, regretted=None, manager=None):
    return dict(
        employee_id=employee_id,
        team=team,
        hire_date=hire,
        termination_date=term,
        termination_type=kind,
        regretted=regretted,
        manager_id=manager,
    )


LOOKBACK = [
    _person("a1", "A", "2020-01-01", manager="m1"),
    _person(
        "a2", "A", "2020-01-01", "2024-07-01", "voluntary", manager="m1"
    ),  # left on the TTM window's first day
    _person("a3", "A", "2020-01-01", "2025-07-01", "voluntary", manager="m2"),  # left at end: outside
    _person("a4", "A", "2020-01-01", "2025-06-30", "involuntary", False, "m2"),  # period's last day
    _person("a5", "B", "2021-05-01", "2025-01-01", "voluntary", True, "m3"),  # period's first day
    _person("f1", "B", "2023-08-01", "2024-05-01", "voluntary", manager="m3"),  # left within its first year
    _person(
        "f2", "B", "2023-09-01", "2024-08-31", "voluntary", manager="m3"
    ),  # left on day 365: not first-year
    _person("f3", "A", "2024-06-30", manager="m1"),  # last day of the first-year cohort window
    _person(
        "f4", "B", "2023-07-01", "2023-12-01", "involuntary", manager="m3"
    ),  # day before the cohort window
    _person("f5", "B", "2024-07-01", manager="m3"),  # hired a year before end: after the cohort window
    # A rehire is two stints, as the HRIS import writes it: the earlier one under its own id.
    _person("r1-2019", "A", "2019-01-01", "2024-09-30", "voluntary", manager="m1"),
    _person("r1", "A", "2025-03-01", manager="m1"),
    _person("m1", "A", "2015-01-01"),
    _person("m2", "B", "2016-01-01"),  # a manager whose reports have all left: not in the span median
    _person("m3", "B", "2016-06-01"),
]
ONE_ON_ONES = [
    dict(manager_id="m1", employee_id="a1", held_at="2025-06-01"),  # first day of the 30-day window
    dict(manager_id="m1", employee_id="f3", held_at="2025-07-01"),  # at end: outside
    dict(manager_id="m1", employee_id="r1", held_at="2025-06-15"),
    dict(manager_id="m3", employee_id="f5", held_at="2025-05-31"),  # a day before the window
    dict(manager_id="m0", employee_id="m1", held_at="2025-06-10"),  # m1 has no manager_id: not covered
    dict(manager_id="m2", employee_id="a3", held_at="2025-06-20"),  # a3 is gone at end
]


@pytest.fixture
def lookback(tmp_path):
    return make_db(tmp_path, employees=LOOKBACK, one_on_ones=ONE_ON_ONES)


def test_lookback_keys_whole_org(lookback):
    got = retention.retention_summary(lookback, scope(*PERIOD))
    # start: a1 a3 a4 f3 f5 m1 m2 m3 = 8 (a5 left on the start date); end: a1 f3 f5 r1 m1 m2 m3 = 7
    assert (got["headcount_start"], got["headcount_end"], got["hires"]) == (8, 7, 1)
    # separations in [start, end): a5 (first day), a4 (last day); a3 left at end
    assert (got["separations"], got["voluntary_separations"], got["regretted_separations"]) == (2, 1, 1)
    assert got["attrition_rate_annualized"] == pytest.approx(2 / 7.5 * YEAR)
    # a year ago (2024-07-01): a1 a3 a4 a5 f2 f3 f5 r1-2019 m1 m2 m3 = 11 (a2 left that day, f5 joined it)
    # separations in [2024-07-01, 2025-07-01): a2 f2 r1-2019 a5 a4 = 5 → 5 ÷ ((11 + 7) ÷ 2)
    assert (got["headcount_year_ago"], got["separations_ttm"]) == (11, 5)
    assert got["attrition_rate_ttm"] == pytest.approx(5 / 9)
    # hired in [2023-07-02, 2024-07-01): f1 f2 f3; only f1 left before its first anniversary
    assert (got["first_year_cohort"], got["first_year_leavers"]) == (3, 1)
    assert got["first_year_attrition_rate"] == pytest.approx(1 / 3)
    # active reports at end: m1 → a1 f3 r1 (3), m3 → f5 (1); m2's reports are gone → median 2
    assert got["managers"] == 2
    assert got["span_of_control_median"] == 2
    # 1:1 in [2025-06-01, 2025-07-01) and a manager: a1, r1 → 2 of 7 active at end
    assert got["one_on_one_coverage"] == pytest.approx(2 / 7)
    # tenure in days at end: 122 365 366 2008 3317 3469 3834 → 2008
    assert got["median_tenure_years"] == pytest.approx(2008 / 365.25)


def test_lookback_keys_for_one_team(lookback):
    got = retention.retention_summary(lookback, scope(*PERIOD, teams=("A",)))
    # team A a year ago: a1 a3 a4 f3 r1-2019 m1 = 6; at end: a1 f3 r1 m1 = 4; TTM leavers a2 r1-2019 a4
    assert got["attrition_rate_ttm"] == pytest.approx(3 / 5)
    assert got["first_year_attrition_rate"] == 0.0  # f3 only, still here
    assert got["span_of_control_median"] == 3  # m1: a1 f3 r1
    assert got["one_on_one_coverage"] == pytest.approx(2 / 4)


def test_the_rehire_counts_as_a_hire_and_its_first_stint_as_a_separation(lookback):
    got = retention.retention_summary(lookback, scope("2024-09-01", "2025-04-01", teams=("A",)))
    # A's stints in [2024-09-01, 2025-04-01): r1-2019 left 2024-09-30, r1 came back 2025-03-01
    assert (got["hires"], got["separations"]) == (1, 1)


def test_no_one_on_ones_loaded_is_null_and_no_first_year_cohort_is_null(tmp_path):
    con = make_db(tmp_path, employees=LOOKBACK)
    got = retention.retention_summary(con, scope(*PERIOD))
    assert got["one_on_one_coverage"] is None
    assert got["span_of_control_median"] == 2
    # nobody was hired in [2015-07-02, 2016-07-01) except m2 and m3, both still here → 0, not null
    assert (
        retention.retention_summary(con, scope("2017-01-01", "2017-07-01"))["first_year_attrition_rate"] == 0
    )
    # nobody was hired in [2021-07-02, 2022-07-01): null
    assert (
        retention.retention_summary(con, scope("2023-01-01", "2023-07-01"))["first_year_attrition_rate"]
        is None
    )


def test_no_managers_gives_a_null_span(tmp_path):
    con = make_db(tmp_path, employees=[_person("x", "A", "2020-01-01")])
    got = retention.retention_summary(con, scope(*PERIOD))
    assert got["span_of_control_median"] is None
    assert got["attrition_rate_ttm"] == 0.0


def test_the_cli_prints_every_retention_key_of_spec_5_with_the_hand_values(lookback, capsys):
    """`python -m lib metrics` over the look-back fixture: the same hand-computed values."""
    import json

    from lib import cli

    path = lookback.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    lookback.close()
    assert cli.main(["metrics", "--db", path, "--start", PERIOD[0], "--end", PERIOD[1]]) == 0
    got = json.loads(capsys.readouterr().out)["retention"]
    assert got == pytest.approx(
        {
            "headcount_start": 8,
            "headcount_end": 7,
            "hires": 1,
            "separations": 2,
            "attrition_rate_annualized": 2 / 7.5 * YEAR,
            "voluntary_attrition_rate_annualized": 1 / 7.5 * YEAR,  # a5
            "regretted_attrition_rate_annualized": 1 / 7.5 * YEAR,  # a5
            "attrition_rate_ttm": 5 / 9,
            "first_year_attrition_rate": 1 / 3,
            "span_of_control_median": 2,
            "one_on_one_coverage": 2 / 7,
            "median_tenure_years": 2008 / 365.25,
            "promotion_rate_annualized": None,  # no promotions loaded
        }
    )
    assert cli.main(["metrics", "--db", path, "--start", PERIOD[0], "--end", PERIOD[1], "--team", "A"]) == 0
    team = json.loads(capsys.readouterr().out)["retention"]
    assert (team["attrition_rate_ttm"], team["span_of_control_median"]) == (pytest.approx(3 / 5), 3)
