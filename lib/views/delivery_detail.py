"""Delivery page detail beyond the catalog: what data exists, and each team's own DORA trend.

`coverage` says which inputs the page has, so a missing one is named on the page
("no incident data: change failure rate counts failed deployments only") rather than
drawn as zero. `missing_data` turns it into those sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import params, plain_dict


@dataclass(frozen=True)
class Gap:
    """A piece of data the page needs and lacks: which section, and what that means."""

    section: str  # "dora", "incidents", "flow", "efficiency", "pull_requests"
    message: str


def trend_window(scope: Scope, min_days: int = 365) -> Scope:
    """The window trends are drawn over: at least `min_days` ending with the period, starting
    on a whole bucket of the grain, so a clipped first bucket never sets a trend's baseline."""
    start = min(scope.start, scope.end - dt.timedelta(days=min_days))
    if scope.grain == "week":
        start += dt.timedelta(days=(7 - start.weekday()) % 7)
    elif start.day != 1 or (scope.grain == "quarter" and (start.month - 1) % 3):
        month = start.month + 1 if start.day != 1 else start.month
        year = start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        if scope.grain == "quarter":
            month += -(month - 1) % 3
            year += (month - 1) // 12
            month = (month - 1) % 12 + 1
        start = dt.date(year, month, 1)
    return replace(scope, start=start) if start < scope.end else scope


def coverage(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Row counts of each delivery input, table-wide and in the scope's period and teams."""
    return plain_dict(query_one(con, "delivery/coverage", params(scope)))


def missing_data(c: dict) -> list[Gap]:
    """Plain-language notes on the delivery data that is absent (never shown as zero)."""
    gaps: list[Gap] = []
    if not c["deployments_total"]:
        gaps.append(
            Gap(
                "dora",
                "No deployment data: deployment frequency, change lead time, change failure rate and "
                "rework rate need deployments (the canonical deployments template, from CI).",
            )
        )
    elif not c["deployments_in_period"]:
        gaps.append(Gap("dora", "No deployments in this period for these teams."))
    else:
        if not c["deployments_with_commit"]:
            gaps.append(
                Gap("dora", "Deployments carry no commit times: change lead time cannot be computed.")
            )
        if not c["deployments_with_rework_flag"]:
            gaps.append(
                Gap("dora", "Deployments don't say which were rework (is_rework): rework rate is not shown.")
            )
    if not c["incidents_total"]:
        gaps.append(
            Gap(
                "incidents",
                "No incident data: change failure rate counts failed deployments only, and recovery "
                "time cannot be computed. Import a PagerDuty or Opsgenie export.",
            )
        )
    elif not c["incidents_naming_a_deploy"] and c["deployments_total"]:
        gaps.append(
            Gap(
                "incidents",
                "No incident names the deployment that caused it: change failure rate counts failed "
                "and rolled-back deployments only.",
            )
        )
    if not c["work_items_total"]:
        gaps.append(
            Gap("flow", "No work item data: flow metrics need a Jira or Linear export (or the template).")
        )
    elif not c["items_with_history_total"]:
        gaps.append(
            Gap(
                "efficiency",
                "No status history: flow efficiency needs work_item_transitions, or Linear's time in "
                "status per status.",
            )
        )
    if not c["pull_requests_total"]:
        gaps.append(
            Gap(
                "pull_requests",
                "No pull request data: the PR cycle-time breakdown needs `gh pr list --json …` output.",
            )
        )
    return gaps


MAX_PANELS = 24  # small multiples beyond this many are unreadable, and slow to draw


@dataclass(frozen=True)
class TeamsInScope:
    """The teams with delivery data in a scope, and the unit their small multiples use."""

    teams: tuple[str, ...]
    orgs: tuple[str, ...]

    @property
    def unit(self) -> str:
        """'team' while one chart per team stays readable, else 'org' (when orgs divide them)."""
        return "org" if len(self.teams) > MAX_PANELS and len(self.orgs) > 1 else "team"


def teams_in_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> TeamsInScope:
    """Teams with deployments, incidents or completed items in the scope, with their orgs."""
    frame = query_df(con, "delivery/teams_in_scope", params(scope))
    return TeamsInScope(tuple(frame["team"]), tuple(sorted(set(frame["org"]))))


def dora_by_unit_period(con: duckdb.DuckDBPyConnection, scope: Scope, unit: str) -> pd.DataFrame:
    """One row per team or org (`unit`) per bucket: its deployment frequency, lead time, change
    failure rate and recovery time, for small multiples of each one's own trend. An org's
    medians are over all its teams' deployments, not a median of team medians."""
    if unit not in ("team", "org"):
        raise ValueError(f"unit must be 'team' or 'org', not {unit!r}")
    return query_df(con, "delivery/dora_by_unit_period", params(scope, unit=unit))


def headlines(con: duckdb.DuckDBPyConnection, scope: Scope, keys: tuple[str, ...]) -> list:
    """`lib.metrics.headline` for `delivery.*` and `flow.*` keys only: the same values, change
    and DORA tier, without computing the other pillars' catalog (twice) for the page's tiles."""
    from lib import metrics
    from lib.views import delivery, flow

    def values(s: Scope) -> dict:
        return metrics.flatten(
            metrics._plain_tree(
                {"delivery": delivery.dora_summary(con, s), "flow": flow.flow_summary(con, s)}
            )
        )

    now, before = values(scope), values(scope.previous())
    return [metrics._headline(key, now.get(key), before.get(key)) for key in keys]
