"""Business alignment views: effort, FTE and cost by flow type and initiative, the target mix,
the epic → initiative mapping, capitalisation under a policy, whole months, benchmarks.

The organisation (every number below is computed by hand from it):
- team a (org X, Berlin, onshore): 2 people since 2020, loaded cost 365,000 a year (1,000 a day);
- team b (org Y, Pune, offshore): 2 people since 2020, loaded cost 182,500 a year (500 a day),
  priced by the rate card's `*` row for offshore;
- R&D spend: January 9,000, February 12,000 (months starting in [1 Jan, 1 Mar 2025));
- completed work: a in January: a feature of 3 points (epic PAY-1) and a defect of 1 point;
  b in January: a debt of 2 points (epic Platform); b in February: a feature with no
  estimate, so 1 (epic Growth epic), and a risk of 1 point (epic PAY-1); a completed
  nothing in February.
R&D spend goes to teams by headcount × loaded cost: a 2 × 365,000 against b 2 × 182,500, so
a takes two thirds and b one third.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib.views import business as vb
from lib.views import business_benchmarks as bench
from lib.views import business_mix as vm
from lib.views import business_outcomes as vo
from lib.views import business_settings as vs
from tests.unit.fixtures import make_db, scope

PERIOD = ("2025-01-01", "2025-03-01")
TEAMS = [
    dict(team="a", org="X", location="Berlin", sourcing="onshore"),
    dict(team="b", org="Y", location="Pune", sourcing="offshore"),
]
EMPLOYEES = [dict(employee_id=f"{t}{i}", team=t, hire_date="2020-01-01") for t in "ab" for i in range(2)]
COSTS = [
    dict(location="Berlin", sourcing="onshore", annual_cost=365_000.0),
    dict(location="*", sourcing="offshore", annual_cost=182_500.0),
]
SPEND = [
    dict(period_start="2025-01-01", metric="rnd_spend", value=9_000.0),
    dict(period_start="2025-02-01", metric="rnd_spend", value=12_000.0),
    dict(period_start="2025-01-01", metric="revenue", value=30_000.0),
]
ITEMS = [
    dict(item_id="1", team="a", type="feature", initiative="PAY-1", created_at="2025-01-01",
         completed_at="2025-01-10", effort=3),
    dict(item_id="2", team="a", type="defect", created_at="2025-01-01", completed_at="2025-01-11", effort=1),
    dict(item_id="3", team="b", type="debt", initiative="Platform", created_at="2025-01-01",
         completed_at="2025-01-12", effort=2),
    dict(item_id="4", team="b", type="feature", initiative="Growth epic", created_at="2025-01-01",
         completed_at="2025-02-03"),
    dict(item_id="5", team="b", type="risk", initiative="PAY-1", created_at="2025-01-01",
         completed_at="2025-02-04", effort=1),
]  # fmt: skip
INITIATIVES = [
    dict(initiative="Checkout", owner="VP Product", business_metric="revenue", epics="PAY-1"),
    dict(initiative="Platform", owner="VP Engineering", business_metric="churn_rate"),
]


@pytest.fixture
def con(tmp_path):
    return make_db(
        tmp_path,
        teams=TEAMS,
        employees=EMPLOYEES,
        engineer_costs=COSTS,
        business_metrics=SPEND,
        work_items=ITEMS,
        initiatives=INITIATIVES,
    )


def cell(frame: pd.DataFrame, column: str, **where) -> float:
    rows = frame
    for key, value in where.items():
        rows = rows[rows[key] == (pd.Timestamp(value).date() if key == "period" else value)]
    assert len(rows) == 1, (where, rows)
    return float(rows[column].iloc[0])


def test_effort_share_fte_and_cost_by_flow_type_per_month(con):
    frame = vm.mix_by_period(con, scope(*PERIOD), "type", "all")
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    jan, feb = "2025-01-01", "2025-02-01"
    # January: effort 3 + 1 + 2 = 6
    assert cell(frame, "share", period=jan, category="feature") == pytest.approx(0.5)
    assert cell(frame, "share", period=jan, category="debt") == pytest.approx(2 / 6)
    # a's 2 FTE split 3:1, b's 2 FTE all on debt
    assert cell(frame, "fte", period=jan, category="feature") == pytest.approx(1.5)
    assert cell(frame, "fte", period=jan, category="defect") == pytest.approx(0.5)
    assert cell(frame, "fte", period=jan, category="debt") == pytest.approx(2.0)
    # loaded: a 2 × 1,000 × 31 days = 62,000 split 3:1; b 2 × 500 × 31 = 31,000
    assert cell(frame, "cost_loaded", period=jan, category="feature") == pytest.approx(46_500)
    assert cell(frame, "cost_loaded", period=jan, category="debt") == pytest.approx(31_000)
    # R&D: 9,000 → a 6,000 (feature 4,500, defect 1,500), b 3,000
    assert cell(frame, "cost_rnd_spend", period=jan, category="feature") == pytest.approx(4_500)
    assert cell(frame, "cost_rnd_spend", period=jan, category="debt") == pytest.approx(3_000)
    # February: a completed nothing, so its people and cost show as such
    assert cell(frame, "fte", period=feb, category="(no completed work)") == pytest.approx(2.0)
    assert cell(frame, "cost_rnd_spend", period=feb, category="(no completed work)") == pytest.approx(8_000)
    assert cell(frame, "cost_loaded", period=feb, category="feature") == pytest.approx(
        14_000
    )  # 2 × 500 × 28 ÷ 2
    assert frame.groupby("period")["cost_rnd_spend"].sum().tolist() == pytest.approx([9_000, 12_000])


def test_a_team_filter_keeps_the_teams_share_of_the_organisations_spend(con):
    frame = vm.mix_by_period(con, scope(*PERIOD, teams=("b",)), "type", "all")
    assert frame.groupby("period")["cost_rnd_spend"].sum().tolist() == pytest.approx([3_000, 4_000])
    assert set(frame["category"]) == {"debt", "feature", "risk"}


def test_per_team_and_per_org_over_the_whole_period(con):
    teams = vm.mix_summary(con, scope(*PERIOD), "type", "team")
    assert cell(teams, "fte", unit="b", category="debt") == pytest.approx(1.0)  # 2 FTE × 2 of 4 points
    assert cell(teams, "share", unit="a", category="feature") == pytest.approx(0.75)
    # loaded cost over 59 days: a 2 × 1,000 × 59 = 118,000; R&D 21,000 × 2/3 = 14,000
    assert teams[teams["unit"] == "a"]["cost_loaded"].sum() == pytest.approx(118_000)
    assert teams[teams["unit"] == "a"]["cost_rnd_spend"].sum() == pytest.approx(14_000)
    orgs = vm.mix_summary(con, scope(*PERIOD), "type", "org")
    assert sorted(orgs["unit"].unique()) == ["X", "Y"]


def test_whole_period_share_is_the_catalog_investment_mix(con):
    summary = vm.mix_summary(con, scope(*PERIOD), "type", "all")
    mix = vb.business_summary(con, scope(*PERIOD))["investment_mix"]
    assert vm.type_shares(summary) == pytest.approx(mix)
    assert mix == pytest.approx({"feature": 0.5, "defect": 0.125, "risk": 0.125, "debt": 0.25})  # of 8 points


def test_distance_from_the_target_mix(con):
    target = {"feature": 0.6, "defect": 0.1, "risk": 0.1, "debt": 0.2}
    summary = vm.mix_summary(con, scope(*PERIOD), "type", "all")
    row = vm.distance_by_unit(summary, target).iloc[0]
    assert row["gap_feature"] == pytest.approx(-0.1)
    assert row["gap_debt"] == pytest.approx(0.05)
    # half of 0.1 + 0.025 + 0.025 + 0.05: a tenth of the effort would have to move
    assert row["distance"] == pytest.approx(0.1)
    assert row["fte"] == pytest.approx(4.0)


def test_target_mix_is_saved_and_validated(con):
    assert vs.target_mix(con) is None
    vs.save_target_mix(con, {"feature": 0.6, "defect": 0.1, "risk": 0.1, "debt": 0.2})
    assert vs.target_mix(con) == pytest.approx({"feature": 0.6, "defect": 0.1, "risk": 0.1, "debt": 0.2})
    with pytest.raises(ValueError, match="add up to 90.0%"):
        vs.save_target_mix(con, {"feature": 0.6, "defect": 0.1, "risk": 0.1, "debt": 0.1})
    with pytest.raises(ValueError, match="unknown work types"):
        vs.save_target_mix(con, {"features": 1.0})
    with pytest.raises(ValueError, match="between 0% and 100%"):
        vs.save_target_mix(con, {"feature": 1.2, "defect": -0.2})
    assert vs.target_mix(con)["feature"] == pytest.approx(0.6)  # a refused target leaves the saved one
    vs.save_target_mix(con, None)
    assert vs.target_mix(con) is None


def test_epics_map_to_initiatives_by_file_name_and_page(con):
    status = vs.mapping_status(con).set_index("work_initiative")
    assert status.loc["PAY-1", "initiative"] == "Checkout"
    assert status.loc["PAY-1", "mapped_by"] == "initiatives file"
    assert status.loc["Platform", "mapped_by"] == "same name"
    assert pd.isna(status.loc["Growth epic", "mapped_by"])
    assert status.loc["PAY-1", "items"] == 2

    by = vm.mix_summary(con, scope(*PERIOD), "initiative", "all").set_index("category")
    assert by.loc["Checkout", "effort"] == 4  # PAY-1: 3 + 1
    assert by.loc["(not mapped)", "effort"] == 1
    assert by.loc["(no initiative)", "effort"] == 1  # the defect without an epic

    vs.save_links(con, {"Growth epic": None})
    by = vm.mix_summary(con, scope(*PERIOD), "initiative", "all").set_index("category")
    assert by.loc["(not an initiative)", "effort"] == 1
    vs.save_links(con, {"growth EPIC ": "checkout"})  # case and spaces do not matter
    status = vs.mapping_status(con).set_index("work_initiative")
    assert status.loc["Growth epic", "initiative"] == "Checkout"
    assert status.loc["Growth epic", "mapped_by"] == "page"
    with pytest.raises(ValueError, match="'Mars' is not an initiative"):
        vs.save_links(con, {"PAY-1": "Mars"})


def test_cost_by_initiative_with_owner_and_metric(con):
    costs = vm.initiative_costs(con, scope(*PERIOD)).set_index("initiative")
    # Checkout: a's feature (a: 2 FTE × 3/4) and b's risk (b: 2 FTE × 1/4)
    assert costs.loc["Checkout", "fte"] == pytest.approx(1.5 + 0.5)
    assert costs.loc["Checkout", "owner"] == "VP Product"
    assert costs.loc["Checkout", "business_metric"] == "revenue"
    # R&D: a 14,000 × 3/4 + b 7,000 × 1/4
    assert costs.loc["Checkout", "cost_rnd_spend"] == pytest.approx(10_500 + 1_750)
    assert costs.loc["Platform", "cost_loaded"] == pytest.approx(59_000 / 2)  # b's debt: half its points


def test_people_without_a_cost_make_loaded_cost_unknown_not_zero(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, employees=EMPLOYEES, engineer_costs=COSTS[:1], work_items=ITEMS,
                  business_metrics=SPEND)  # fmt: skip
    frame = vm.mix_summary(con, scope(*PERIOD), "type", "team")
    assert frame[frame["unit"] == "b"]["cost_loaded"].isna().all()
    # R&D spend falls back to headcount: a and b 2 FTE each, half each of 21,000
    assert frame[frame["unit"] == "b"]["cost_rnd_spend"].sum() == pytest.approx(10_500)
    coverage = vm.cost_coverage(con, scope(*PERIOD)).set_index("location")
    assert pd.isna(coverage.loc["Pune", "annual_cost"])
    assert coverage.loc["Berlin", "annual_cost"] == 365_000


def test_capitalisation_by_policy(con):
    months = scope(*PERIOD)
    legacy = vb.capitalisation_by_period(con, months, vs.PolicyChoice("us_gaap_internal_use"))
    # January 9,000 × feature share 3/6; February 12,000 × 1/2
    assert legacy["estimate"].tolist() == pytest.approx([4_500, 6_000])
    assert legacy["expensed"].tolist() == pytest.approx([4_500, 6_000])
    assert set(legacy["regime"]) == {"ASC 350-40 stage model"}
    early = vb.capitalisation_by_period(con, months, vs.PolicyChoice("us_gaap_internal_use", None, True))
    assert set(early["regime"]) == {"ASU 2025-06"}
    sold = vb.capitalisation_by_period(con, months, vs.PolicyChoice("asc_985_20"))
    assert sold["estimate"].tolist() == [0, 0]  # little or nothing under ASC 985-20 by default
    ifrs = vb.capitalisation_by_period(con, months, vs.PolicyChoice("ifrs_ias_38", 0.4))
    assert ifrs["estimate"].tolist() == pytest.approx([1_800, 2_400])
    vs.save_policy_choice(con, vs.PolicyChoice("ifrs_ias_38", 0.4))
    assert vs.policy_choice(con) == vs.PolicyChoice("ifrs_ias_38", 0.4)
    with pytest.raises(ValueError, match="between 0% and 100%"):
        vs.save_policy_choice(con, vs.PolicyChoice("ifrs_ias_38", 1.5))


def test_whole_months_of_a_period():
    months = vb.business_months(scope("2026-08-03", "2026-11-01"))
    assert (months.start, months.end) == (dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    before = vb.previous_months(months)
    assert (before.start, before.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 1))
    assert vb.business_months(scope("2026-01-10", "2026-01-20")) is None
    # A month the period only begins is not one of its whole months (5 days of December).
    months = vb.business_months(scope("2026-09-07", "2026-12-06"))
    assert (months.start, months.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    assert vb.business_months(scope("2026-01-01", "2026-01-31")) is None  # January minus its last day
    assert vb.business_months(scope("2026-01-01", "2026-04-01")) == scope("2026-01-01", "2026-04-01")
    trend = vb.business_trend(scope("2026-08-03", "2026-11-01", grain="week"))
    assert (trend.start, trend.end, trend.grain) == (dt.date(2025, 11, 1), dt.date(2026, 11, 1), "month")


def test_currency_is_the_one_the_files_stated(con, tmp_path):
    assert vb.currency(con) == ("USD", False)
    other = make_db(
        tmp_path, business_metrics=[dict(period_start="2025-01-01", metric="revenue", value=1, unit="EUR")]
    )
    assert vb.currency(other) == ("EUR", True)


def test_arr_per_employee_bands_follow_company_size():
    assert bench.arr_band(30e6).value == 200e3 and bench.arr_band(30e6).high == 275e3
    assert bench.arr_band(80e6).label.startswith("Private SaaS over $50M ARR")
    assert bench.arr_band(500e3) is None
    assert bench.position(210e3, bench.arr_band(30e6)) == "within"
    assert bench.position(150e3, bench.arr_band(30e6)) == "below"
    assert "Benchmarkit" in bench.caption(bench.RND_PCT_REVENUE)


# --- lagged correlations on crafted series --------------------------------------------------


def crafted(months: int = 36, lag: int = 2, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    shock = rng.normal(0, 0.1, months + lag)
    t = np.arange(months)
    frame = pd.DataFrame({"period": pd.date_range("2023-01-01", periods=months, freq="MS")})
    frame["features_shipped"] = 100 * np.exp(0.01 * t + shock[lag:])
    frame["arr"] = 1e6 * np.exp(0.02 * t + np.concatenate([np.zeros(lag), shock[lag:-lag]]))
    for column in ("deployments_per_week", "lead_time_hours_p50", "revenue", "customers"):
        frame[column] = 50 * np.exp(rng.normal(0, 0.1, months))
    for column in ("incidents", "nps", "churn_rate"):
        frame[column] = rng.normal(20, 3, months)
    return frame


def test_an_outcome_that_follows_output_two_months_later_is_found_at_lag_2():
    strongest = vo.strongest_lags(vo.lagged_correlations(crafted())).set_index(["engineering", "outcome"])
    link = strongest.loc[("features_shipped", "arr")]
    assert link["lag"] == 2
    assert link["r"] > 0.95
    assert link["strength"] == "clear"
    sentence = vo.link_sentence({**link.to_dict(), "engineering": "features_shipped", "outcome": "arr"})
    assert sentence.startswith("ARR moved with features shipped 2 months earlier (r = +")
    assert sentence.endswith("a correlation, not proof that one causes the other.")


def test_noise_makes_no_news():
    rng = np.random.default_rng(11)
    frame = crafted()
    frame["arr"] = 1e6 * np.exp(0.02 * np.arange(len(frame)) + rng.normal(0, 0.05, len(frame)))
    strongest = vo.strongest_lags(vo.lagged_correlations(frame))
    pair = strongest.set_index(["engineering", "outcome"]).loc[("features_shipped", "arr")]
    assert pair["strength"] == "none"
    assert vo.link_sentence(
        {**pair.to_dict(), "engineering": "features_shipped", "outcome": "arr"}
    ).startswith("ARR: no link to features shipped beyond chance")


def test_shared_growth_alone_is_no_link():
    frame = crafted()
    t = np.arange(len(frame))
    frame["features_shipped"] = 100 * np.exp(0.03 * t)  # both only grow
    frame["arr"] = 1e6 * np.exp(0.02 * t)
    strongest = vo.strongest_lags(vo.lagged_correlations(frame)).set_index(["engineering", "outcome"])
    assert (
        strongest.loc[("features_shipped", "arr"), "strength"] == "too few months"
    )  # nothing left to compare


def test_p_value_uses_effective_months():
    from scipy import stats

    rng = np.random.default_rng(5)
    a, b = rng.normal(size=30), rng.normal(size=30)
    r = stats.pearsonr(a, b)
    assert vo._p_value(float(r.statistic), 30) == pytest.approx(float(r.pvalue))
    slow = np.cumsum(rng.normal(size=30))  # a drifting series: neighbouring months alike
    assert vo.effective_months(slow, slow) < 10


def test_too_few_months_gives_no_correlation():
    frame = crafted(months=7)
    correlations = vo.lagged_correlations(frame)
    assert correlations["r"].isna().all()


def test_outcome_window_is_complete_months_and_at_least_two_years():
    window = vo.outcome_scope(scope("2026-08-03", "2026-10-31"))
    assert (window.start, window.end, window.grain) == (dt.date(2024, 10, 1), dt.date(2026, 10, 1), "month")


def test_without_employees_spend_follows_effort(tmp_path):
    con = make_db(tmp_path, business_metrics=SPEND, work_items=ITEMS, initiatives=INITIATIVES)
    costs = vm.initiative_costs(con, scope(*PERIOD)).set_index("initiative")
    # 21,000 of R&D × Checkout's 4 of 8 points
    assert costs.loc["Checkout", "cost_rnd_spend"] == pytest.approx(10_500)
    assert set(costs["allocated_by"]) == {"effort"}


def test_a_months_lead_time_on_too_few_deployments_is_no_data(tmp_path):
    # March 2025: 25 deployments, each 10 hours from commit; April: 3 deployments of 100 hours
    # (the window is the 24 complete months to April: months before March have no deployments).
    # April's median is three changes' story: no data, neither drawn nor correlated.
    rows = []
    for month, count, hours in ((3, 25, 10), (4, 3, 100)):
        for i in range(count):
            at = dt.datetime(2025, month, 1 + i, 12)
            rows.append(dict(deploy_id=f"d{month}-{i}", team="a", environment="production", deployed_at=at,
                             commit_at=at - dt.timedelta(hours=hours), status="success"))  # fmt: skip
    con = make_db(tmp_path, teams=TEAMS, deployments=rows)
    frame = vo.outcomes_by_month(con, scope("2025-03-01", "2025-05-01")).set_index("period")
    assert frame.loc["2025-03-01", "lead_time_hours_p50"] == pytest.approx(10)
    assert np.isnan(frame.loc["2025-04-01", "lead_time_hours_p50"])
    assert frame.loc["2025-04-01", "deployments_per_week"] == pytest.approx(3 / (30 / 7))  # a count stays
    # no work items and no incidents at all: no data in every month, never a line at 0
    assert frame["features_shipped"].isna().all() and frame["incidents"].isna().all()
