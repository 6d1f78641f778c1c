"""AI adoption views: adoption week, equal windows, DORA keys before and after, usage by unit."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from lib import db
from lib.charts import registry
from lib.scope import Scope, default_scope
from lib.views import delivery, skills_ai
from tests.unit.fixtures import make_db, scope

TEAMS = [dict(team="a", org="Core"), dict(team="b", org="Core"), dict(team="c", org="Edge")]
EMPLOYEES = [dict(employee_id=f"a{i}", team="a", hire_date="2024-01-01") for i in range(4)] + [
    dict(employee_id="b1", team="b", hire_date="2024-01-01"),
    dict(employee_id="b2", team="b", hire_date="2024-01-01"),
    dict(employee_id="c1", team="c", hire_date="2024-01-01"),
]
USAGE = [
    dict(date="2025-03-04", team="a", tool="copilot", active_users=1),  # week of 03-03: 1 of 4
    dict(date="2025-03-11", team="a", tool="copilot", active_users=1),  # week of 03-10: 1 + 1 = 2 of 4
    dict(date="2025-03-11", team="a", tool="cursor", active_users=1),
    dict(date="2025-04-02", team="b", tool="copilot", active_users=0),  # b never reaches half
    dict(date="2025-03-03", team="(all teams)", tool="copilot", active_users=99),  # no team: ignored
]


def _deploys() -> list[dict]:
    rows = []
    base = dt.datetime(2025, 2, 3, 12)
    for i in range(10):  # before: lead times 10 … 19 h, one flagged as rework
        at = base + dt.timedelta(days=i)
        rows.append(
            dict(
                deploy_id=f"b{i}",
                team="a",
                environment="production",
                deployed_at=at,
                commit_at=at - dt.timedelta(hours=10 + i),
                status="success",
                is_rework=i == 0,
            )
        )
    rows.append(
        dict(
            deploy_id="b-rb",
            team="a",
            environment="production",
            deployed_at=base,
            commit_at=base - dt.timedelta(hours=1),
            status="rollback",
            is_rework=False,
        )
    )
    rows.append(
        dict(
            deploy_id="b-stg",
            team="a",
            environment="staging",
            deployed_at=base,
            commit_at=base - dt.timedelta(hours=100),
            status="failure",
        )
    )
    after = dt.datetime(2025, 3, 10)  # the first after the adoption week starts
    for i in range(12):  # after: 5 h each
        at = after + dt.timedelta(days=i)
        rows.append(
            dict(
                deploy_id=f"a{i}",
                team="a",
                environment="prod",
                deployed_at=at,
                commit_at=at - dt.timedelta(hours=5),
                status="success",
                is_rework=False,
            )
        )
    rows.append(
        dict(
            deploy_id="old",
            team="a",
            environment="production",
            deployed_at="2025-01-12 23:00",
            commit_at="2025-01-01",
            status="success",
        )
    )  # before the before-window
    rows.append(
        dict(
            deploy_id="late",
            team="a",
            environment="production",
            deployed_at="2025-05-05",
            commit_at="2025-05-01",
            status="success",
        )
    )  # at the end: out
    return rows  # fmt: skip


INCIDENTS = [dict(incident_id="i1", team="a", started_at="2025-03-12", caused_by_deploy_id="a2")]
END = "2025-05-05"


@pytest.fixture
def con(tmp_path):
    return make_db(
        tmp_path,
        teams=TEAMS,
        employees=EMPLOYEES,
        ai_usage=USAGE,
        deployments=_deploys(),
        incidents=INCIDENTS,
    )


def test_adoption_week_equal_windows_and_dora_keys_either_side(con):
    frame = skills_ai.delivery_before_after(con, scope("2025-04-01", END))
    a = frame.set_index("unit").loc["a"]
    assert a["adopted_week"] == dt.date(2025, 3, 10)
    assert a["window_days"] == 56  # 03-10 → 05-05, fewer than 84
    assert (a["before_start"], a["before_end"]) == (dt.date(2025, 1, 13), dt.date(2025, 3, 10))
    assert (a["after_start"], a["after_end"]) == (dt.date(2025, 3, 10), dt.date(2025, 5, 5))
    assert a["before_deployments"] == 11 and a["before_successful_deployments"] == 10
    assert a["before_lead_time_hours_p50"] == pytest.approx(14.5)  # median of 10 … 19
    assert a["before_change_failure_rate"] == pytest.approx(1 / 11)  # the rollback
    assert a["before_rework_rate"] == pytest.approx(1 / 11)
    assert a["before_deployments_per_week"] == pytest.approx(10 / 8)
    assert a["after_deployments"] == 12 and a["after_lead_time_hours_p50"] == pytest.approx(5)
    assert a["after_change_failure_rate"] == pytest.approx(1 / 12)  # named by an incident
    assert a["after_rework_rate"] == 0
    assert a["after_deployments_per_week"] == pytest.approx(12 / 8)
    assert a["change_lead_time_hours_p50"] == pytest.approx((5 - 14.5) / 14.5)
    assert bool(a["enough_data"]) and a["reason"] is None


def test_units_without_enough_data_say_why(con):
    frame = skills_ai.delivery_before_after(con, scope("2025-04-01", END)).set_index("unit")
    assert frame.loc["b", "reason"] == "never reached 50% of its headcount (peak 0%)"
    assert frame.loc["c", "reason"] == "no AI usage recorded"
    assert not frame.loc["b", "enough_data"] and pd_isna(frame.loc["b", "adopted_week"])
    short = skills_ai.delivery_before_after(con, scope("2025-03-01", "2025-03-20")).set_index("unit")
    assert short.loc["a", "window_days"] == 10
    assert short.loc["a", "reason"] == "adopted 10 days before the period end; needs 28"
    few = skills_ai.delivery_before_after(con, scope("2025-03-01", "2025-03-20"), window_days=5)
    assert few.set_index("unit").loc["a", "window_days"] == 5


def test_each_window_matches_the_delivery_catalog_over_that_window(con):
    """One DORA rule: each side equals delivery.dora_summary for that team and window."""
    frame = skills_ai.delivery_before_after(con, scope("2025-04-01", END)).set_index("unit")
    for side in ("before", "after"):
        start, end = frame.loc["a", f"{side}_start"], frame.loc["a", f"{side}_end"]
        want = delivery.dora_summary(con, Scope(start, end, teams=("a",)))
        assert frame.loc["a", f"{side}_deployments"] == want["deployments"]
        assert frame.loc["a", f"{side}_lead_time_hours_p50"] == pytest.approx(want["lead_time_hours_p50"])
        assert frame.loc["a", f"{side}_change_failure_rate"] == pytest.approx(want["change_failure_rate"])
        assert frame.loc["a", f"{side}_rework_rate"] == pytest.approx(want["rework_rate"])
        assert frame.loc["a", f"{side}_deployments_per_week"] == pytest.approx(
            want["deployment_frequency_per_week"]
        )


def test_org_units_pool_their_teams(con):
    frame = skills_ai.delivery_before_after(con, scope("2025-04-01", END), unit="org").set_index("unit")
    # Core: a (4) + b (2) = 6 people; week of 03-10 peak 2 → 33%, below half: never adopted
    assert frame.loc["Core", "reason"] == "never reached 50% of its headcount (peak 33%)"
    assert frame.loc["Edge", "reason"] == "no AI usage recorded"


def test_adoption_by_tool_team_and_org(con):
    s = scope("2025-03-01", "2025-05-01", grain="month")
    by_tool = skills_ai.adoption_by_period(con, s, "tool").set_index(["unit", "period"])
    march = pd.Timestamp(2025, 3, 1)
    # copilot in March: per-team rows exist on 03-04 and 03-11 (1 each); the organisation row on
    # 03-03 is the only copilot row that day, so it counts: mean of 99, 1, 1
    assert by_tool.loc[("copilot", march), "active_users_daily_mean"] == pytest.approx(101 / 3)
    assert by_tool.loc[("copilot", march), "headcount_end"] == 7
    by_team = skills_ai.adoption_counts(con, s, "team").set_index(["unit", "period"])
    assert by_team.loc[("a", march), "active_users_daily_mean"] == pytest.approx((1 + 2) / 2)
    assert by_team.loc[("a", march), "ai_adoption_rate"] == pytest.approx(1.5 / 4)
    assert "(all teams)" not in set(by_team.index.get_level_values(0))
    by_org = skills_ai.adoption_counts(con, s, "org").set_index(["unit", "period"])
    assert by_org.loc[("Core", pd.Timestamp(2025, 4, 1)), "headcount_end"] == 6
    with pytest.raises(ValueError, match="unit must be one of"):
        skills_ai.adoption_by_period(con, s, "location")


def test_ai_assisted_pr_share_by_team_and_period(tmp_path):
    con = make_db(
        tmp_path,
        pull_requests=[
            dict(
                pr_id="1",
                repo="r",
                team="a",
                opened_at="2025-03-01",
                merged_at="2025-03-02",
                ai_assisted=True,
            ),
            dict(
                pr_id="2",
                repo="r",
                team="a",
                opened_at="2025-03-01",
                merged_at="2025-03-03",
                ai_assisted=False,
            ),
            dict(pr_id="3", repo="r", team="b", opened_at="2025-03-01", merged_at="2025-04-03"),
        ],
    )
    s = scope("2025-03-01", "2025-05-01")
    by_all = skills_ai.pr_share_by_period(con, s).set_index("period")
    assert by_all.loc[pd.Timestamp(2025, 3, 1), "ai_assisted_pr_share"] == 0.5
    assert by_all.loc[pd.Timestamp(2025, 4, 1), "merged_prs"] == 1
    assert pd_isna(by_all.loc[pd.Timestamp(2025, 4, 1), "ai_assisted_pr_share"])  # flag unknown
    by_team = skills_ai.pr_share_by_period(con, s, "team")
    assert set(by_team["unit"]) == {"a", "b"}


def pd_isna(value) -> bool:
    return bool(pd.isna(value))


def test_a_team_under_the_threshold_shows_no_ai_figure_nor_its_headcount(con):
    # a (4 people), b (2) and c (1) are each under 5: their daily AI users would tell who uses
    # AI (a review read "security (4)" at 17%); the organisation (7) is shown
    s = scope("2025-03-01", "2025-05-01", grain="month")
    by_team = skills_ai.adoption_by_period(con, s, "team").set_index(["unit", "period"])
    a = by_team.loc[("a", pd.Timestamp(2025, 3, 1))]
    assert a["hidden"] and a["hidden_reason"] == "fewer than 5 people"
    assert all(pd.isna(a[c]) for c in ("active_users_daily_mean", "ai_adoption_rate", "headcount_end"))
    everyone = skills_ai.adoption_by_period(con, s, "all").set_index("period")
    assert not everyone["hidden"].any() and everyone.loc[pd.Timestamp(2025, 3, 1), "headcount_end"] == 7
    # every team is under 5 here: the chart says so instead of drawing "a (4)" at 38%
    fig = registry.figure(con, "skills.ai_adoption_by_team", scope("2025-03-01", "2025-03-29"))
    assert registry.missing(fig) == "Hidden: fewer than 5 people" and not fig.data


def test_on_the_demo_small_teams_are_hidden_and_the_others_keep_their_figures(demo_db):
    con = db.connect(demo_db)
    fig = registry.figure(con, "skills.ai_adoption_by_team", default_scope(con))
    active = fig.data[0]
    rows = dict(zip(active.y, active.x, strict=True))
    hidden = [label for label in rows if label.endswith("(hidden)")]
    shown = [label for label in rows if not label.endswith("(hidden)")]
    assert hidden and shown  # the demo has teams under 5 people (security) and over
    assert all(pd.isna(rows[label]) for label in hidden)
    assert all(re.search(r"\(\d+\)$", label) and rows[label] >= 0 for label in shown)
    assert not any(label.split(" (")[0] in fig.layout.title.text for label in hidden)
