"""What a question is asked over: a half-open date period, a grain and a set of teams.

Every view takes a `Scope`, so the pages, the CLI, the board pack and the tests ask
the same question the same way. Periods are `[start, end)` over dates (SPEC.md §5).
Organisation, location, sourcing and acquisition filters are resolved to the set of
teams whose `teams` row matches (`resolve_teams`), so SQL only ever filters by team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb

GRAINS = ("week", "month", "quarter")


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date  # exclusive
    grain: str = "month"
    teams: tuple[str, ...] | None = None  # None: every team

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} must be after start {self.start}")
        if self.grain not in GRAINS:
            raise ValueError(f"grain must be one of {GRAINS}, not {self.grain!r}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Scope:
        """The period of equal length just before this one (for change-vs-previous)."""
        return replace(self, start=self.start - (self.end - self.start), end=self.start)

    def params(self) -> dict:
        """Bound parameters every SQL file may use: $start, $end, $days, $all_teams, $teams, $grain."""
        return {
            "start": self.start,
            "end": self.end,
            "days": self.days,
            "all_teams": self.teams is None,
            "teams": list(self.teams or ()),
            "grain": self.grain,
        }


def period_text(scope: Scope) -> str:
    """'01 Aug 2025 – 31 Oct 2025': the period as captions and slides print it (end inclusive)."""
    last = scope.end - dt.timedelta(days=1)
    return f"{scope.start:%d %b %Y} – {last:%d %b %Y}"


def latest_data_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The last day with any activity: the default period ends the day after it."""
    row = con.execute(
        """
        select max(d) from (
            select max(deployed_at)::date as d from deployments
            union all select max(greatest(created_at, completed_at))::date from work_items
            union all select max(started_at)::date from incidents
            union all select max(opened_at)::date from pull_requests
            union all select max(survey_date) from survey_responses
            union all select max(date) from ai_usage
            union all select max(date) from learning
            union all select max(greatest(hire_date, termination_date)) from employees
        )
        """
    ).fetchone()
    return row[0]


def default_scope(con: duckdb.DuckDBPyConnection, days: int = 90, **kwargs) -> Scope:
    """The last `days` days of data, ending the day after the latest activity."""
    last = latest_data_date(con) or dt.date.today()
    end = last + dt.timedelta(days=1)
    return Scope(start=end - dt.timedelta(days=days), end=end, **kwargs)


def resolve_teams(
    con: duckdb.DuckDBPyConnection,
    orgs: tuple[str, ...] = (),
    teams: tuple[str, ...] = (),
    locations: tuple[str, ...] = (),
    sourcing: tuple[str, ...] = (),
    acquired: tuple[str, ...] = (),
) -> tuple[str, ...] | None:
    """Teams matching every non-empty filter; None when no filter is set (all teams).

    `acquired` holds company names from `teams.acquired_from`, or "(organic)" for teams
    that were not acquired.
    """
    if not (orgs or teams or locations or sourcing or acquired):
        return None
    rows = con.execute(
        """
        select team from teams
        where (len($orgs) = 0 or list_contains($orgs, org))
          and (len($teams) = 0 or list_contains($teams, team))
          and (len($locations) = 0 or list_contains($locations, location))
          and (len($sourcing) = 0 or list_contains($sourcing, sourcing))
          and (len($acquired) = 0 or list_contains($acquired, coalesce(acquired_from, '(organic)')))
        order by team
        """,
        {
            "orgs": list(orgs),
            "teams": list(teams),
            "locations": list(locations),
            "sourcing": list(sourcing),
            "acquired": list(acquired),
        },
    ).fetchall()
    return tuple(r[0] for r in rows)


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """The values the global filters offer, from the `teams` table."""
    rows = con.execute(
        """
        select team, coalesce(org, '(no org)'), location, sourcing, coalesce(acquired_from, '(organic)')
        from teams order by org, team
        """
    ).fetchall()
    return {
        "orgs": sorted({r[1] for r in rows}),
        "teams": [r[0] for r in rows],
        "teams_by_org": {org: [r[0] for r in rows if r[1] == org] for org in {r[1] for r in rows}},
        "locations": sorted({r[2] for r in rows if r[2]}),
        "sourcing": sorted({r[3] for r in rows if r[3]}),
        "cohorts": sorted({r[4] for r in rows}),
    }
