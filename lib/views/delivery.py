"""Delivery and quality: the DORA keys, their tier bands, and their trend by period.

Tier bands read the 2023 Accelerate State of DevOps Report (DORA / Google Cloud) literally:
its table of software delivery performance clusters (`REPORT_TABLE`). The report describes
clusters of respondents, not cut-offs, so where it leaves a gap or gives one value per
cluster (change failure rate) the band is Pillars' reading, and the rule that combines the
four keys into one tier (`overall_tier`) is Pillars' own; METRICS.md gives each choice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.memo import shared
from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import buckets, data_span, one_row, params, pull_requests

TIERS = ("elite", "high", "medium", "low")  # best first
DORA_SOURCE = (
    "DORA, Accelerate State of DevOps Report 2023 (Google Cloud), software delivery performance "
    "levels, read literally (elite: more than one deployment a day; 'less than one day' excludes "
    "exactly 24 h); the rule combining the four keys is Pillars' own"
)
DORA_KEYS = (
    "deployment_frequency_per_week",
    "lead_time_hours_p50",
    "change_failure_rate",
    "recovery_time_hours_p50",
)
DAYS_PER_MONTH = 365.25 / 12  # an average month
MONTHLY_PER_WEEK = 7 / DAYS_PER_MONTH  # once a month, in deployments per week (≈ 0.23)
MONTH_HOURS = DAYS_PER_MONTH * 24  # 730.5 h
WEEK_HOURS = 168.0

# The report's table, as printed (2023, "Software delivery performance" levels; shares of
# respondents: elite 18%, high 31%, medium 33%, low 17%).
REPORT_TABLE = pd.DataFrame(
    {
        "Performance level": ["Elite", "High", "Medium", "Low"],
        "Deployment frequency": [
            "On demand",
            "Between once per day and once per week",
            "Between once per week and once per month",
            "Between once per week and once per month",
        ],
        "Change lead time": [
            "Less than one day",
            "Between one day and one week",
            "Between one week and one month",
            "Between one week and one month",
        ],
        "Change failure rate": ["5%", "10%", "15%", "64%"],
        "Failed deployment recovery time": [
            "Less than one hour",
            "Less than one day",
            "Between one day and one week",
            "Between one month and six months",
        ],
    }
)


@dataclass(frozen=True)
class Band:
    """One tier's range of a DORA key in the key's unit; `high` None is unbounded.

    `low_closed` / `high_closed` say whether the range includes its ends, so a value
    exactly on a boundary lands where the report's wording puts it.
    """

    tier: str
    low: float
    high: float | None
    label: str
    low_closed: bool = True
    high_closed: bool = False

    def contains(self, value: float) -> bool:
        above = value >= self.low if self.low_closed else value > self.low
        if self.high is None:
            return above
        return above and (value <= self.high if self.high_closed else value < self.high)


DORA_BANDS: dict[str, tuple[Band, ...]] = {
    "deployment_frequency_per_week": (
        Band("elite", 7.0, None, "more than once a day on average", low_closed=False),
        Band("high", 1.0, 7.0, "between once a week and once a day", high_closed=True),
        Band("medium", MONTHLY_PER_WEEK, 1.0, "between once a month and once a week"),
        Band("low", 0.0, MONTHLY_PER_WEEK, "less than once a month"),
    ),
    "lead_time_hours_p50": (
        Band("elite", 0.0, 24.0, "less than one day"),
        Band("high", 24.0, WEEK_HOURS, "between one day and one week"),
        Band("medium", WEEK_HOURS, MONTH_HOURS, "between one week and one month"),
        Band("low", MONTH_HOURS, None, "one month or more"),
    ),
    "change_failure_rate": (
        Band("elite", 0.0, 0.05, "5% or less", high_closed=True),
        Band("high", 0.05, 0.10, "over 5%, up to 10%", low_closed=False, high_closed=True),
        Band("medium", 0.10, 0.15, "over 10%, up to 15%", low_closed=False, high_closed=True),
        Band("low", 0.15, 1.0, "over 15% (the low level's rate is 64%)", low_closed=False, high_closed=True),
    ),
    "recovery_time_hours_p50": (
        Band("elite", 0.0, 1.0, "less than one hour"),
        Band("high", 1.0, 24.0, "less than one day"),
        Band("medium", 24.0, WEEK_HOURS, "between one day and one week"),
        Band("low", WEEK_HOURS, None, "one week or more"),
    ),
}


def tier_for(key: str, value: float | None) -> str | None:
    """The DORA tier of one key's value (key with or without the "delivery." prefix)."""
    key = key.removeprefix("delivery.")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return next((b.tier for b in DORA_BANDS[key] if b.contains(value)), None)


def band_for(key: str, value: float | None) -> Band | None:
    """The band a value falls in (None without a value)."""
    tier = tier_for(key, value)
    return next((b for b in bands(key) if b.tier == tier), None)


# The events each DORA key's value stands on (columns of `dora_summary`, and of the Overview's
# windows, lib.views.headline_windows), in words. The frequency counts too: three deployments
# in a quarter read 0.23/wk, "medium", but as a Poisson count they are as likely 0.05 to
# 0.67/wk (95%), from low to high.
TIER_EVIDENCE = {
    "deployment_frequency_per_week": ("successful_deployments", "successful deployment",
                                      "successful deployments"),
    # (short: a tile's band on the deck holds three lines of 24 characters)
    "lead_time_hours_p50": ("lead_times", "deployment with a commit time", "deployments with a commit time"),
    "change_failure_rate": ("deployments", "production deployment", "production deployments"),
    "recovery_time_hours_p50": ("recoveries", "resolved incident", "resolved incidents"),
}  # fmt: skip


def failures_unseen(coverage: dict) -> str | None:
    """Why the change failure rate cannot see the failures it counts, in words; None when it can.

    SPEC §5 counts a production deployment as a change failure when it was rolled back or an
    incident names it (`caused_by_deploy_id`). With no incidents loaded the rate counts
    rollbacks only, and when every incident of the period names no deployment it counts none
    of them: either way a 0.0% is an absence of evidence, not an elite rate (a new user's
    review: "0.0% · elite tier" from a deployments file alone). `coverage` is
    `lib.views.delivery_detail.coverage`'s dict (incidents_total, incidents_in_period,
    incidents_without_deploy_in_period: counts)."""
    if not coverage.get("incidents_total"):
        return "no incidents loaded (rollbacks only)"  # short: a deck tile's band holds 3 lines
    total = coverage.get("incidents_in_period") or 0
    if total and (coverage.get("incidents_without_deploy_in_period") or 0) == total:
        return "no incident names a deployment"
    return None


def failures_unseen_in(con: duckdb.DuckDBPyConnection, scope: Scope) -> str | None:
    """`failures_unseen` over `scope`, from the three incident counts alone
    (lib/sql/delivery/incident_links.sql): 2–5 ms on the large organisation, where the
    Delivery page's whole `coverage` takes 115 ms."""
    return failures_unseen(query_one(con, "delivery/incident_links", params(scope)))


def held_back(
    key: str, events: int | None, partly: str | None = None, unseen: str | None = None
) -> str | None:
    """Why a page states no DORA tier for a key that has a value, in words; None when it may.

    Pillars' rule (METRICS.md, "Tiers on too few events"), the trend titles' rule applied to
    a tier: a median or a rate over fewer than `buckets.MIN_COUNT` (20) events, `events`,
    is shown with its count but placed in no tier ("1 production deployment: too few for a
    DORA tier (20 needed)"), the frequency included; a frequency over a period its deployments cover only part of
    (`partly`, lib.views.data_span.partly's words) is spread over days without data, so it
    gets no tier either (the coverage note says which days); nor does a change failure rate
    that cannot see failures (`unseen`, `failures_unseen`'s words). The catalog's
    `delivery.dora_tier` follows SPEC §5's bands alone.
    """
    key = key.removeprefix("delivery.")
    if key not in TIER_EVIDENCE:
        return None
    if events is not None and events < buckets.MIN_COUNT:
        _, one, many = TIER_EVIDENCE[key]
        return (
            f"{events:,} {one if events == 1 else many}: too few for a DORA tier ({buckets.MIN_COUNT} needed)"
        )
    if key == "deployment_frequency_per_week" and partly:
        return "no tier: the deployments cover only part of the period"
    if key == "change_failure_rate" and unseen:
        return f"no tier: {unseen}"
    return None


def shown_tiers(summary: dict, partly: str | None = None, unseen: str | None = None) -> dict[str, str | None]:
    """The tiers a page states: `summary["tiers"]` (`dora_summary`) less those `held_back`;
    `partly` is the deployments' coverage note for the period, if any, `unseen` why the change
    failure rate cannot see failures (`failures_unseen`), if it cannot."""
    return {
        key: None if held_back(key, events_for(summary, key), partly, unseen) else tier
        for key, tier in summary["tiers"].items()
    }


def events_for(summary: dict, key: str) -> int | None:
    """The events `key`'s value stands on in a `dora_summary` (None for the frequency)."""
    column = TIER_EVIDENCE.get(key.removeprefix("delivery."), (None,))[0]
    return None if column is None or summary.get(column) is None else int(summary[column])


def overall_tier(tiers: dict[str, str | None]) -> str | None:
    """Pillars' combining rule: the best tier reached by all but one of the keys that have a tier.

    Needs at least three of the four keys. The report assigns clusters by analysing
    respondents' answers, not by a rule, so this rule is Pillars' own: ignoring the single
    worst key keeps one bad quarter on one key from hiding the rest, without rating above
    what the rest support.
    """
    ranks = sorted((TIERS.index(t) for t in tiers.values() if t is not None), reverse=True)
    if len(ranks) < 3:
        return None
    return TIERS[ranks[1]]


@shared
def dora_summary(con: duckdb.DuckDBPyConnection, scope: Scope, gaps: dict | None = None) -> dict:
    """Every `delivery.*` catalog key plus the counts behind them and the per-key tiers.

    Keys as in METRICS.md; besides them: `successful_deployments`, `change_failures`,
    `incidents`, `resolved_incidents`, `rework_deployments`, `deployment_runs` (every
    environment), `production_runs` (any status), `no_production` (deployments exist but
    none is production: the rates are null), `no_status` (production runs exist but none has
    a status: the frequency is null), the backwards spans left out of the medians
    (`lead_time_backwards`, `recovery_backwards`, `pull_requests_backwards`), `tiers`
    (key → tier) and `gaps` (source → why the period has none of its data, else None; the
    keys that source feeds are then null, `NO_DATA_KEYS`; a caller that has them for the same
    scope may pass them). Counts are ints, durations hours, rates fractions 0–1.
    """
    row = one_row(con, "delivery/dora", params(scope))
    prs = pull_requests.pr_cycle(con, scope)
    row["pr_pickup_hours_p50"] = prs["pickup_hours_p50"]
    row["pr_review_hours_p50"] = prs["review_hours_p50"]
    row["pull_requests_backwards"] = prs["backwards_prs"]
    gaps = gaps if gaps is not None else data_span.gaps(con, scope)
    for source, keys in NO_DATA_KEYS.items():
        if gaps[source]:
            row.update(dict.fromkeys(keys))
    tiers = {key: tier_for(key, row[key]) for key in DORA_KEYS}
    return {**row, "dora_tier": overall_tier(tiers), "tiers": tiers, "gaps": gaps}


# A period outside a source's data (after its last row, before its first, or teams without
# any) has no data for the keys that source feeds: null, never 0 (lib.views.data_span).
NO_DATA_KEYS = {
    "deployments": (
        "deployments",
        "failed_deployment_runs",
        "runs_without_status",
        "successful_deployments",
        "deployment_frequency_per_week",
        "lead_time_hours_p50",
        "change_failures",
        "change_failure_rate",
        "rework_deployments",
        "rework_rate",
    ),
    "incidents": ("incidents", "resolved_incidents", "incidents_without_deploy", "recovery_time_hours_p50"),
    "pull_requests": ("pr_pickup_hours_p50", "pr_review_hours_p50"),
}


@shared
def dora_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: deployments, frequency per week, lead time,
    change failure rate, time to restore service and rework rate, for trend charts.

    Edge buckets are clipped to the period; `days` is the clipped length, so per-week
    rates stay comparable across a partial first or last bucket. `partial` and `no_data`
    (`lib.views.buckets.mark`): a bucket outside the deployments' (or incidents') span has
    their figures null, a gap, not 0.
    """
    frame = query_df(con, "delivery/dora_by_unit_period", params(scope, unit="all"))
    return buckets.mark(frame.drop(columns="unit"), scope, data_span.scope_spans(con, scope), BY_SOURCE)


# The by-period columns each source feeds (a bucket outside its span has them null).
BY_SOURCE = {
    "deployments": (
        "deployments",
        "successful_deployments",
        "failed_deployment_runs",
        "deployment_frequency_per_week",
        "lead_time_hours_p50",
        "change_failures",
        "change_failure_rate",
        "rework_rate",
    ),
    "incidents": ("incidents", "recovery_time_hours_p50"),
}


def bands(key: str) -> tuple[Band, ...]:
    """Tier bands of a DORA key for drawing behind a chart (key with or without prefix)."""
    return DORA_BANDS[key.removeprefix("delivery.")]


_BAND_COLUMNS = {
    "deployment_frequency_per_week": "Deployment frequency",
    "lead_time_hours_p50": "Change lead time (median)",
    "change_failure_rate": "Change failure rate",
    "recovery_time_hours_p50": "Time to restore service (median)",
}


def bands_table() -> pd.DataFrame:
    """Pillars' reading of the report's table: one row per tier, one column per key, the band in words."""
    rows = {"Tier": [t.capitalize() for t in TIERS]}
    for key, column in _BAND_COLUMNS.items():
        rows[column] = [next(b.label for b in DORA_BANDS[key] if b.tier == t) for t in TIERS]
    return pd.DataFrame(rows)
