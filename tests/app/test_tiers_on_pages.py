"""Pages on too few events or people (issue 18, item 9's kind): the Delivery page on two deployments
in a quarter, each tile with its value and why it has no DORA tier; the Retention page on a
first-year cohort of one."""

from __future__ import annotations

from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import app_file, make_db
from tests.unit.test_tiers_on_few_events import two_deployments


def test_the_delivery_page_says_why_there_is_no_tier(tmp_path, run_page):
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=two_deployments())
    at = run_page(app_file(con), "pages/delivery.py", query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    text = " ".join(c.value for c in at.caption)
    assert "2 production deployments: too few for a DORA tier (20 needed)" in text
    assert "2 deployments with a commit time: too few for a DORA tier" in text
    assert "elite tier" not in text
    assert not [m for m in at.markdown if "Overall delivery performance" in m.value]


def test_the_delivery_page_rates_no_change_failure_rate_without_incidents(tmp_path, run_page):
    from tests.unit.test_tiers_on_few_events import _deploys

    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=_deploys(40, month=7) + _deploys(40, month=8))
    at = run_page(app_file(con), "pages/delivery.py", query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    assert next(m for m in at.metric if m.label == "Change failure rate").value == "0.0%"
    text = " ".join(c.value for c in at.caption)
    assert "No tier: no incidents loaded (rollbacks only)" in text
    overall = " ".join(m.value for m in at.markdown if "Overall delivery performance" in m.value)
    assert "elite" not in overall  # the 0.0% no longer lifts the overall tier


def test_the_retention_page_hides_a_first_year_cohort_of_one(tmp_path, run_page):
    from tests.unit.test_overview_privacy import _people

    con = make_db(tmp_path, teams=[{"team": "small"}, {"team": "big"}], employees=_people())
    at = run_page(app_file(con), "pages/retention.py", query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    tile = next(m for m in at.metric if m.label == "First-year attrition")
    assert tile.value == "—"
    text = " ".join(c.value for c in at.caption)
    assert "Hidden: fewer than 5 people hired a year earlier" in text
    assert "1 of 1" not in text


def test_a_change_on_too_few_deployments_has_no_arrow(tmp_path, run_page):
    from tests.unit.test_tiers_on_few_events import _deploys

    # 1 deployment in the previous quarter, 5 in this one: "+400%" said nothing
    rows = _deploys(1, month=4, day=10) + _deploys(5, month=8)
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=rows)
    at = run_page(app_file(con), "pages/delivery.py", query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    tile = next(m for m in at.metric if m.label == "Deploy frequency")
    assert tile.value == "0.38/wk"  # 5 in 13 weeks and a day: shown
    assert not tile.delta


def test_the_demo_states_its_overall_tier_and_the_rule(demo_db, run_page):
    # every key stands on more than 20 events there: the overall line and its rule are shown
    at = run_page(demo_db, "pages/delivery.py")
    assert_no_exception(at)
    (line,) = [m.value for m in at.markdown if "Overall delivery performance" in m.value]
    assert line.startswith("Overall delivery performance: **high tier**. Pillars' rule")


def test_a_cost_per_feature_on_one_feature_is_not_compared(tmp_path, run_page):
    # the review's Business tile: "$1.1M · +211%" on 1 feature against 3 the quarter before
    money = [
        dict(period_start=f"2025-{m:02d}-01", metric=metric, value=value, unit="USD")
        for m in range(4, 13)
        for metric, value in (("rnd_spend", 400_000.0), ("revenue", 2_000_000.0))
    ]
    items = [
        dict(
            item_id=f"f{i}",
            team="a",
            type="feature",
            created_at=f"2025-0{m}-01",
            completed_at=f"2025-0{m}-20",
        )
        for i, m in enumerate((4, 5, 6))
    ] + [dict(item_id="f9", team="a", type="feature", created_at="2025-10-01", completed_at="2025-11-20")]
    con = make_db(tmp_path, teams=[{"team": "a"}], business_metrics=money, work_items=items)
    at = run_page(app_file(con), "pages/business.py", query={"from": "2025-10-01", "to": "2025-12-31"})
    assert_no_exception(at)
    tile = next(m for m in at.metric if m.label == "Cost per feature")
    assert tile.value == "$1.2M"  # 3 months of $400k over 1 feature: shown
    assert not tile.delta
    assert "1 feature completed: too few to compare (fewer than 5)" in " ".join(c.value for c in at.caption)
