"""Business alignment: revenue, R&D spend, investment mix and unit economics (SPEC §5),
and business metrics by period next to engineering output.

Business metrics carry no team: under a team filter revenue and R&D spend stay the
organisation's (context, not the team's), and the ratios that would divide them by a
team's headcount or features (revenue per engineer, cost per feature) are null.
"""

from __future__ import annotations

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
        "features_completed": row["features_completed"],
        "average_headcount": row["average_headcount"],
    }


def business_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: revenue and R&D spend of the months starting in
    it, R&D % of revenue, revenue per engineer (annualised over the bucket's days), ARR and
    customers (last month), NPS and churn (mean), and items and features completed."""
    return query_df(con, "business/business_by_period", params(scope))
