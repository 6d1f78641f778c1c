"""METRICS.md says what SPEC §5 says, word for word, for every delivery and flow key.

SPEC.md is the product contract (kept outside the repository); its §5 rows for `delivery.*`
and `flow.*` and its production-deployments paragraph are copied here as they stand, so a
rewording of METRICS.md that drifts from the contract fails. When SPEC changes, update both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

METRICS = (Path(__file__).resolve().parents[2] / "METRICS.md").read_text()

SPEC_ROWS = {
    "delivery.deployments": (
        "production deployments with `deployed_at` in period that reached production: status success or rollback. A run with status failure did not change production (DORA's own Four Keys, DevLake and Middleware agree): it is no deployment and no change failure"
    ),
    "delivery.failed_deployment_runs": (
        "production deployment runs with `deployed_at` in period and status failure, shown for context"
    ),
    "delivery.deployment_frequency_per_week": ("delivery.deployments with status success ÷ (days ÷ 7)"),
    "delivery.lead_time_hours_p50": (
        "median of `deployed_at − commit_at` in hours over successful production deployments in period that have `commit_at`"
    ),
    "delivery.change_failure_rate": (
        "delivery.deployments whose status is rollback or that an incident names in `caused_by_deploy_id`, ÷ delivery.deployments"
    ),
    "delivery.recovery_time_hours_p50": (
        "median of `resolved_at − started_at` in hours over incidents started in period and resolved"
    ),
    "delivery.rework_rate": (
        "delivery.deployments with `is_rework` true ÷ delivery.deployments (null when `is_rework` is absent)"
    ),
    "delivery.pr_pickup_hours_p50": (
        "median of `first_review_at − opened_at` in hours over PRs merged in period that have a first review by a person: reviews by the PR's author or by automated accounts (logins ending in `[bot]` or `-bot`, `copilot-pull-request-reviewer`, and a configurable list) are not reviews"
    ),
    "delivery.pr_review_hours_p50": ("median of `merged_at − first_review_at` in hours over the same PRs"),
    "delivery.dora_tier": (
        'elite / high / medium / low from the four keys, by the 2023 State of DevOps report\'s wording read literally: elite frequency is more than one successful deployment a day on average (multiple per day), high at least one a week, medium at least one a month; lead time and recovery bounds are strict ("less than one day": exactly 24 h is high, exactly 1 h of recovery is high); the failure-rate bands and the rule that combines the keys are documented with their source'
    ),
    "flow.velocity": ("work items with `completed_at` in period"),
    "flow.velocity_per_week": ("flow.velocity ÷ (days ÷ 7)"),
    "flow.time_days_p50": (
        "median of `completed_at − coalesce(started_at, created_at)` in days over items completed in period"
    ),
    "flow.load": (
        "items with `coalesce(started_at, created_at)` before period end and neither `completed_at` nor `canceled_at` before period end"
    ),
    "flow.distribution.feature / defect / risk / debt": (
        "share (0–1) of items completed in period of each type"
    ),
    "flow.efficiency": (
        "active time ÷ flow time over items completed in period that have status history (`work_item_transitions`, or per-status durations such as Linear's); null when none has"
    ),
}
PRODUCTION_PARAGRAPH = (
    "Production deployments: `environment` names production by a documented, configurable "
    "rule whose default also takes region and stage suffixes (`prod`, `production`, `prd`, "
    "`prod-us`, `production_eu`, `prod.eu-west-1`), and never `preprod`, `non-prod` or "
    "`staging`; when no deployment in scope names an environment, all count. One rule, "
    "applied by every query, page and chart. When the data holds deployments but none is "
    "production, the rate metrics are null and the page says why, never 0. "
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("spec_key", list(SPEC_ROWS))
def test_each_delivery_and_flow_key_has_the_spec_definition_word_for_word(spec_key):
    definition = SPEC_ROWS[spec_key]
    keys = [k.strip() for k in spec_key.replace("flow.distribution.", "").split("/")]
    if spec_key.startswith("flow.distribution."):
        keys = [f"flow.distribution.{k}" for k in keys]
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([a-z0-9_.]+)` \|[^|]*\| (.+?) \|", METRICS, flags=re.MULTILINE)
    }
    assert rows.get(keys[0]) == definition, f"METRICS.md's {keys[0]} row differs from SPEC §5"


def test_the_production_rule_paragraph_word_for_word():
    assert _squash(PRODUCTION_PARAGRAPH).removeprefix("Production deployments: ") in _squash(METRICS)
