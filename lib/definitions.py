"""What each catalog key means (SPEC.md §5): label, unit, definition and which direction is
good, per dotted key. METRICS.md is the long form and a test keeps the two in step;
`lib.metrics` computes the values. No computation and no database here.

`unit` "%" marks a fraction 0–1 (shown as a percentage); `higher_is_better` is None where
neither direction is good in itself (R&D spend, AI acceptance).
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.question_bank import dimension_label

WORK_TYPES = ("feature", "defect", "risk", "debt")


@dataclass(frozen=True)
class Definition:
    """What a catalog key means. Unit "%" marks a fraction 0–1 (shown as a percentage)."""

    label: str
    unit: str
    definition: str
    higher_is_better: bool | None


_D = Definition
_TYPE_DEFS = {
    f"flow.distribution.{t}": _D(
        f"Flow distribution: {t}s",
        "%",
        f"Share (0–1) of work items completed in the period whose type is {t}.",
        None,
    )
    for t in WORK_TYPES
}
_MIX_DEFS = {
    f"business.investment_mix.{t}": _D(
        f"Investment mix: {t}s",
        "%",
        f"Share (0–1) of effort on items completed in the period that went to {t}s; "
        "an item without effort weighs 1.",
        None,
    )
    for t in WORK_TYPES
}

DEFINITIONS: dict[str, Definition] = {
    "delivery.deployments": _D(
        "Production deployments",
        "deployments",
        "Production deployments with deployed_at in period that reached production: status success or "
        "rollback. A run with status failure did not change production (DORA's own Four Keys, DevLake "
        "and Middleware agree): it is no deployment and no change failure.",
        True,
    ),
    "delivery.failed_deployment_runs": _D(
        "Failed deployment runs",
        "runs",
        "Production deployment runs with deployed_at in period and status failure, shown for context.",
        False,
    ),
    "delivery.deployment_frequency_per_week": _D(
        "Deployment frequency",
        "per week",
        "Production deployments with status success in the period ÷ (days ÷ 7); null when the "
        "data holds deployments but none is production.",
        True,
    ),
    "delivery.lead_time_hours_p50": _D(
        "Change lead time (median)",
        "hours",
        "Median of deployed_at − commit_at in hours over successful production deployments in period "
        "that have commit_at (a commit after its deployment runs backwards and is left out).",
        False,
    ),
    "delivery.change_failure_rate": _D(
        "Change failure rate",
        "%",
        "Production deployments whose status is rollback or that an incident names in "
        "caused_by_deploy_id, ÷ production deployments. Incidents that name no deployment are not "
        "counted (their number is shown beside the rate).",
        False,
    ),
    "delivery.recovery_time_hours_p50": _D(
        "Time to restore service",
        "hours",
        "Median of resolved_at − started_at in hours over incidents started in period and resolved: "
        "DORA's time to restore service, over every incident. Tiered on the 2023 report's failed "
        "deployment recovery time bands.",
        False,
    ),
    "delivery.rework_rate": _D(
        "Rework rate",
        "%",
        "Production deployments with is_rework true ÷ production deployments; null when is_rework "
        "is null for all of them.",
        False,
    ),
    "delivery.pr_pickup_hours_p50": _D(
        "PR pickup time (median)",
        "hours",
        "Median of first_review_at − opened_at in hours over PRs merged in period that have a first "
        "review by a person (reviews by the PR's author or by bots are not reviews).",
        False,
    ),
    "delivery.pr_review_hours_p50": _D(
        "PR review time (median)",
        "hours",
        "Median of merged_at − first_review_at in hours over the same PRs.",
        False,
    ),
    "delivery.incidents_without_deploy": _D(
        "Incidents naming no deployment",
        "incidents",
        "Incidents started in the period whose caused_by_deploy_id is empty: the change failure "
        "rate cannot count them; null when no incident was loaded.",
        False,
    ),
    "delivery.runs_without_status": _D(
        "Deployment runs without a status",
        "runs",
        "Production deployment runs with deployed_at in period whose status is empty (or not success, "
        "failure or rollback): whether they reached production is unknown, so they are neither "
        "deployments nor failed runs; null when no deployment was loaded.",
        False,
    ),
    "delivery.dora_tier": _D(
        "DORA performance tier",
        "tier",
        "Elite / high / medium / low: each of the four DORA keys gets the tier of the 2023 Accelerate "
        "State of DevOps Report band it falls in, read literally; the overall tier, Pillars' own rule, "
        "is the best tier reached by all but one of the keys that have a value (at least three needed).",
        None,
    ),
    "flow.velocity": _D("Flow velocity", "items", "Work items with completed_at in the period.", True),
    "flow.velocity_per_week": _D(
        "Flow velocity per week", "items per week", "flow.velocity ÷ (days ÷ 7).", True
    ),
    "flow.time_days_p50": _D(
        "Flow time (median)",
        "days",
        "Median of completed_at − coalesce(started_at, created_at) in days over items completed "
        "in the period.",
        False,
    ),
    "flow.load": _D(
        "Flow load (work in progress)",
        "items",
        "Items with coalesce(started_at, created_at) before the period end and neither "
        "completed_at nor canceled_at before the period end.",
        None,
    ),
    **_TYPE_DEFS,
    "flow.efficiency": _D(
        "Flow efficiency",
        "%",
        "Sum of active time ÷ sum of flow time over items completed in the period that have "
        "status transitions (a ratio of sums); null when none has.",
        True,
    ),
    "engagement.survey_id": _D(
        "Latest survey", "", "The latest survey with survey_date in the period (ties: greatest id).", None
    ),
    "engagement.respondents": _D(
        "Survey respondents",
        "people",
        "People with at least one score in the latest survey (a respondent who left every question "
        "blank counts for nothing); null below the anonymity threshold.",
        True,
    ),
    "engagement.participation_rate": _D(
        "Survey participation",
        "%",
        "Respondents ÷ employees active on the survey date; null without employees or when the "
        "respondents are hidden.",
        True,
    ),
    "engagement.enps": _D(
        "eNPS",
        "score",
        "100 × (share of eNPS scores 9–10 − share 0–6) in the latest survey; null when fewer people "
        "than the anonymity threshold answered the eNPS question.",
        True,
    ),
    "engagement.favorability.DIMENSION": _D(
        "Favourability",
        "%",
        "Share (0–1) of Likert scores 4 or 5 for the dimension in the latest survey; null when "
        "fewer people than the anonymity threshold gave a score on it, or the anonymity plan hides it.",
        True,
    ),
    "engagement.index": _D(
        "Engagement index",
        "%",
        "Share (0–1) of Likert scores 4 or 5 over all non-eNPS questions of the latest survey; "
        "null when fewer people than the anonymity threshold gave a Likert score.",
        True,
    ),
    "retention.headcount_start": _D(
        "Headcount at period start",
        "people",
        "Employees with hire_date <= start and no termination_date <= start.",
        None,
    ),
    "retention.headcount_end": _D(
        "Headcount at period end",
        "people",
        "Employees with hire_date <= end and no termination_date <= end (end = the period's "
        "exclusive end date).",
        None,
    ),
    "retention.hires": _D("Hires", "people", "Employees with hire_date in the period.", None),
    "retention.separations": _D(
        "Separations", "people", "Employees with termination_date in the period.", False
    ),
    "retention.attrition_rate_annualized": _D(
        "Attrition (annualised)",
        "%",
        "Separations ÷ average headcount ((start + end) ÷ 2) × 365 ÷ days.",
        False,
    ),
    "retention.voluntary_attrition_rate_annualized": _D(
        "Voluntary attrition (annualised)",
        "%",
        "Voluntary separations ÷ average headcount × 365 ÷ days.",
        False,
    ),
    "retention.regretted_attrition_rate_annualized": _D(
        "Regretted attrition (annualised)",
        "%",
        "Regretted separations ÷ average headcount × 365 ÷ days.",
        False,
    ),
    "retention.attrition_rate_ttm": _D(
        "Attrition (trailing 12 months)",
        "%",
        "Separations with termination_date in [end − 365 days, end) ÷ ((headcount at end − 365 days + "
        "headcount at end) ÷ 2): the rolling rate HR teams report.",
        False,
    ),
    "retention.first_year_attrition_rate": _D(
        "First-year attrition",
        "%",
        "Of employees hired in [end − 730 days, end − 365 days), the share whose termination_date is "
        "before hire_date + 365 days; null when none was hired then.",
        False,
    ),
    "retention.span_of_control_median": _D(
        "Span of control (median)",
        "reports",
        "Median, over managers of employees active at the period end, of their direct reports active "
        "at the period end.",
        None,
    ),
    "retention.one_on_one_coverage": _D(
        "One-on-one coverage",
        "%",
        "Share of employees active at the period end who have a manager_id and a one-on-one held in "
        "[end − 30 days, end); null when no one-on-ones were loaded.",
        True,
    ),
    "retention.median_tenure_years": _D(
        "Median tenure",
        "years",
        "Median of (end − hire_date) in days ÷ 365.25 over employees active at the period end.",
        True,
    ),
    "retention.promotion_rate_annualized": _D(
        "Promotion rate (annualised)",
        "%",
        "Promotions in the period ÷ average headcount × 365 ÷ days; null without promotion data.",
        True,
    ),
    "skills.bus_factor_risks": _D(
        "Bus-factor risks",
        "skills",
        "Skills held at proficiency ≥ 3 by exactly one employee active at the period end "
        "(people linked by employee id or work e-mail); null without skills data.",
        False,
    ),
    "skills.learning_hours_per_engineer_annualized": _D(
        "Learning hours per engineer (annualised)",
        "hours per year",
        "Learning hours in the period ÷ average headcount × 365 ÷ days; null without learning data.",
        True,
    ),
    "skills.ai_adoption_rate": _D(
        "AI adoption",
        "%",
        "Mean, over days with data in the period's last 28 days, of active_users summed over "
        "teams and tools, ÷ headcount at the period end.",
        True,
    ),
    "skills.ai_acceptance_rate": _D(
        "AI suggestion acceptance",
        "%",
        "Sum of acceptances ÷ sum of suggestions over AI usage rows dated in the period; null "
        "without suggestions.",
        None,
    ),
    "skills.ai_assisted_pr_share": _D(
        "AI-assisted pull requests",
        "%",
        "Pull requests merged in the period with ai_assisted true ÷ those with ai_assisted known.",
        None,
    ),
    "skills.skill_gap_share": _D(
        "Skills below target",
        "%",
        "Share of skills rows of employees active at the period end that have a target (their own, "
        "else their team's) and a proficiency below it; null without skills rows.",
        False,
    ),
    "skills.certifications": _D(
        "Certifications",
        "certifications",
        "Learning rows of kind certification dated in the period; null without learning data.",
        True,
    ),
    "business.revenue": _D(
        "Revenue", "USD", "Sum of revenue over months whose period_start is in the period.", True
    ),
    "business.rnd_spend": _D(
        "R&D spend", "USD", "Sum of rnd_spend over months whose period_start is in the period.", None
    ),
    "business.rnd_pct_revenue": _D(
        "R&D as % of revenue", "%", "business.rnd_spend ÷ business.revenue.", None
    ),
    "business.revenue_per_engineer_annualized": _D(
        "Revenue per engineer (annualised)",
        "USD",
        "business.revenue ÷ average headcount × 365 ÷ days; organisation only (null under a team filter).",
        True,
    ),
    **_MIX_DEFS,
    "business.cost_per_feature": _D(
        "Cost per delivered feature",
        "USD",
        "business.rnd_spend ÷ feature items completed in the period; organisation only "
        "(null under a team filter).",
        False,
    ),
    "business.capitalizable_rnd_estimate": _D(
        "Capitalisable R&D estimate",
        "USD",
        "business.rnd_spend × business.investment_mix.feature: a candidate figure for finance review, "
        "never an accounting entry; organisation only (null under a team filter). Not accounting or tax advice.",
        None,
    ),
}


def definition_for(key: str) -> Definition:
    """The definition of a dotted key, resolving per-dimension favourability keys."""
    if key in DEFINITIONS:
        return DEFINITIONS[key]
    prefix = "engagement.favorability."
    if key.startswith(prefix):
        base = DEFINITIONS[prefix + "DIMENSION"]
        dimension = dimension_label(key.removeprefix(prefix))
        return Definition(
            f"Favourability: {dimension.lower()}", base.unit, base.definition, base.higher_is_better
        )
    raise KeyError(key)
