"""Incidents by severity and service, and by period: where production hurts, and how often."""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import params


def incidents_by_service(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per service and severity: incidents started in scope, resolved, median hours to restore service (backwards spans left out)."""
    return query_df(con, "delivery/incidents_by_service", params(scope))


def incidents_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per bucket and severity: incidents started in the bucket (0 when none)."""
    return query_df(con, "delivery/incidents_by_period", params(scope))
