"""GitHub Copilot usage in every shape GitHub has published → ai_usage (and its seat list →
user_teams). Fixtures in tests/fixtures/exports/ai/ are built in the shapes of GitHub's
published examples (copilot-metrics-viewer's mock data; REFERENCE.md §3.1).

- (a) usage API (`/orgs/{org}/copilot/usage`, retired 2025): a JSON array of days with
  `day, total_suggestions_count, total_acceptances_count, total_active_users, breakdown[]`.
  active_users ← total_active_users; suggestions, acceptances ← the totals.
- (b) metrics API (`/orgs/{org}/copilot/metrics`): days with `date, total_active_users,
  total_engaged_users, copilot_ide_code_completions.editors[].models[].languages[]`.
  active ← total_active_users, engaged ← total_engaged_users; suggestions and acceptances
  ← the sums of `total_code_suggestions` / `total_code_acceptances` over editors, models
  and languages (code completions; chat is not a suggestion).
- (c) usage-metrics reports: the organisation or enterprise report (`day_totals[]` of
  days, 28-day or 1-day, or the flat 1-day record): active ← daily_active_users;
  suggestions ← code_generation_activity_count, acceptances ←
  code_acceptance_activity_count (every feature: completions, chat, agent, CLI; GitHub
  counts the Copy button as an acceptance). And the users report (JSON or NDJSON, one
  record per user and day): aggregated to team and day on import, no login stored:
  active users = users with a record that day; engaged = users who started an
  interaction (chat, agent, CLI: user_initiated_interaction_count > 0 or a used_* flag);
  suggestions and acceptances summed.
- seats (`/orgs/{org}/copilot/billing/seats`): `total_seats, seats[] {assignee.login,
  assigning_team.name}` → user_teams (login pseudonymised, team, seat_tool 'copilot').

Teams: (a), (b) and the organisation report have none: their rows are stored under the
team "(all teams)" and count for the whole organisation only (a per-team row of the same
day and tool takes precedence, see METRICS.md). A user's team is the user→team list
(Copilot's seat list or another list), else the employee whose id or work e-mail the
login is; a user with neither counts under "(no team)", said in the warnings. Seats: per
team from the seat list when one was imported before.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._people_files import (
    NO_TEAM,
    ORG_TEAM,
    json_document,
    read_days,
    seats_by_team,
    team_of_users,
)
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import ImportWarning, warn

TOOL = "copilot"


def _records(doc) -> list[dict]:
    """Day or user records from any wrapping GitHub uses: a list, `{day_totals: [...]}`, one object."""
    if isinstance(doc, list):
        out = []
        for item in doc:
            out.extend(_records(item) if isinstance(item, dict) and "day_totals" in item else [item])
        return [r for r in out if isinstance(r, dict)]
    if isinstance(doc, dict):
        if isinstance(doc.get("day_totals"), list):
            return [r for r in doc["day_totals"] if isinstance(r, dict)]
        return [doc]
    return []


def _first(source: SourceFile) -> dict:
    """The first record, parsed once per file however many formats score it."""
    return _first_record(str(source.path), source.sha256)


@functools.lru_cache(maxsize=8)
def _first_record(path: str, sha256: str) -> dict:
    try:
        records = _records(json_document(SourceFile(Path(path), "", "json", "", ())))
    except (ValueError, OSError):
        return {}
    return dict(records[0]) if records else {}


def _int(value) -> str:
    return "" if value is None else str(int(value))


def _org_seats(con: duckdb.DuckDBPyConnection) -> str:
    seats = seats_by_team(con, TOOL)
    return str(sum(seats.values())) if seats else ""


def _days(records: list[dict], column: str, options: ImportOptions) -> tuple[list[str], list[ImportWarning]]:
    """The ISO day of each record's `column`, read by the one date parser."""
    cells = [(n, column, str(r.get(column) or "")) for n, r in enumerate(records, start=1)]
    days, warnings = read_days(cells, options)
    return [d.isoformat() if d else "" for d in days], warnings


class _JsonFormat:
    name = ""
    keys: frozenset[str] = frozenset()

    def score(self, source: SourceFile) -> float:
        if source.kind != "json":
            return 0.0
        return 0.95 if self.matches(_first(source), set(source.headers)) else 0.0

    def matches(self, record: dict, headers: set[str]) -> bool:
        return self.keys <= set(record)


class CopilotUsage(_JsonFormat):
    name = "copilot:usage"
    keys = frozenset({"day", "total_suggestions_count", "total_acceptances_count", "total_active_users"})

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        seats = _org_seats(con)
        records = _records(json_document(source))
        days, warnings = _days(records, "day", options)
        rows = [
            {"_row": n, "date": day, "team": ORG_TEAM, "tool": TOOL,
             "active_users": _int(r.get("total_active_users")), "suggestions": _int(r.get("total_suggestions_count")),
             "acceptances": _int(r.get("total_acceptances_count")), "seats": seats}
            for n, (r, day) in enumerate(zip(records, days, strict=True), start=1)
        ]  # fmt: skip
        return [stage(con, "ai_usage", rows, [*warnings, _org_warning(len(rows))])]


def completions(record: dict) -> tuple[int | None, int | None]:
    """Code-completion suggestions and acceptances of a metrics-API day, summed over editors,
    models and languages (None when the day has no completion data at all)."""
    block = record.get("copilot_ide_code_completions")
    if not isinstance(block, dict):
        return None, None
    suggested = accepted = 0
    for editor in block.get("editors") or []:
        for model in editor.get("models") or []:
            for language in model.get("languages") or []:
                suggested += int(language.get("total_code_suggestions") or 0)
                accepted += int(language.get("total_code_acceptances") or 0)
    return suggested, accepted


class CopilotMetrics(_JsonFormat):
    name = "copilot:metrics"
    keys = frozenset({"date", "total_active_users", "total_engaged_users"})

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        seats = _org_seats(con)
        records = _records(json_document(source))
        days, warnings = _days(records, "date", options)
        rows = []
        for n, (r, day) in enumerate(zip(records, days, strict=True), start=1):
            suggested, accepted = completions(r)
            rows.append({"_row": n, "date": day, "team": ORG_TEAM, "tool": TOOL,
                         "active_users": _int(r.get("total_active_users")),
                         "engaged_users": _int(r.get("total_engaged_users")),
                         "suggestions": _int(suggested), "acceptances": _int(accepted), "seats": seats})  # fmt: skip
        return [stage(con, "ai_usage", rows, [*warnings, _org_warning(len(rows))])]


class CopilotReport(_JsonFormat):
    """The organisation or enterprise usage-metrics report (28-day or 1-day)."""

    name = "copilot:org-report"
    keys = frozenset({"day", "daily_active_users", "code_generation_activity_count"})

    def matches(self, record: dict, headers: set[str]) -> bool:
        return self.keys <= set(record) and "user_login" not in record and "user_id" not in record

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        seats = _org_seats(con)
        records = _records(json_document(source))
        days, warnings = _days(records, "day", options)
        rows = [
            {"_row": n, "date": day, "team": ORG_TEAM, "tool": TOOL,
             "active_users": _int(r.get("daily_active_users")),
             "suggestions": _int(r.get("code_generation_activity_count")),
             "acceptances": _int(r.get("code_acceptance_activity_count")), "seats": seats}
            for n, (r, day) in enumerate(zip(records, days, strict=True), start=1)
        ]  # fmt: skip
        warnings += [_org_warning(len(rows)), warn("copilot_acceptance", _REPORT_WARNING, count=len(rows))]
        return [stage(con, "ai_usage", rows, warnings)]


def engaged(record: dict) -> bool:
    """A user who started an interaction that day (chat, agent, CLI), beyond completions."""
    used = any(bool(v) for k, v in record.items() if k.startswith("used_"))
    return used or int(record.get("user_initiated_interaction_count") or 0) > 0


class CopilotUsersReport(_JsonFormat):
    """The per-user usage-metrics report (1-day or 28-day, JSON or NDJSON)."""

    name = "copilot:users-report"
    keys = frozenset({"day", "code_generation_activity_count"})

    def matches(self, record: dict, headers: set[str]) -> bool:
        return self.keys <= set(record) and ("user_login" in record or "user_id" in record)

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        plain = _records(json_document(source))
        days, warnings = _days(plain, "day", options)
        records = list(enumerate(plain, start=1))
        users = {_user(r) for _, r in records}
        teams = team_of_users(con, users)
        seats = seats_by_team(con, TOOL)
        cells: dict[tuple[str, str], dict] = defaultdict(
            lambda: {"users": set(), "engaged": set(), "suggestions": 0, "acceptances": 0, "_row": 0}
        )
        for (n, r), day in zip(records, days, strict=True):
            user = _user(r)
            if not user:
                raise ValueError(f"row {n}: a user record without user_login or user_id")
            key = (day, teams.get(user) or NO_TEAM)
            cell = cells[key]
            cell["_row"] = cell["_row"] or n
            cell["users"].add(user)
            if engaged(r):
                cell["engaged"].add(user)
            cell["suggestions"] += int(r.get("code_generation_activity_count") or 0)
            cell["acceptances"] += int(r.get("code_acceptance_activity_count") or 0)
        rows = [
            {"_row": c["_row"], "date": day, "team": team, "tool": TOOL, "active_users": str(len(c["users"])),
             "engaged_users": str(len(c["engaged"])), "suggestions": str(c["suggestions"]),
             "acceptances": str(c["acceptances"]), "seats": _int(seats.get(team)) if seats else ""}
            for (day, team), c in sorted(cells.items())
        ]  # fmt: skip
        return [
            stage(
                con,
                "ai_usage",
                rows,
                [*warnings, *user_warnings(users, teams, len(rows), [(n, _user(r)) for n, r in records])],
            )
        ]


def _user(record: dict) -> str:
    return str(record.get("user_login") or record.get("user_id") or "").strip()


def user_warnings(
    users: set[str], teams: dict[str, str | None], rows: int, records: Sequence[tuple[int, str]] = ()
) -> list[ImportWarning]:
    """What aggregating per-user records did: how many users, and those who got no team
    (`records`: (row, user) of the file, for the example rows)."""
    out = [warn("ai_users_aggregated", f"{len(users)} users aggregated to {rows} team-days; no login or e-mail "
                "is stored")]  # fmt: skip
    lost = {u for u in users if not teams.get(u)}
    if lost:
        out.append(
            warn(
                "ai_user_no_team",
                f"{len(lost)} of {len(users)} users are on no user→team list and match no employee: counted under "
                f"{NO_TEAM!r} (import the seat list or a user→team list first, then this file again)",
                [n for n, u in records if u in lost],
            )
        )
    return out


class CopilotSeats(_JsonFormat):
    name = "copilot:seats"
    keys = frozenset({"total_seats", "seats"})

    def matches(self, record: dict, headers: set[str]) -> bool:
        return self.keys <= set(record) and isinstance(record.get("seats"), list)

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        rows, no_team = [], 0
        for n, seat in enumerate(_records(json_document(source))[0].get("seats") or [], start=1):
            login = str((seat.get("assignee") or {}).get("login") or "").strip()
            group = seat.get("assigning_team") or {}
            team = str(group.get("name") or group.get("slug") or "").strip()
            no_team += not team
            rows.append({"_row": n, "user_id": login, "team": team, "seat_tool": TOOL})
        warnings = [warn("copilot_seats", f"{len(rows)} seats stored as user→team links for Copilot usage, logins "
                         "pseudonymised")]  # fmt: skip
        if no_team:
            warnings.append(warn("copilot_seat_no_team", f"{no_team} seats were assigned to a person, not through a "
                                 "team: their usage has no team"))  # fmt: skip
        return [stage(con, "user_teams", rows, warnings)]


def _org_warning(days: int) -> ImportWarning:
    return warn(
        "ai_organisation_level",
        "This export has no team breakdown: its days are stored for the whole organisation (team "
        "'(all teams)'), which team filters leave out",
        count=days,
    )


_REPORT_WARNING = (
    "Acceptances count every accepted generation (completions, chat, agent, CLI), Copy button included"
)

FORMATS = [CopilotUsage(), CopilotMetrics(), CopilotReport(), CopilotUsersReport(), CopilotSeats()]
