"""The aggregates behind each chart of the Skills & capabilities page, one function each.

Every function takes `(con, scope)` (plus, for some, a plain choice) and returns small
frames and facts, never raw rows, so the page, the board pack and the tests draw the
same chart from the same numbers (`lib.charts.skills` builds the figures). Trends cover
at least the twelve months ending with the period (`trend_window`); the skills matrix
is a snapshot of the people active at the period end. With more than MAX_TEAMS teams in
scope, team charts show orgs instead (one row per team is unreadable beyond that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd

from lib.anonymity import threshold
from lib.scope import Scope
from lib.sql import query_rows
from lib.views import buckets, data_span, delivery, skills, skills_ai, skills_learning, skills_matrix
from lib.views.delivery_detail import trend_window

MAX_TEAMS = 24
ADOPTION_DAYS = 28  # the catalog's AI adoption window
LEAD_TIME_LOOKBACK_DAYS = 182


def team_unit(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """ "team", or "org" when the scope holds more than MAX_TEAMS teams of several orgs."""
    rows = query_rows(con, "delivery/teams_in_scope", scope.params())
    teams = {r[0] for r in rows}
    orgs = {r[1] for r in rows}
    return "org" if len(teams) > MAX_TEAMS and len(orgs) > 1 else "team"


def matrix(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{unit, cells (lib.views.skills_matrix.heatmap; hidden cells only where there is a target),
    skills (column order: most people rated first), threshold, as_of (date)}."""
    unit = team_unit(con, scope)
    cells = skills_matrix.heatmap(con, scope, unit)
    # a hidden cell says something only where the unit needs the skill
    cells = cells[~cells["hidden"] | cells["has_target"]].reset_index(drop=True)
    order = cells.groupby("skill")["people_rated"].sum().sort_values(ascending=False, kind="stable")
    return {
        "unit": unit,
        "cells": cells,
        "skills": list(order.index),
        "threshold": threshold(con),
        "as_of": scope.end - dt.timedelta(days=1),
    }


def risks(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{by_skill (lib.views.skills_matrix.risks_by_skill), gaps, single_holders (team ×
    skill rows: team, skill, team_target / people_rated), teams (in scope with skills data)}.

    `people_rated` is text: the count of people who rated the skill, or "fewer than k" under
    the anonymity threshold k, since a gap or a single holder among two raters says where
    each of them stands (the heatmap hides the same cells)."""
    cells = skills_matrix.team_skill_cells(con, scope)
    k = threshold(con)
    rated = cells["people_rated"].map(lambda n: f"{n:.0f}" if n >= k else f"fewer than {k}")
    cells = cells.assign(people_shown=rated)
    gaps = cells.loc[cells["coverage_gap"], ["team", "skill", "team_target", "people_shown"]]
    single = cells.loc[cells["single_holder"], ["team", "skill", "people_shown"]]
    shown = {"people_shown": "people_rated"}
    return {
        "by_skill": skills_matrix.risks_by_skill(con, scope, cells),
        "gaps": gaps.rename(columns=shown).sort_values(["team", "skill"], ignore_index=True),
        "single_holders": single.rename(columns=shown).sort_values(["team", "skill"], ignore_index=True),
        "teams": int(cells.loc[cells["people_rated"] > 0, "team"].nunique()),
        "as_of": scope.end - dt.timedelta(days=1),
    }


def learning(con: duckdb.DuckDBPyConnection, scope: Scope, by: str = "team") -> dict:
    """{unit, window (Scope), units (per unit and bucket, lib.views.skills_learning),
    total (the whole scope per bucket)}; `by` is "team" (orgs beyond MAX_TEAMS), "org"
    or "location"."""
    window = trend_window(scope)
    unit = team_unit(con, scope) if by == "team" else by
    return {
        "unit": unit,
        "window": window,
        "units": skills_learning.learning_by_period(con, window, unit),
        "total": skills_learning.learning_by_period(con, window, "all"),
    }


def experiments(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{window, by_period (experiment rows per bucket, whole scope), runs (per experiment,
    over the trend window: lib.views.skills_learning.experiments)}."""
    window = trend_window(scope)
    total = skills_learning.learning_by_period(con, window, "all")
    return {
        "window": window,
        "by_period": total[["period", "bucket_start", "bucket_end", "experiments", "hidden"]],
        "runs": skills_learning.experiments(con, window),
    }


def _marked(con: duckdb.DuckDBPyConnection, window: Scope, frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """`lib.views.buckets.mark` with every figure but headcount fed by `source`."""
    keep = buckets.BUCKET_COLUMNS + ("headcount_end", "hidden", "hidden_reason")  # not figures
    columns = {source: tuple(c for c in frame.columns if c not in keep)}
    return buckets.mark(frame, window, data_span.scope_spans(con, window), columns)


def ai_adoption(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{window, frame: lib.views.skills_ai.adoption_by_period over the trend window, whole scope,
    marked (`lib.views.buckets.mark`), now: the catalog's AI adoption over the chosen period
    (the page tile's value, which the title ends on)}."""
    window = trend_window(scope)
    frame = _marked(con, window, skills_ai.adoption_by_period(con, window, "all"), "ai_usage")
    return {"window": window, "frame": frame, "now": _now(con, scope, "ai_usage", "ai_adoption_rate")}


def _now(con: duckdb.DuckDBPyConnection, scope: Scope, source: str, key: str):
    """The tile's value for a title to end on, None when a week or more of the period has
    none of `source`'s data (as `lib.metrics.title_value`)."""
    if data_span.notes(con, scope)[source]:
        return None
    return skills.skills_summary(con, scope)[key]


def ai_tools(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{window, frame: adoption_by_period per tool over the trend window}."""
    window = trend_window(scope)
    return {"window": window, "frame": skills_ai.adoption_by_period(con, window, "tool")}


def ai_teams(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{unit, start, end, frame}: per team (or org) over the period's last 28 days, the
    daily-mean active and engaged users and seats (over days with data), headcount at the
    end and each as a share of it; units with people but no usage have 0 active users; a unit
    under the anonymity threshold has only its `hidden_reason` (`skills_ai.hide_small_units`)."""
    unit = team_unit(con, scope)
    last = replace(
        scope, start=max(scope.start, scope.end - dt.timedelta(days=ADOPTION_DAYS)), grain="quarter"
    )
    frame = skills_ai.adoption_by_period(con, last, unit)
    rows = []
    for name, part in frame.groupby("unit"):
        days = part["days_with_data"].astype(float)
        weight = days.sum()

        def mean(column: str, part=part, days=days, weight=weight) -> float | None:
            values = part[column].astype(float).fillna(0)
            return float((values * days).sum() / weight) if weight else None

        if part["hidden"].any():  # under the anonymity threshold in a bucket of the window: no figure
            reason = part["hidden_reason"].dropna().iloc[0]
            rows.append({"unit": name, "days_with_data": int(weight), "hidden_reason": reason})
            continue
        headcount = int(part.sort_values("period")["headcount_end"].iloc[-1])
        rows.append(
            {
                "unit": name,
                "days_with_data": int(weight),
                "active_users": mean("active_users_daily_mean"),
                "engaged_users": mean("engaged_users_daily_mean"),
                "seats": mean("seats_daily_mean") if part["seats_daily_mean"].notna().any() else None,
                "headcount": headcount,
                "hidden_reason": None,
            }
        )
    columns = [
        "unit",
        "days_with_data",
        "active_users",
        "engaged_users",
        "seats",
        "headcount",
        "hidden_reason",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["headcount"] = out["headcount"].astype("float64")
    for column in ("active_users", "engaged_users", "seats"):
        out[f"{column}_share"] = out[column].astype(float) / out["headcount"].where(out["headcount"] > 0)
    return {"unit": unit, "start": last.start, "end": last.end, "frame": out}


def ai_by_team(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{unit, window, adoption (per team or org and bucket: lib.views.skills_ai.adoption_by_period),
    prs (the same units: pr_share_by_period)} over the trend window."""
    window = trend_window(scope)
    unit = team_unit(con, scope)
    return {
        "unit": unit,
        "window": window,
        "adoption": skills_ai.adoption_by_period(con, window, unit),
        "prs": skills_ai.pr_share_by_period(con, window, unit),
    }


def ai_prs(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{window, frame: lib.views.skills_ai.pr_share_by_period over the trend window, marked,
    now: the catalog's AI-assisted PR share over the chosen period (the tile's)}."""
    window = trend_window(scope)
    frame = _marked(con, window, skills_ai.pr_share_by_period(con, window, "all"), "pull_requests")
    return {
        "window": window,
        "frame": frame,
        "now": _now(con, scope, "pull_requests", "ai_assisted_pr_share"),
    }


def ai_delivery(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{unit, frame: lib.views.skills_ai.delivery_before_after, share, window_days,
    min_deployments, end}."""
    unit = team_unit(con, scope)
    return {
        "unit": unit,
        "frame": skills_ai.delivery_before_after(con, scope, unit),
        "share": skills_ai.ADOPTION_SHARE,
        "window_days": skills_ai.WINDOW_DAYS,
        "min_deployments": skills_ai.MIN_DEPLOYMENTS,
        "end": scope.end - dt.timedelta(days=1),
    }


def ai_lead_time(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """{window, frame, now}: per bucket, the median change lead time (hours) with its successful
    deployments and `partial` flag, and the AI adoption rate (daily active ÷ headcount); `now`
    the tile's AI adoption over the chosen period. The window reaches
    back to half a year before the first AI usage (at most three years), so the chart
    shows delivery before AI as well as after."""
    window = trend_window(scope)
    first = con.execute("select min(date) from ai_usage_resolved where date < ?", [scope.end]).fetchone()[0]
    if first is not None:  # from half a year before AI arrived, so the chart shows before and after
        earliest = max(
            first - dt.timedelta(days=LEAD_TIME_LOOKBACK_DAYS), scope.end - dt.timedelta(days=3 * 365)
        )
        window = trend_window(replace(scope, start=min(window.start, earliest)))
    dora = delivery.dora_by_period(con, window)[
        ["period", "lead_time_hours_p50", "successful_deployments", "partial"]
    ]
    ai = skills_ai.adoption_by_period(con, window, "all")[["period", "ai_adoption_rate", "days_with_data"]]
    frame = dora.merge(ai, on="period", how="outer").sort_values("period")
    return {"window": window, "frame": frame, "now": _now(con, scope, "ai_usage", "ai_adoption_rate")}
