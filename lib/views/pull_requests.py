"""Pull request cycle time, broken into the stages a change waits in.

- coding: first commit → PR opened. PR exports carry no commit times, so it is not
  computed (the page says so);
- pickup: PR opened → first human review (`first_review_at`, set on import by
  `lib.ingest.reviews`: reviews by the author or by bots and AI reviewers are not reviews);
  catalog key `delivery.pr_pickup_hours_p50`;
- review: first human review → merge; catalog key `delivery.pr_review_hours_p50`;
- deploy: merge → the first successful production deployment of the service named
  like the PR's repository (`acme/ledger` → service `ledger`) at or after the merge.

Each stage is a median over the PRs merged in the period that have it; a stage whose
span runs backwards (reviewed before opened, merged before its first review) is left out
of its median (SPEC §4) and counted in `backwards_prs`. Medians of stages do not add up
to the median of the whole.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import buckets, data_span, params, plain_dict

STAGES = (
    ("pickup_hours_p50", "Pickup", "PR opened → first human review"),
    ("review_hours_p50", "Review", "first human review → merge"),
    ("deploy_hours_p50", "Deploy", "merge → first production deployment of the repository's service"),
)


def pr_cycle(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Medians of each stage (hours) over PRs merged in scope, with the counts behind them:
    merged_prs, reviewed_prs, deployed_prs, ai_known_prs, ai_assisted_prs, backwards_prs,
    pickup_hours_p50, review_hours_p50, deploy_hours_p50, open_to_merge_hours_p50."""
    row = plain_dict(query_one(con, "delivery/pr_cycle", params(scope, by_period=False)))
    row.pop("period")
    return row


def pr_cycle_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Per bucket (by merge date): PRs merged, reviewed, deployed, and each stage's median hours,
    marked (`lib.views.buckets.mark`: outside the pull requests' span every figure is null)."""
    frame = query_df(con, "delivery/pr_cycle", params(scope, by_period=True))
    columns = {"pull_requests": tuple(c for c in frame.columns if c != "period")}
    return buckets.mark(frame, scope, data_span.scope_spans(con, scope), columns)
