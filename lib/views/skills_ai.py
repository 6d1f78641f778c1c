"""AI adoption and what it did to delivery: usage over time by tool, team or org, the
AI-assisted share of pull requests, and the DORA keys before and after each team adopted.

Adoption date (METRICS.md, "AI against delivery"): the first week (Monday to Sunday) in
which a team's highest daily count of active AI users, summed over tools, reached
ADOPTION_SHARE of the team's headcount at the week's end. The highest day is a lower
bound on the people active that week; the usage exports give no weekly distinct count.
Before and after windows are equal: WINDOW_DAYS each, shortened to the days between the
adoption week and the period end when fewer. A side with fewer than MIN_DEPLOYMENTS
production deployments, or windows shorter than MIN_WINDOW_DAYS, is too little data:
the page says so instead of drawing a bar.

The figures are the DORA keys of `lib/sql/delivery/dora.sql` over each window (the same
production and failure rules; a unit test holds them equal to `delivery.dora_summary`).
They show what changed around adoption, not what adoption caused: see CAVEATS.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_df
from lib.views import params
from lib.views.skills_privacy import suppress

ADOPTION_SHARE = 0.5
WINDOW_DAYS = 84
MIN_WINDOW_DAYS = 28
MIN_DEPLOYMENTS = 10
ORG_TEAM = "(all teams)"  # the team of organisation-level AI rows (Copilot exports without teams)

# (column, label, unit, higher is better)
DELIVERY_KEYS = (
    ("lead_time_hours_p50", "Change lead time (median)", "hours", False),
    ("deployments_per_week", "Deployments per week", "per week", True),
    ("change_failure_rate", "Change failure rate", "%", False),
    ("rework_rate", "Rework rate", "%", False),
)

DORA_2024_AI = (
    "DORA's 2024 Accelerate State of DevOps report (Google Cloud, about 3,000 respondents) found "
    "that a 25% increase in AI adoption went with an estimated 1.5% drop in delivery throughput "
    "and 7.2% drop in delivery stability, while individual productivity rose 2.1%; its 2025 "
    "report (State of AI-assisted Software Development) describes AI as an amplifier of a "
    "team's existing strengths and weaknesses, with higher throughput but still more instability."
)
CAVEATS = (
    "Before and after is a correlation, not proof: tooling, staffing, process and the product "
    "changed over the same weeks, and every team improves or slips for its own reasons.",
    "Small samples: each figure states the deployments behind it; a median over a few dozen "
    "deployments moves a lot with a handful of changes.",
    DORA_2024_AI,
)


def adoption_by_period(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "all") -> pd.DataFrame:
    """One row per unit per `scope.grain` bucket of AI usage.

    `unit`: "all" (one row per bucket, unit "All teams"), "tool", "team" or "org".
    Columns: unit, period, bucket_start, bucket_end, days, days_with_data,
    active_users_daily_mean, engaged_users_daily_mean, seats_daily_mean (people; daily
    means over days with data, summed over the unit's teams and tools), suggestions,
    acceptances (counts), acceptance_rate (0–1), headcount_end (people in the unit at the
    bucket's end; for a tool, everyone in scope), ai_adoption_rate, engaged_rate (each ÷
    headcount_end, null when the users outnumber it: `lib.views.people_share`),
    ai_users_exceed_headcount, seats_per_head (÷ headcount_end), hidden and hidden_reason (the
    people figures of a unit and bucket under the anonymity threshold are blank:
    `hide_small_units`; a tool's rows when the whole selection is). Organisation-level rows (team "(all teams)")
    count for "all" and "tool" only. Raises ValueError for another unit.
    """
    frame = adoption_counts(con, scope, unit)
    # a tool's row counts everyone in scope: hidden only when the whole selection is under k
    return hide_small_units(frame, threshold(con), complementary=unit in ("team", "org"))


def adoption_counts(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "all") -> pd.DataFrame:
    """`adoption_by_period`'s rows before the anonymity threshold: for computations that show
    no unit's figure themselves (and for tests of the arithmetic on small teams)."""
    _check_unit(unit, ("all", "tool", "team", "org"))
    return query_df(con, "skills/ai_by_unit_period", params(scope, unit=unit))


PEOPLE_FIGURES = (
    "active_users_daily_mean", "engaged_users_daily_mean", "seats_daily_mean", "headcount_end",
    "ai_adoption_rate", "engaged_rate", "seats_per_head",
)  # fmt: skip


def hide_small_units(frame: pd.DataFrame, k: int, complementary: bool) -> pd.DataFrame:
    """`frame` (adoption_by_period's rows) with the people figures of a unit and bucket whose
    headcount is under the anonymity threshold `k` blanked, and `hidden` / `hidden_reason`
    columns: a team of four's daily AI users tell who uses AI (a new user's review read
    "security (4)" at 17%; GitHub itself reports Copilot metrics only for 5 or more licensed
    members, REFERENCE.md §3.1). With `complementary` (teams or orgs beside the organisation's
    total), per bucket the hidden units pool at least k people (`lib.views.skills_privacy`).
    Not covered yet: a unit with people but no usage row in a bucket has no row here, so it
    does not count toward that pool (the organisation's total minus the shown units then
    gives its users: 0)."""
    out = suppress(frame, "headcount_end", k, by=["period"], complementary=complementary)
    for column in PEOPLE_FIGURES:
        if column in out:
            out[column] = out[column].astype("float64").where(~out["hidden"])
    return out


def pr_share_by_period(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str = "all") -> pd.DataFrame:
    """One row per unit ("all", "team" or "org") per bucket: merged_prs, prs_with_ai_flag,
    ai_assisted_prs (counts) and ai_assisted_pr_share (0–1, null without the flag)."""
    _check_unit(unit, ("all", "team", "org"))
    return query_df(con, "skills/ai_pr_share_by_unit_period", params(scope, unit=unit))


def delivery_before_after(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    unit: str = "team",
    share: float = ADOPTION_SHARE,
    window_days: int = WINDOW_DAYS,
) -> pd.DataFrame:
    """One row per unit (team or org) in scope: its adoption week and the DORA keys in the
    windows before and after, with the deployments behind each figure.

    Columns: unit, adopted_week (date or None), peak_share (highest weekly peak of active
    users ÷ headcount, 0–1+), window_days, window starts and ends per side
    (`before_start`, `before_end`, `after_start`, `after_end`), and for each side
    (`before_` / `after_` prefix) deployments, successful_deployments, lead_time_samples,
    failed_deployments, rework_deployments (counts), deployments_per_week,
    lead_time_hours_p50 (hours), change_failure_rate, rework_rate (0–1); then `change_<key>`
    for each DELIVERY_KEYS column (relative change after vs before, None when either is
    missing or before is 0), `enough_data` (bool) and `reason` (why not, in words).
    Windows end by `scope.end`; `scope.start` is not used (adoption needs history).
    """
    _check_unit(unit, ("team", "org"))
    raw = query_df(
        con, "skills/ai_delivery_windows", params(scope, unit=unit, share=share, window_days=window_days)
    )
    return _before_after(raw, share)


def _before_after(raw: pd.DataFrame, share: float) -> pd.DataFrame:
    measures = [
        "window_start",
        "window_end",
        "deployments",
        "successful_deployments",
        "deployments_per_week",
        "lead_time_hours_p50",
        "lead_time_samples",
        "failed_deployments",
        "change_failure_rate",
        "rework_deployments",
        "rework_rate",
    ]
    units = raw.drop_duplicates("unit")[["unit", "adopted_week", "peak_share", "window_days"]]
    out = units.set_index("unit")
    for side in ("before", "after"):
        part = raw[raw["side"] == side].set_index("unit")[measures]
        part.columns = [f"{side}_{c}".replace("_window_", "_") for c in part.columns]
        out = out.join(part)
    out = out.reset_index()
    for column in ("adopted_week", "before_start", "before_end", "after_start", "after_end"):
        out[column] = pd.Series([_day(v) for v in out[column]], dtype="object")
    for key, *_ in DELIVERY_KEYS:
        before, after = out[f"before_{key}"].astype(float), out[f"after_{key}"].astype(float)
        change = (after - before) / before.abs()
        out[f"change_{key}"] = change.where(np.isfinite(change))
    reasons = [_reason(row, share) for row in out.itertuples()]
    out["reason"] = pd.Series(reasons, dtype="object")
    out["enough_data"] = [r is None for r in reasons]
    return out.sort_values(["enough_data", "unit"], ascending=[False, True], ignore_index=True)


def _day(value):
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _reason(row, share: float) -> str | None:
    if row.adopted_week is None:
        if pd.isna(row.peak_share):
            return "no AI usage recorded"
        return f"never reached {share:.0%} of its headcount (peak {row.peak_share:.0%})"
    if row.window_days < MIN_WINDOW_DAYS:
        return f"adopted {row.window_days} days before the period end; needs {MIN_WINDOW_DAYS}"
    fewest = min(row.before_deployments, row.after_deployments)
    if fewest < MIN_DEPLOYMENTS:
        return (
            f"{row.before_deployments:.0f} deployments before and {row.after_deployments:.0f} after; "
            f"needs {MIN_DEPLOYMENTS} on each side"
        )
    return None


def _check_unit(unit: str, allowed: tuple[str, ...]) -> None:
    if unit not in allowed:
        raise ValueError(f"unit must be one of {', '.join(allowed)}, not {unit!r}")
