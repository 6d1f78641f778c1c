"""Delivery (DORA) keys on a hand-made fixture; expected values worked out in comments."""

from __future__ import annotations

import pytest

from lib.views import delivery
from tests.unit.fixtures import make_db, scope

# Period [2025-01-01, 2025-01-15): 14 days = 2 weeks.
DEPLOYS = [
    # production, success, lead 24 h, not rework
    dict(
        deploy_id="d1",
        team="a",
        environment="production",
        deployed_at="2025-01-02 12:00",
        commit_at="2025-01-01 12:00",
        status="success",
        is_rework=False,
    ),
    # production, success, lead 6 h, rework
    dict(
        deploy_id="d2",
        team="a",
        environment="production",
        deployed_at="2025-01-03 00:00",
        commit_at="2025-01-02 18:00",
        status="success",
        is_rework=True,
    ),
    # "PROD" counts as production; failed by status
    dict(
        deploy_id="d3",
        team="a",
        environment="PROD",
        deployed_at="2025-01-05 00:00",
        commit_at="2025-01-04 14:00",
        status="failure",
    ),
    # success without commit_at: counted, no lead time
    dict(
        deploy_id="d4",
        team="a",
        environment="production",
        deployed_at="2025-01-06 00:00",
        status="success",
        is_rework=False,
    ),
    # success, lead 2 h, but named by incident i2 → failed
    dict(
        deploy_id="d5",
        team="a",
        environment="production",
        deployed_at="2025-01-07 00:00",
        commit_at="2025-01-06 22:00",
        status="success",
    ),
    # staging: never counts
    dict(
        deploy_id="d6",
        team="a",
        environment="staging",
        deployed_at="2025-01-08 00:00",
        commit_at="2025-01-07 00:00",
        status="success",
    ),
    # exactly at end: out
    dict(
        deploy_id="d7",
        team="a",
        environment="production",
        deployed_at="2025-01-15 00:00",
        commit_at="2025-01-14 00:00",
        status="success",
    ),
    # exactly at start: in; rollback → failed
    dict(
        deploy_id="d8",
        team="a",
        environment="production",
        deployed_at="2025-01-01 00:00",
        commit_at="2024-12-31 20:00",
        status="rollback",
    ),
    # team b, success, lead 1 h
    dict(
        deploy_id="d9",
        team="b",
        environment="Production",
        deployed_at="2025-01-04 00:00",
        commit_at="2025-01-03 23:00",
        status="success",
    ),
]
INCIDENTS = [
    dict(incident_id="i1", team="a", started_at="2025-01-03 10:00", resolved_at="2025-01-03 12:00"),  # 2 h
    dict(
        incident_id="i2",
        team="a",
        started_at="2025-01-07 01:00",
        resolved_at="2025-01-07 05:00",
        caused_by_deploy_id="d5",
    ),  # 4 h
    dict(incident_id="i3", team="b", started_at="2025-01-09 00:00"),  # unresolved: left out
    dict(incident_id="i4", team="a", started_at="2025-01-15 00:00", resolved_at="2025-01-15 01:00"),  # at end
    dict(incident_id="i5", team="b", started_at="2025-01-10 00:00", resolved_at="2025-01-10 00:30"),  # 0.5 h
]
PERIOD = ("2025-01-01", "2025-01-15")


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, deployments=DEPLOYS, incidents=INCIDENTS)


def test_dora_keys_whole_org(con):
    got = delivery.dora_summary(con, scope(*PERIOD))
    # production runs in period: d1 d2 d3 d4 d5 d8 d9 (d6 staging, d7 at end); d3 failed, so it never
    # reached production: deployments are d1 d2 d4 d5 d8 d9 = 6, and d3 is a failed run
    assert got["deployments"] == 6
    assert got["failed_deployment_runs"] == 1
    # successful: d1 d2 d4 d5 d9 = 5 → 5 ÷ (14 ÷ 7) = 2.5 per week
    assert got["deployment_frequency_per_week"] == pytest.approx(2.5)
    # lead times of successful with commit_at: 24, 6, 2, 1 → sorted 1 2 6 24 → (2 + 6) ÷ 2 = 4
    assert got["lead_time_hours_p50"] == pytest.approx(4.0)
    # change failures: d8 (rollback), d5 (named by i2) = 2 of 6 (d3's failure is no change failure)
    assert got["change_failure_rate"] == pytest.approx(2 / 6)
    # resolved incidents started in period: 2, 4, 0.5 → median 2
    assert got["recovery_time_hours_p50"] == pytest.approx(2.0)
    # rework: d2 only → 1 of 6
    assert got["rework_rate"] == pytest.approx(1 / 6)
    # incidents started in period naming no deployment: i1, i3, i5 (i2 names d5, i4 at the end)
    assert got["incidents_without_deploy"] == 3
    # tiers: 2.5/wk high, 4 h elite, 33% low, 2 h high → all but the worst (low) reach high
    assert got["tiers"] == {
        "deployment_frequency_per_week": "high",
        "lead_time_hours_p50": "elite",
        "change_failure_rate": "low",
        "recovery_time_hours_p50": "high",
    }
    assert got["dora_tier"] == "high"


def test_dora_keys_team_filter(con):
    got = delivery.dora_summary(con, scope(*PERIOD, teams=("a",)))
    # team a deployments: d1 d2 d4 d5 d8 = 5 (d3 failed); successful d1 d2 d4 d5 = 4 → 4 ÷ 2 = 2.0
    assert got["deployments"] == 5
    assert got["failed_deployment_runs"] == 1
    assert got["deployment_frequency_per_week"] == pytest.approx(2.0)
    # lead 24, 6, 2 → median 6
    assert got["lead_time_hours_p50"] == pytest.approx(6.0)
    # change failures d5 d8 = 2 of 5
    assert got["change_failure_rate"] == pytest.approx(0.4)
    # team a incidents: 2 h and 4 h → (2 + 4) ÷ 2 = 3
    assert got["recovery_time_hours_p50"] == pytest.approx(3.0)
    assert got["rework_rate"] == pytest.approx(1 / 5)
    assert got["incidents_without_deploy"] == 1  # i1 (i2 names d5)


def test_quiet_days_inside_the_data_give_zero_counts_and_null_rates(con):
    # 11–13 Jan lies inside the deployments' span (1–15 Jan) and the incidents' (3–15 Jan),
    # but nothing happened then: an honest zero, and rates without a denominator are null
    got = delivery.dora_summary(con, scope("2025-01-11", "2025-01-13"))
    assert got["deployments"] == 0
    assert got["deployment_frequency_per_week"] == 0.0
    assert got["lead_time_hours_p50"] is None
    assert got["change_failure_rate"] is None
    assert got["recovery_time_hours_p50"] is None
    assert got["incidents_without_deploy"] == 0
    assert got["rework_rate"] is None
    # only deployment frequency has a tier: fewer than three keys → no overall tier
    assert got["dora_tier"] is None
    assert got["gaps"]["deployments"] is None


def test_a_period_after_the_data_is_no_data_not_zero(con):
    # the last deployment is d7 on 15 Jan 2025: a 2030 period has no data, never "0/wk, low tier"
    got = delivery.dora_summary(con, scope("2030-01-01", "2030-02-01"))
    assert got["deployments"] is None
    assert got["deployment_frequency_per_week"] is None
    assert got["tiers"]["deployment_frequency_per_week"] is None
    assert got["incidents_without_deploy"] is None
    assert got["dora_tier"] is None
    assert got["gaps"]["deployments"] == "no deployments after 15 Jan 2025"
    assert got["gaps"]["incidents"] == "no incidents after 15 Jan 2025"


def test_without_environment_every_deployment_counts(tmp_path):
    rows = [
        dict(deploy_id="x1", deployed_at="2025-01-02", commit_at="2025-01-01", status="success"),
        dict(
            deploy_id="x2", environment="", deployed_at="2025-01-03", commit_at="2025-01-01", status="success"
        ),
        dict(deploy_id="x3", deployed_at="2025-01-04", status="failure"),
    ]
    con = make_db(tmp_path, deployments=rows)
    got = delivery.dora_summary(con, scope(*PERIOD))
    # no environment given (null or empty) → all 3 runs count; x3 failed: 2 deployments, 1 failed run;
    # successful x1 x2 → 2 ÷ 2 weeks = 1.0
    assert got["deployments"] == 2
    assert got["failed_deployment_runs"] == 1
    assert got["deployment_frequency_per_week"] == pytest.approx(1.0)
    # lead 24 h and 48 h → even count: (24 + 48) ÷ 2 = 36
    assert got["lead_time_hours_p50"] == pytest.approx(36.0)
    assert got["change_failure_rate"] == 0.0  # no rollback, no incident; the failed run is no change failure
    # is_rework null everywhere → rework rate unknown, not 0
    assert got["rework_rate"] is None


def test_one_deployment(tmp_path):
    rows = [
        dict(
            deploy_id="x",
            environment="prod",
            deployed_at="2025-01-02 03:00",
            commit_at="2025-01-02 00:00",
            status="success",
            is_rework=False,
        )
    ]
    got = delivery.dora_summary(make_db(tmp_path, deployments=rows), scope(*PERIOD))
    assert got["deployments"] == 1
    assert got["lead_time_hours_p50"] == pytest.approx(3.0)
    assert got["change_failure_rate"] == 0.0
    assert got["rework_rate"] == 0.0


def test_dora_by_week(con):
    frame = delivery.dora_by_period(con, scope(*PERIOD, grain="week"))
    # ISO weeks: 2024-12-30 (Jan 1–5: 5 days), 2025-01-06 (7 days), 2025-01-13 (Jan 13–14: 2 days)
    assert [str(p.date()) for p in frame["period"]] == ["2024-12-30", "2025-01-06", "2025-01-13"]
    assert list(frame["days"]) == [5, 7, 2]
    # week 1: d8 d1 d2 d9 = 4 deployments (d3 a failed run); successful d1 d2 d9 = 3 → 3 ÷ (5 ÷ 7) = 4.2
    # week 2: d4 d5 = 2, both successful → 2 ÷ 1 = 2.0; week 3: none
    assert list(frame["deployments"]) == [4, 2, 0]
    assert list(frame["failed_deployment_runs"]) == [1, 0, 0]
    assert list(frame["deployment_frequency_per_week"]) == pytest.approx([4.2, 2.0, 0.0])
    # week 1 lead 24, 6, 1 → 6; week 2 lead d5 2 h
    assert frame["lead_time_hours_p50"].iloc[0] == pytest.approx(6.0)
    assert frame["lead_time_hours_p50"].iloc[1] == pytest.approx(2.0)
    # week 1 change failures d8 = 1 of 4; week 2 d5 = 1 of 2
    assert frame["change_failure_rate"].iloc[0] == pytest.approx(0.25)
    assert frame["change_failure_rate"].iloc[1] == pytest.approx(0.5)
    assert frame["change_failure_rate"].isna().iloc[2]
    # recovery: week 1 i1 2 h; week 2 i2 4 h, i5 0.5 h → 2.25
    assert frame["recovery_time_hours_p50"].iloc[0] == pytest.approx(2.0)
    assert frame["recovery_time_hours_p50"].iloc[1] == pytest.approx(2.25)


@pytest.mark.parametrize(
    ("key", "value", "tier"),
    [
        # frequency: elite is more than one a day on average (> 7 a week); exactly 7 a week is high
        ("deployment_frequency_per_week", 7.01, "elite"),
        ("deployment_frequency_per_week", 7.0, "high"),
        ("deployment_frequency_per_week", 1.0, "high"),
        ("deployment_frequency_per_week", 0.99, "medium"),
        ("deployment_frequency_per_week", 7 / (365.25 / 12), "medium"),  # exactly once a month
        ("deployment_frequency_per_week", 0.2, "low"),
        ("deployment_frequency_per_week", 0.0, "low"),
        # lead time: "less than one day" is strict; exactly 24 h is high, exactly a week medium
        ("delivery.lead_time_hours_p50", 23.99, "elite"),
        ("delivery.lead_time_hours_p50", 24.0, "high"),
        ("lead_time_hours_p50", 167.9, "high"),
        ("lead_time_hours_p50", 168.0, "medium"),
        ("lead_time_hours_p50", 730.4, "medium"),
        ("lead_time_hours_p50", 730.5, "low"),  # a month: 365.25 ÷ 12 days
        # change failure rate: a rate up to a level's value earns that level
        ("change_failure_rate", 0.0, "elite"),
        ("change_failure_rate", 0.05, "elite"),
        ("change_failure_rate", 0.051, "high"),
        ("change_failure_rate", 0.10, "high"),
        ("change_failure_rate", 0.15, "medium"),
        ("change_failure_rate", 0.16, "low"),
        ("change_failure_rate", 1.0, "low"),
        # recovery: "less than one hour" and "less than one day" are strict
        ("recovery_time_hours_p50", 0.99, "elite"),
        ("recovery_time_hours_p50", 1.0, "high"),
        ("recovery_time_hours_p50", 23.99, "high"),
        ("recovery_time_hours_p50", 24.0, "medium"),
        ("recovery_time_hours_p50", 167.9, "medium"),
        ("recovery_time_hours_p50", 168.0, "low"),
        ("recovery_time_hours_p50", None, None),
        ("recovery_time_hours_p50", float("nan"), None),
    ],
)
def test_tier_for_reads_the_2023_report_literally(key, value, tier):
    assert delivery.tier_for(key, value) == tier


def test_boundaries_through_the_catalog(tmp_path):
    """Exactly 7 a week, exactly 24 h of lead time and exactly 1 h of recovery, computed by the
    SQL and tiered: each is high (one tier below what a ≤ reading would give)."""
    deployments = [
        dict(
            deploy_id=f"x{day}",
            environment="production",
            deployed_at=f"2025-03-0{day} 12:00",
            commit_at=f"2025-03-0{day - 1} 12:00" if day > 1 else "2025-02-28 12:00",
            status="success",
        )
        for day in range(1, 8)
    ]
    incidents = [
        dict(incident_id="i1", started_at="2025-03-02 10:00", resolved_at="2025-03-02 11:00"),
        dict(incident_id="i2", started_at="2025-03-04 10:00", resolved_at="2025-03-04 11:00"),
    ]
    con = make_db(tmp_path, deployments=deployments, incidents=incidents)
    got = delivery.dora_summary(con, scope("2025-03-01", "2025-03-08"))
    # 7 successful in 7 days = 7.0 a week: once a day, the top of high, not "multiple per day"
    assert got["deployment_frequency_per_week"] == pytest.approx(7.0)
    assert got["lead_time_hours_p50"] == pytest.approx(24.0)
    assert got["recovery_time_hours_p50"] == pytest.approx(1.0)
    assert got["change_failure_rate"] == 0.0
    assert got["tiers"] == {
        "deployment_frequency_per_week": "high",
        "lead_time_hours_p50": "high",
        "change_failure_rate": "elite",
        "recovery_time_hours_p50": "high",
    }
    assert got["dora_tier"] == "high"
    # an eighth deployment makes it more than one a day: elite
    con.execute(
        "insert into deployments (deploy_id, environment, deployed_at, commit_at, status) "
        "values ('x8', 'production', '2025-03-07 18:00', '2025-03-07 17:00', 'success')"
    )
    got = delivery.dora_summary(con, scope("2025-03-01", "2025-03-08"))
    assert got["deployment_frequency_per_week"] == pytest.approx(8.0)
    assert got["tiers"]["deployment_frequency_per_week"] == "elite"


def test_overall_tier_ignores_the_single_worst_key():
    four = {"a": "elite", "b": "elite", "c": "medium", "d": "low"}
    # sorted worst first: low, medium, elite, elite → second-worst = medium
    assert delivery.overall_tier(four) == "medium"
    assert delivery.overall_tier({"a": "high", "b": "elite", "c": "low", "d": None}) == "high"
    assert delivery.overall_tier({"a": "elite", "b": "elite", "c": None, "d": None}) is None


def test_bands_are_contiguous_and_best_first():
    for key, bands in delivery.DORA_BANDS.items():
        assert [b.tier for b in bands] == list(delivery.TIERS)
        edges = sorted(bands, key=lambda b: b.low)
        for lower, upper in zip(edges, edges[1:], strict=False):
            assert lower.high == upper.low, key
            # a boundary value belongs to exactly one band
            assert lower.high_closed != upper.low_closed, key


def test_bands_table_states_each_band_in_words():
    table = delivery.bands_table()
    assert list(table["Tier"]) == ["Elite", "High", "Medium", "Low"]
    assert table.loc[0, "Deployment frequency"] == "more than once a day on average"
    assert table.loc[1, "Change lead time (median)"] == "between one day and one week"
    assert list(delivery.REPORT_TABLE["Change failure rate"]) == ["5%", "10%", "15%", "64%"]
