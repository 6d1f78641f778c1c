"""The metric catalog of SPEC.md §5: one nested dict of plain values, built from the views.

`catalog(con, scope)` is what `python -m lib metrics` prints, what the Overview tiles and
the board pack read, and what the tests pin down. `DEFINITIONS` (lib.definitions, re-exported
here) says, per dotted key, what a number means and which direction is good; METRICS.md is
its long form and a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb

from lib.definitions import DEFINITIONS as DEFINITIONS  # re-exported: the catalog and its meanings
from lib.definitions import definition_for
from lib.formatting import relative_change
from lib.scope import Scope
from lib.views import business, data_span, delivery, engagement, flow, plain, retention, skills

PILLARS = ("delivery", "flow", "engagement", "retention", "skills", "business")


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
    return delivery_tree(delivery.dora_summary(con, scope, gaps), flow.flow_summary(con, scope, gaps))


def delivery_tree(dora: dict, flow_summary: dict) -> dict:
    """The `delivery` and `flow` branches from the views' summaries of one scope
    (`lib.views.delivery.dora_summary`, `lib.views.flow.flow_summary`): what `delivery_catalog`
    returns, for a caller that already holds the summaries (the Delivery page's tiles)."""
    return _plain_tree(
        {"delivery": {k: dora[k] for k in DELIVERY_KEYS}, "flow": {k: flow_summary[k] for k in FLOW_KEYS}}
    )


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


def bucket_start(day: dt.date, grain: str) -> dt.date:
    """The first day of the `grain` bucket ("week": Monday, "month", "quarter") holding `day`."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def title_value(con: duckdb.DuckDBPyConnection, scope: Scope, key: str):
    """The value a trend title ends on: the tile's (`value`), when the period lies within its
    source's data; None when more than a week of it has none (the rate then spreads the
    source's rows over days it did not record, as SPEC §5's per-period definition does, and
    the tile says so: `data_span.partly`), when the source starts within the period's first
    bucket (no bucket before the period: the title compares its whole buckets), or when a DORA median or rate stands on fewer than
    20 events (`lib.views.delivery.held_back`), so the title falls back to its whole buckets
    and names the last one.
    Business keys are read over the period's whole months (`business_months`), as the
    Overview's and the Business page's tiles read them."""
    if key.startswith("business."):  # monthly rows: the tiles read the period's whole months
        months = business.business_months(scope)
        return None if months is None else value(con, months, key)
    source = source_of(key)
    if source:
        found = data_span.scope_spans(con, scope)[source]
        if data_span.partly(found, scope.start, scope.end):
            return None
        if found.first is not None and found.first >= bucket_start(scope.start, scope.grain):
            # the source starts in the period's first bucket: no bucket before the period to
            # compare with, and the title's "since" would be a bucket the period's value holds
            # ("down 14% since Sep 2026" from two rising months, a new user's review)
            return None
    pillar = key.split(".", 1)[0]
    if pillar not in ("delivery", "flow"):
        return value(con, scope, key)
    # One summary view read for both the value and the events behind it: what `value` gives
    # (a test holds them equal), without the other pillar's view and without reading it twice.
    # Each delivery trend on a page calls this inside its own cache entry (issue 17).
    if pillar == "delivery":
        summary = delivery.dora_summary(con, scope)
        branch = {k: summary[k] for k in DELIVERY_KEYS}
    else:
        summary = flow.flow_summary(con, scope)
        branch = {k: summary[k] for k in FLOW_KEYS}
    # (a scope beyond the data, no team or a future period, has a note for its source: None above)
    shown = flatten(_plain_tree({pillar: branch})).get(key)
    # a median or rate on too few events is shown on its tile, never a title's end
    few = (
        shown is not None
        and key.removeprefix("delivery.") in delivery.TIER_EVIDENCE
        and delivery.held_back(key, delivery.events_for(summary, key))
    )
    return None if few else shown


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


def delivery_headline(now: tuple[dict, dict], before: tuple[dict, dict], keys: tuple[str, ...]) -> list:
    """`headline` for delivery and flow keys from summaries already computed: `now` and
    `before` are (dora_summary, flow_summary) of the scope and of its previous period. The
    Delivery page's tiles use it so that the summaries they also read for event counts are
    computed once per period, not twice (issue 17)."""
    now_flat, before_flat = flatten(delivery_tree(*now)), flatten(delivery_tree(*before))
    return [_headline(key, now_flat.get(key), before_flat.get(key)) for key in keys]


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
