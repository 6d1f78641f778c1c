"""Business alignment: revenue, R&D spend, investment mix and unit economics (SPEC §5),
and business metrics by period next to engineering output.

Business metrics carry no team: under a team filter revenue and R&D spend stay the
organisation's (context, not the team's), and the ratios that would divide them by a
team's headcount or features (revenue per engineer, cost per feature) are null.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import one_row, params

WORK_TYPES = ("feature", "defect", "risk", "debt")


def business_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `business.*` catalog key, `investment_mix` nested by work type."""
    row = one_row(con, "business/business", params(scope))
    return {
        "revenue": row["revenue"],
        "rnd_spend": row["rnd_spend"],
        "rnd_pct_revenue": row["rnd_pct_revenue"],
        "revenue_per_engineer_annualized": row["revenue_per_engineer_annualized"],
        "investment_mix": {t: row[f"investment_mix_{t}"] for t in WORK_TYPES},
        "cost_per_feature": row["cost_per_feature"],
        "capitalizable_rnd_estimate": row["capitalizable_rnd_estimate"],
        "features_completed": row["features_completed"],
        "average_headcount": row["average_headcount"],
    }


def business_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: revenue and R&D spend of the months starting in
    it, R&D % of revenue, revenue per engineer (annualised over the days of the months
    summed, so a week holding a month start reads that month's figure, as the month does), ARR,
    customers and company headcount (last month: stocks), ARR per employee (ARR ÷ company
    headcount), NPS and churn (mean of the months), items and features completed, the
    feature share of effort, cost per feature and the capitalisable R&D estimate (both
    organisation only, as in the catalog)."""
    return query_df(con, "business/business_by_period", params(scope))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def business_months(scope: Scope) -> Scope | None:
    """The whole months of a period: the months that start and end inside it, from its first
    month start to the last month start on or before its end (None when no whole month fits).

    Business metrics are monthly and count when their month starts in the period (SPEC §5),
    while annualised ratios divide by the period's days: 3 Aug – 31 Oct holds two month
    starts in 90 days and would read a third low. A month the period only begins (7 Sep –
    5 Dec and its December) would set a whole month's revenue and spend against five days
    of output. The page's money figures use these whole months (labelled so); for a
    month-aligned period they equal the catalog's.
    """
    first = scope.start if scope.start.day == 1 else _add_months(scope.start, 1)
    end = scope.end.replace(day=1)  # the end of the last month that ends within the period
    if end <= first:
        return None
    return replace(scope, start=first, end=end)


def previous_months(months: Scope) -> Scope:
    """The same number of whole months just before (Sep–Oct → Jul–Aug)."""
    count = (months.end.year - months.start.year) * 12 + months.end.month - months.start.month
    return replace(months, start=_add_months(months.start, -count), end=months.start)


TREND_MONTHS = 12


def business_trend(scope: Scope) -> Scope:
    """The window trends cover: the period's whole months, widened to the 12 months ending
    with them when shorter (a trend of two points says nothing), at a monthly grain when the
    chosen grain is weekly."""
    months = business_months(scope) or scope
    start = min(months.start, _add_months(months.end.replace(day=1), -TREND_MONTHS))
    return business_scope(replace(months, start=start))


def business_scope(scope: Scope) -> Scope:
    """The scope business charts use: the period's whole months (`business_months`, else the
    period itself), at a monthly grain when the chosen grain is weekly (a week holds no
    month's revenue or spend); month and quarter stay."""
    months = business_months(scope) or scope
    return replace(months, grain="month") if months.grain == "week" else months


def currency(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """(currency code, stated) of the money business metrics: the unit most of their rows
    carry, else ("USD", False) when no file stated one."""
    row = con.execute(
        """
        select mode(upper(trim(unit))) from business_metrics
        where lower(trim(metric)) in ('revenue', 'arr', 'rnd_spend', 'mrr')
          and nullif(trim(unit), '') is not null and unit <> '%'
        """
    ).fetchone()
    return (row[0], True) if row and row[0] else ("USD", False)


def has_business_data(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """Which business inputs are loaded: metrics, R&D spend, revenue, initiatives, rate card."""
    row = con.execute(
        """
        select
            (select count(*) from business_metrics) > 0,
            (select count(*) from business_metrics where lower(trim(metric)) = 'rnd_spend') > 0,
            (select count(*) from business_metrics where lower(trim(metric)) = 'revenue') > 0,
            (select count(*) from initiatives) > 0,
            (select count(*) from engineer_costs where annual_cost is not null) > 0,
            (select count(*) from business_metrics where lower(trim(metric)) = 'company_headcount') > 0,
            (select count(*) from employees where nullif(trim(team), '') is not null) > 0
        """
    ).fetchone()
    keys = ("metrics", "rnd_spend", "revenue", "initiatives", "rate_card", "company_headcount", "employees")
    return dict(zip(keys, (bool(v) for v in row), strict=True))


def capitalisation_by_period(con: duckdb.DuckDBPyConnection, scope: Scope, choice) -> pd.DataFrame:
    """One row per month or quarter: `period`, `rnd_spend`, `feature_share` (of effort),
    `candidate_pool` (= rnd_spend × feature_share, the catalog's capitalisable estimate),
    `policy_share` (the share of feature work past the policy's threshold, `choice`: a
    lib.views.business_settings.PolicyChoice), `estimate` = pool × policy share, `expensed`
    = rnd_spend − estimate, and `regime` (the rule the period falls under). Organisation
    only: null estimates under a team filter, as in the catalog."""
    from lib.views.business_policies import regime

    frame = business_by_period(con, business_scope(scope))
    share = choice.effective_share
    out = pd.DataFrame(
        {"period": frame["period"], "rnd_spend": frame["rnd_spend"], "feature_share": frame["feature_share"]}
    )
    out["candidate_pool"] = frame["capitalizable_rnd_estimate"]
    out["policy_share"] = share
    out["estimate"] = out["candidate_pool"] * share
    out["expensed"] = out["rnd_spend"] - out["estimate"]
    out["regime"] = [
        regime(choice.policy, pd.Timestamp(p).date(), choice.asu_2025_06_early) for p in out["period"]
    ]
    return out
