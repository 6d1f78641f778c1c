"""Delivery and quality: the DORA keys, their tier bands, and their trend by period.

Thresholds come from the 2023 Accelerate State of DevOps Report (DORA / Google Cloud),
"software delivery performance" cluster table; METRICS.md explains how its four
clusters become bands and how the four keys make one overall tier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import one_row, params

TIERS = ("elite", "high", "medium", "low")  # best first
DORA_SOURCE = (
    "DORA, 2023 Accelerate State of DevOps Report (Google Cloud), software delivery "
    "performance clusters; boundary values fall in the better tier"
)
DORA_KEYS = (
    "deployment_frequency_per_week",
    "lead_time_hours_p50",
    "change_failure_rate",
    "recovery_time_hours_p50",
)
_WEEKS_PER_MONTH = 12 / 52  # once per month, in deployments per week


@dataclass(frozen=True)
class Band:
    """One tier's range of a DORA key, in the key's unit; `high` is None for unbounded."""

    tier: str
    low: float
    high: float | None
    label: str


# For each key, bands best first. Lower-is-better keys include their upper bound,
# deployment frequency includes its lower bound: a boundary value gets the better tier.
DORA_BANDS: dict[str, tuple[Band, ...]] = {
    "deployment_frequency_per_week": (
        Band("elite", 7.0, None, "on demand (daily or more)"),
        Band("high", 1.0, 7.0, "between once per day and once per week"),
        Band("medium", _WEEKS_PER_MONTH, 1.0, "between once per week and once per month"),
        Band("low", 0.0, _WEEKS_PER_MONTH, "less than once per month"),
    ),
    "lead_time_hours_p50": (
        Band("elite", 0.0, 24.0, "less than one day"),
        Band("high", 24.0, 168.0, "between one day and one week"),
        Band("medium", 168.0, 720.0, "between one week and one month"),
        Band("low", 720.0, None, "more than one month"),
    ),
    "change_failure_rate": (
        Band("elite", 0.0, 0.05, "5% or less"),
        Band("high", 0.05, 0.10, "up to 10%"),
        Band("medium", 0.10, 0.15, "up to 15%"),
        Band("low", 0.15, 1.0, "more than 15% (cluster median 64%)"),
    ),
    "recovery_time_hours_p50": (
        Band("elite", 0.0, 1.0, "less than one hour"),
        Band("high", 1.0, 24.0, "less than one day"),
        Band("medium", 24.0, 168.0, "between one day and one week"),
        Band("low", 168.0, None, "more than one week"),
    ),
}


def tier_for(key: str, value: float | None) -> str | None:
    """The DORA tier of one key's value (key with or without the "delivery." prefix)."""
    key = key.removeprefix("delivery.")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    bands = DORA_BANDS[key]
    if key == "deployment_frequency_per_week":
        return next((b.tier for b in bands if value >= b.low), "low")
    return next((b.tier for b in bands if b.high is None or value <= b.high), "low")


def overall_tier(tiers: dict[str, str | None]) -> str | None:
    """The best tier reached by all but one of the keys that have a tier.

    Needs at least three of the four keys; ignoring the single worst key keeps one bad
    quarter on one key from hiding the rest, without rating above what the rest support.
    """
    ranks = sorted((TIERS.index(t) for t in tiers.values() if t is not None), reverse=True)
    if len(ranks) < 3:
        return None
    return TIERS[ranks[1]]


def dora_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `delivery.*` catalog key plus the counts behind them and the per-key tiers."""
    row = one_row(con, "delivery/dora", params(scope))
    tiers = {key: tier_for(key, row[key]) for key in DORA_KEYS}
    return {**row, "dora_tier": overall_tier(tiers), "tiers": tiers}


def dora_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: deployments, frequency per week, lead time,
    change failure rate, recovery time and rework rate, for trend charts.

    Edge buckets are clipped to the period; `days` is the clipped length, so per-week
    rates stay comparable across a partial first or last bucket.
    """
    frame = query_df(con, "delivery/dora_by_unit_period", params(scope, unit="all"))
    return frame.drop(columns="unit")


def bands(key: str) -> tuple[Band, ...]:
    """Tier bands of a DORA key for drawing behind a chart (key with or without prefix)."""
    return DORA_BANDS[key.removeprefix("delivery.")]
