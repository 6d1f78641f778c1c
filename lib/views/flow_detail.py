"""Flow detail for the Delivery page: the spread of flow time, work by type over time,
and each team's or org's own flow trend. Aggregates only: quantiles and counts, never item rows."""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import params, plain_dict


def flow_time_spread(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """10th, 25th, 50th, 75th and 90th percentile of flow time (days) over items completed in scope."""
    return plain_dict(query_one(con, "flow/flow_time_spread", params(scope)))


def flow_time_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per bucket: items completed and the percentiles of their flow time (days), for box plots,
    marked (`lib.views.flow.mark_work`)."""
    from lib.views.flow import mark_work

    return mark_work(con, scope, query_df(con, "flow/flow_time_by_period", params(scope)))


def flow_time_histogram(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Items completed in scope per flow-time band (< 1 day … 40+ days) and work type."""
    return query_df(con, "flow/flow_time_histogram", params(scope))


def completed_by_type_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per bucket and work type: items completed, per week of the bucket, and share of the bucket,
    marked (`lib.views.flow.mark_work`)."""
    from lib.views.flow import mark_work

    return mark_work(con, scope, query_df(con, "flow/completed_by_type_period", params(scope)))


def flow_by_unit_period(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str) -> pd.DataFrame:
    """One row per team or org (`unit`) per bucket: flow velocity per week and median flow time,
    marked per unit (`lib.views.flow.mark_work`)."""
    if unit not in ("team", "org"):
        raise ValueError(f"unit must be 'team' or 'org', not {unit!r}")
    from lib.views.flow import mark_work

    return mark_work(con, scope, query_df(con, "flow/flow_by_unit_period", params(scope, unit=unit)), unit)
