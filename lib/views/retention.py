"""Retention and development: headcount, hires, separations, annualised and trailing-twelve-month
attrition, first-year attrition, span of control, one-on-one coverage, tenure and promotions
(SPEC §5), and headcount and attrition over time, by group.

Headcount at a date counts employees with hire_date <= date and no termination_date
<= date; the period's "end" date is its exclusive bound (see METRICS.md).

Only aggregates leave this module. A group (a slice of the organisation: an org, a
location, a cohort…) with fewer people than the anonymity threshold
(`lib.anonymity.threshold`) has its figures replaced by null and the reason in
`suppressed_reason`, so no chart, tooltip or download shows a figure about a handful of
identifiable people.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_df
from lib.views import data_span, one_row, params

GROUPS = ("all", "org", "team", "location", "sourcing", "acquired")
GROUP_LABELS = {
    "all": "Everyone",
    "org": "Organisation",
    "team": "Team",
    "location": "Location",
    "sourcing": "Sourcing",
    "acquired": "Acquired company",
    "cohort": "Hire year",
}
ATTRITION_FIGURES = (
    "headcount_end",
    "headcount_year_ago",
    "hires",
    "separations",
    "voluntary_separations",
    "involuntary_separations",
    "regretted_separations",
    "separations_ttm",
    "voluntary_ttm",
    "regretted_ttm",
    "attrition_rate_ttm",
    "voluntary_attrition_rate_ttm",
    "regretted_attrition_rate_ttm",
)


def too_few_reason(k: int) -> str:
    return f"fewer than {k} people"


def suppress(frame: pd.DataFrame, size: str, figures: tuple[str, ...] | list[str], k: int) -> pd.DataFrame:
    """Null `figures` on rows whose `size` column counts fewer than `k` people; the reason goes
    in `suppressed_reason` (None where shown). Returns a new frame."""
    out = frame.copy()
    small = out[size].fillna(0) < k
    for column in figures:
        if column in out:
            out[column] = out[column].astype("float64").where(~small, np.nan)
    out["suppressed_reason"] = pd.Series(
        np.where(small, too_few_reason(k), None), index=out.index, dtype=object
    )
    return out


def retention_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `retention.*` catalog key plus the counts behind the rates (headcount a year
    before the end, trailing-year separations, the first-year cohort and its leavers,
    managers counted in the span median, people covered by a recent one-on-one).

    Every value is null, with `gap` saying why, when no team matches the filters or the
    period starts after the last day of any data (`lib.views.data_span.beyond_data`)."""
    row = one_row(con, "retention/retention", params(scope))
    gap = data_span.beyond_data(con, scope)
    return {**(dict.fromkeys(row) if gap else row), "gap": gap}


def boundary_days(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """People hired or leaving on the period's first day or on the day after its last, by
    SPEC §5's definitions counted in hires or separations but not both headcounts (or the
    reverse): `hired_on_first_day`, `left_on_first_day`, `hired_on_day_after`,
    `left_on_day_after` (counts of people). headcount_start + hires − separations equals
    headcount_end − hired_on_first_day + left_on_first_day − hired_on_day_after + left_on_day_after
    … rearranged in `lib.ui.retention_page`, which says so when they are not all 0."""
    return one_row(con, "retention/boundary_days", params(scope))


def headcount_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket (clipped to the period): headcount at the bucket's
    start and end, hires, separations (total, voluntary, regretted) and attrition
    annualised over the bucket's days, so months and quarters compare."""
    return query_df(con, "retention/headcount_by_period", params(scope))


def attrition_by_period(con: duckdb.DuckDBPyConnection, scope: Scope, group: str = "all") -> pd.DataFrame:
    """One row per group per bucket of `scope.grain`: period, bucket_start, bucket_end, days,
    group, headcount_end, headcount_year_ago, hires, separations (total, voluntary,
    involuntary, regretted) in the bucket; separations_ttm, voluntary_ttm, regretted_ttm
    and the trailing-twelve-month rates (fractions 0–1) at the bucket's end; `people`
    (everyone employed in that trailing year) and `suppressed_reason`.

    `group` is one of GROUPS (ValueError otherwise). Voluntary and regretted rates are null
    when no leaver in scope has a separation type or a regretted value at all (no data,
    not 0). Rows of a group-bucket with fewer people than the threshold, over its trailing
    year or at its end, are suppressed.
    The last bucket's rate equals `retention.attrition_rate_ttm` over the same scope.
    """
    if group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS}, not {group!r}")
    frame = query_df(con, "retention/attrition_by_group_period", params(scope, group=group))
    k = threshold(con)
    return _hide_split(suppress(_counted(frame), "counted", ATTRITION_FIGURES, k).drop(columns="counted"), k)


# How the leavers left: with fewer than the threshold of leavers over the trailing year, these
# name one person's reason ("voluntary 14% · regretted 14%" of a 7-person org with 1 leaver).
SPLIT_FIGURES = (
    "voluntary_separations",
    "involuntary_separations",
    "regretted_separations",
    "voluntary_ttm",
    "regretted_ttm",
    "voluntary_attrition_rate_ttm",
    "regretted_attrition_rate_ttm",
)


def _hide_split(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Null the voluntary / involuntary / regretted figures of a group-bucket whose trailing
    year had fewer than `k` leavers; `split_hidden` is True there (totals stay shown)."""
    few = frame["separations_ttm"].notna() & (frame["separations_ttm"].fillna(0) < k)
    out = frame.assign(**{c: frame[c].astype("float64").mask(few) for c in SPLIT_FIGURES if c in frame})
    return out.assign(split_hidden=few)


def too_few_people(summary: dict, k: int) -> bool:
    """True when a selection's retention figures are hidden: fewer than `k` people at the
    period's end (`retention_summary`'s headcount_end), the rule every bucket of the charts
    follows (`_counted`), so a tile never shows what its chart hides: a team of five that lost
    one is four, and its attrition would name the one who left."""
    return (summary.get("headcount_end") or 0) < k


def _counted(frame: pd.DataFrame) -> pd.DataFrame:
    """The people a group-bucket's attrition is judged on for the threshold: the fewer of those
    employed over its trailing year (`people`) and those at its end (`headcount_end`), so a team
    of four at the end is never shown, whoever worked there during the year."""
    return frame.assign(
        counted=np.fmin(frame["people"].astype("float64"), frame["headcount_end"].astype("float64"))
    )


def group_summary(con: duckdb.DuckDBPyConnection, scope: Scope, group: str) -> pd.DataFrame:
    """One row per group over the period: headcount_end (at the period end), hires and
    separations in the period (total, voluntary, regretted), attrition_rate_ttm,
    voluntary_attrition_rate_ttm and regretted_attrition_rate_ttm at the period end, people
    behind them and `suppressed_reason`; largest headcount first."""
    whole = Scope(scope.start, scope.end, "quarter", scope.teams)
    frame = query_df(con, "retention/attrition_by_group_period", params(whole, group=group))
    if frame.empty:
        return frame.assign(suppressed_reason=pd.Series(dtype="object"))
    sums = frame.groupby("group", as_index=False)[
        ["hires", "separations", "voluntary_separations", "involuntary_separations", "regretted_separations"]
    ].sum()
    last = frame[frame["period"] == frame["period"].max()].drop(columns=sums.columns.drop("group"))
    merged = last.merge(sums, on="group").sort_values(["headcount_end", "group"], ascending=[False, True])
    merged = merged.drop(columns=["period", "bucket_start", "bucket_end", "days"]).reset_index(drop=True)
    return suppress(_counted(merged), "counted", ATTRITION_FIGURES, threshold(con)).drop(columns="counted")


def one_on_one_coverage(con: duckdb.DuckDBPyConnection, scope: Scope, group: str = "all") -> pd.DataFrame:
    """One row per group per bucket: active employees at the bucket's end, with_manager,
    covered (a manager and a one-on-one in the 30 days before the bucket's end),
    one_on_one_coverage (covered ÷ active, 0–1) and `suppressed_reason` (fewer active
    people than the threshold). Empty when no one-on-ones were loaded at all."""
    if group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS}, not {group!r}")
    if not con.execute("select count(*) from one_on_ones").fetchone()[0]:
        return pd.DataFrame(
            columns=[
                "period",
                "bucket_end",
                "group",
                "active",
                "with_manager",
                "covered",
                "one_on_one_coverage",
            ]
        ).assign(suppressed_reason=pd.Series(dtype="object"))
    frame = query_df(con, "retention/one_on_one_coverage", params(scope, group=group))
    return suppress(frame, "active", ("with_manager", "covered", "one_on_one_coverage"), threshold(con))


def has_employees(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any employee row was loaded at all (no data is not zero people)."""
    return bool(con.execute("select exists (select 1 from employees)").fetchone()[0])
