"""Business alignment: revenue, R&D spend, investment mix and unit economics (SPEC §5),
and business metrics by period next to engineering output.

Business metrics carry no team: under a team filter revenue and R&D spend stay the
organisation's (context, not the team's), and the ratios that would divide them by a
team's headcount or features (revenue per engineer, cost per feature) are null.
"""

from __future__ import annotations

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
    it, R&D % of revenue, revenue per engineer (annualised over the bucket's days), ARR,
    customers and company headcount (last month: stocks), ARR per employee (ARR ÷ company
    headcount), NPS and churn (mean of the months), items and features completed, the
    feature share of effort, cost per feature and the capitalisable R&D estimate (both
    organisation only, as in the catalog)."""
    return query_df(con, "business/business_by_period", params(scope))


def business_scope(scope: Scope) -> Scope:
    """The scope business charts use: business metrics are monthly, so a weekly grain becomes
    monthly (a week holds no month's revenue or spend); month and quarter stay."""
    return replace(scope, grain="month") if scope.grain == "week" else scope


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
            (select count(*) from business_metrics where lower(trim(metric)) = 'company_headcount') > 0
        """
    ).fetchone()
    keys = ("metrics", "rnd_spend", "revenue", "initiatives", "rate_card", "company_headcount")
    return dict(zip(keys, (bool(v) for v in row), strict=True))
