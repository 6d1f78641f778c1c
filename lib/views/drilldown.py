"""The rows behind a delivery number, so it can be checked before it goes in front of a board.

A drill-down names a metric, a period (usually one bucket of a trend) and teams; it
returns the newest rows (at most `limit`) with their ids and the fields the number is
computed from, plus the total count. Rows carry ids, services, teams and times, never a
person: pull requests are listed without their author.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import params

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class Drill:
    label: str
    query: str
    subset: str
    source: str  # the table the rows come from
    explains: str


DRILLS: dict[str, Drill] = {
    d.label: d
    for d in (
        Drill(
            "Deployments",
            "delivery/drill_deployments",
            "all",
            "deployments",
            "Production deployments in the period (status success or rollback): deployment frequency "
            "counts the successful ones.",
        ),
        Drill(
            "Failed deployment runs",
            "delivery/drill_deployments",
            "failed_runs",
            "deployments",
            "Production runs that failed: they never reached production, so they are neither "
            "deployments nor change failures.",
        ),
        Drill(
            "Change lead time",
            "delivery/drill_deployments",
            "lead_time",
            "deployments",
            "Successful production deployments with a commit time: the median of lead_time_hours "
            "(empty where the commit is after the deployment: that span runs backwards).",
        ),
        Drill(
            "Change failure rate",
            "delivery/drill_deployments",
            "failed",
            "deployments",
            "Production deployments that were rolled back, or that an incident names as its cause.",
        ),
        Drill(
            "Rework rate",
            "delivery/drill_deployments",
            "rework",
            "deployments",
            "Production deployments marked as rework (hotfix or rollback fix).",
        ),
        Drill(
            "Time to restore and incidents",
            "delivery/drill_incidents",
            "all",
            "incidents",
            "Incidents started in the period: time to restore service is the median of recovery_hours "
            "(empty where an incident is unresolved, or resolved before it started).",
        ),
        Drill(
            "Incidents naming no deployment",
            "delivery/drill_incidents",
            "without_deploy",
            "incidents",
            "Incidents started in the period that name no deployment: the change failure rate cannot "
            "count them.",
        ),
        Drill(
            "Completed work items",
            "flow/drill_items",
            "completed",
            "work_items",
            "Items completed in the period: flow velocity, flow time and distribution.",
        ),
        Drill(
            "Work in progress (flow load)",
            "flow/drill_items",
            "in_progress",
            "work_items",
            "Items started (or created) before the period end and neither completed nor canceled by then.",
        ),
        Drill(
            "Pull requests",
            "delivery/drill_pull_requests",
            "all",
            "pull_requests",
            "Pull requests merged in the period, with pickup and review hours (authors not shown).",
        ),
    )
}


def rows_behind(
    con: duckdb.DuckDBPyConnection, scope: Scope, metric: str, limit: int | None = DEFAULT_LIMIT
) -> tuple[pd.DataFrame, int]:
    """The newest rows behind `metric` over `scope` (at most `limit`; every row with None) and
    how many there are."""
    drill = DRILLS[metric]
    row_limit = None if limit is None else int(limit)
    frame = query_df(con, drill.query, params(scope, subset=drill.subset, row_limit=row_limit))
    total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="total_rows"), total
