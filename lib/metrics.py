"""The metric catalog of SPEC.md §5: one nested dict of plain values, built from the views.

`catalog(con, scope)` is what `python -m lib metrics` prints, what the Overview tiles and
the board pack read, and what the tests pin down. `DEFINITIONS` says, per dotted key,
what a number means and which direction is good; METRICS.md is its long form and a test
keeps the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

from lib.formatting import relative_change
from lib.question_bank import dimension_label
from lib.scope import Scope
from lib.views import business, data_span, delivery, engagement, flow, plain, retention, skills

WORK_TYPES = ("feature", "defect", "risk", "debt")
PILLARS = ("delivery", "flow", "engagement", "retention", "skills", "business")


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


definition = definition_for


DELIVERY_KEYS = (
    "deployments",
    "failed_deployment_runs",
    "deployment_frequency_per_week",
    "lead_time_hours_p50",
    "change_failure_rate",
    "recovery_time_hours_p50",
    "rework_rate",
    "pr_pickup_hours_p50",
    "pr_review_hours_p50",
    "incidents_without_deploy",
    "runs_without_status",
    "dora_tier",
)
FLOW_KEYS = ("velocity", "velocity_per_week", "time_days_p50", "load", "distribution", "efficiency")


def delivery_catalog(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """The `delivery` and `flow` branches of the catalog, exactly as `catalog` gives them.

    The Delivery page's tiles read this: the same function, without the other pillars.
    """
    gaps = data_span.gaps(con, scope)  # one query for both pillars
    d = delivery.dora_summary(con, scope, gaps)
    f = flow.flow_summary(con, scope, gaps)
    return _plain_tree({"delivery": {k: d[k] for k in DELIVERY_KEYS}, "flow": {k: f[k] for k in FLOW_KEYS}})


ENGAGEMENT_KEYS = ("survey_id", "respondents", "participation_rate", "enps", "favorability", "index")
RETENTION_KEYS = (
    "headcount_start",
    "headcount_end",
    "hires",
    "separations",
    "attrition_rate_annualized",
    "voluntary_attrition_rate_annualized",
    "regretted_attrition_rate_annualized",
    "attrition_rate_ttm",
    "first_year_attrition_rate",
    "span_of_control_median",
    "one_on_one_coverage",
    "median_tenure_years",
    "promotion_rate_annualized",
)
BUSINESS_KEYS = (
    "revenue",
    "rnd_spend",
    "rnd_pct_revenue",
    "revenue_per_engineer_annualized",
    "investment_mix",
    "cost_per_feature",
    "capitalizable_rnd_estimate",
)


def _branches(con: duckdb.DuckDBPyConnection, scope: Scope, pillars: tuple[str, ...]) -> dict:
    """The catalog's branches for `pillars`, each from its pillar's summary view."""
    result: dict = {}
    if "delivery" in pillars or "flow" in pillars:
        both = delivery_catalog(con, scope)
        result.update({p: both[p] for p in ("delivery", "flow") if p in pillars})
    if "engagement" in pillars:
        e = engagement.engagement_summary(con, scope)
        result["engagement"] = {key: e[key] for key in ENGAGEMENT_KEYS}
    if "retention" in pillars:
        r = retention.retention_summary(con, scope)
        result["retention"] = {key: r[key] for key in RETENTION_KEYS}
    if "skills" in pillars:
        s = skills.skills_summary(con, scope)
        result["skills"] = {key: s[key] for key in skills.CATALOG_KEYS}
    if "business" in pillars:
        b = business.business_summary(con, scope)
        result["business"] = {key: b[key] for key in BUSINESS_KEYS}
    if data_span.beyond_data(con, scope):  # no team matches, or a period after today
        result = _all_null(result)
    return _plain_tree(_null_where_never_loaded(con, result))


def catalog(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every key of SPEC §5 over `scope`, nested by pillar, with plain JSON-able values."""
    return _branches(con, scope, PILLARS)


def value(con: duckdb.DuckDBPyConnection, scope: Scope, key: str):
    """One dotted key's catalog value over `scope`, computing only its pillar's branch: the
    number a tile shows for `key`, for a chart on the same screen to state (issue 18: one value
    per metric per screen). Raises KeyError for a key the catalog lacks."""
    pillar = key.split(".", 1)[0]
    if pillar not in PILLARS:
        raise KeyError(key)
    return flatten(_branches(con, scope, (pillar,)))[key]


def source_of(key: str) -> str | None:
    """The event table a dotted key counts over, whose span (`lib.views.data_span`) says
    whether a period is wholly covered; None for keys of stocks, waves and monthly rows."""
    pillar, short = key.split(".", 1)
    if pillar == "flow":
        return "work_items"
    if pillar == "delivery":
        if short in ("recovery_time_hours_p50", "incidents_without_deploy"):
            return "incidents"
        return "pull_requests" if short.startswith("pr_") else "deployments"
    if key in ("skills.ai_adoption_rate", "skills.ai_acceptance_rate"):
        return "ai_usage"
    return "pull_requests" if key == "skills.ai_assisted_pr_share" else None


def title_value(con: duckdb.DuckDBPyConnection, scope: Scope, key: str):
    """The value a trend title ends on: the tile's (`value`), when the period lies within its
    source's data; None when more than a week of it has none (the rate then spreads the
    source's rows over days it did not record, as SPEC §5's per-period definition does, and
    the tile says so: `data_span.partly`), or when a DORA median or rate stands on fewer than
    20 events (`lib.views.delivery.held_back`), so the title falls back to its whole buckets
    and names the last one.
    Business keys are read over the period's whole months (`business_months`), as the
    Overview's and the Business page's tiles read them."""
    if key.startswith("business."):  # monthly rows: the tiles read the period's whole months
        months = business.business_months(scope)
        return None if months is None else value(con, months, key)
    source = source_of(key)
    if source and data_span.notes(con, scope)[source]:
        return None
    if key.removeprefix("delivery.") in delivery.TIER_EVIDENCE:
        # a median or rate on too few events is shown on its tile, never a title's end
        summary = delivery.dora_summary(con, scope)
        if delivery.held_back(key, delivery.events_for(summary, key)):
            return None
    return value(con, scope, key)


def _all_null(tree: dict) -> dict:
    return {k: _all_null(v) if isinstance(v, dict) else None for k, v in tree.items()}


# Counts that would read 0 on a table that was never loaded; "no data" is null, not zero.
# (Delivery and flow apply the same rule in their own queries.)
_COUNTS_BY_SOURCE = {
    "employees": ("retention", ("headcount_start", "headcount_end", "hires", "separations")),
}


def _null_where_never_loaded(con: duckdb.DuckDBPyConnection, result: dict) -> dict:
    """A table with no rows at all means the data is missing, so its counts are null.

    A table that has rows, just none in the period or team, keeps its honest zero.
    """
    for table, (pillar, keys) in _COUNTS_BY_SOURCE.items():
        if pillar not in result:
            continue
        # Table names come from the fixed mapping above, never from input.
        if con.execute("select not exists (select 1 from " + table + ")").fetchone()[0]:
            for key in keys:
                result[pillar][key] = None
    return result


def _plain_tree(value):
    if isinstance(value, dict):
        return {str(k): _plain_tree(v) for k, v in value.items()}
    value = plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def flatten(tree: dict, prefix: str = "") -> dict[str, object]:
    """{"delivery": {"deployments": 3}} → {"delivery.deployments": 3}, leaves only."""
    flat: dict[str, object] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


HEADLINE_KEYS = (
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
    "flow.velocity_per_week",
    "flow.time_days_p50",
    "engagement.index",
    "engagement.enps",
    "retention.headcount_end",
    "retention.attrition_rate_ttm",
    "skills.ai_adoption_rate",
    "business.rnd_pct_revenue",
    "business.revenue_per_engineer_annualized",
)


@dataclass(frozen=True)
class Headline:
    """One Overview tile: the value now, in the previous period of equal length, and the change.

    `change` is relative ((now − before) ÷ |before|); `delta` is absolute (for "%" units,
    a change in points of the fraction). `improved` applies the key's `higher_is_better`;
    `tier` and `band` are the DORA tier and its band text for the four DORA keys.
    """

    key: str
    pillar: str
    label: str
    unit: str
    value: float | None
    previous: float | None
    change: float | None
    delta: float | None
    improved: bool | None
    tier: str | None
    band: str | None


def headline(con: duckdb.DuckDBPyConnection, scope: Scope, keys: tuple[str, ...] = HEADLINE_KEYS) -> list:
    """Headline metrics (the Overview's, or the Delivery page's tiles), each against the previous
    period of equal length. Keys of delivery and flow only are computed without the other pillars."""
    values = delivery_catalog if all(k.split(".", 1)[0] in ("delivery", "flow") for k in keys) else catalog
    now = flatten(values(con, scope))
    before = flatten(values(con, scope.previous()))
    return [_headline(key, now.get(key), before.get(key)) for key in keys]


def compare(key: str, value, previous) -> Headline:
    """One key's value against its value in the previous period of equal length, as a tile
    reads it (for values computed elsewhere over the same periods, e.g. the Overview's
    windows, lib.views.headline_windows, which a test holds equal to this catalog)."""
    return _headline(key, value, previous)


def _headline(key: str, value, previous) -> Headline:
    spec = definition_for(key)
    delta = None if value is None or previous is None else value - previous
    improved = None
    if delta is not None and delta != 0 and spec.higher_is_better is not None:
        improved = (delta > 0) == spec.higher_is_better
    tier = band = None
    short = key.removeprefix("delivery.")
    if short in delivery.DORA_KEYS:
        tier = delivery.tier_for(short, value)
        band = next((b.label for b in delivery.bands(short) if b.tier == tier), None)
    return Headline(
        key=key,
        pillar=key.split(".", 1)[0],
        label=spec.label,
        unit=spec.unit,
        value=value,
        previous=previous,
        change=relative_change(value, previous),
        delta=delta,
        improved=improved,
        tier=tier,
        band=band,
    )
