"""Published finance benchmarks for the Business alignment page, each with its population,
source and year (REFERENCE.md §4), never one "good" number: ownership and stage move these
ratios by more than ten points, so private and public companies are shown apart.

Two ratios have bands:
- R&D as a share of revenue: medians for private and public SaaS (Benchmarkit, 2025
  report on 2024 data) and at IPO (Blossom Street Ventures, 81 SaaS IPOs since Oct 2017).
- ARR per employee: published for *every employee of the company*, not per engineer.
  Pillars' revenue per engineer divides by engineering headcount, which reads several
  times higher, so the bands are compared only with ARR ÷ company headcount (the business
  metric `company_headcount`); without it the page says what to load.
All amounts are USD; Pillars converts no currency.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Benchmark:
    label: str  # how the line reads on a chart
    value: float  # the figure (a fraction for shares, USD for ARR per employee)
    high: float | None  # upper edge when the figure is a band ("good" to "great")
    population: str
    source: str
    year: str
    url: str
    ownership: str  # "private", "public" or "IPO"


RND_PCT_REVENUE: tuple[Benchmark, ...] = (
    Benchmark(
        "Private SaaS median 34%",
        0.34,
        None,
        "private B2B SaaS companies",
        "Benchmarkit 2025 B2B SaaS Performance Metrics Benchmarks",
        "2025 (2024 data)",
        "https://www.benchmarkit.ai/2025benchmarks",
        "private",
    ),
    Benchmark(
        "Public SaaS median 23%",
        0.23,
        None,
        "public B2B SaaS companies",
        "Benchmarkit 2025 B2B SaaS Performance Metrics Benchmarks",
        "2025 (2024 data)",
        "https://www.benchmarkit.ai/2025benchmarks",
        "public",
    ),
    Benchmark(
        "Median at IPO 26%",
        0.26,
        None,
        "81 SaaS IPOs since Oct 2017",
        "Blossom Street Ventures, SaaS spend as a percent of revenue",
        "IPOs Oct 2017 onwards",
        "https://www.blossomstreetventures.com/post/saas-spend-as-a-percent-of-revenue-needs-an-update",
        "IPO",
    ),
)

# Private SaaS ARR per employee by ARR size: "good" to "great" (Growth Unhinged, 2023 SaaS
# benchmarks report, 700+ private SaaS companies, mostly US and Western Europe).
_GROWTH_UNHINGED = "https://www.growthunhinged.com/p/your-guide-to-arr-per-fte"
ARR_BANDS: tuple[tuple[float, float | None, Benchmark], ...] = tuple(
    (
        low,
        high,
        Benchmark(
            f"Private SaaS {size}: good {good / 1e3:.0f}k, great {great / 1e3:.0f}k+",
            good,
            great,
            f"700+ private SaaS companies, {size}",
            "Growth Unhinged (Kyle Poyar), 2023 SaaS benchmarks report",
            "2023",
            _GROWTH_UNHINGED,
            "private",
        ),
    )
    for low, high, size, good, great in (
        (1e6, 5e6, "$1–5M ARR", 90e3, 150e3),
        (5e6, 20e6, "$5–20M ARR", 150e3, 250e3),
        (20e6, 50e6, "$20–50M ARR", 200e3, 275e3),
        (50e6, None, "over $50M ARR", 250e3, 300e3),
    )
)
ARR_PUBLIC = Benchmark(
    "Public SaaS: median 283k, top quartile 369k",
    283e3,
    369e3,
    "public SaaS companies (Virtua Research data)",
    "Growth Unhinged (Kyle Poyar), Your guide to ARR per FTE",
    "2023",
    _GROWTH_UNHINGED,
    "public",
)


def arr_band(arr: float | None) -> Benchmark | None:
    """The private-SaaS ARR-per-employee band for a company of this ARR (USD), or None
    below $1M ARR or without ARR."""
    if arr is None:
        return None
    for low, high, bench in ARR_BANDS:
        if arr >= low and (high is None or arr < high):
            return bench
    return None


def position(value: float | None, bench: Benchmark) -> str | None:
    """'below', 'within' or 'above' a band (or a single figure), None without a value."""
    if value is None:
        return None
    top = bench.high if bench.high is not None else bench.value
    if value < bench.value:
        return "below"
    return "above" if value > top else "within"


def caption(benchmarks: tuple[Benchmark, ...] | list[Benchmark]) -> str:
    """'Benchmarks: Benchmarkit 2025 … (private B2B SaaS companies, 2025 (2024 data)); …'."""
    seen: dict[str, list[str]] = {}
    for b in benchmarks:
        seen.setdefault(f"{b.source}, {b.year}", []).append(b.population)
    return "Benchmarks: " + "; ".join(
        f"{src} ({', '.join(dict.fromkeys(pops))})" for src, pops in seen.items()
    )
