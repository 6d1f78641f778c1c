"""Benchmark bands shown beside headline metrics, each citing the report and year it comes from.

Only published figures with a source in REFERENCE.md (§4) appear: DORA tiers (thresholds
documented in METRICS.md, 2023 report), tech turnover (Mercer 2023, LinkedIn 2018), span
of control (Grove), R&D as a share of revenue (Benchmarkit 2025, private and public SaaS
apart), time on roadmap work (Jellyfish 2021), and the DORA 2024 survey's AI reliance as
context. A metric with no published band says so (`NO_BAND`); no band is made up.
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
DORA_CITE = "DORA 2023"  # Accelerate State of DevOps Report 2023 (lib.views.delivery.DORA_SOURCE)
NO_BAND = "No published benchmark"


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    text: str  # how the band reads on a tile, citing report and year
    source: str  # the full reference


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
}


@dataclass(frozen=True)
class Marker:
    """A published single figure (a median, a share) a value is read against."""

    text: str  # how it reads on a tile, citing report and year
    source: str


# R&D as a share of revenue: Benchmarkit 2025 (2024 data), medians for private and public B2B
# SaaS (lib.views.business_benchmarks.RND_PCT_REVENUE has the full records).
# Time on roadmap / new features: Jellyfish 2021 State of Engineering Management (≈ 9,000
# engineers): 44% (36% in 2019).
MARKERS: dict[str, Marker] = {
    "business.rnd_pct_revenue": Marker(
        "SaaS medians: private 34%, public 23% (Benchmarkit 2025)",
        "Benchmarkit 2025 B2B SaaS Performance Metrics Benchmarks (2024 data), https://www.benchmarkit.ai/2025benchmarks",
    ),
    "business.investment_mix.feature": Marker(
        "Roadmap work 44% of time (Jellyfish 2021)",
        "Jellyfish, 2021 State of Engineering Management report (≈ 9,000 engineers)",
    ),
    # DORA 2024 Accelerate State of DevOps report: 75.9% of respondents rely on AI for at least
    # one daily task (a survey of people, not tool telemetry): context, not a band.
    "skills.ai_adoption_rate": Marker(
        "Context: 76% of developers rely on AI daily (DORA 2024 survey)",
        "DORA, Accelerate State of DevOps Report 2024 (≈ 3,000 respondents)",
    ),
}


def band_text(key: str, value, dora_tier: str | None = None) -> str | None:
    """The benchmark line for a tile: the DORA tier, a cited range with where the value sits,
    a cited figure, or None when nothing is published for the key."""
    if key in DORA_KEYS and dora_tier:
        return f"{DORA_CITE}: {dora_tier} tier"
    bench = RANGES.get(key)
    if bench is None:
        marker = MARKERS.get(key)
        return marker.text if marker else None
    if is_missing(value):
        return bench.text
    position = "below" if value < bench.low else "above" if value > bench.high else "within"
    return f"{bench.text} ({position})"
