"""Retention and development: headcount, hires, separations, annualised attrition,
tenure and promotions (SPEC §5), and headcount over time.

Headcount at a date counts employees with hire_date <= date and no termination_date
<= date; the period's "end" date is its exclusive bound (see METRICS.md).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import one_row, params


def retention_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `retention.*` catalog key plus the counts behind the rates."""
    return one_row(con, "retention/retention", params(scope))


def headcount_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket (clipped to the period): headcount at the bucket's
    start and end, hires, separations (total, voluntary, regretted) and attrition
    annualised over the bucket's days, so months and quarters compare."""
    return query_df(con, "retention/headcount_by_period", params(scope))
