"""Skills and capabilities: the `skills.*` catalog keys (SPEC §5) and AI adoption over time.

People in skills and learning rows link to employees through the `person_links` view
(migration 009): by employee id or by the pseudonym of their work e-mail.

AI adoption divides a daily mean of active users by headcount: a tool reaches people,
so the denominator is people in scope at the period's end, not seats bought.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df
from lib.views import buckets, data_span, one_row, params

CATALOG_KEYS = (
    "bus_factor_risks",
    "learning_hours_per_engineer_annualized",
    "ai_adoption_rate",
    "ai_acceptance_rate",
    "ai_assisted_pr_share",
    "skill_gap_share",
    "certifications",
)


def skills_summary(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Every `skills.*` catalog key (`CATALOG_KEYS`, SPEC §5) plus the counts behind them.

    Keys: the catalog keys (fractions 0–1, hours per year, counts; None where the data
    cannot support the figure), `skills_rows`, `skills_rows_with_target`,
    `skills_rows_below_target`, `skills_recorded` (distinct skills held by active
    employees), `learning_hours`, `ai_days_with_data`, `ai_active_users_daily_mean`,
    `headcount_end`, `ai_users_exceed_headcount` (AI adoption is then null: the AI export and
    the HR data cover different people, `lib.views.people_share`), `ai_suggestions`, `ai_acceptances`, `prs_with_ai_flag`,
    `ai_assisted_prs`, `experiments` (learning rows of kind experiment in the period).
    Definitions: METRICS.md, Skills. Every value is null, with `gap` saying why, when no
    team matches the filters or the period starts after the last day of any data
    (`lib.views.data_span.beyond_data`).
    """
    row = one_row(con, "skills/skills", params(scope))
    gap = data_span.beyond_data(con, scope)
    return {**(dict.fromkeys(row) if gap else row), "gap": gap}


def ai_adoption_by_period(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per `scope.grain` bucket: daily-mean active and engaged users (summed over
    teams and tools, over days with data), suggestions, acceptances, acceptance rate,
    headcount at the bucket's end and adoption rate (active users ÷ that headcount, null
    with `ai_users_exceed_headcount` when the users outnumber it); `partial`
    and `no_data` (`lib.views.buckets.mark`: outside the AI usage span its figures are null)."""
    frame = query_df(con, "skills/ai_adoption_by_period", params(scope))
    columns = {
        "ai_usage": tuple(c for c in frame.columns if c not in buckets.BUCKET_COLUMNS + ("headcount_end",))
    }
    return buckets.mark(frame, scope, data_span.scope_spans(con, scope), columns)


def coverage(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Row counts of each skills input (table-wide, and AI team rows for the scope), so the
    page names a missing source instead of drawing zeros: skills_rows, skill_target_rows,
    learning_rows, learning_rows_in_period, ai_usage_rows, ai_team_rows, ai_org_rows,
    ai_rows_with_suggestions, ai_rows_with_seats, pull_requests, pull_requests_with_ai_flag,
    employees, deployments."""
    return one_row(con, "skills/coverage", params(scope))
