"""The Overview as one board slide: a headline that frames the investment, one tile group per
pillar (value, change against the previous period of equal length, a sparkline and a cited
benchmark) and the takeaways that are news rather than noise.

`board(con, scope)` computes it once, from the headline windows
(`lib.views.headline_windows`: the catalog's values over the period and the seven periods
of equal length before it, one query per pillar) and the business views. The Overview page
(`lib.ui.overview_page`) and the registered chart `overview.headlines` (the board pack's
first slide) both draw this object, so page and deck show the same numbers. Takeaway rules:
`lib.takeaways`; their long form: docs/OVERVIEW.md. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb

from lib import takeaways as rules
from lib.anonymity import is_hidden_reason
from lib.benchmarks import DORA_CITE
from lib.charts.business import money
from lib.formatting import format_value, is_missing
from lib.glossary import explain
from lib.metrics import compare, definition_for
from lib.overview import PILLAR_GROUPS, band_text, change_text, period_phrase
from lib.overview_headline import investment_headline
from lib.scope import Scope, period_text
from lib.views import business, data_span, delivery, skills
from lib.views.headline_windows import SPECS, headline_windows, source_extents
from lib.views.people_share import different_people

# Tile labels short enough for a sixth of the page (the definition is in the tile's help).
TILE_LABELS = {
    "delivery.deployment_frequency_per_week": "Deploy frequency",
    "delivery.lead_time_hours_p50": "Lead time (median)",
    "delivery.change_failure_rate": "Change failure rate",
    "delivery.recovery_time_hours_p50": "Time to restore",
    "engagement.index": "Engagement index",
    "engagement.enps": "eNPS",
    "retention.attrition_rate_ttm": "Attrition (year)",
    "retention.headcount_end": "Engineers",
    "skills.ai_adoption_rate": "AI adoption",
    "skills.learning_hours_per_engineer_annualized": "Learning hours",
    "business.rnd_pct_revenue": "R&D / revenue",
    "business.revenue_per_engineer_annualized": "Revenue per engineer",  # wraps at a space, not inside a word
}
# Units short enough for a tile: "4.94 h", not "4.94 hours" cut to "4.94 h…".
SHORT_UNITS = {"hours": " h", "days": " d", "people": "", "hours per year": " h/yr"}

# What a pillar needs when none of its sources holds a row: named, never drawn as zeros.
MISSING = {
    "delivery": (
        ("deployments_rows", "incidents_rows"),
        "No deployments or incidents loaded: delivery needs deployments from CI and incidents from "
        "PagerDuty or Opsgenie.",
    ),
    "engagement": (
        ("survey_rows",),
        "No survey loaded: engagement needs a survey export (Culture Amp, Lattice, Google Forms, Qualtrics…).",
    ),
    "retention": (
        ("employees_rows",),
        "No HRIS export loaded: attrition and headcount need employees with hire and leaving dates "
        "(BambooHR, Workday, HiBob…).",
    ),
    "skills": (
        ("ai_usage_rows", "learning_rows"),
        "No AI-usage or learning export loaded: adoption needs GitHub Copilot or Cursor usage, learning "
        "hours an LMS export.",
    ),
    "business": (
        ("business_rows",),
        "No finance data loaded: R&D spend and revenue need business metrics by month (finance's "
        "spreadsheet, wide or long).",
    ),
}


@dataclass(frozen=True)
class Tile:
    """One headline metric as the Overview shows it."""

    key: str
    label: str
    value: float | None  # the catalog's value over the period
    text: str  # the value as shown ("97.1/wk"; "—" for no value)
    change: str | None  # "+8%", "-2.3 pts"; None when there is nothing comparable
    improved: bool | None  # the change is better (True), worse (False) or neither / unknown
    news: bool  # the change is a takeaway (only then is it coloured: colour is news)
    band: str  # the cited benchmark, or why there is no value
    spark: tuple[float | None, ...]  # the period and the seven before, oldest first; None: not comparable
    help: str  # the definition, and the DORA tier's band
    spark_label: str = ""  # the sparkline's values as shown, for its accessible name and hover text


@dataclass(frozen=True)
class Group:
    pillar: str  # a key of lib.charts.registry.PILLARS
    name: str
    status: str | None  # e.g. "DORA 2023: elite tier" for delivery
    tiles: tuple[Tile, ...]
    missing: str | None  # what to load when the pillar has no data at all (then no tiles)


@dataclass(frozen=True)
class Board:
    period: str  # "07 Sep 2026 – 05 Dec 2026"
    phrase: str  # "quarter over quarter"
    headline: str  # the investment headline (markdown: numbers in bold)
    groups: tuple[Group, ...]
    takeaways: tuple[rules.Takeaway, ...]
    held_back: tuple[rules.HeldBack, ...]
    title: str  # the board slide's takeaway title


def board(con: duckdb.DuckDBPyConnection, scope: Scope) -> Board:
    """Everything the Overview shows over `scope` (see the module doc)."""
    keys = tuple(key for _, _, group in PILLAR_GROUPS for key in group)
    windows = headline_windows(con, scope, keys)
    extents = source_extents(con)
    reasons = _reasons(con, scope, windows, extents)
    histories = [_history(key, windows[key]) for key in keys]
    found, held = rules.takeaways(histories, scope.days)
    news = {t.key for t in found}
    partly = data_span.notes(con, scope)["deployments"]  # a frequency over part of the period: no tier
    # a change failure rate that cannot see failures (no incidents loaded, none naming a deployment): no tier
    unseen = delivery.failures_unseen_in(con, scope)
    groups = tuple(
        _group(con, pillar, name, group, windows, extents, reasons, news, partly, unseen)
        for pillar, name, group in PILLAR_GROUPS
    )
    return Board(
        period=period_text(scope),
        phrase=period_phrase(scope.days),
        headline=investment_headline(con, scope),
        groups=groups,
        takeaways=tuple(found),
        held_back=tuple(held),
        title=slide_title(found, scope.days, held),
    )


def _history(key: str, windows: tuple[rules.Window, ...]) -> rules.History:
    spec, definition = SPECS[key], definition_for(key)
    return rules.History(
        key=key,
        label=definition.label if key != "retention.headcount_end" else "Headcount",
        unit=definition.unit,
        higher_is_better=definition.higher_is_better,
        windows=windows,
        min_events=spec.min_events,
        noun=spec.noun,
        months=_months_between(windows[0].start, windows[0].end) if spec.frame == "business" else None,
    )


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _group(con, pillar, name, keys, windows, extents, reasons, news, partly=None, unseen=None) -> Group:
    tables, missing = MISSING[pillar]
    if not any(extents[t] for t in tables):
        return Group(pillar, name, None, (), missing)
    tiles = tuple(
        _tile(con, key, windows[key], reasons.get(key), key in news, partly, unseen) for key in keys
    )
    status = None
    if pillar == "delivery":
        tiers = {k.removeprefix("delivery."): _tier(k, windows[k][0], partly, unseen)[0] for k in keys}
        tier = delivery.overall_tier(tiers)
        status = f"{DORA_CITE}: {tier} tier overall" if tier else None
    return Group(pillar, name, status, tiles, None)


def _tier(
    key: str, window: rules.Window, partly: str | None, unseen: str | None = None
) -> tuple[str | None, str | None]:
    """(the DORA tier a tile states, why it states none although it has a value): the Delivery
    page's rule (`lib.views.delivery.held_back`) on the window's events."""
    if key.removeprefix("delivery.") not in delivery.DORA_KEYS or is_missing(window.value):
        return None, None
    if reason := delivery.held_back(key, window.events, partly, unseen):
        return None, reason
    return delivery.tier_for(key, window.value), None


def _tile(
    con, key: str, windows: tuple[rules.Window, ...], reason: str | None, news: bool, partly=None, unseen=None
) -> Tile:
    now, before = windows[0], windows[1]
    comparable = now.gap is None and before.gap is None
    item = compare(key, now.value, before.value if comparable else None)
    tier, held = _tier(key, now, partly, unseen)
    item = replace(item, tier=tier, band=item.band if tier else None)
    definition = definition_for(key)
    # the currency is one query: read once per tile, not once per sparkline value
    currency = business.currency(con)[0] if key.startswith("business.") and definition.unit == "USD" else None
    text = _shown(key, now.value, currency)
    if now.hidden:
        band = f"Hidden: {now.hidden}"
    elif is_missing(now.value) and reason and is_hidden_reason(reason):  # hidden is not missing
        band = f"Hidden: {reason}"
    elif is_missing(now.value):
        band = f"No data: {reason or 'nothing in this period for this selection'}"
    elif held:
        band = _first_upper(held)
    elif item.tier:
        band = f"{DORA_CITE}: {item.tier} tier"  # the tier's band is in the tile's help
    else:
        band = band_text(item) or "No published benchmark"
    spark = tuple(w.value if w.gap is None else None for w in reversed(windows))
    history = ", ".join("no comparable value" if v is None else _shown(key, v, currency) for v in spark)
    help_text = f"{definition.label}: {explain(key)}"
    if item.tier and item.band:
        help_text += f" {DORA_CITE} {item.tier} tier: {item.band}."
    return Tile(
        key=key,
        label=TILE_LABELS.get(key, definition.label),
        value=now.value,
        text=text,
        change=change_text(item),
        improved=item.improved,
        news=news,
        band=band,
        spark=spark if sum(v is not None for v in spark) >= 2 else (),
        help=help_text,
        spark_label=f"{TILE_LABELS.get(key, definition.label)} in this period and the {len(spark) - 1} before, "
        f"oldest first: {history}",
    )


def _shown(key: str, value, currency: str | None) -> str:
    """A value as its tile shows it ("97.1/wk", "$2.5M", "—"); `currency` for a money key."""
    unit = definition_for(key).unit
    if currency is not None:
        return money(value, currency)
    if unit in SHORT_UNITS and not is_missing(value):
        return format_value(value) + SHORT_UNITS[unit]
    return format_value(value, unit)


def _ai_adoption_reason(con, scope: Scope, extents: dict) -> str:
    """Why AI adoption has no value: no export, no usage in the window, or more daily users
    than people (`lib.views.people_share`)."""
    if not extents["ai_usage_rows"]:
        return "no AI-usage export loaded"
    row = skills.skills_summary(con, scope)
    if row.get("ai_users_exceed_headcount"):
        return different_people(
            "daily AI users", row["ai_active_users_daily_mean"], "people in the HR data", row["headcount_end"]
        )
    if row.get("ai_active_users_daily_mean") is not None and not row.get("headcount_end"):
        return "no people in the HR data for these teams at the period's end: adoption needs the headcount"
    return "no AI usage in the period's last 28 days"


def _reasons(con, scope: Scope, windows: dict, extents: dict) -> dict[str, str]:
    """Why a tile has no value, for the keys without one (a few words each)."""
    empty = [key for key, w in windows.items() if w[0].value is None]
    if not empty:
        return {}
    out: dict[str, str] = {}
    if any(k.startswith("delivery.") for k in empty):
        from lib.views.delivery_detail import coverage, no_data_reason

        c = coverage(con, scope)
        out |= {k: no_data_reason(k, c) for k in empty if k.startswith("delivery.")}
    if any(k.startswith("engagement.") for k in empty):
        from lib.overview import engagement_reasons

        out |= {k: v for k, v in engagement_reasons(con, scope).items() if k in empty}
    for key in empty:
        if key in out:
            continue
        if key == "business.revenue_per_engineer_annualized" and scope.teams is not None:
            out[key] = "organisation only: revenue has no team"
        elif key.startswith("business."):
            out[key] = (
                "no finance months in this period" if extents["business_rows"] else "no finance data loaded"
            )
        elif key == "skills.ai_adoption_rate":
            out[key] = _ai_adoption_reason(con, scope, extents)
        elif key == "skills.learning_hours_per_engineer_annualized":
            out[key] = (
                "no learning export loaded" if not extents["learning_rows"] else "no engineers in scope"
            )
        elif key.startswith("retention."):
            out[key] = (
                "no employees loaded" if not extents["employees_rows"] else "no employees in these teams"
            )
    return out


def slide_title(found: list[rules.Takeaway], days: int, held: list[rules.HeldBack] | tuple = ()) -> str:
    """The board slide's title: the strongest takeaways in short; else that none moved, or,
    when no metric could be compared at all (`held` says why: no value in one of the two
    periods), that there was nothing to compare; "moved beyond its usual swing" over an
    empty database or a team without data claimed a stability nobody measured (a new user's
    review)."""
    if not found:
        if not any(h.comparable for h in held):
            return f"Nothing to compare {period_phrase(days)}: no headline metric has a value in both periods"
        return f"No headline metric moved beyond its usual swing {period_phrase(days)}"
    shorts = [t.short for t in found[:2]]
    return "; ".join([shorts[0], *(_first_lower(text) for text in shorts[1:])])


def _first_lower(text: str) -> str:
    """'Deployment frequency' → 'deployment frequency'; 'AI adoption', 'eNPS' unchanged."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
