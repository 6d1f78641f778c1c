"""The executive one-pager's numbers: headline tiles, their change and plain-language takeaways.

Everything is derived from the metric catalog over the chosen period and the period of
equal length before it, so the Overview, the CLI and the board pack agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from lib import benchmarks
from lib.formatting import format_value
from lib.metrics import Headline, definition_for, headline
from lib.scope import Scope

# The Overview's tile groups: one per pillar, its headline metrics in tile order (two rows of
# six tiles on a 1440-px screen). Flow has its trend below the tiles and its features in the
# investment headline; first-year attrition needs two years of leavers, more than a sparkline has.
PILLAR_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "delivery",
        "Delivery & quality",
        (
            "delivery.deployment_frequency_per_week",
            "delivery.lead_time_hours_p50",
            "delivery.change_failure_rate",
            "delivery.recovery_time_hours_p50",
        ),
    ),
    ("engagement", "People engagement", ("engagement.index", "engagement.enps")),
    # the trailing-twelve-month rate: a quarter's annualised rate swings with one month's leavers
    ("retention", "Retention & development", ("retention.attrition_rate_ttm", "retention.headcount_end")),
    (
        "skills",
        "Skills & capabilities",
        ("skills.ai_adoption_rate", "skills.learning_hours_per_engineer_annualized"),
    ),
    (
        "business",
        "Business alignment",
        ("business.rnd_pct_revenue", "business.revenue_per_engineer_annualized"),
    ),
)
# Headline metrics, in the order tiles are laid out.
HEADLINE_KEYS = tuple(key for _, _, keys in PILLAR_GROUPS for key in keys)

# Fractions ("%") and scores change in points; everything else in percent.
_POINT_UNITS = ("%", "score")


def period_phrase(days: int) -> str:
    """How a VP says 'versus the previous period of equal length'."""
    if days == 7:
        return "week over week"
    if 28 <= days <= 31:
        return "month over month"
    if 89 <= days <= 92:
        return "quarter over quarter"
    if 180 <= days <= 184:
        return "half over half"
    if 364 <= days <= 366:
        return "year over year"
    return f"vs the previous {days} days"


def headlines(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[Headline]:
    """The Overview's tiles: each headline metric now and in the previous period."""
    return headline(con, scope, HEADLINE_KEYS)


def tile_value(key: str, value) -> str:
    """How a tile shows a catalog value: the Overview and the pillar pages use this one
    function, so a tile never shows anything but the catalog's value ("—" for null)."""
    return format_value(value, definition_for(key).unit)


def engagement_reasons(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, str]:
    """Why each null `engagement.*` key of the catalog over `scope` is null, by dotted key
    ("engagement.enps": "fewer than 5 people answered the eNPS question")."""
    from lib.views.engagement import engagement_summary

    summary = engagement_summary(con, scope)
    if summary["survey_id"] is None:
        return {
            f"engagement.{key}": "no survey in this period for this selection"
            for key in ("respondents", "participation_rate", "enps", "index")
        }
    return {f"engagement.{key}": text for key, text in summary["reasons"].items()}


def _in_points(change: float, unit: str) -> float:
    """A change in a fraction (unit "%") as percentage points; scores already are points."""
    return change * (100 if unit == "%" else 1)


def change_text(item: Headline) -> str | None:
    """'+38%' for counts and durations, '+2.5 pts' for fractions and scores."""
    if item.unit in _POINT_UNITS:
        if item.delta is None:
            return None
        return f"{_in_points(item.delta, item.unit):+.1f} pts"
    return None if item.change is None else f"{item.change * 100:+.0f}%"


def band_text(item: Headline) -> str | None:
    """The tile's benchmark line, citing report and year: DORA tier with its band, a published
    range or figure (lib.benchmarks), or None when nothing is published for the metric."""
    if item.tier:
        cite = benchmarks.DORA_CITE
        return f"{cite}: {item.tier} tier ({item.band})" if item.band else f"{cite}: {item.tier} tier"
    return benchmarks.band_text(item.key, item.value)


@dataclass(frozen=True)
class TrendSpec:
    """One pillar's trend chart on the Overview: which view, which column, how it reads."""

    pillar: str
    view: str  # dotted view function taking (con, scope)
    x: str
    column: str
    label: str
    unit_title: str  # y-axis title with unit
    unit: str  # formatting unit (as in DEFINITIONS)
    higher_is_better: bool | None
    source: str
    y_format: str | None = None
    count: str | None = None  # the view's count column: periods before its first non-zero are before the data
    people: str | None = None  # the people or events a point's rate stands on (too few: not in the title)
    noun: str = "people"  # what `people` counts, for the hover ("successful deployments")


PILLAR_TRENDS = (
    TrendSpec(
        "Delivery & quality",
        "lib.views.delivery.dora_by_period",
        "period",
        "deployment_frequency_per_week",
        "Deployment frequency",
        "Successful production deployments per week",
        "per week",
        True,
        "deployments",
        count="deployments",
        people="successful_deployments",
        noun="successful deployments",
    ),
    TrendSpec(
        "Flow",
        "lib.views.flow.flow_by_period",
        "period",
        "velocity_per_week",
        "Flow velocity",
        "Work items completed per week",
        "per week",
        True,
        "work_items",
        count="velocity",
        people="velocity",
        noun="completed items",
    ),
    TrendSpec(
        "People engagement",
        "lib.views.engagement.engagement_by_wave",
        "survey_date",
        "engagement_index",
        "Engagement index",
        "Favourable answers (% of scores 4–5)",
        "%",
        True,
        "survey_responses",
        ".0%",
        count="respondents",
        people="respondents",
    ),
    TrendSpec(
        "Retention & development",
        "lib.views.retention.attrition_by_period",
        "period",
        "attrition_rate_ttm",
        "Attrition",
        "Left in the trailing 12 months (% of average headcount)",
        "%",
        False,
        "employees",
        ".0%",
        count="headcount_end",
        people="headcount_end",
    ),
    TrendSpec(
        "Skills & capabilities",
        "lib.views.skills.ai_adoption_by_period",
        "period",
        "ai_adoption_rate",
        "AI adoption",
        "Daily active AI users (% of headcount)",
        "%",
        True,
        "ai_usage, employees",
        ".0%",
        count="days_with_data",
        people="headcount_end",
    ),
    TrendSpec(
        "Business alignment",
        "lib.views.business.business_by_period",
        "period",
        "revenue_per_engineer_annualized",
        "Revenue per engineer",
        "Annualised revenue per engineer (USD)",
        "USD",
        True,
        "business_metrics, employees",
        "$,.3~s",
        count="revenue",
    ),
)


def trend_takeaway(
    values: list, periods: list, spec: TrendSpec, partial=None, few=None, now=None, grain: str = "month"
) -> str:
    """A chart title stating what the trend says: 'Deployment frequency up 42% since Jan 2025
    (70/wk (median of the first 3 months) → 97.1/wk in the chosen period)'.

    The shared rule of every pillar's trend titles (`lib.charts.titles.trend_takeaway`):
    medians of the first and last few countable points (partial buckets, gaps and buckets on
    too few events or people never count), or the chosen period's own value (`now`, the
    tile's) at the end; the numbers behind the claim in parentheses.
    """
    from lib.charts.titles import trend_takeaway as shared

    bucket = "survey wave" if spec.x == "survey_date" else None
    claim, detail = shared(spec.label, spec.unit, periods, values, partial, few, now, grain, bucket)
    return f"{claim} ({detail})" if detail else claim


def trend_scope(scope: Scope, min_days: int = 365) -> Scope:
    """Trends need history: at least the year ending with the period, at the chosen grain."""
    if scope.days >= min_days:
        return scope
    from dataclasses import replace
    from datetime import timedelta

    return replace(scope, start=scope.end - timedelta(days=min_days))
