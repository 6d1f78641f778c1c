"""Any AI assistant's daily usage per team and tool (a CSV), and user→team lists.

Generic daily usage: one row per day, team and tool, with active users and, where the
tool gives them, engaged users, suggestions, acceptances and seats, under the headers
people use for them (`Date, Team, Assistant, Daily active users, Suggestions shown,
Suggestions accepted, Licences`, …). A file with exactly the canonical `ai_usage` headers
is the canonical template. Dates are read by the loader's one date parser (numeric
day/month dates need `--date-order` unless their values allow one reading).

User→team list: who is on which team for per-user AI reports (Copilot's users report,
Cursor): a login or e-mail column and a team column (`login, team`; `GitHub username,
Team`; `email, squad`), optionally the tool whose seat the person holds. Stored in
user_teams with the login or e-mail pseudonymised; read when per-user usage is imported,
so import the list first.
"""

from __future__ import annotations

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._people_files import EMAIL, Fields, csv_records, loose
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import warn
from lib.tables import TABLES

DATE = ("date", "day", "usage_date", "report_date")
TEAM = ("team", "team_name", "squad", "group", "github_team")
TOOL = ("tool", "assistant", "ai_tool", "product", "ai_assistant", "vendor")
COLUMNS = {
    "active_users": ("active_users", "daily_active_users", "dau", "active", "users_active", "active_user_count"),
    "engaged_users": ("engaged_users", "engaged", "daily_engaged_users", "engaged_user_count"),
    "suggestions": ("suggestions", "suggestions_shown", "completions_shown", "total_suggestions", "suggested",
                    "code_suggestions", "shown"),
    "acceptances": ("acceptances", "suggestions_accepted", "accepted", "completions_accepted", "total_acceptances",
                    "accepted_suggestions", "code_acceptances"),
    "seats": ("seats", "licenses", "licences", "seats_assigned", "licensed_users", "seat_count"),
}  # fmt: skip
CANONICAL = frozenset(TABLES["ai_usage"].column_names)
LOGIN = (
    "login",
    "user_login",
    "github_login",
    "github_username",
    "github_user",
    "username",
    "handle",
    "user",
)


class GenericAiUsage:
    name = "ai:daily-usage"

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        fields = Fields(source.headers)
        if not (fields.has(*DATE) and fields.has(*TEAM) and fields.has(*TOOL)):
            return 0.0
        if not (fields.has(*COLUMNS["active_users"]) or fields.has(*COLUMNS["suggestions"])):
            return 0.0
        if {h for h in source.normalized_headers if h} <= CANONICAL:
            return 0.0  # the canonical template
        return 0.9

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        date_col = fields.find(*DATE)
        rows = []
        for n, record in records:
            # the date goes to the loader as written: the one date parser reads it there
            row = {"_row": n, "date": fields.get(record, date_col), "team": fields.get(record, *TEAM),
                   "tool": fields.get(record, *TOOL).lower()}  # fmt: skip
            for column, names in COLUMNS.items():
                row[column] = fields.get(record, *names).replace(",", "")
            rows.append(row)
        tools = len({r["tool"] for r in rows})
        return [
            stage(
                con,
                "ai_usage",
                rows,
                [warn("ai_tool_lower_case", "Tool names stored in lower case", count=tools)],
            )
        ]


class UserTeams:
    name = "ai:user-teams"

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        fields = Fields(source.headers)
        if not fields.has(*TEAM):
            return 0.0
        if fields.has(*LOGIN):
            return 0.85
        # an e-mail and a team alone (no HRIS columns) is a list, not an employee report
        rest = {loose(h) for h in source.headers} - {loose(n) for n in (*TEAM, *EMAIL, *TOOL, "seat", "name")}
        return 0.8 if fields.has(*EMAIL) and not rest else 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        rows = [
            {"_row": n, "user_id": fields.get(record, *LOGIN) or fields.get(record, *EMAIL),
             "team": fields.get(record, *TEAM), "seat_tool": fields.get(record, *TOOL).lower()}
            for n, record in records
        ]  # fmt: skip
        warnings = (
            warn(
                "user_teams",
                "Users linked to teams for per-user AI usage, logins and e-mails pseudonymised",
                count=len(rows),
            ),
        )
        return [stage(con, "user_teams", rows, warnings)]


FORMATS = [GenericAiUsage(), UserTeams()]
