"""Pull request cycle time, broken into the stages a change waits in.

- coding: first commit → PR opened. PR exports carry no commit times, so it is not
  computed (the page says so);
- pickup: PR opened → first review by someone other than the author;
- review: first review → merge;
- deploy: merge → the first successful production deployment of the service named
  like the PR's repository (`acme/ledger` → service `ledger`) at or after the merge.

Each stage is a median over the PRs merged in the period that have it; medians of
stages do not add up to the median of the whole.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import params, plain_dict

STAGES = (
    ("pickup_hours_p50", "Pickup", "PR opened → first review by someone else"),
    ("review_hours_p50", "Review", "first review → merge"),
    ("deploy_hours_p50", "Deploy", "merge → first production deployment of the repository's service"),
)


def pr_cycle(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Medians of each stage over PRs merged in scope, with the counts behind them."""
    row = plain_dict(query_one(con, "delivery/pr_cycle", params(scope, by_period=False)))
    row.pop("period")
    return row


def pr_cycle_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per bucket (by merge date): PRs merged, reviewed, deployed, and each stage's median hours."""
    return query_df(con, "delivery/pr_cycle", params(scope, by_period=True))
