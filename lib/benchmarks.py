"""Benchmark bands shown beside headline metrics, each with where it comes from.

DORA tiers come from the delivery view (thresholds documented in METRICS.md). The other
ranges are widely cited rules of thumb, labelled as such on the tile, never presented
as a precise industry statistic.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.formatting import is_missing

DORA_KEYS = (
    "delivery.deployment_frequency_per_week",
    "delivery.lead_time_hours_p50",
    "delivery.change_failure_rate",
    "delivery.recovery_time_hours_p50",
)


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    text: str  # how the band reads on a tile
    source: str


# Published turnover of technology employees (REFERENCE.md §4): Mercer's US tech turnover,
# 8.2 % in 2023, and LinkedIn's software & IT sector, 13.2 % (2017 data, published 2018).
ATTRITION_SOURCE = (
    "Mercer, How to retain tech talent (2023): US tech turnover 8.2%; LinkedIn Talent Blog (2018): "
    "software & IT turnover 13.2% (2017 data)"
)

RANGES: dict[str, Range] = {
    "retention.attrition_rate_annualized": Range(
        0.082, 0.132, "Tech turnover 8–13%/yr (Mercer 2023, LinkedIn 2018)", ATTRITION_SOURCE
    ),
    "retention.attrition_rate_ttm": Range(
        0.082, 0.132, "Tech turnover 8–13%/yr (Mercer 2023, LinkedIn 2018)", ATTRITION_SOURCE
    ),
    "retention.span_of_control_median": Range(
        6,
        8,
        "Grove: 6–8 direct reports",
        "Andy Grove, High Output Management (1983), via codecapsule.com 2023",
    ),
    "retention.regretted_attrition_rate_annualized": Range(
        0.0, 0.05, "Healthy regretted attrition < 5%/yr", "rule of thumb used by engineering leaders"
    ),
    "engagement.enps": Range(10, 50, "eNPS > +10 is good, > +50 excellent", "survey vendors' rule of thumb"),
    "engagement.index": Range(
        0.65, 0.80, "Tech favourability commonly 65–80%", "survey vendors' published ranges"
    ),
    "business.rnd_pct_revenue": Range(
        0.15, 0.30, "SaaS R&D commonly 15–30% of revenue", "public SaaS benchmark surveys"
    ),
}


def band_text(key: str, value, dora_tier: str | None = None) -> str | None:
    """The benchmark line for a tile: the DORA tier, a typical range, or None."""
    if key in DORA_KEYS and dora_tier:
        return f"DORA: {dora_tier} tier"
    bench = RANGES.get(key)
    if bench is None:
        return None
    if is_missing(value):
        return bench.text
    position = "below" if value < bench.low else "above" if value > bench.high else "within"
    return f"{bench.text} ({position})"
