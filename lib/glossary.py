"""What each catalog metric means, in the words a VP reads on a tile's (?) help.

`lib.definitions.DEFINITIONS` states each key exactly, for METRICS.md and the board pack's
speaker notes, in the terms of the data model ("deployed_at − commit_at", "÷ (days ÷ 7)").
A tile's help is read by someone deciding whether to trust the number: it says the same
thing in plain words, with no column names, formulas or dotted keys. A unit test checks
that every catalog key has one and that none carries such terms. No streamlit here.
"""

from __future__ import annotations

from lib.question_bank import dimension_label

WORK_TYPES = {"feature": "features", "defect": "defects", "risk": "risk work", "debt": "tech-debt work"}

PLAIN: dict[str, str] = {
    "delivery.deployments": "Deployments that reached production in the period: successful ones and "
    "rollbacks. A run that failed never changed production, so it is not counted.",
    "delivery.failed_deployment_runs": "Production deployment runs that failed in the period, shown for "
    "context: they never reached production.",
    "delivery.deployment_frequency_per_week": "Successful production deployments per week, averaged over "
    "the period.",
    "delivery.lead_time_hours_p50": "Typical (median) time from a change's first commit to its successful "
    "production deployment, in hours.",
    "delivery.change_failure_rate": "Share of production deployments that were rolled back or that an "
    "incident names as its cause. Incidents that name no deployment cannot be counted.",
    "delivery.recovery_time_hours_p50": "Typical (median) time from an incident's start to its resolution, "
    "in hours, over every incident resolved. Tiered on the DORA 2023 report's bands.",
    "delivery.rework_rate": "Share of production deployments that fixed an earlier change (marked as rework "
    "in the deployment data).",
    "delivery.runs_without_status": "Production deployment runs in the period whose data gives no "
    "outcome (success, failure or rollback): whether they reached production is unknown, so they "
    "are counted neither as deployments nor as failed runs.",
    "delivery.pr_pickup_hours_p50": "Typical (median) time a pull request waits for its first review by "
    "someone other than its author, in hours.",
    "delivery.pr_review_hours_p50": "Typical (median) time from a pull request's first review to its merge, "
    "in hours.",
    "delivery.incidents_without_deploy": "Incidents in the period that name no deployment as their cause: "
    "the change failure rate cannot count them.",
    "delivery.dora_tier": "Elite, high, medium or low: each of the four DORA keys is placed in the band of "
    "the 2023 Accelerate State of DevOps Report it falls in; the overall tier is the best one reached by "
    "all keys but one.",
    "flow.velocity": "Work items completed in the period.",
    "flow.velocity_per_week": "Work items completed per week, averaged over the period.",
    "flow.time_days_p50": "Typical (median) time from starting a work item (or creating it, when the start "
    "is not recorded) to completing it, in days.",
    "flow.load": "Work items started and neither completed nor cancelled by the end of the period: the work "
    "in progress.",
    "flow.efficiency": "Share of the time work items spent being actively worked on rather than waiting, "
    "over items completed in the period that record their status changes.",
    "engagement.survey_id": "The latest survey with answers in the period.",
    "engagement.respondents": "People who answered at least one question of the latest survey; hidden below "
    "the anonymity threshold.",
    "engagement.participation_rate": "Share of the people employed on the survey date who answered the "
    "latest survey.",
    "engagement.enps": "Employee Net Promoter Score, −100 to +100: the share who would recommend working "
    "here (9–10 out of 10) minus the share who would not (0–6).",
    "engagement.favorability.DIMENSION": "Share of answers that agree (4 or 5 out of 5) on this dimension's "
    "questions in the latest survey.",
    "engagement.index": "Share of answers that agree (4 or 5 out of 5) over every rating question of the "
    "latest survey except eNPS.",
    "retention.headcount_start": "People employed on the first day of the period.",
    "retention.headcount_end": "People employed on the last day of the period.",
    "retention.hires": "People who joined in the period.",
    "retention.separations": "People who left in the period.",
    "retention.attrition_rate_annualized": "People who left, as a share of the average headcount, scaled to "
    "a year.",
    "retention.voluntary_attrition_rate_annualized": "People who chose to leave, as a share of the average "
    "headcount, scaled to a year.",
    "retention.regretted_attrition_rate_annualized": "People the company wanted to keep who left, as a share "
    "of the average headcount, scaled to a year.",
    "retention.attrition_rate_ttm": "People who left in the last 12 months, as a share of the average "
    "headcount over those months: the rolling rate HR teams report.",
    "retention.first_year_attrition_rate": "Of the people hired between two years and one year ago, the "
    "share who left within their first year.",
    "retention.span_of_control_median": "Typical (median) number of direct reports per manager at the end "
    "of the period.",
    "retention.one_on_one_coverage": "Share of people with a manager who had a one-on-one in the last 30 "
    "days of the period.",
    "retention.median_tenure_years": "Typical (median) time people employed at the end of the period have "
    "been with the company, in years.",
    "retention.promotion_rate_annualized": "Promotions as a share of the average headcount, scaled to a "
    "year.",
    "skills.bus_factor_risks": "Skills that only one person holds at an advanced level (3 or more out of 4).",
    "skills.learning_hours_per_engineer_annualized": "Hours of learning per person, scaled to a year.",
    "skills.ai_adoption_rate": "Share of the headcount using an AI coding tool on a typical day of the "
    "period's last four weeks.",
    "skills.ai_acceptance_rate": "Share of AI tool suggestions that developers accepted.",
    "skills.ai_assisted_pr_share": "Share of merged pull requests marked as written with AI help, among "
    "those where it is known.",
    "skills.skill_gap_share": "Share of people's rated skills that sit below the level their role or team "
    "targets.",
    "skills.certifications": "Certifications earned in the period.",
    "business.revenue": "Revenue over the months of the period.",
    "business.rnd_spend": "R&D spend over the months of the period.",
    "business.rnd_pct_revenue": "R&D spend as a share of revenue.",
    "business.revenue_per_engineer_annualized": "Revenue per engineer, scaled to a year; for the whole "
    "organisation only, not for a team filter.",
    "business.cost_per_feature": "R&D spend divided by the features delivered in the period; for the whole "
    "organisation only.",
    "business.capitalizable_rnd_estimate": "The share of R&D spend that went to features: a starting point "
    "for finance's review, never an accounting entry, and not accounting or tax advice.",
}
PLAIN |= {
    f"flow.distribution.{t}": f"Share of the work items completed in the period that were {words}."
    for t, words in WORK_TYPES.items()
}
PLAIN |= {
    f"business.investment_mix.{t}": f"Share of the effort on work completed in the period that went to "
    f"{words} (an item without an effort estimate counts as one)."
    for t, words in WORK_TYPES.items()
}


def explain(key: str) -> str:
    """The plain-words meaning of a catalog key (a favourability key names its dimension).

    A key added to the catalog before it has words here gets its definition (a unit test
    fails until it has them). Raises KeyError for a key the catalog does not define.
    """
    if key in PLAIN:
        return PLAIN[key]
    prefix = "engagement.favorability."
    if key.startswith(prefix):
        dimension = dimension_label(key.removeprefix(prefix)).lower()
        return PLAIN[prefix + "DIMENSION"].replace("this dimension's", f"the {dimension}")
    from lib.definitions import definition_for

    return definition_for(key).definition
