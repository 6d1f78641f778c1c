"""The Retention & development page: headline tiles, then one tab per section (attrition,
tenure, careers, management, locations & acquisitions).

Numbers come from `lib.views.retention*` through the cache, figures from
`lib.charts.retention` and `lib.charts.retention_people`; this module only lays them
out. Tiles cover the chosen period (attrition over the twelve months to its end, the rate
HR teams report: a month's rate is noise for a few hundred people); trends cover at least
the twelve months ending with it. Only the open tab is computed and drawn (bound to
`?section=`), as on the Delivery page.

Only aggregates are shown: a selection with fewer people than the anonymity threshold
shows nothing but the reason, and each chart hides its smaller groups with the reason
written in it. Clicking a point lists the counts behind it, never the people.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.benchmarks import RANGES, band_text
from lib.charts import caption_text
from lib.charts import retention as charts
from lib.charts.registry.retention import SURVIVAL
from lib.definitions import definition_for
from lib.formatting import NO_DATA, count_of, format_value, is_missing
from lib.glossary import explain
from lib.overview import period_phrase
from lib.scope import Scope
from lib.ui import data, filters, layout, registered
from lib.ui import retention_drill as drill
from lib.views.buckets import few_people
from lib.views.delivery_detail import trend_window
from lib.views.retention import too_few_people

VIEWS = "lib.views.retention"
SOURCE = "employees"
CLICK_HINT = "Click a point to see the counts behind it (never the people)."


class Context:
    """What every section needs: the period, the trend window, the threshold, the filters."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.window = trend_window(scope)
        self.filters = filters.filter_text()
        self.x_title = scope.grain.capitalize()
        self.k = data.view("lib.anonymity.threshold")

    def caption(self, source: str = SOURCE, trend: bool = True, extra: str = "") -> str:
        text = caption_text(source, filters.period_text(self.window if trend else self.scope), self.filters)
        return f"{text} · {extra}" if extra else text


def header(scope: Scope) -> Context:
    layout.page_header(
        "Retention & development",
        f"{filters.period_text(scope)} · {filters.filter_text()} · career frameworks and coached managers keep "
        "top talent. Aggregates only: a team, location, sourcing, cohort or level with fewer people than the "
        "anonymity threshold is never shown; the figures for the whole selection are shown at any size.",
    )
    return Context(scope)


def enough_people(ctx: Context) -> bool:
    """False (and the reason shown) when there is no employee data, or too few people."""
    summary = data.view(f"{VIEWS}.retention_summary", ctx.scope)
    if not data.view("lib.views.retention.has_employees"):
        layout.missing(
            "No employee data. Import an HRIS employee report (BambooHR, Workday, HiBob, Personio, Rippling, "
            "ADP, or a spreadsheet with employee id, hire and termination dates) or the employees template "
            "on the Data page."
        )
        return False
    if too_few_people(summary, ctx.k):
        layout.missing(
            f"Not shown: this selection has fewer than {ctx.k} people at the end of the period, the anonymity "
            "threshold. Widen the filters or the period to see retention figures."
        )
        return False
    return True


# ---------------------------------------------------------------------------- tiles


def _tile(
    key: str, now: dict, before: dict, label: str, band: str | None, phrase: str, few: bool = False
) -> layout.Tile:
    short = key.removeprefix("retention.")
    spec = definition_for(key)
    value, previous = now.get(short), before.get(short)
    unit = spec.unit
    delta = None
    if not is_missing(value) and not is_missing(previous):
        change = value - previous
        delta = f"{change * 100:+.1f} pts" if spec.unit == "%" else f"{change:+,.0f}" if spec.unit == "people" \
            else f"{change:+,.1f}"  # fmt: skip
        if delta.lstrip("+-").rstrip(" pts") in ("0", "0.0") or few:
            delta = None  # no change worth an arrow (or a rate on too few people: lib.views.buckets)
    better = spec.higher_is_better
    return layout.Tile(
        label=label,
        # a head count reads as its number ("Headcount 132"): "132 people" wrapped at 1280 px
        value=format_value(value, "" if unit == "people" else unit) if not is_missing(value) else NO_DATA,
        delta=delta,
        delta_color="off" if better is None else "normal" if better else "inverse",
        delta_description=phrase,
        band=band,
        help=explain(key),
    )


def boundary_note(days: dict) -> str:
    """Why start + hires − leavers may differ from the end count, by SPEC §5's definitions
    (`lib.views.retention.boundary_days`): ' · 1 leaver on the first day was already out of
    the start count'; empty when nobody's dates fall on a boundary day. The second review read
    '+3 · 8 hires, 6 leavers' as a sum that does not add up."""
    parts = [
        (days.get("left_on_first_day"), "leaver on the first day was already out of the start count",
         "leavers on the first day were already out of the start count"),
        (days.get("hired_on_first_day"), "hire on the first day was already in the start count",
         "hires on the first day were already in the start count"),
        (days.get("hired_on_day_after"), "person hired the day after the period is in the end count",
         "people hired the day after the period are in the end count"),
        (days.get("left_on_day_after"), "person leaving the day after the period is out of the end count",
         "people leaving the day after the period are out of the end count"),
    ]  # fmt: skip
    said = [f"{n:,} {one if n == 1 else many}" for n, one, many in parts if n]
    return "".join(f" · {text}" for text in said)


def summary(ctx: Context) -> None:
    now = data.view(f"{VIEWS}.retention_summary", ctx.scope)
    before = data.view(f"{VIEWS}.retention_summary", ctx.scope.previous())
    trend = data.frame(f"{VIEWS}.attrition_by_period", ctx.window, "all")
    last = trend.iloc[-1] if not trend.empty else pd.Series(dtype=object)
    split = (
        f"voluntary and regretted hidden: fewer than {ctx.k} leavers"
        if bool(last.get("split_hidden", False))
        else " · ".join(
            f"{name} {charts.pct(last.get(column))}"
            for name, column in (
                ("voluntary", "voluntary_attrition_rate_ttm"),
                ("regretted", "regretted_attrition_rate_ttm"),
            )
        )
    )
    ttm_band = band_text("retention.attrition_rate_ttm", now.get("attrition_rate_ttm"))
    phrase = period_phrase(ctx.scope.days)
    st.caption(f"{filters.period_text(ctx.scope)} · arrows: change {phrase}")
    span_band = band_text("retention.span_of_control_median", now.get("span_of_control_median"))
    # annualised rates on fewer than MIN_COUNT people: shown, never compared (issue 18, small numbers)
    few = few_people(now) or few_people(before)
    average = ((now.get("headcount_start") or 0) + (now.get("headcount_end") or 0)) / 2
    tiles = [
        _tile("retention.attrition_rate_ttm", now, before, "Attrition, last 12 months", f"{split} · {ttm_band}", phrase),
        # a cohort below the threshold (one person: its rate says whether they stayed) is hidden
        layout.Tile("First-year attrition", NO_DATA, band=f"Hidden: fewer than {ctx.k} people hired a year earlier")
        if (now.get("first_year_cohort") or 0) < ctx.k
        else _tile("retention.first_year_attrition_rate", now, before, "First-year attrition",
                   f"{now.get('first_year_leavers') or 0} of {count_of(now.get('first_year_cohort'), 'person', 'people')} hired a year earlier", phrase),
        _tile("retention.headcount_end", now, before, "Headcount",
              f"{count_of(now.get('hires'), 'hire')}, {count_of(now.get('separations'), 'leaver')} in the period"
              + boundary_note(data.view(f"{VIEWS}.boundary_days", ctx.scope)), phrase),
        _tile("retention.median_tenure_years", now, before, "Median tenure", "Of people employed at the end", phrase),
        _tile("retention.span_of_control_median", now, before, "Span of control (median)", span_band, phrase),
        _tile("retention.one_on_one_coverage", now, before, "One-on-one coverage",
              "No one-on-ones loaded" if is_missing(now.get("one_on_one_coverage"))
              else "A one-on-one in the last 30 days", phrase),
        _tile("retention.promotion_rate_annualized", now, before, "Promotion rate (annualised)",
              "No promotions loaded" if is_missing(now.get("promotion_rate_annualized"))
              else f"{count_of(now.get('promotions'), 'promotion')} in the period", phrase, few=few),
        _tile("retention.attrition_rate_annualized", now, before, "Attrition in the period",
              f"{count_of(now.get('separations'), 'leaver')} among {average:.3g} people on average, annualised: too few to compare"
              if few else "Annualised over the chosen period: noisy for small groups", phrase, few=few),
    ]  # fmt: skip
    layout.tiles(tiles, per_row=4)
    st.caption(f"Benchmarks: {RANGES['retention.attrition_rate_ttm'].source}; span of control: "
               f"{RANGES['retention.span_of_control_median'].source}.")  # fmt: skip


# ---------------------------------------------------------------------------- attrition


def _chart(
    ctx: Context, chart_id: str, key: str, note: str | None = None, clickable: bool = False, span: float = 0.5
) -> list:
    """A registered chart (lib.charts.registry.retention): the board pack's very figure, in a card
    taking `span` of the page's width."""
    return registered.chart(chart_id, ctx.scope, key=key, note=note, clickable=clickable, span=span)


def attrition_section(ctx: Context) -> None:
    st.subheader("Headcount and attrition")
    st.caption(CLICK_HINT)
    left, right = st.columns(2)
    with left:
        points = _chart(ctx, "retention.headcount_flow", "ret-headcount", clickable=True)
    with right:
        points = _chart(ctx, "retention.attrition_trend", "ret-attrition", clickable=True) or points
    drill.bucket_counts(ctx.scope, ctx.window, points, "ret-attrition")
    left, right = st.columns(2)
    with left:
        points = _chart(ctx, "retention.attrition_by_org", "ret-by-org", clickable=True)
        orgs, _ = data.view("lib.charts.registry.retention.org_or_department", ctx.scope)
        drill.group_counts(orgs, points, "group", "ret-org")
    with right:
        _chart(ctx, "retention.first_year_attrition", "ret-first-year")


def teams_section(ctx: Context) -> None:
    st.subheader("Teams: who loses people, and how safe they feel")
    teams = data.frame("lib.views.retention_teams.team_attrition_and_safety", ctx.scope)
    _chart(ctx, "retention.attrition_and_safety", "ret-teams", note=_team_note(teams, ctx.k), span=1)


def _team_note(teams: pd.DataFrame, k: int) -> str | None:
    if teams.empty:
        return None
    measure = (
        "voluntary leavers"
        if (teams["measure"] == "voluntary").all()
        else "all leavers (no separation types)"
    )
    return (f"One dot per team: {measure} over the 12 months to the period end against the share of favourable "
            f"answers on psychological safety in the latest survey of that year; dot size: headcount. Teams under "
            f"{k} people, and teams the survey's anonymity rule hides, are not shown. A correlation, not proof "
            "of cause.")  # fmt: skip


# ---------------------------------------------------------------------------- tenure

SURVIVAL_CHOICES = {
    "cohort": "Hire year",
    "location": "Location",
    "sourcing": "Sourcing",
    "acquired": "Acquired company",
}


def tenure_section(ctx: Context) -> None:
    st.subheader("How long people stay")
    group = st.segmented_control(
        "Compare by", list(SURVIVAL_CHOICES), format_func=SURVIVAL_CHOICES.get, default="cohort", required=True,
        key="ret-survival-group", bind="query-params",
    ) or "cohort"  # fmt: skip
    result = data.view("lib.views.retention_tenure.survival", ctx.scope, group)
    chart_id = SURVIVAL[group][0]
    points = _chart(ctx, chart_id, "ret-survival", clickable=True, span=1, note=(
        f"Kaplan–Meier estimate (scipy.stats.ecdf): people still employed at the period end count as censored. "
        f"Each curve stops where fewer than {ctx.k} people are still at risk. Earlier hires are left out: "
        "leavers from before the first recorded separation may be missing from the export."))  # fmt: skip
    if points:
        drill.survival_counts(result["curves"], points[0])
    layout.table(drill.survival_table(result["groups"], SURVIVAL_CHOICES[group]), hide_index=True,
                 key="ret-survival-table")  # fmt: skip


# ---------------------------------------------------------------------------- careers


def careers_section(ctx: Context) -> None:
    from lib.ui import retention_settings

    st.subheader("Careers: promotions and levels")
    left, right = st.columns(2)
    with left:
        _chart(ctx, "retention.promotion_rates", "ret-promotions")
    with right:
        _chart(ctx, "retention.time_to_promotion", "ret-time-to-promotion")
    left, right = st.columns(2)
    with left:
        _chart(ctx, "retention.level_distribution", "ret-levels")
    with right:
        retention_settings.framework_editor()
    layout.missing(
        "Internal mobility (moves between teams) needs team history, which employee reports do not carry: "
        "only promotions are shown."
    )


# ---------------------------------------------------------------------------- management


def management_section(ctx: Context) -> None:
    st.subheader("Managers: span of control and one-on-ones")
    span = data.view("lib.views.retention_careers.span_of_control", ctx.scope)
    coverage = data.frame(f"{VIEWS}.one_on_one_coverage", ctx.window, "org")
    left, right = st.columns(2)
    with left:
        _chart(ctx, "retention.span_of_control", "ret-span")
        layout.table(drill.span_table(span["orgs"]), hide_index=True, key="ret-span-orgs")
    with right:
        latest = coverage[coverage["period"] == coverage["period"].max()] if not coverage.empty else coverage
        points = _chart(ctx, "retention.one_on_one_coverage_by_org", "ret-coverage", clickable=True)
        drill.coverage_counts(latest, points)
    if not coverage.empty:
        _chart(ctx, "retention.one_on_one_coverage_trend", "ret-coverage-trend")


# ---------------------------------------------------------------------------- groups


def groups_section(ctx: Context) -> None:
    st.subheader("Global management: locations, sourcing and acquisitions")
    st.caption(CLICK_HINT)
    left, right = st.columns(2)
    for column, group in ((left, "location"), (right, "sourcing")):
        with column:
            points = _chart(ctx, f"retention.attrition_by_{group}", f"ret-by-{group}", clickable=True)
            frame = data.frame(f"{VIEWS}.group_summary", ctx.scope, group)
            drill.group_counts(frame, points, "group", f"ret-{group}")
    st.subheader("Acquired teams against the rest")
    left, right = st.columns(2)
    with left:
        _chart(ctx, "retention.acquired_attrition_trend", "ret-acquired-trend")
    with right:
        _chart(ctx, "retention.acquired_first_year", "ret-acquired-first-year")
    _chart(ctx, "retention.survival_by_acquired_company", "ret-acquired-survival", span=1, note=(
        "Tenure counts from the day people joined: for an acquired company, the acquisition's closing date "
        "when the HRIS restarts hire dates there."))  # fmt: skip


# ---------------------------------------------------------------------------- tabs


DEFINED = (
    "retention.attrition_rate_ttm",
    "retention.voluntary_attrition_rate_annualized",
    "retention.regretted_attrition_rate_annualized",
    "retention.first_year_attrition_rate",
    "retention.median_tenure_years",
    "retention.promotion_rate_annualized",
    "retention.span_of_control_median",
    "retention.one_on_one_coverage",
    "retention.headcount_end",
)


def definitions_section(ctx: Context) -> None:
    """What each figure means (lib.definitions.DEFINITIONS), and the user's own separation rules."""
    from lib.ui import retention_settings

    st.subheader("Definitions")
    st.caption(
        f"Every figure on this page is computed from the employee records as below (METRICS.md has the full "
        f"rules). Groups of fewer than {ctx.k} people are never shown."
    )
    rows = [(definition_for(key).label, definition_for(key).definition) for key in DEFINED]
    layout.table(pd.DataFrame(rows, columns=["Figure", "Definition"]), hide_index=True, key="ret-definitions")
    retention_settings.separation_rules_editor()


SECTIONS = {
    "Attrition": attrition_section,
    "Teams": teams_section,
    "Tenure": tenure_section,
    "Careers": careers_section,
    "Managers": management_section,
    "Locations and acquisitions": groups_section,
    "Definitions": definitions_section,
}


def sections(ctx: Context) -> None:
    """One tab per section, bound to `?section=` so a view can be shared; only the open one runs."""
    tabs = st.tabs(list(SECTIONS), key="section", on_change="rerun", bind="query-params")
    for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
        if tab.open:
            with tab:
                draw(ctx)
