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


# The columns whose latest value says when the data ends (the default period's end).
ACTIVITY: tuple[tuple[str, str], ...] = (
    ("deployments", "deployed_at"),
    ("work_items", "created_at"),
    ("work_items", "completed_at"),
    ("incidents", "started_at"),
    ("pull_requests", "opened_at"),
    ("survey_responses", "survey_date"),
    ("ai_usage", "date"),
    ("learning", "date"),
    ("employees", "hire_date"),
    ("employees", "termination_date"),
)
# The newest plausible activity date over ACTIVITY (names from the code above, values bound).
_LATEST_SQL = (
    "select max(d) from ("
    + " union all ".join(
        f"select max({column}::date) filter (where {column}::date between $low and $high) as d from {table}"
        for table, column in ACTIVITY
    )
    + ")"
)


def teams_word(scope: Scope) -> str:
    """The teams as a download's name gives them: 'all-teams' without a filter, the team for
    one, 'N-teams' for several (`file_stem` puts it through its own slug)."""
    teams = scope.teams
    return "all-teams" if teams is None else teams[0] if len(teams) == 1 else f"{len(teams)}-teams"


def file_stem(name: str, scope: Scope) -> str:
    """A download's name without its extension: what it is, its period (first and last day)
    and its teams ('all-teams' without a filter, the team for one, 'N-teams' for several):
    'board-pack-2025-09-01-to-2025-11-25-payments'."""
    import re

    who = teams_word(scope)
    last = scope.end - dt.timedelta(days=1)
    stem = f"{name} {scope.start:%Y-%m-%d} to {last:%Y-%m-%d} {who}"
    return re.sub(r"[^a-z0-9]+", "-", stem.lower().replace("&", "and")).strip("-")


def plausible_dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The dates a stored value may hold to count (SPEC §4, the importer's own range):
    1990-01-01 to a year after `today` (default: today, UTC), both inclusive."""
    from lib.ingest.dates import plausible_range

    return plausible_range(today)


def latest_data_date(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> dt.date | None:
    """The last day with any activity: the default period ends the day after it.

    Only plausible dates count (`plausible_dates`): a value written before the importer
    refused them (a deployment dated 9999-12-31) never moves the default period;
    `implausible_dates` lists such values so the pages can say so.
    """
    low, high = plausible_dates(today)
    row = con.execute(_LATEST_SQL, {"low": low, "high": high}).fetchone()
    return row[0]


def implausible_dates(
    con: duckdb.DuckDBPyConnection, today: dt.date | None = None, activity_only: bool = False
) -> list[dict]:
    """Stored dates outside the plausible range, per table and column, most rows first.

    Each item: `table`, `column`, `rows` (count), `earliest` and `latest` (the extreme
    values, as text: `9999-12-31`, `infinity`), `imports` (up to 5 import ids that wrote
    them). Every date and timestamp column of every canonical table, or only the ACTIVITY
    columns that set the default period. The importer refuses such dates (SPEC §4); they
    reach a database only through an older version or a direct write, and must not move
    any period or take down a page.
    """
    from lib.tables import TABLES

    low, high = plausible_dates(today)
    columns = [
        (table.name, column.name)
        for table in TABLES.values()
        for column in table.columns
        if column.type in ("date", "timestamp")
        and (not activity_only or (table.name, column.name) in ACTIVITY)
    ]
    parts = [
        f"select '{table}' as tbl, '{column}' as col, count(*) as n, "
        f"min({column}::date)::varchar as earliest, max({column}::date)::varchar as latest, "
        f"list(distinct import_id order by import_id)[1:5] as imports from {table} "
        f"where {column}::date < $low or {column}::date > $high"
        for table, column in columns
    ]
    query = f"select * from ({' union all '.join(parts)}) where n > 0 order by n desc, tbl, col"
    rows = con.execute(query, {"low": low, "high": high}).fetchall()
    return [
        {"table": t, "column": c, "rows": n, "earliest": e, "latest": last, "imports": list(i or [])}
        for t, c, n, e, last, i in rows
    ]


def default_scope(con: duckdb.DuckDBPyConnection, days: int = 90, **kwargs) -> Scope:
    """The last `days` days of data, ending the day after the latest plausible activity
    (today when there is none)."""
    last = latest_data_date(con) or dt.date.today()
    end = last + dt.timedelta(days=1)
    return Scope(start=end - dt.timedelta(days=days), end=end, **kwargs)


# Names the importer stores where a row has no real team (lib/ingest/formats/_people_files.py):
# never offered as a team to filter on.
PLACEHOLDER_TEAMS = ("(no team)", "(all teams)")
NO_ORG = "(no org)"
ORGANIC = "(organic)"


def _named_teams_sql() -> str:
    """SQL: one row per team, from the `teams` table (`listed`) and from every table with a
    `team` column, so teams named in imported data (deployments, work items, PRs, incidents,
    employees, surveys…) are filters without a separate teams file. Columns: team, org,
    location, sourcing, cohort (acquired_from, or "(organic)"; null for a team the `teams`
    table does not list, whose org is "(no org)")."""
    from lib.tables import TABLES

    named = " union ".join(
        f"select team from \"{name}\" where team is not null and trim(team) <> ''"
        for name, table in TABLES.items()
        if name != "teams" and "team" in table.column_names
    )
    return (
        "select team, coalesce(org, $no_org) as org, location, sourcing, "
        "coalesce(acquired_from, $organic) as cohort from teams "
        f"union all select team, $no_org, null, null, null from ({named}) "
        "where team not in (select team from teams) and not list_contains($placeholders, team)"
    )


def _named_params() -> dict:
    return {"no_org": NO_ORG, "organic": ORGANIC, "placeholders": list(PLACEHOLDER_TEAMS)}


def resolve_teams(
    con: duckdb.DuckDBPyConnection,
    orgs: tuple[str, ...] = (),
    teams: tuple[str, ...] = (),
    locations: tuple[str, ...] = (),
    sourcing: tuple[str, ...] = (),
    acquired: tuple[str, ...] = (),
) -> tuple[str, ...] | None:
    """Teams matching every non-empty filter; None when no filter is set (all teams).

    Teams come from the `teams` table and from the imported rows that name them
    (`_named_teams_sql`): a team without an org matches "(no org)". `acquired` holds
    company names from `teams.acquired_from`, or "(organic)" for teams that were not
    acquired (a team the `teams` table does not list has no cohort: it matches none).
    """
    if not (orgs or teams or locations or sourcing or acquired):
        return None
    query = (
        f"select distinct team from ({_named_teams_sql()}) "
        "where (len($orgs) = 0 or list_contains($orgs, org)) "
        "and (len($teams) = 0 or list_contains($teams, team)) "
        "and (len($locations) = 0 or list_contains($locations, location)) "
        "and (len($sourcing) = 0 or list_contains($sourcing, sourcing)) "
        "and (len($acquired) = 0 or list_contains($acquired, cohort)) "
        "order by team"
    )
    params = {
        **_named_params(),
        "orgs": list(orgs),
        "teams": list(teams),
        "locations": list(locations),
        "sourcing": list(sourcing),
        "acquired": list(acquired),
    }
    return tuple(r[0] for r in con.execute(query, params).fetchall())


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """The values the global filters offer: every team of the `teams` table and every team
    named in imported data (a team without an org under "(no org)"); locations, sourcing and
    cohorts from the `teams` table. Teams are in alphabetical order, case aside (the Team
    dropdown names no org, so teams grouped by org read as unsorted)."""
    query = (
        f"select team, org, location, sourcing, cohort from ({_named_teams_sql()}) order by lower(team), team"
    )
    rows = con.execute(query, _named_params()).fetchall()
    return {
        "orgs": sorted({r[1] for r in rows}),
        "teams": [r[0] for r in rows],
        "teams_by_org": {org: [r[0] for r in rows if r[1] == org] for org in {r[1] for r in rows}},
        "locations": sorted({r[2] for r in rows if r[2]}),
        "sourcing": sorted({r[3] for r in rows if r[3]}),
        "cohorts": sorted({r[4] for r in rows if r[4]}),
    }
