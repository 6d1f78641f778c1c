"""The catalog as a whole: SPEC §7 nesting, plain JSON values, documentation, CLI, headlines."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib import metrics
from tests.unit import test_metrics_business as biz
from tests.unit import test_metrics_delivery as dlv
from tests.unit import test_metrics_engagement as eng
from tests.unit import test_metrics_flow as flw
from tests.unit.fixtures import make_db, scope

ROOT = Path(__file__).resolve().parents[2]
PERIOD = ("2025-01-01", "2025-04-01")

SPEC_KEYS = {
    "delivery.deployments",
    "delivery.failed_deployment_runs",
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
    "delivery.rework_rate",
    "delivery.pr_pickup_hours_p50",
    "delivery.pr_review_hours_p50",
    "delivery.dora_tier",
    "flow.velocity",
    "flow.velocity_per_week",
    "flow.time_days_p50",
    "flow.load",
    "flow.distribution.feature",
    "flow.distribution.defect",
    "flow.distribution.risk",
    "flow.distribution.debt",
    "flow.efficiency",
    "engagement.survey_id",
    "engagement.respondents",
    "engagement.participation_rate",
    "engagement.enps",
    "engagement.index",
    "retention.headcount_start",
    "retention.headcount_end",
    "retention.hires",
    "retention.separations",
    "retention.attrition_rate_annualized",
    "retention.voluntary_attrition_rate_annualized",
    "retention.regretted_attrition_rate_annualized",
    "retention.attrition_rate_ttm",
    "retention.first_year_attrition_rate",
    "retention.span_of_control_median",
    "retention.one_on_one_coverage",
    "retention.median_tenure_years",
    "retention.promotion_rate_annualized",
    "skills.bus_factor_risks",
    "skills.learning_hours_per_engineer_annualized",
    "skills.ai_adoption_rate",
    "skills.ai_acceptance_rate",
    "skills.ai_assisted_pr_share",
    "skills.skill_gap_share",
    "skills.certifications",
    "business.revenue",
    "business.rnd_spend",
    "business.rnd_pct_revenue",
    "business.revenue_per_engineer_annualized",
    "business.investment_mix.feature",
    "business.investment_mix.defect",
    "business.investment_mix.risk",
    "business.investment_mix.debt",
    "business.cost_per_feature",
    "business.capitalizable_rnd_estimate",
}
# Keys Pillars adds to SPEC §5 (documented in METRICS.md).
EXTRA_KEYS = {"delivery.incidents_without_deploy", "delivery.runs_without_status"}
FAVORABILITY = {"engagement.favorability.psychological_safety", "engagement.favorability.autonomy"}
PULL_REQUESTS = [
    dict(pr_id="r#1", repo="acme/r", team="a", opened_at="2025-01-02 09:00", first_review_at="2025-01-02 11:00",
         merged_at="2025-01-03 09:00"),
    dict(pr_id="1", repo="acme/api", team="a", opened_at="2025-02-03", merged_at="2025-02-04", ai_assisted=True),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def full_tables() -> dict:
    """Every table with rows in 2025 Q1, so every catalog key has a value."""
    people = [e["employee_id"] for e in eng.EMPLOYEES]
    return dict(
        deployments=dlv.DEPLOYS,
        incidents=dlv.INCIDENTS,
        pull_requests=PULL_REQUESTS,
        work_items=flw.ITEMS,
        work_item_transitions=flw.TRANSITIONS,
        survey_responses=eng.RESPONSES,
        employees=[
            *eng.EMPLOYEES,
            dict(
                employee_id="gone",
                team="a",
                hire_date="2019-01-01",
                termination_date="2025-02-01",
                termination_type="voluntary",
                regretted=True,
            ),
            # hired in [end − 730, end − 365) and left in its first year; a report with a recent 1:1
            dict(employee_id="first-year", team="a", hire_date="2023-06-01", termination_date="2024-01-15"),
            dict(employee_id="coached", team="a", hire_date="2022-01-01", manager_id=people[0]),
        ],
        one_on_ones=[dict(manager_id=people[0], employee_id="coached", held_at="2025-03-20")],
        promotions=[dict(employee_id=people[0], promoted_at="2025-02-01")],
        skills=[dict(employee_id=people[0], skill="rust", proficiency=4, target=3)],
        learning=[dict(employee_id=people[1], date="2025-02-01", title="course", hours=8)],
        ai_usage=[
            dict(date="2025-03-20", team="a", tool="copilot", active_users=5, suggestions=10, acceptances=3)
        ],
        business_metrics=biz.MONTHS,
    )


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, **full_tables())


def test_catalog_nests_every_spec_key_with_a_value(con):
    tree = metrics.catalog(con, scope(*PERIOD))
    assert list(tree) == ["delivery", "flow", "engagement", "retention", "skills", "business"]
    assert set(tree["flow"]["distribution"]) == {"feature", "defect", "risk", "debt"}
    flat = metrics.flatten(tree)
    assert set(flat) == SPEC_KEYS | EXTRA_KEYS | FAVORABILITY
    assert [k for k, v in flat.items() if v is None] == []
    json.dumps(tree, allow_nan=False)
    assert all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in flat.values())


def test_empty_database_gives_nulls_never_zeros_or_nan(tmp_path):
    tree = metrics.catalog(make_db(tmp_path), scope(*PERIOD))
    text = json.dumps(tree, allow_nan=False)
    flat = metrics.flatten(json.loads(text))
    # Never-loaded tables are missing data, not zero activity.
    assert flat["delivery.deployments"] is None
    assert flat["flow.velocity"] is None
    assert flat["retention.headcount_end"] is None
    assert flat["delivery.change_failure_rate"] is None
    assert flat["engagement.survey_id"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in flat.values())


def _documented_keys() -> set[str]:
    return set(re.findall(r"`([a-z_]+\.[a-zA-Z0-9_.]+)`", (ROOT / "METRICS.md").read_text()))


def _pattern(key: str) -> str:
    return re.sub(r"^engagement\.favorability\..+$", "engagement.favorability.DIMENSION", key)


def test_every_catalog_key_is_documented_in_metrics_md(con):
    documented = _documented_keys()
    flat = metrics.flatten(metrics.catalog(con, scope(*PERIOD)))
    missing = sorted({_pattern(k) for k in flat} - documented)
    assert missing == [], f"METRICS.md lacks {missing}"


def test_every_definition_is_documented_and_every_key_defined(con):
    missing = sorted(set(metrics.DEFINITIONS) - _documented_keys())
    assert missing == [], f"METRICS.md lacks {missing}"
    assert {_pattern(k) for k in SPEC_KEYS | EXTRA_KEYS | FAVORABILITY} == set(metrics.DEFINITIONS)
    for key in metrics.flatten(metrics.catalog(con, scope(*PERIOD))):
        spec = metrics.definition_for(key)
        assert spec.label and spec.definition and spec.higher_is_better in (True, False, None)
    assert metrics.definition_for("engagement.favorability.psychological_safety").label == (
        "Favourability: psychological safety"
    )


def test_flatten():
    assert metrics.flatten({"a": {"b": 1, "c": {"d": None}}, "e": "x"}) == {"a.b": 1, "a.c.d": None, "e": "x"}


def test_headline_compares_with_the_previous_period(tmp_path):
    con = make_db(tmp_path, deployments=dlv.DEPLOYS, incidents=dlv.INCIDENTS)
    # [01-01, 01-08) against [12-25, 01-01): d1 d2 d4 d5 d9 → 5 per week; the previous period ends
    # before the first deployment (d8, 1 Jan): no data, not 0, so there is no change to claim
    (item,) = metrics.headline(
        con, scope("2025-01-01", "2025-01-08"), ("delivery.deployment_frequency_per_week",)
    )
    assert (item.value, item.previous) == (pytest.approx(5.0), None)
    assert item.change is None
    assert item.delta is None
    assert item.improved is None
    assert item.tier == "high"
    assert item.band == "between once a week and once a day"
    # [01-08, 01-15) holds one deployment, to staging (d7 is at the end): deployments exist but none
    # is production, so the rate is unknown (null), not 0 rated low
    (item,) = metrics.headline(
        con, scope("2025-01-08", "2025-01-15"), ("delivery.deployment_frequency_per_week",)
    )
    assert (item.value, item.previous) == (None, pytest.approx(5.0))
    assert item.tier is None and item.delta is None


def test_cli_prints_the_nested_catalog(tmp_path):
    con = make_db(tmp_path, **full_tables())
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lib",
            "metrics",
            "--db",
            path,
            "--start",
            PERIOD[0],
            "--end",
            PERIOD[1],
            "--team",
            "b",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PILLARS_ANONYMITY_THRESHOLD": "5"},
    )
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert set(metrics.flatten(tree)) == SPEC_KEYS | EXTRA_KEYS | FAVORABILITY
    # team b only: d9 is b's one production deployment; b's survey answers give eNPS +80
    assert tree["delivery"]["deployments"] == 1
    assert tree["delivery"]["incidents_without_deploy"] == 2  # i3 and i5
    assert tree["engagement"]["enps"] == pytest.approx(80.0)
    assert tree["business"]["revenue_per_engineer_annualized"] is None
