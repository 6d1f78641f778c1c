"""Cursor's team daily usage → ai_usage, aggregated to team and day on import.

Layout: the Admin API's `POST /teams/daily-usage-data` response (`{"data": [...]}`, one
record per member and day: `date` in epoch milliseconds, `email, isActive,
totalTabsShown, totalTabsAccepted, totalApplies, totalAccepts, totalRejects,
composerRequests, chatRequests, agentRequests, cmdkUsages, …`; docs.cursor.com/account/
teams/admin-api), the same records as NDJSON or a JSON array, or as a CSV with those
fields in camelCase, snake_case (DX's `cursor_daily_user_metrics`) or Title Case.

Per team and day: active users = members with isActive true (without the field, members
with any activity); engaged = members who used a feature beyond tab completion (chat,
composer, agent, cmd-K requests, or applied a suggested edit); suggestions = tabs shown +
edits applied, acceptances = tabs accepted + edits accepted; seats = members listed that
day (Cursor lists every member of the team, active or not). A member's team is the
user→team list, else the employee with that work e-mail, else "(no team)" (warned). No
e-mail is stored.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._people_files import (
    NO_TEAM,
    csv_records,
    json_document,
    loose,
    read_days,
    team_of_users,
)
from lib.ingest.formats._tool_exports import stage
from lib.ingest.formats.copilot import user_warnings

TOOL = "cursor"
TELLING = ("totaltabsshown", "totaltabsaccepted", "totalapplies", "totalaccepts", "composerrequests",
           "chatrequests", "agentrequests", "cmdkusages", "isactive", "acceptedlinesadded")  # fmt: skip
BEYOND_TABS = ("composerrequests", "chatrequests", "agentrequests", "cmdkusages", "totalapplies")


def _email(record: dict) -> str:
    return str(record.get("email") or record.get("useremail") or "").strip()


def _number(value) -> int:
    if value in (None, ""):
        return 0
    try:
        return int(float(str(value).replace(",", "")))
    except ValueError:
        return 0


def _true(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "y", "t")


class CursorDailyUsage:
    name = "cursor:daily-usage"

    def score(self, source: SourceFile) -> float:
        keys = {loose(h) for h in source.headers}
        if source.kind == "json" and "data" in keys:
            keys |= {loose(k) for k in self._records(source)[:1][0]} if self._records(source) else set()
        found = sum(k in keys for k in TELLING)
        has_person = "email" in keys or "useremail" in keys
        return 0.95 if found >= 3 and "date" in keys and has_person else 0.0

    @staticmethod
    def _records(source: SourceFile) -> list[dict]:
        try:
            doc = json_document(source)
        except (ValueError, OSError):
            return []
        if isinstance(doc, dict):
            doc = doc.get("data") or doc.get("dailyUsageData") or []
        return [r for r in doc if isinstance(r, dict)] if isinstance(doc, list) else []

    def _rows(self, source: SourceFile) -> list[tuple[int, dict[str, str]]]:
        if source.kind == "json":
            return [
                (n, {loose(k): v for k, v in r.items()}) for n, r in enumerate(self._records(source), start=1)
            ]
        fields, records = csv_records(source)
        keys = [loose(h) for h in fields.headers]
        return [(n, dict(zip(keys, r, strict=False))) for n, r in records]

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        records = self._rows(source)
        emails = {str(r.get("email") or r.get("useremail") or "").strip() for _, r in records} - {""}
        teams = team_of_users(con, emails)
        cells: dict[tuple[str, str], dict] = defaultdict(
            lambda: {
                "members": set(),
                "active": set(),
                "engaged": set(),
                "suggestions": 0,
                "acceptances": 0,
                "_row": 0,
            }
        )
        stamps = []
        for n, r in records:
            stamp = r.get("date")
            number = isinstance(stamp, int | float) and not isinstance(stamp, bool)
            stamps.append((n, "date", str(int(stamp)) if number else str(stamp or "")))
        days, warnings = read_days(stamps, options, DateHints(epoch=True), source)
        for (n, r), when in zip(records, days, strict=True):
            email = str(r.get("email") or r.get("useremail") or "").strip()
            if not email:
                raise ValueError(f"row {n}: a usage record without an e-mail")
            if when is None:
                raise ValueError(f"row {n}, column date: empty")
            cell = cells[(when.isoformat(), teams.get(email) or NO_TEAM)]
            cell["_row"] = cell["_row"] or n
            cell["members"].add(email)
            activity = sum(_number(r.get(k)) for k in (*BEYOND_TABS, "totaltabsaccepted", "totaltabsshown"))
            active = _true(r.get("isactive"))
            if active or (active is None and activity > 0):
                cell["active"].add(email)
            if any(_number(r.get(k)) > 0 for k in BEYOND_TABS):
                cell["engaged"].add(email)
            cell["suggestions"] += _number(r.get("totaltabsshown")) + _number(r.get("totalapplies"))
            cell["acceptances"] += _number(r.get("totaltabsaccepted")) + _number(r.get("totalaccepts"))
        rows = [
            {"_row": c["_row"], "date": day, "team": team, "tool": TOOL, "active_users": str(len(c["active"])),
             "engaged_users": str(len(c["engaged"])), "suggestions": str(c["suggestions"]),
             "acceptances": str(c["acceptances"]), "seats": str(len(c["members"]))}
            for (day, team), c in sorted(cells.items())
        ]  # fmt: skip
        return [
            stage(
                con,
                "ai_usage",
                rows,
                [*warnings, *user_warnings(emails, teams, len(rows), [(n, _email(r)) for n, r in records])],
            )
        ]


FORMATS = [CursorDailyUsage()]
