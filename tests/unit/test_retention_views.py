"""The Retention page's views, on small fixtures with hand-computed values: attrition by group
and period (its last bucket is the catalog's trailing-year rate), Kaplan–Meier survival,
first-year cohorts, promotions by level, the level distribution against a saved career
framework, span of control, one-on-one coverage, the counts behind a point, and
suppression of groups under the anonymity threshold."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.career_framework import load_framework, save_framework, validate
from lib.views import retention, retention_careers, retention_teams, retention_tenure
from tests.unit.fixtures import make_db, scope
from tests.unit.test_metrics_retention import LOOKBACK, ONE_ON_ONES, PERIOD


@pytest.fixture(autouse=True)
def _threshold(monkeypatch):
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "3")


@pytest.fixture
def con(tmp_path):
    teams = [dict(team="A", org="Core", location="Berlin", sourcing="onshore"),
             dict(team="B", org="Edge", location="Pune", sourcing="offshore")]  # fmt: skip
    return make_db(tmp_path, employees=LOOKBACK, one_on_ones=ONE_ON_ONES, teams=teams)


def test_the_last_bucket_is_the_catalog_trailing_year_rate(con):
    frame = retention.attrition_by_period(con, scope(*PERIOD, grain="quarter"))
    assert list(frame["group"].unique()) == ["All"]
    last = frame.iloc[-1]
    summary = retention.retention_summary(con, scope(*PERIOD))
    assert last["attrition_rate_ttm"] == pytest.approx(summary["attrition_rate_ttm"])  # 5 ÷ 9
    assert (last["headcount_year_ago"], last["headcount_end"], last["separations_ttm"]) == (11, 7, 5)
    # Q1 2025 [01-01, 04-01): a5 left 01-01; Q2: a4 left 06-30, r1 came back 03-01 (Q1)
    assert list(frame["separations"]) == [1, 1] and list(frame["hires"]) == [1, 0]
    # voluntary in the trailing year to 07-01: a2 f2 r1-2019 a5 = 4; regretted: a5
    assert last["voluntary_attrition_rate_ttm"] == pytest.approx(4 / 9)
    assert last["regretted_attrition_rate_ttm"] == pytest.approx(1 / 9)


def test_groups_split_the_same_people_and_small_ones_are_suppressed(con, monkeypatch):
    by_location = retention.group_summary(con, scope(*PERIOD), "location").set_index("group")
    # team A is in Berlin: a1 a2 a3 a4 f3 r1-2019 r1 m1; B in Pune
    assert by_location.loc["Berlin", "attrition_rate_ttm"] == pytest.approx(3 / 5)
    assert by_location.loc["Berlin", "hires"] == 1 and by_location.loc["Pune", "hires"] == 0
    # employed in the trailing year: Berlin a1 a3 a4 f3 r1-2019 r1 m1 = 7 (a2 left on its first day),
    # Pune a5 f2 f5 m2 m3 = 5; at the period's end Berlin has 4 people, Pune 3. A group is judged on
    # the fewer of the two: Berlin's 4 at the end are never shown as "Berlin (4)" under a threshold
    # of 5, whoever worked there during the year
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "4")
    small = retention.group_summary(con, scope(*PERIOD), "location").set_index("group")
    assert small.loc["Berlin", "suppressed_reason"] is None
    assert small.loc["Pune", "suppressed_reason"] == "fewer than 4 people"
    assert math.isnan(small.loc["Pune", "attrition_rate_ttm"]) and math.isnan(small.loc["Pune", "hires"])
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "5")
    small = retention.group_summary(con, scope(*PERIOD), "location").set_index("group")
    assert small.loc["Berlin", "suppressed_reason"] == "fewer than 5 people"  # 7 in the year, 4 at the end


def test_without_types_or_regret_data_those_rates_are_no_data(tmp_path):
    rows = [dict(employee_id=f"e{i}", team="A", hire_date="2020-01-01") for i in range(4)]
    rows.append(dict(employee_id="gone", team="A", hire_date="2020-01-01", termination_date="2025-03-01"))
    frame = retention.attrition_by_period(make_db(tmp_path, employees=rows), scope(*PERIOD))
    last = frame.iloc[-1]
    assert last["attrition_rate_ttm"] == pytest.approx(1 / 4.5)
    assert math.isnan(last["voluntary_attrition_rate_ttm"]) and math.isnan(
        last["regretted_attrition_rate_ttm"]
    )


def test_a_group_without_anyone_a_year_ago_has_no_trailing_rate(tmp_path):
    rows = [dict(employee_id=f"o{i}", team="A", hire_date="2020-01-01") for i in range(3)]
    rows += [
        dict(employee_id=f"q{i}", team="A", hire_date="2025-02-01", acquired_from="Acme") for i in range(3)
    ]
    rows.append(dict(employee_id="q-gone", team="A", hire_date="2025-02-01", termination_date="2025-05-01",
                     acquired_from="Acme"))  # fmt: skip
    frame = retention.attrition_by_period(make_db(tmp_path, employees=rows), scope(*PERIOD), "acquired")
    last = frame[frame["period"] == frame["period"].max()].set_index("group")
    assert math.isnan(last.loc["Acme", "attrition_rate_ttm"])  # not 1 ÷ 1.5
    assert last.loc["Organic", "attrition_rate_ttm"] == 0


SURVIVAL = [
    # the first separation in the data (2023-06-01): earlier hires are left out of the curves
    dict(employee_id="p0", team="A", hire_date="2023-01-01", termination_date="2023-06-01"),
    dict(employee_id="p1", team="A", hire_date="2024-01-01", termination_date="2024-04-10"),  # 100 days
    dict(employee_id="p2", team="A", hire_date="2024-01-01", termination_date="2024-07-19"),  # 200 days
    dict(employee_id="p3", team="A", hire_date="2024-01-01"),  # 366 days, censored
    dict(employee_id="p4", team="A", hire_date="2024-06-01", termination_date="2024-09-09"),  # 100 days
    dict(employee_id="p5", team="A", hire_date="2024-06-01"),  # 214 days, censored
]


def test_kaplan_meier_by_hand(tmp_path):
    con = make_db(tmp_path, employees=SURVIVAL)
    result = retention_tenure.survival(con, scope("2024-10-01", "2025-01-01"), "all")
    curve = result["curves"]
    # at 100 days 2 of 5 leave → 0.6; at 200 days 1 of the 3 still at risk → 0.4; then 2 at risk < 3: stop
    assert list(curve["at_risk"]) == [5, 5, 3]
    assert list(curve["left"]) == [0, 2, 1]
    assert curve["survival"].tolist() == pytest.approx([1.0, 0.6, 0.4])
    assert curve["years"].tolist() == pytest.approx([0, 100 / 365.25, 200 / 365.25])
    assert (curve["low"] <= curve["survival"]).all() and (curve["survival"] <= curve["high"]).all()
    assert curve["low"].iloc[1] < 0.6 < curve["high"].iloc[1]
    (group,) = result["groups"].to_dict("records")
    assert (group["people"], group["leavers"]) == (5, 3)
    assert group["survival_0_5y"] == pytest.approx(0.6)
    assert group["survival_1y"] is None  # the curve stops before a year
    assert group["median_years"] == pytest.approx(200 / 365.25)
    assert str(result["observed_from"]) == "2023-06-01"


def test_a_survival_group_under_the_threshold_is_left_out_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "6")
    con = make_db(tmp_path, employees=SURVIVAL)
    result = retention_tenure.survival(con, scope("2024-10-01", "2025-01-01"), "cohort")
    assert result["curves"].empty
    assert result["groups"].to_dict("records")[0]["suppressed_reason"] == "fewer than 6 people"
    with pytest.raises(ValueError):
        retention_tenure.survival(con, scope("2024-10-01", "2025-01-01"), "salary")


def test_first_year_by_hire_quarter(con):
    frame = retention_tenure.first_year_by_cohort(con, scope(*PERIOD))
    # quarters with a whole first year by 2025-07-01: f1 f2 (Q3 2023), f4 (Q3 2023 too: 07-01), f3 (Q2 2024)
    q3 = frame[frame["cohort"].astype(str).str.startswith("2023-07")].iloc[0]
    assert (q3["hired"], q3["left_in_first_year"]) == (
        3,
        2,
    )  # f1 (9 months), f4 (5 months); f2 stayed 365 days
    assert q3["first_year_attrition_rate"] == pytest.approx(2 / 3)
    q2 = frame[frame["cohort"].astype(str).str.startswith("2024-04")].iloc[0]
    assert math.isnan(q2["first_year_attrition_rate"]) and q2["suppressed_reason"] == "fewer than 3 people"


PROMOTIONS = [
    dict(employee_id="e1", promoted_at="2023-01-01", from_level="L1", to_level="L2"),
    dict(employee_id="e1", promoted_at="2025-02-01", from_level="L2", to_level="L3"),  # 2 years 31 days in L2
    dict(employee_id="e2", promoted_at="2025-03-01", from_level="L2", to_level="L3"),  # since hire 2022-03-01
    dict(employee_id="e3", promoted_at="2025-05-01", from_level="L2", to_level="L3"),  # since hire 2024-05-01
]


def test_promotions_by_level(tmp_path):
    people = [dict(employee_id=e, team="A", hire_date=h, level="L3") for e, h in
              (("e1", "2021-01-01"), ("e2", "2022-03-01"), ("e3", "2024-05-01"))]  # fmt: skip
    people += [dict(employee_id=e, team="A", hire_date="2020-01-01", level="L2") for e in ("e4", "e5", "e6")]
    con = make_db(tmp_path, employees=people, promotions=PROMOTIONS)
    frame = retention_careers.promotions_by_level(con, scope(*PERIOD)).set_index("level")
    # at 2025-01-01 in L2: e1 e2 e3 (their next promotion is from L2) e4 e5 e6 = 6; at 2025-07-01: 3
    assert (frame.loc["L2", "headcount_start"], frame.loc["L2", "headcount_end"]) == (6, 3)
    assert frame.loc["L2", "promotions"] == 3
    assert frame.loc["L2", "promotion_rate_annualized"] == pytest.approx(3 / 4.5 * 365 / 181)
    # years in L2: e1 762 days, e2 1096, e3 365 → median 762 ÷ 365.25
    assert frame.loc["L2", "years_in_level_p50"] == pytest.approx(762 / 365.25)
    # L3: nobody at start, e1 e2 e3 at the end: an average of 1.5 people, under the threshold
    assert frame.loc["L3", "headcount_end"] == 3
    assert (
        math.isnan(frame.loc["L3", "promotions"])
        and frame.loc["L3", "suppressed_reason"] == "fewer than 3 people"
    )
    assert list(frame.index) == ["L2", "L3"]


def test_level_distribution_follows_the_saved_framework(tmp_path):
    # three of each (the threshold here): fewer would be merged into one bar (anonymity)
    people = [dict(employee_id=f"e{i}-{j}", team="A", hire_date="2020-01-01", level=lv)
              for i, lv in enumerate(["L10", "L2", "L2", "Staff", "L9"]) for j in range(3)]  # fmt: skip
    con = make_db(tmp_path, employees=people)
    assert load_framework(con).levels == ("L2", "L9", "L10", "Staff")  # natural order before saving
    save_framework(con, validate(["L2", "L9", "L10", "L11"], {"L2": 0.5, "L9": None}))
    frame = retention_careers.level_distribution(con, scope(*PERIOD))
    assert list(frame["level"]) == ["L2", "L9", "L10", "L11", "Staff"]
    assert list(frame["headcount"]) == [6, 3, 3, 0, 3]
    assert list(frame["in_framework"]) == [True, True, True, True, False]
    assert frame["target_share"].iloc[0] == 0.5 and frame["target_share"].isna().sum() == 4


@pytest.mark.parametrize(
    ("levels", "targets", "message"),
    [([], {}, "at least one level"), (["L1", "l1"], {}, "appears twice"),
     (["L1", "L2"], {"L1": 0.7, "L2": 0.6}, "more than 100%"), (["L1"], {"L1": 1.5}, "between 0% and 100%")],
)  # fmt: skip
def test_a_framework_with_a_mistake_is_refused(levels, targets, message):
    with pytest.raises(ValueError, match=message):
        validate(levels, targets)


def test_span_of_control_bins_and_orgs(con):
    span = retention_careers.span_of_control(con, scope(*PERIOD))
    # active reports at 2025-07-01: m1 → a1 f3 r1 (3, team A: Core), m3 → f5 (1, team B: Edge)
    assert span["median"] == 2 and span["managers"] == 2
    assert dict(zip(span["bins"]["span"], span["bins"]["managers"], strict=True)) == {
        "1–2": 1, "3–5": 1, "6–8": 0, "9–10": 0, "11+": 0,
    }  # fmt: skip
    orgs = span["orgs"].set_index("org")
    assert orgs.loc["Core", "span_p50"] == 3
    assert (
        math.isnan(orgs.loc["Edge", "span_p50"])
        and orgs.loc["Edge", "suppressed_reason"] == "fewer than 3 people"
    )


def test_one_on_one_coverage_over_time_and_by_org(con):
    frame = retention.one_on_one_coverage(con, scope(*PERIOD, grain="quarter"), "org")
    last = frame[frame["period"] == frame["period"].max()].set_index("group")
    # Core (team A) at 07-01: a1 f3 r1 m1, covered a1 r1; Edge: f5 m2 m3, none covered
    assert (last.loc["Core", "active"], last.loc["Core", "covered"]) == (4, 2)
    assert last.loc["Core", "one_on_one_coverage"] == 0.5
    assert last.loc["Edge", "one_on_one_coverage"] == 0
    whole = retention.one_on_one_coverage(con, scope(*PERIOD, grain="quarter"), "all")
    summary = retention.retention_summary(con, scope(*PERIOD))
    assert whole["one_on_one_coverage"].iloc[-1] == pytest.approx(summary["one_on_one_coverage"])


def test_no_one_on_ones_is_an_empty_frame_not_zeros(tmp_path):
    con = make_db(tmp_path, employees=LOOKBACK)
    assert retention.one_on_one_coverage(con, scope(*PERIOD)).empty


def test_counts_behind_a_point(con, monkeypatch):
    counts = retention_teams.counts_behind(con, scope("2025-01-01", "2025-04-01"))
    values = dict(zip(counts["measure"], counts["value"], strict=True))
    assert values["Headcount on 01 Jan 2025"] == "8"
    assert values["Hires 01 Jan – 31 Mar 2025"] == "1"
    assert values["Leavers in the same days"] == "1"  # a5, voluntary and regretted
    assert values["… of whom regretted"] == "1"
    # a year before 2025-04-01 (2024-04-01): a1 a2 a3 a4 a5 f1 f2 r1-2019 m1 m2 m3 = 11;
    # leavers since: f1 a2 f2 r1-2019 a5
    assert values["Headcount a year earlier (01 Apr 2024)"] == "11"
    assert values["Leavers in the 12 months to the end"] == "5"
    assert all(not str(v).startswith("e") and "p_" not in str(v) for v in values.values())
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "20")
    hidden = retention_teams.counts_behind(con, scope("2025-01-01", "2025-04-01"))
    assert hidden.to_dict("records") == [{"measure": "Not shown", "value": "fewer than 20 people"}]


def test_team_attrition_without_a_survey_has_no_safety(con):
    frame = retention_teams.team_attrition_and_safety(con, scope(*PERIOD)).set_index("team")
    # team A over [2024-07-01, 2025-07-01): 3 leavers, 2 of them voluntary (a2 r1-2019); average
    # headcount (6 + 4) ÷ 2. Under 5 leavers how they left is hidden (the anonymity threshold), so
    # teams are compared on all leavers: 3 ÷ 5, not the voluntary 2 ÷ 5
    assert frame.loc["A", "attrition_rate"] == pytest.approx(3 / 5)
    assert frame.loc["A", "measure"] == "all"
    assert frame["psychological_safety"].isna().all()


def test_unknown_groups_are_refused(con):
    for call in (retention.attrition_by_period, retention.one_on_one_coverage):
        with pytest.raises(ValueError, match="group must be one of"):
            call(con, scope(*PERIOD), "salary")
    assert isinstance(retention.group_summary(con, scope(*PERIOD), "org"), pd.DataFrame)


def test_the_registered_attrition_chart_carries_the_catalog_value(con):
    from lib.charts import registry

    fig = registry.figure(con, "retention.attrition_trend", scope(*PERIOD))
    (total,) = [t for t in fig.data if t.name == "All leavers"]
    assert total.y[-1] == pytest.approx(5 / 9)  # retention.attrition_rate_ttm at 2025-07-01
    assert registry.title(fig).startswith("56% of people left in the 12 months to Jun 2025, above")
    assert "Mercer 2023" in registry.caption(fig)


def test_registered_charts_of_a_selection_under_the_threshold_say_so(con, monkeypatch):
    from lib.charts import registry

    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "12")
    fig = registry.figure(con, "retention.headcount_flow", scope(*PERIOD), "Team: A")
    assert (
        registry.missing(fig)
        == "Not shown: Team: A has fewer than 12 people at the end of the period, the anonymity threshold."
    )
