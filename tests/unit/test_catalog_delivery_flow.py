"""Every delivery.* and flow.* catalog key by value, on a small fixture worked out by hand.

The fixture pins the rules the other tests never did: deployments without an environment
beside ones that name it (team c never names one; a and b do), region- and stage-suffixed
production names, failed runs, a failure named by an incident of another team in another
period, backwards spans in every median, incidents that name no deployment, human reviews.

Period [2025-03-01, 2025-03-29): 28 days = 4 weeks. Hand computation in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lib import metrics
from lib.views import delivery_detail, delivery_rules
from tests.unit.fixtures import make_db, scope

PERIOD = ("2025-03-01", "2025-03-29")


def dep(deploy_id, team, environment, status, deployed_at, commit_at=None, is_rework=None, service="svc"):
    return dict(
        deploy_id=deploy_id,
        service=service,
        team=team,
        environment=environment,
        status=status,
        deployed_at=deployed_at,
        commit_at=commit_at,
        is_rework=is_rework,
    )


DEPLOYMENTS = [
    dep("a1", "a", "prod-us", "success", "2025-03-03 12:00", "2025-03-03 02:00", False),  # lead 10 h
    dep("a2", "a", "production_eu", "success", "2025-03-05 12:00", "2025-03-04 06:00", True),  # lead 30 h
    dep("a3", "a", "prod.eu-west-1", "rollback", "2025-03-07 12:00", "2025-03-06 12:00", False),
    dep("a4", "a", "preprod", "success", "2025-03-08 12:00", "2025-03-08 10:00"),  # never production
    dep("a5", "a", "staging", "failure", "2025-03-09 12:00"),  # never production
    dep("a6", "a", "PROD", "failure", "2025-03-09 13:00", "2025-03-09 12:00"),  # a failed run
    dep(
        "a7", "a", None, "success", "2025-03-10 12:00", "2025-03-10 11:00"
    ),  # no environment, beside named ones
    dep(
        "a8", "a", "prod", "success", "2025-03-12 12:00", "2025-03-12 14:00"
    ),  # commit after deploy: backwards
    dep("b1", "b", "production", "success", "2025-03-15 12:00", "2025-03-15 11:00"),  # lead 1 h; named by iy
    dep("c1", "c", None, "success", "2025-03-20 12:00", "2025-03-20 00:00"),  # lead 12 h
    dep("c2", "c", "", "success", "2025-03-21 12:00", "2025-03-20 12:00"),  # lead 24 h; named by iz
    dep("x1", "a", "prod", "success", "2025-03-29 00:00", "2025-03-28 00:00"),  # at the end: out
    dep("x2", "a", "prod", "success", "2025-02-20 12:00", "2025-02-20 10:00"),  # previous period
]
INCIDENTS = [
    dict(incident_id="i1", team="a", started_at="2025-03-02 00:00", resolved_at="2025-03-02 03:00"),  # 3 h
    dict(incident_id="i2", team="b", started_at="2025-03-16 00:00", resolved_at="2025-03-16 00:30"),  # 0.5 h
    # resolved before it started: backwards, left out of the median; names a3
    dict(incident_id="i3", team="a", started_at="2025-03-18 10:00", resolved_at="2025-03-18 09:00",
         caused_by_deploy_id="a3"),
    dict(incident_id="i4", team="c", started_at="2025-03-22 00:00"),  # unresolved
    # another team, another period, naming b1 and c2: they are change failures all the same
    dict(incident_id="iy", team="c", started_at="2025-04-02 00:00", resolved_at="2025-04-02 02:00",
         caused_by_deploy_id="b1"),
    dict(incident_id="iz", team="a", started_at="2025-03-30 00:00", caused_by_deploy_id="c2"),
]  # fmt: skip
PULL_REQUESTS = [
    dict(pr_id="svc#1", repo="acme/svc", team="a", opened_at="2025-03-02 09:00",
         first_review_at="2025-03-02 19:30", merged_at="2025-03-02 22:30"),  # pickup 10.5 h, review 3 h
    dict(pr_id="svc#2", repo="acme/svc", team="a", opened_at="2025-03-05 10:00",
         first_review_at="2025-03-05 12:00", merged_at="2025-03-06 10:00"),  # pickup 2 h, review 22 h
    dict(pr_id="svc#3", repo="acme/svc", team="b", opened_at="2025-03-10 10:00",
         merged_at="2025-03-10 12:00"),  # no human review: in neither median
    dict(pr_id="svc#4", repo="acme/svc", team="b", opened_at="2025-03-12 10:00",
         first_review_at="2025-03-12 09:00", merged_at="2025-03-12 15:00"),  # pickup backwards; review 6 h
    dict(pr_id="svc#5", repo="acme/svc", team="a", opened_at="2025-03-28 10:00",
         first_review_at="2025-03-28 11:00", merged_at="2025-04-01 10:00"),  # merged after the period
]  # fmt: skip
ITEMS = [
    dict(item_id="w1", team="a", type="feature", created_at="2025-02-20", started_at="2025-03-01",
         completed_at="2025-03-05"),  # 4 days
    dict(item_id="w2", team="a", type="Defect", created_at="2025-03-02", completed_at="2025-03-04"),  # 2 days
    dict(item_id="w3", team="b", type="debt", created_at="2025-03-10", started_at="2025-03-11",
         completed_at="2025-03-10 12:00"),  # completed before started: backwards
    dict(item_id="w4", team="b", type="risk", created_at="2025-03-12", started_at="2025-03-12",
         completed_at="2025-03-20"),  # 8 days
    dict(item_id="w5", team="c", type="feature", created_at="2025-03-05", started_at="2025-03-06",
         completed_at="2025-03-07"),  # 1 day, half of it active
    dict(item_id="w6", team="a", type="feature", created_at="2025-03-01", started_at="2025-03-02"),  # open
    dict(item_id="w7", team="a", type="defect", created_at="2025-02-01", canceled_at="2025-03-10"),
    dict(item_id="w8", team="c", type="feature", created_at="2025-03-25"),  # open, not started
    dict(item_id="w9", team="a", type="feature", created_at="2025-03-20", started_at="2025-03-21",
         completed_at="2025-03-29"),  # completed exactly at the end: still in progress
]  # fmt: skip
TRANSITIONS = [
    dict(item_id="w5", changed_at="2025-03-06 00:00", to_status="In Progress", active=True),
    dict(item_id="w5", changed_at="2025-03-06 12:00", to_status="In Review", active=False),
    # w3 runs backwards: its history must not reach flow efficiency
    dict(item_id="w3", changed_at="2025-03-10 00:00", to_status="In Progress", active=True),
]
TEAMS = [dict(team="a", org="North"), dict(team="b", org="North"), dict(team="c", org="South")]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = make_db(
        tmp_path_factory.mktemp("catalog"),
        deployments=DEPLOYMENTS,
        incidents=INCIDENTS,
        pull_requests=PULL_REQUESTS,
        work_items=ITEMS,
        work_item_transitions=TRANSITIONS,
        teams=TEAMS,
    )
    yield c
    c.close()


def branches(con, teams=None) -> dict:
    tree = metrics.catalog(con, scope(*PERIOD, teams=teams))
    return metrics.flatten({"delivery": tree["delivery"], "flow": tree["flow"]})


def test_every_delivery_and_flow_key_for_the_organisation(con):
    # Production runs: a1 a2 a3 a6 a8 b1. a4 (preprod) and a5 (staging) name other environments; a7, c1,
    # c2 name none, beside deployments that do, so the organisation's scope leaves them out.
    # Deployments (success or rollback): a1 a2 a3 a8 b1 = 5; a6 is a failed run.
    # Successful: a1 a2 a8 b1 = 4 in 4 weeks → 1.0 a week (high: at least once a week).
    # Lead times: a1 10, a2 30, b1 1; a8's commit is after its deployment → left out → median 10.
    # Change failures: a3 rolled back, b1 named by iy (team c, April) → 2 of 5 = 0.4.
    # Time to restore: i1 3 h, i2 0.5 h (i3 backwards, i4 unresolved; iy, iz after the period) → 1.75.
    # Rework: a2 of 5 = 0.2 (a1, a2, a3 say; the rest are null, so the rate is known).
    # PR pickup: svc#1 10.5 h, svc#2 2 h (svc#4 backwards) → 6.25; review: 3, 22, 6 → 6.
    # Incidents naming no deployment: i1, i2, i4 (i3 names a3) = 3.
    # Tiers: frequency high, lead time elite, failure rate low, recovery high → all but the worst: high.
    # Flow: completed w1 w2 w3 w4 w5 = 5 → 1.25 a week; flow times 4, 2, 8, 1 (w3 backwards) → 3 days;
    # load at the end w6 w8 w9 = 3; types feature w1 w5, defect w2, debt w3, risk w4;
    # efficiency: w5 only (w3 backwards), 12 h active of 24 h = 0.5.
    assert branches(con) == {
        "delivery.deployments": 5,
        "delivery.failed_deployment_runs": 1,
        "delivery.deployment_frequency_per_week": pytest.approx(1.0),
        "delivery.lead_time_hours_p50": pytest.approx(10.0),
        "delivery.change_failure_rate": pytest.approx(0.4),
        "delivery.recovery_time_hours_p50": pytest.approx(1.75),
        "delivery.rework_rate": pytest.approx(0.2),
        "delivery.pr_pickup_hours_p50": pytest.approx(6.25),
        "delivery.pr_review_hours_p50": pytest.approx(6.0),
        "delivery.incidents_without_deploy": 3,
        "delivery.runs_without_status": 0,
        "delivery.dora_tier": "high",
        "flow.velocity": 5,
        "flow.velocity_per_week": pytest.approx(1.25),
        "flow.time_days_p50": pytest.approx(3.0),
        "flow.load": 3,
        "flow.distribution.feature": pytest.approx(0.4),
        "flow.distribution.defect": pytest.approx(0.2),
        "flow.distribution.risk": pytest.approx(0.2),
        "flow.distribution.debt": pytest.approx(0.2),
        "flow.efficiency": pytest.approx(0.5),
    }


def test_a_team_that_names_no_environment_counts_all_its_deployments(con):
    # Team c alone names no environment (null and blank): c1 and c2 are production.
    # 2 successful in 4 weeks → 0.5 a week (medium); lead 12 h and 24 h → 18 h (elite);
    # c2 is named by iz (team a, the day after the period) → 1 of 2 (low); no rework flag → null;
    # c's only incident in the period, i4, is unresolved → no time to restore, and names no deployment.
    # Three keys: low, medium, elite → all but the worst: medium.
    got = branches(con, teams=("c",))
    assert {k: v for k, v in got.items() if k.startswith("delivery.")} == {
        "delivery.deployments": 2,
        "delivery.failed_deployment_runs": 0,
        "delivery.deployment_frequency_per_week": pytest.approx(0.5),
        "delivery.lead_time_hours_p50": pytest.approx(18.0),
        "delivery.change_failure_rate": pytest.approx(0.5),
        "delivery.recovery_time_hours_p50": None,
        "delivery.rework_rate": None,
        "delivery.pr_pickup_hours_p50": None,
        "delivery.pr_review_hours_p50": None,
        "delivery.incidents_without_deploy": 1,
        "delivery.runs_without_status": 0,
        "delivery.dora_tier": "medium",
    }
    # w5 completed (1 day); w8 open
    assert got["flow.velocity"] == 1 and got["flow.load"] == 1
    assert got["flow.time_days_p50"] == pytest.approx(1.0)


def test_team_a_leaves_its_unnamed_deployment_out(con):
    # Team a names environments, so a7 (none) does not count: a1 a2 a3 a8 = 4 deployments,
    # a1 a2 a8 successful → 3 ÷ 4 = 0.75 a week; change failure a3 → 1 of 4.
    got = branches(con, teams=("a",))
    assert got["delivery.deployments"] == 4
    assert got["delivery.deployment_frequency_per_week"] == pytest.approx(0.75)
    assert got["delivery.change_failure_rate"] == pytest.approx(0.25)
    assert got["delivery.lead_time_hours_p50"] == pytest.approx(20.0)  # 10 and 30 (a8 backwards)
    assert got["delivery.incidents_without_deploy"] == 1  # i1


def test_team_and_org_trends_decide_per_unit_as_the_filtered_catalog_does(con):
    march = pd.Timestamp("2025-03-01")
    month = scope(*PERIOD)
    by_team = delivery_detail.dora_by_unit_period(con, month, "team").set_index(["unit", "period"])
    for team in ("a", "b", "c"):
        one = branches(con, teams=(team,))
        row = by_team.loc[(team, march)]
        assert row["deployments"] == one["delivery.deployments"], team
        assert row["deployment_frequency_per_week"] == pytest.approx(
            one["delivery.deployment_frequency_per_week"]
        )
        assert row["change_failure_rate"] == pytest.approx(one["delivery.change_failure_rate"])
    # c's deployments name no environment: they count on the Teams chart, as under c's filter
    assert by_team.loc[("c", march), "deployments"] == 2
    by_org = delivery_detail.dora_by_unit_period(con, month, "org").set_index(["unit", "period"])
    south = branches(con, teams=("c",))
    assert by_org.loc[("South", march), "deployments"] == south["delivery.deployments"]
    north = branches(con, teams=("a", "b"))
    assert by_org.loc[("North", march), "deployments"] == north["delivery.deployments"] == 5


def test_the_page_counts_every_row_a_number_leaves_out(con):
    c = delivery_detail.coverage(con, scope(*PERIOD))
    assert c["failed_runs_in_period"] == 1  # a6
    assert c["lead_time_backwards"] == 1  # a8
    assert c["recovery_backwards"] == 1  # i3
    assert c["items_backwards"] == 1  # w3
    assert c["pull_requests_backwards"] == 1  # svc#4
    assert c["unnamed_left_out_in_period"] == 3  # a7, c1, c2
    assert c["incidents_without_deploy_in_period"] == 3
    notes = delivery_detail.data_notes(c)
    assert notes[0].startswith("Not counted as deployments: 1 failed deployment run in this period.")
    assert "3 deployments without an environment" in notes[1]
    assert notes[2] == (
        "Left out of the medians because their times run backwards (clock skew or a data error): "
        "1 deployment whose first commit is after it (lead time); 1 incident resolved before it started "
        "(time to restore); 1 work item completed before it was created or started (flow time); "
        "1 pull request reviewed or merged before it was opened, or reviewed after the merge (PR stages). "
        "The rows are kept and still counted (the drill-down marks them)."
    )
    assert delivery_detail.incidents_note(c) == (
        "3 of 4 incidents in the period name no deployment: the rate cannot count them."
    )


@pytest.mark.parametrize(
    ("environment", "production"),
    [
        ("prod", True),
        ("production", True),
        ("prd", True),
        ("prod-us", True),
        ("production_eu", True),
        ("prod.eu-west-1", True),
        ("  PROD ", True),
        ("Production/EU", True),
        ("preprod", False),
        ("non-prod", False),
        ("pre-prod", False),
        ("staging", False),
        ("prod-staging", False),
        ("production-qa", False),
        ("live", False),
        ("", False),
        (None, False),
    ],
)
def test_the_production_rule(tmp_path_factory, environment, production):
    con = make_db(tmp_path_factory.mktemp("rule"))
    assert delivery_rules.is_production_environment(con, environment) is production


def test_the_production_rule_is_configurable(tmp_path):
    con = make_db(
        tmp_path,
        deployments=[
            dep("l1", "a", "live-eu", "success", "2025-03-03 12:00"),
            dep("s1", "a", "staging", "success", "2025-03-04 12:00"),
        ],
    )
    got = branches(con)
    # live-eu is not production by default: deployments exist, none is production → rates null, not 0
    assert got["delivery.deployments"] == 0
    assert got["delivery.deployment_frequency_per_week"] is None
    assert got["delivery.change_failure_rate"] is None
    assert delivery_detail.no_production(delivery_detail.coverage(con, scope(*PERIOD)))
    delivery_rules.set_rule_list(con, delivery_rules.PRODUCTION_NAMES_SETTING, "prod, live")
    assert delivery_rules.production_environment_names(con) == ["prod", "live"]
    got = branches(con)
    assert got["delivery.deployments"] == 1
    assert got["delivery.deployment_frequency_per_week"] == pytest.approx(0.25)
    delivery_rules.set_rule_list(con, delivery_rules.PRODUCTION_NAMES_SETTING, None)
    assert branches(con)["delivery.deployment_frequency_per_week"] is None
    with pytest.raises(ValueError, match="not one word"):
        delivery_rules.set_rule_list(con, delivery_rules.PRODUCTION_NAMES_SETTING, "prod-us")
    with pytest.raises(ValueError, match="unknown setting"):
        delivery_rules.set_rule_list(con, "production", "prod")


def test_a_table_of_staging_deployments_has_no_production_data_in_any_period(tmp_path):
    con = make_db(tmp_path, deployments=[dep("s1", "a", "staging", "success", "2025-01-03 12:00")])
    # March holds no deployment at all, but nothing in the data could ever be production: unknown
    assert branches(con)["delivery.deployment_frequency_per_week"] is None
    frame = delivery_detail.dora_by_unit_period(con, scope(*PERIOD), "team")
    assert frame.empty  # no team has a production deployment to draw


def test_no_view_behind_a_chart_counts_a_backwards_span(con):
    """Trends, spreads, histograms, per-service medians and the drill-down leave out the same spans."""
    from lib.views import delivery, drilldown, flow, flow_detail, incidents, pull_requests

    month = scope(*PERIOD)
    trend = delivery.dora_by_period(con, month).iloc[0]
    assert trend["lead_time_hours_p50"] == pytest.approx(10.0)  # 1, 10, 30 (a8 left out)
    assert trend["recovery_time_hours_p50"] == pytest.approx(1.75)  # 3, 0.5 (i3 left out)
    by_team = delivery_detail.dora_by_unit_period(con, month, "team").set_index("unit")
    assert by_team.loc["a", "lead_time_hours_p50"] == pytest.approx(20.0)  # 10, 30
    assert by_team.loc["a", "recovery_time_hours_p50"] == pytest.approx(3.0)  # i1 (i3 left out)
    by_service = incidents.incidents_by_service(con, month)
    # one group (no service, no severity): 3 h and 0.5 h, i3's −1 h left out
    assert list(by_service["recovery_time_hours_p50"]) == [pytest.approx(1.75)]
    spread = flow_detail.flow_time_spread(con, month)
    assert spread["items"] == 4 and spread["p50"] == pytest.approx(3.0)  # 1, 2, 4, 8
    boxes = flow_detail.flow_time_by_period(con, month).iloc[0]
    assert boxes["items"] == 4 and boxes["p50"] == pytest.approx(3.0)
    assert flow_detail.flow_time_histogram(con, month)["items"].sum() == 4
    flow_trend = flow.flow_by_period(con, month).iloc[0]
    assert flow_trend["time_days_p50"] == pytest.approx(3.0)
    assert flow_trend["efficiency"] == pytest.approx(0.5)
    assert (
        flow_detail.flow_by_unit_period(con, month, "team").set_index("unit").loc["b", "time_days_p50"] == 8
    )
    prs = pull_requests.pr_cycle(con, month)
    assert prs["pickup_hours_p50"] == pytest.approx(6.25) and prs["backwards_prs"] == 1
    assert pull_requests.pr_cycle_by_period(con, month)["pickup_hours_p50"].iloc[0] == pytest.approx(6.25)
    rows, total = drilldown.rows_behind(con, month, "Change lead time")
    assert total == 4  # a1 a2 a8 b1: a8 listed, marked, without a duration
    a8 = rows.set_index("deploy_id").loc["a8"]
    assert bool(a8["runs_backwards"]) and pd.isna(a8["lead_time_hours"])
    rows, _ = drilldown.rows_behind(con, month, "Time to restore and incidents")
    i3 = rows.set_index("incident_id").loc["i3"]
    assert bool(i3["runs_backwards"]) and pd.isna(i3["recovery_hours"])
    rows, _ = drilldown.rows_behind(con, month, "Completed work items")
    w3 = rows.set_index("item_id").loc["w3"]
    assert bool(w3["runs_backwards"]) and pd.isna(w3["flow_time_days"])
    _, runs = drilldown.rows_behind(con, month, "Failed deployment runs")
    assert runs == 1
    _, unnamed = drilldown.rows_behind(con, month, "Incidents naming no deployment")
    assert unnamed == 3


def test_the_pr_deploy_stage_applies_the_production_rule_per_service(con):
    """Every deployment here is of service `svc`, whose deployments name environments: a7 (none) is
    not production for the PRs' deploy stage either."""
    from lib.views import pull_requests

    prs = pull_requests.pr_cycle(con, scope(*PERIOD))
    # first successful production deployment at or after each merge:
    # svc#1 22:30 on 03-02 → a1 03-03 12:00 = 13.5 h; svc#2 03-06 10:00 → a8 03-12 12:00 = 146 h
    # (a3 rolled back, a4 preprod, a5 staging, a6 failed, a7 no environment); svc#3 03-10 12:00 → a8 = 48 h
    # (a7 at the same minute would give 0 h); svc#4 03-12 15:00 → b1 03-15 12:00 = 69 h → median 58.5 h
    assert prs["deployed_prs"] == 4
    assert prs["deploy_hours_p50"] == pytest.approx((48 + 69) / 2)
