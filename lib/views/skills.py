"""Skills and capabilities: bus-factor risks, learning hours and AI adoption (SPEC §5),
and AI adoption over time.

AI adoption divides a daily mean of active users by headcount: a tool reaches people,
so the denominator is people in scope at the period's end, not seats bought.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import one_row, params


def skills_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `skills.*` catalog key plus the counts behind them."""
    return one_row(con, "skills/skills", params(scope))


def ai_adoption_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: daily-mean active and engaged users (summed over
    teams and tools, over days with data), suggestions, acceptances, acceptance rate,
    headcount at the bucket's end and adoption rate (active users ÷ that headcount)."""
    return query_df(con, "skills/ai_adoption_by_period", params(scope))
