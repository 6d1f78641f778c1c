"""When each source's data begins and ends, so no data is never read as zero.

A count over a period that lies wholly after a source's last row (a deployments file
that ends in March, a period chosen in the future), before its first row, or over teams
that have no row of it, is not "nothing happened": it is no data. Such a metric is null
with the reason, which names the date its data ends ("no deployments after 12 Mar
2025"), and a trend bucket outside the span is a gap, never a 0. Inside the span a
bucket or period without events is an honest zero (METRICS.md, "No data is not zero").

`span(con, source, scope)` gives one source's `Span` for the scope's teams;
`spans(con, scope, unit)` the spans of every source per team or org; `gap(span, start,
end)` the reason a period has no data (None when it has). No streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.memo import shared
from lib.scope import Scope, plausible_dates
from lib.sql import query_df
from lib.views import params

# Source table → how a sentence names its rows.
NOUNS = {
    "deployments": "deployments",
    "incidents": "incidents",
    "work_items": "work items",
    "pull_requests": "pull requests",
    "ai_usage": "AI usage",
    "survey_responses": "survey answers",
    "employees": "employee records",
}


@dataclass(frozen=True)
class Span:
    """The days one source's rows cover for a set of teams, ends included.

    `first`/`last` are None when the teams have no row (`rows` 0); `table_rows` counts
    the source's rows for every team, so "never loaded" (0) is told from "none for
    these teams"; `no_team` is True when the filters match no team at all.
    """

    source: str
    first: dt.date | None
    last: dt.date | None
    rows: int
    table_rows: int
    no_team: bool = False

    @property
    def noun(self) -> str:
        return NOUNS[self.source]


def _frame(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str) -> pd.DataFrame:
    low, high = plausible_dates()
    cur = con.cursor()
    try:
        return query_df(cur, "spans/data_spans", params(scope, unit=unit, low=low, high=high))
    finally:
        cur.close()


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def spans(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "all") -> dict[tuple[str, str], Span]:
    """Every source's span per unit: (source, unit) → Span, unit "All teams" for `unit="all"`,
    else each team (`"team"`) or org of the `teams` table (`"org"`, "(no org)" for none) that
    has rows. Dates outside the plausible range (`lib.scope.plausible_dates`) are left out."""
    if unit not in ("all", "team", "org"):
        raise ValueError(f"unit must be 'all', 'team' or 'org', not {unit!r}")
    found: dict[tuple[str, str], Span] = {}
    for row in _frame(con, scope, unit).itertuples():
        if row.unit is None or pd.isna(row.unit):
            continue
        found[(row.source, row.unit)] = Span(
            row.source, _date(row.first_day), _date(row.last_day), int(row.rows), int(row.table_rows)
        )
    return found


def _spans_of(frame: pd.DataFrame, scope: Scope) -> dict[str, Span]:
    found = {}
    for source in NOUNS:
        rows = frame[frame["source"] == source]
        table_rows = int(rows["table_rows"].iloc[0]) if len(rows) else 0
        scoped = rows[rows["unit"].notna()]
        if scoped.empty:
            found[source] = Span(source, None, None, 0, table_rows, no_team=scope.teams == ())
        else:
            row = scoped.iloc[0]
            found[source] = Span(
                source, _date(row["first_day"]), _date(row["last_day"]), int(row["rows"]), table_rows
            )
    return found


def scope_spans(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, Span]:
    """Every source's span for the teams in `scope`: source → Span (one query)."""
    return _spans_of(_frame(con, scope, "all"), scope)


def span(con: duckdb.DuckDBPyConnection, source: str, scope: Scope) -> Span:
    """The span of `source`'s rows for the teams in `scope` (at any date, not only the period)."""
    if source not in NOUNS:
        raise ValueError(f"unknown source {source!r} (one of {', '.join(NOUNS)})")
    return _spans_of(_frame(con, scope, "all"), scope)[source]


def day_text(day: dt.date) -> str:
    """'12 Mar 2025'."""
    return f"{day.day} {day:%b %Y}"


def gap(found: Span, start: dt.date, end: dt.date) -> str | None:
    """Why the period [start, end) has no `found.source` data, in words; None when it has.

    'no team matches these filters', 'no deployments loaded', 'no deployments for these
    teams', 'no deployments after 12 Mar 2025' (the period starts after the last row),
    'no deployments before 3 Jun 2024' (it ends before the first).
    """
    noun = found.noun
    if found.no_team:
        return "no team matches these filters"
    if not found.table_rows:
        return f"no {noun} loaded"
    if not found.rows or found.first is None or found.last is None:
        return f"no {noun} for these teams"
    if start > found.last:
        return f"no {noun} after {day_text(found.last)}"
    if end <= found.first:
        return f"no {noun} before {day_text(found.first)}"
    return None


def period_gap(con: duckdb.DuckDBPyConnection, source: str, scope: Scope) -> str | None:
    """`gap` of the scope's own period for `source`."""
    return gap(span(con, source, scope), scope.start, scope.end)


@shared
def gaps(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, str | None]:
    """Per source: why the scope's period has none of its data (`gap`), or None when it has;
    one query for every source."""
    found = _spans_of(_frame(con, scope, "all"), scope)
    return {source: gap(one, scope.start, scope.end) for source, one in found.items()}


def beyond_data(con: duckdb.DuckDBPyConnection, scope: Scope, today: dt.date | None = None) -> str | None:
    """Why no metric at all has data in the scope: its filters match no team, or its period
    starts after today (UTC), so no row can be in it; None otherwise. Stocks such as
    headcount would otherwise read as a projection, and flows as zeros.

    (An employees export is current on the day it was taken, which the rows do not say, so
    a period after the last hire or leaver still has a headcount: only the event sources
    have a known end, `gaps`.)"""
    if scope.teams == ():
        return "no team matches these filters"
    today = today or dt.datetime.now(dt.UTC).date()
    if scope.start > today:
        return f"the period starts after today ({day_text(today)})"
    return None


# Days of a period outside its source's span that a figure over it may ignore (a quiet
# weekend after the last deployment is not the data's end); lib.views.buckets uses the same.
SLACK_DAYS = 7


def partly(found: Span, start: dt.date, end: dt.date) -> str | None:
    """When the period [start, end) has data from the source for only part of its days (more
    than SLACK_DAYS outside the span), the words a tile adds under its value ('no deployments
    before 3 Mar 2025: 61 of the period's 181 days'); None otherwise, or when it has none."""
    if gap(found, start, end) or found.first is None or found.last is None:
        return None
    before = max((found.first - start).days, 0)
    after = max(((end - dt.timedelta(days=1)) - found.last).days, 0)
    days = (end - start).days
    parts = []
    if before > SLACK_DAYS:
        parts.append(
            f"no {found.noun} before {day_text(found.first)}: the period's first {before} of {days} days"
        )
    if after > SLACK_DAYS:
        parts.append(
            f"no {found.noun} after {day_text(found.last)}: the period's last {after} of {days} days"
        )
    return "; ".join(parts) or None


@shared
def notes(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, str | None]:
    """Per source: `partly` for the scope's period (one query)."""
    return gaps_and_notes(con, scope)[1]


def gaps_and_notes(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[dict, dict]:
    """(`gaps`, `notes`) from one query."""
    found = _spans_of(_frame(con, scope, "all"), scope)
    return (
        {source: gap(one, scope.start, scope.end) for source, one in found.items()},
        {source: partly(one, scope.start, scope.end) for source, one in found.items()},
    )
