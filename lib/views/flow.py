"""Flow Framework metrics: how much work finishes, how long it takes, how much waits.

Velocity, time, load and distribution over features / defects / risks / debts, and
flow efficiency where status history exists (SPEC §5); METRICS.md has the exact rules.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.memo import shared
from lib.scope import Scope
from lib.sql import query_df
from lib.views import buckets, data_span, one_row, params

WORK_TYPES = ("feature", "defect", "risk", "debt")


@shared
def flow_summary(con: duckdb.DuckDBPyConnection, scope: Scope, gaps: dict | None = None) -> dict:
    """Every `flow.*` catalog key over the scope, `distribution` nested by work type, and
    `gap`: why the period has no work item data (`lib.views.data_span.gap`; every key is
    then null), else None. `gaps`: `data_span.gaps` for the same scope, when the caller has it."""
    row = one_row(con, "flow/flow", params(scope))
    gap = (gaps if gaps is not None else data_span.gaps(con, scope))["work_items"]
    if gap:  # a period outside the work items' span has no flow data: null, never 0
        row = {key: None if key != "items_with_history" else value for key, value in row.items()}
    return {
        "velocity": row["velocity"],
        "velocity_per_week": row["velocity_per_week"],
        "time_days_p50": row["time_days_p50"],
        "load": row["load"],
        "distribution": {t: row[f"distribution_{t}"] for t in WORK_TYPES},
        "efficiency": row["efficiency"],
        "items_with_history": row["items_with_history"],
        "gap": gap,
    }


def flow_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: velocity (and per week over the bucket's days in
    the period), median flow time, load at the bucket's end, distribution shares and
    flow efficiency of the items completed in the bucket; `partial` and `no_data`
    (`lib.views.buckets.mark`: outside the work items' span every figure is null)."""
    return mark_work(con, scope, query_df(con, "flow/flow_by_period", params(scope)))


def mark_work(con: duckdb.DuckDBPyConnection, scope: Scope, frame: pd.DataFrame, unit: str | None = None):
    """`buckets.mark` for a frame of work item figures: every column but the bucket's own is
    fed by work items (per team or org when `unit` is given)."""
    columns = {"work_items": tuple(c for c in frame.columns if c not in buckets.BUCKET_COLUMNS + ("type",))}
    if unit:
        return buckets.mark(frame, scope, columns=columns, unit_spans=data_span.spans(con, scope, unit))
    return buckets.mark(frame, scope, data_span.scope_spans(con, scope), columns)
