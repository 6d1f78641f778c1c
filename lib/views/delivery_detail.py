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

from lib.memo import shared
from lib.scope import Scope
from lib.sql import query_df, query_one
from lib.views import buckets, data_span, params, plain_dict


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


@shared
def coverage(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """Row counts of each delivery input, table-wide and in the scope's period and teams;
    `gaps`: per source, why the period has none of its data (`lib.views.data_span.gaps`);
    `partly`: per source, the part of the period without its data (`data_span.notes`)."""
    gaps, partly = data_span.gaps_and_notes(con, scope)
    return {**plain_dict(query_one(con, "delivery/coverage", params(scope))), "gaps": gaps, "partly": partly}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


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
    elif not c["deployments_production_candidates"] or (
        c["deployments_in_period"] and not c["production_runs_in_period"]
    ):
        where = "in this period for these teams" if c["deployments_in_period"] else "in the data"
        gaps.append(
            Gap(
                "dora",
                f"Deployments exist {where}, but none is to a production environment "
                f"(environments seen: {c['environments_in_period'] or 'none in this period'}). Production "
                f"is an environment whose first word is {c['production_names']}, with any region or stage "
                "suffix (prod-us, prod.eu-west-1): deployment frequency, change lead time, change failure "
                "rate and rework rate are not shown. To count other names as production: "
                '`python -m lib settings production_environment_names "prod, production, prd, live"`.',
            )
        )
    elif not c["deployments_in_period"]:
        gaps.append(Gap("dora", "No deployments in this period for these teams."))
    elif no_status(c):
        gaps.append(
            Gap(
                "dora",
                f"{_plural(c['production_runs_in_period'], 'production deployment run')} in this period, but "
                "none has a status: a run counts as a deployment only when it succeeded or was rolled back, "
                "so deployment frequency, change lead time, change failure rate and rework rate are not "
                "shown. Give each run a status (success, failure or rollback) in the deployments file.",
            )
        )
    else:
        if not c["deployments_with_commit"]:
            gaps.append(
                Gap("dora", "Deployments carry no commit times: change lead time cannot be computed.")
            )
        if not c["deployments_with_rework_flag"]:
            gaps.append(
                Gap(
                    "dora",
                    "Deployments don't say which were rework (no rework column): rework rate is not shown.",
                )
            )
    if not c["incidents_total"]:
        gaps.append(
            Gap(
                "incidents",
                "No incident data: change failure rate counts rolled-back deployments only, and time to "
                "restore service cannot be computed. Import a PagerDuty or Opsgenie export.",
            )
        )
    elif not c["incidents_naming_a_deploy"] and c["deployments_total"]:
        gaps.append(
            Gap(
                "incidents",
                "No incident names the deployment that caused it: change failure rate counts rolled-back "
                "deployments only.",
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
                "No status history: flow efficiency needs work item status changes (the Data page's "
                '"Work item status changes" template), or Linear\'s time in status per status.',
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


def data_notes(c: dict) -> list[str]:
    """Rows that are in the data but left out of a number, each with the reason (never silent).

    Failed deployment runs and runs of another status are not deployments; backwards spans
    (SPEC §4) keep their row but have no duration, so no median or average counts them.
    """
    notes = []
    if c["failed_runs_in_period"]:
        notes.append(
            f"Not counted as deployments: {_plural(c['failed_runs_in_period'], 'failed deployment run')} in "
            "this period. A run that failed never reached production, so it is neither a deployment nor a "
            "change failure (as DORA's Four Keys, Apache DevLake and Middleware count)."
        )
    if c["other_status_in_period"] and not no_status(c):
        notes.append(
            f"{status_note(c)} A run counts as a deployment only when it succeeded or was rolled back: "
            "give each run a status (success, failure or rollback) in the deployments file."
        )
    if c["unnamed_left_out_in_period"]:
        notes.append(
            f"Not counted as production: {_plural(c['unnamed_left_out_in_period'], 'deployment')} without an "
            "environment, because other deployments of these teams in this period name one (all deployments "
            "count only when none names an environment). Filter to a team that never names one to see its own."
        )
    spans = []
    if c["lead_time_backwards"]:
        spans.append(
            _plural(c["lead_time_backwards"], "deployment") + " whose first commit is after it (lead time)"
        )
    if c["recovery_backwards"]:
        spans.append(
            _plural(c["recovery_backwards"], "incident") + " resolved before it started (time to restore)"
        )
    if c["items_backwards"]:
        spans.append(
            _plural(c["items_backwards"], "work item")
            + " completed before it was created or started (flow time)"
        )
    if c["pull_requests_backwards"]:
        spans.append(
            _plural(c["pull_requests_backwards"], "pull request")
            + " reviewed or merged before it was opened, or reviewed after the merge (PR stages)"
        )
    if spans:
        notes.append(
            "Left out of the medians because their times run backwards (clock skew or a data error): "
            + "; ".join(spans)
            + ". The rows are kept and still counted (the drill-down marks them)."
        )
    return notes


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
    failure rate and time to restore service, for small multiples of each one's own trend. An org's
    medians are over all its teams' deployments, not a median of team medians."""
    if unit not in ("team", "org"):
        raise ValueError(f"unit must be 'team' or 'org', not {unit!r}")
    from lib.views.delivery import BY_SOURCE

    frame = query_df(con, "delivery/dora_by_unit_period", params(scope, unit=unit))
    return buckets.mark(frame, scope, columns=BY_SOURCE, unit_spans=data_span.spans(con, scope, unit))


def no_production(c: dict) -> bool:
    """Deployments exist (in the data, or in this scope) but none is to production: rates are null."""
    return bool(c["deployments_total"]) and (
        not c["deployments_production_candidates"]
        or bool(c["deployments_in_period"] and not c["production_runs_in_period"])
    )


def no_status(c: dict) -> bool:
    """Production runs in the scope, none with a status: the deployment rates are null."""
    return (
        bool(c["production_runs_in_period"]) and c["other_status_in_period"] == c["production_runs_in_period"]
    )


def status_note(c: dict) -> str | None:
    """Beside the deployment frequency: how many production runs in the period have no status."""
    without, runs = c["other_status_in_period"], c["production_runs_in_period"]
    if not without:
        return None
    return (
        f"{without:,} of {runs:,} production runs in the period have no status: not counted, as whether "
        "they reached production is unknown."
    )


def source_of(key: str) -> str:
    """The table a Delivery or Flow catalog key is computed from (key with its prefix)."""
    short = key.split(".", 1)[1]
    if key.startswith("flow."):
        return "work_items"
    if short in ("recovery_time_hours_p50", "incidents_without_deploy"):
        return "incidents"
    return "pull_requests" if short.startswith("pr_") else "deployments"


def partly_note(key: str, c: dict) -> str | None:
    """Under a tile with a value: the part of the period its source has no data for ('no
    deployments before 3 Mar 2025: the period's first 61 of 181 days'), else None."""
    return c.get("partly", {}).get(source_of(key))


def no_data_reason(key: str, c: dict) -> str:
    """Why a Delivery tile's key has no value, in a few words, from `coverage` (key with prefix):
    first a period outside its source's data ("no deployments after 12 Mar 2025")."""
    short = key.split(".", 1)[1]
    if gap := c.get("gaps", {}).get(source_of(key)):
        return gap
    if key.startswith("flow."):
        if not c["work_items_total"]:
            return "no work items loaded"
        if short == "efficiency":
            return "no status history for the items completed"
        return "no work item completed in the period" if short != "load" else "no work in progress"
    if short == "recovery_time_hours_p50":
        if not c["incidents_total"]:
            return "no incidents loaded"
        return "no incident started in the period was resolved"
    if short in ("pr_pickup_hours_p50", "pr_review_hours_p50"):
        return (
            "no pull requests loaded"
            if not c["pull_requests_total"]
            else "no reviewed PR merged in the period"
        )
    if not c["deployments_total"]:
        return "no deployments loaded"
    if no_production(c):
        return "no deployment is to a production environment"
    if no_status(c):
        return "no production run in the period has a status"
    if not c["production_deployments_in_period"]:
        return "no production deployment in the period"
    if short == "lead_time_hours_p50":
        return "no successful deployment with a commit time"
    if short == "rework_rate":
        return "deployments don't say which were rework"
    return "not enough data"


def incidents_note(c: dict) -> str | None:
    """Beside the change failure rate: how many incidents in the period name no deployment."""
    total, without = c["incidents_in_period"], c["incidents_without_deploy_in_period"]
    if not c["incidents_total"] or not total:
        return None
    if not without:
        return f"All {total:,} incidents in the period name their deployment."
    return f"{without:,} of {total:,} incidents in the period name no deployment: the rate cannot count them."
