"""The Overview's headline metrics over the period and the periods of equal length before it.

`headline_windows(con, scope)` gives, per headline key, `WINDOWS` consecutive periods of
`scope.days` days ending at `scope.end` (newest first: window 0 is the period itself,
window 1 the catalog's previous period), each with its value, the events it rests on,
its sampling standard error and, when it cannot be compared, why (`lib.takeaways.Window`).

The values are the catalog's (SPEC §5) computed for many periods in one query per pillar
(`lib/sql/overview/*_windows.sql`): the catalog would take one run per period, and the
Overview needs eight. A unit test holds windows 0 and 1 equal to the catalog over the
period and the previous one, on fixtures and on the demo organisation.

Finance figures are monthly: their windows are blocks of the period's whole months
(`lib.views.business.business_months`, the months starting in the period, as the Business
page's tiles read them), so an annualised figure is never read a third low because a
90-day period holds two month starts. Window 0 is the catalog over those months, window 1
over the same number of months before (`previous_months`); for a period of whole months
both equal the catalog over the period.

Coverage (rule G1 of lib.takeaways): a period is not compared when it starts before its
source's first record (deployments, incidents, AI usage, learning), ends more than
`slack_days` after its last, needs leavers from before the first recorded separation
(attrition over the trailing year), or holds months of finance data not all loaded.
The survey figures follow the catalog: the latest published wave in each period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from lib import anonymity
from lib.sampling import count_se, median_se, nps_se, rate_se, share_se, sum_se
from lib.scope import Scope
from lib.sql import query_df
from lib.takeaways import Window
from lib.views import data_span, one_row, params, plain
from lib.views.business import business_months
from lib.views.engagement_figures import answered_by, figures, in_period, ordered

WINDOWS = 8


@dataclass(frozen=True)
class Spec:
    """How one headline key is read from its pillar's windows query."""

    frame: str  # delivery | retention | skills | business | engagement
    column: str
    events: str | None  # the column counting the events the value rests on
    noun: str  # those events, plural
    min_events: int = 20
    source: str | None = None  # coverage rule (see `_gap`)


SPECS: dict[str, Spec] = {
    "delivery.deployment_frequency_per_week": Spec(
        "delivery", "deployment_frequency_per_week", "successful_deployments",
        "successful production deployments", source="deployments",
    ),
    "delivery.lead_time_hours_p50": Spec(
        "delivery", "lead_time_hours_p50", "lead_times", "deployments with a commit time", source="deployments"
    ),
    "delivery.change_failure_rate": Spec(
        "delivery", "change_failure_rate", "deployments", "production deployments", source="deployments"
    ),
    "delivery.recovery_time_hours_p50": Spec(
        "delivery", "recovery_time_hours_p50", "recoveries", "resolved incidents", source="incidents"
    ),
    "engagement.index": Spec("engagement", "index", "respondents", "respondents"),
    "engagement.enps": Spec("engagement", "enps", "enps_respondents", "eNPS answers"),
    "retention.attrition_rate_ttm": Spec(
        "retention", "attrition_rate_ttm", "separations_ttm", "leavers in the trailing year", source="separations"
    ),
    "retention.headcount_end": Spec("retention", "headcount_end", None, "people", min_events=0, source="employees"),
    "retention.first_year_attrition_rate": Spec(
        "retention", "first_year_attrition_rate", "first_year_cohort", "hires in the cohort", source="first_year"
    ),
    "skills.ai_adoption_rate": Spec("skills", "ai_adoption_rate", "headcount_end", "people", source="ai_usage"),
    "skills.learning_hours_per_engineer_annualized": Spec(
        "skills", "learning_hours_per_engineer_annualized", "learning_records", "learning records", source="learning"
    ),
    "business.rnd_pct_revenue": Spec("business", "rnd_pct_revenue", None, "months", min_events=0, source="finance"),
    "business.revenue_per_engineer_annualized": Spec(
        "business", "revenue_per_engineer_annualized", None, "months", min_events=0, source="revenue"
    ),
}  # fmt: skip


def slack_days(days: int) -> int:
    """How far before a period's end its source's last record may be (a quiet fortnight is
    not a source that stopped): 14 days, or a sixth of a longer period."""
    return max(14, days // 6)


def headline_windows(
    con: duckdb.DuckDBPyConnection, scope: Scope, keys: tuple[str, ...] | None = None, count: int = WINDOWS
) -> dict[str, tuple[Window, ...]]:
    """Per key (of `SPECS`, all by default): `count` windows, newest first (see module doc).

    Raises KeyError for a key without a spec."""
    keys = tuple(SPECS) if keys is None else keys
    specs = {key: SPECS[key] for key in keys}
    bound = params(scope, windows=count)
    frames: dict[str, pd.DataFrame] = {}
    for name in sorted({s.frame for s in specs.values()} - {"engagement", "business"}):
        frames[name] = query_df(con, f"overview/{name}_windows", bound)
    if any(s.frame == "business" for s in specs.values()):
        frames["business"] = _business_frame(con, scope, count)
    if any(s.frame == "engagement" for s in specs.values()):
        frames["engagement"] = _engagement_frame(con, scope, count)
    extents = source_extents(con)
    # no data is not zero (lib.views.data_span, as the catalog): a window outside its source's
    # span for these teams, filters matching no team or a future period give no value at all
    spans, beyond = data_span.scope_spans(con, scope), data_span.beyond_data(con, scope)
    k = anonymity.threshold(con)
    out = {}
    for key, spec in specs.items():
        frame = frames[spec.frame]
        out[key] = tuple(
            _private(
                key, row, _outside(key, _window(key, spec, row, frame, scope, extents), spans, beyond), k
            )
            for row in frame.to_dict("records")
        )
    return out


# Figures about people that the Retention and Skills pages hide for a selection of fewer people
# than the anonymity threshold (lib.ui.retention_page.enough_people, lib.ui.skills_page.PER_PERSON),
# and the count each is judged on: the Overview and the board pack hide them the same way.
PEOPLE_COUNTS = {
    "retention.attrition_rate_ttm": ("headcount_end",),
    "retention.headcount_end": ("headcount_end",),
    "retention.first_year_attrition_rate": ("first_year_cohort",),
    "skills.learning_hours_per_engineer_annualized": ("headcount_end",),
    "skills.ai_adoption_rate": ("headcount_end",),  # a team of four's daily AI users (a review)
}


def _private(key: str, row: dict, window: Window, k: int) -> Window:
    """The window with its value withheld when it is about fewer people than `k`: a team of
    four's attrition names the one who left; a first-year cohort of one, whether that person
    stayed."""
    counts = PEOPLE_COUNTS.get(key)
    if counts is None or window.value is None:
        return window
    people = max((plain(row.get(c)) or 0) for c in counts)
    if people >= k:
        return window
    # short: a deck tile's band holds three lines of 24 characters ("… (the anonymity…" was cut)
    what = "hired a year earlier" if key == "retention.first_year_attrition_rate" else "people"
    return replace(
        window, value=None, se=None, gap=None, hidden=f"fewer than {k} {what} (anonymity threshold)"
    )


# The event table whose span bounds each key's windows (as lib.views.delivery.NO_DATA_KEYS).
SPAN_SOURCES = {
    "delivery.deployment_frequency_per_week": "deployments",
    "delivery.lead_time_hours_p50": "deployments",
    "delivery.change_failure_rate": "deployments",
    "delivery.recovery_time_hours_p50": "incidents",
}


def _outside(key: str, window: Window, spans: dict, beyond: str | None) -> Window:
    """The window with no value when the catalog has none there: no team matches, the period
    is in the future, or the window lies wholly outside its source's span."""
    source = SPAN_SOURCES.get(key)
    if beyond or (source and data_span.gap(spans[source], window.start, window.end)):
        return replace(window, value=None, se=None, gap=None)
    return window


def source_extents(con: duckdb.DuckDBPyConnection) -> dict:
    """Organisation-wide, per headline source: its rows (`<source>_rows`: deployments,
    incidents, work_items, survey, employees, ai_usage, learning, business) and the first and
    last dates it holds (`<source>_first` / `_last`; `separations_first`: the first
    termination date), None for an empty table."""
    return one_row(con, "overview/source_extents", {})


def _window(key: str, spec: Spec, row: dict, frame: pd.DataFrame, scope: Scope, extents: dict) -> Window:
    value = plain(row.get(spec.column))
    events = plain(row.get(spec.events)) if spec.events else None
    events = None if events is None else int(events)
    if spec.source == "employees" and not extents["employees_rows"]:
        value = None  # headcount of a table never loaded is unknown, not zero (as the catalog)
    return Window(
        start=_date(row["window_start"]),
        end=_date(row["window_end"]),
        value=value,
        events=events,
        se=None if value is None else _se(key, row, value, events, scope.days),
        gap=None if value is None else _gap(spec, row, frame, scope.days, extents),
    )


def _date(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value


def _se(key: str, row: dict, value: float, events: int | None, days: int) -> float | None:
    if key == "delivery.deployment_frequency_per_week":
        return count_se(events, 7 / days)
    if key == "retention.attrition_rate_ttm":
        average = (row["headcount_year_ago"] + row["headcount_end"]) / 2
        return rate_se(events, average)
    if key in ("delivery.change_failure_rate", "engagement.index", "skills.ai_adoption_rate"):
        return share_se(value, events)
    if key == "retention.first_year_attrition_rate":
        return share_se(value, events)
    if key == "engagement.enps":
        return nps_se(row["promoters"], row["detractors"], events)
    if key == "delivery.lead_time_hours_p50":
        return median_se(plain(row["lead_time_iqr"]), events)
    if key == "delivery.recovery_time_hours_p50":
        return median_se(plain(row["recovery_iqr"]), events)
    if key == "skills.learning_hours_per_engineer_annualized":
        se = sum_se(row["learning_hours_squared"], row["average_headcount"])
        return None if se is None else se * 365 / days
    return None  # headcount and finance figures are counted, not sampled


def _gap(spec: Spec, row: dict, frame: pd.DataFrame, days: int, extents: dict) -> str | None:
    """Why this window cannot be compared (rule G1), or None."""
    start, end = _date(row["window_start"]), _date(row["window_end"])
    source = spec.source
    if source in ("deployments", "incidents", "ai_usage", "learning"):
        first, last = extents[f"{source}_first"], extents[f"{source}_last"]
        needed = max(start, end - dt.timedelta(days=28)) if source == "ai_usage" else start
        words = {
            "deployments": "deployments",
            "incidents": "incidents",
            "ai_usage": "AI usage",
            "learning": "learning",
        }
        if first is None:
            return None
        if needed < first:
            return f"its {words[source]} data starts on {first:%d %b %Y}"
        if last < end - dt.timedelta(days=1 + slack_days(days)):
            return f"its {words[source]} data ends on {last:%d %b %Y}"
    elif source in ("separations", "first_year"):
        first = extents["separations_first"]
        reach = 365 if source == "separations" else 730
        if first is not None and end - dt.timedelta(days=reach) < first:
            return f"it needs leavers from {end - dt.timedelta(days=reach):%d %b %Y}; the first recorded left on {first:%d %b %Y}"
    elif source in ("finance", "revenue"):
        months = int(row["month_starts"])
        loaded = (
            min(int(row["revenue_months"]), int(row["rnd_spend_months"]))
            if source == "finance"
            else int(row["revenue_months"])
        )
        if loaded < months:
            return f"{loaded} of its {months} months of finance data are loaded"
    return None


def _business_frame(con: duckdb.DuckDBPyConnection, scope: Scope, count: int) -> pd.DataFrame:
    """One row per block of the period's whole months (`business_months`: the months starting
    in it), newest first; the period's own windows without figures when it holds no month start."""
    months = business_months(scope)
    if months is None:  # the period's windows, with no finance figure (see `_gap`)
        return pd.DataFrame(
            [
                {"window_index": k, "window_start": scope.end - dt.timedelta(days=(k + 1) * scope.days),
                 "window_end": scope.end - dt.timedelta(days=k * scope.days), "month_starts": 0,
                 "revenue_months": 0, "rnd_spend_months": 0, "rnd_pct_revenue": None,
                 "revenue_per_engineer_annualized": None}
                for k in range(count)
            ]
        )  # fmt: skip
    size = (months.end.year - months.start.year) * 12 + months.end.month - months.start.month
    return query_df(
        con, "overview/business_windows", params(scope, windows=count, months=size, month_end=months.end)
    )


def _engagement_frame(con: duckdb.DuckDBPyConnection, scope: Scope, count: int) -> pd.DataFrame:
    """One row per window: the latest published wave in it (as the catalog chooses it) and
    its index, eNPS, respondents, eNPS answers and promoter / detractor shares."""
    waves = ordered(anonymity.waves(con))
    rows = []
    for k in range(count):
        end = scope.end - dt.timedelta(days=k * scope.days)
        window = replace(scope, start=end - dt.timedelta(days=scope.days), end=end)
        found = [w for w in waves if in_period(w, window) and answered_by(w, window)]
        row = {"window_index": k, "window_start": window.start, "window_end": window.end, "survey_id": None,
               "index": None, "enps": None, "respondents": None, "enps_respondents": None,
               "promoters": None, "detractors": None}  # fmt: skip
        if found:
            fig = figures(found[-1], scope.teams)
            enps = fig.dimensions[fig.dimensions["is_enps"]]
            row.update(survey_id=fig.survey_id, index=fig.index, enps=fig.enps, respondents=fig.respondents)
            if not enps.empty and fig.enps is not None:
                row.update(
                    enps_respondents=plain(enps["respondents"].iloc[0]),
                    promoters=plain(enps["promoters"].iloc[0]),
                    detractors=plain(enps["detractors"].iloc[0]),
                )
        rows.append(row)
    return pd.DataFrame(rows)
