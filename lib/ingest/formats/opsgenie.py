"""Opsgenie alerts → incidents: the alert list export and the Alert API's records.

- The alert list export has one row per alert with the Alert API's fields as columns:
  `TinyId, Alias, Message, Status, Acknowledged, IsSeen, Count, Owner, Priority, Teams,
  Tags, Source, Entity, CreatedAt, UpdatedAt, ClosedAt, …`, times in epoch milliseconds
  or ISO 8601. Some give, instead of ClosedAt, the report's `CloseTime`: milliseconds
  from creation to close.
- The Alert API (`GET /v2/alerts`: `{"data": [...]}`), as JSON or flattened to CSV by
  client libraries: `tinyId, alias, message, status, priority, teams, tags, createdAt,
  updatedAt, report.closeTime, …`, where `teams` is a list of team references that
  carry only an id (`[{'id': '…'}]` as Python's list repr in a pandas CSV): the API
  never writes team names.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- incident_id ← `OG-` + TinyId (else Alias, else Id);
- started_at ← CreatedAt; resolved_at ← ClosedAt, else CreatedAt + CloseTime, only for
  closed alerts;
- severity ← Priority (P1…P5 → SEV1…SEV5);
- team ← the first team *name* in Teams (a plain name, or a reference's `name`), else the
  team that deploys the alert's service (the deployments already loaded), else none, with
  a warning: a team id is never stored as a team name;
- service ← a `service:<name>` tag, else Entity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._tool_exports import (
    Columns,
    header_score,
    instant,
    missing_headers,
    read_rows,
    service_teams,
    severity,
    stage,
    structure,
    utc_columns,
    utc_text,
)
from lib.ingest.report import warn

TEAMS = ("Teams", "Team", "Owner Teams", "OwnerTeam", "ownerTeam")
CLOSE_TIME = ("CloseTime", "Report.CloseTime", "Report CloseTime", "report.closeTime")


def _names(cell: str) -> list[str]:
    """Tag names from `a, b`, `[a, b]` or a JSON / Python list."""
    value = structure(cell)
    if isinstance(value, list):
        return [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    return [p.strip().strip("'\"") for p in cell.strip().strip("[]").split(",") if p.strip()]


def team_names(cell: str) -> tuple[list[str], int]:
    """(team names, references that carry no name) from a Teams cell: `Platform`,
    `Platform, Search`, or a list of references `[{'id': '…', 'name': 'Platform'}]`."""
    value = structure(cell)
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        names = [str(v.get("name") or "").strip() if isinstance(v, dict) else str(v).strip() for v in value]
        return [n for n in names if n], sum(1 for n in names if not n)
    if (cell or "").strip().startswith(("[", "{")):
        return [], 1  # a structure we cannot read: not a name either
    return [p.strip() for p in (cell or "").split(",") if p.strip()], 0


@dataclass(frozen=True)
class OpsgenieAlerts:
    name: str = "opsgenie"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, ("TinyId", "Message", "CreatedAt", "Priority"))

    def score(self, source: SourceFile) -> float:
        if source.kind not in ("csv", "json"):
            return 0.0
        have = set(source.normalized_headers)
        if not {"tinyid", "alias"} & have:
            return 0.0
        return header_score(
            source,
            must=("Message", "CreatedAt", "Priority"),
            telling=("TinyId", "Alias", "ClosedAt", "Teams", "Tags", "Status", "Entity", "Source"),
        )

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_rows(source)
        cols = Columns(headers)
        by_service = service_teams(con)
        rows, close_ms = [], {}
        from_service, nameless = [], []
        for n, rec in records:
            ident = cols.first(rec, "TinyId", "Tiny Id", "Alias", "Id")
            tags = _names(cols.first(rec, "Tags"))
            service = next(
                (t.split(":", 1)[1].strip() for t in tags if t.lower().startswith("service:")),
                cols.first(rec, "Entity"),
            )
            status = cols.first(rec, "Status").lower()
            closed = cols.first(rec, "ClosedAt", "Closed At", "Closed", "ResolvedAt")
            millis = cols.first(rec, *CLOSE_TIME)
            if not closed and millis.isdigit() and status in ("closed", "resolved", ""):
                close_ms[n] = int(millis)
            names, references = team_names(cols.first(rec, *TEAMS))
            team = names[0] if names else by_service.get(service.lower(), "")
            if not names and references:
                (from_service if team else nameless).append(n)
            rows.append(
                {
                    "_row": n,
                    "incident_id": f"OG-{ident}" if ident else "",
                    "service": service,
                    "team": team,
                    "severity": severity(cols.first(rec, "Priority")),
                    "started_at": cols.first(rec, "CreatedAt", "Created At", "Created"),
                    "resolved_at": closed if status != "open" else "",
                    "caused_by_deploy_id": "",
                }
            )
        warnings = utc_columns(rows, ("started_at", "resolved_at"), options, DateHints(epoch=True), source)
        for row in rows:
            start = instant(row["started_at"])
            if not row["resolved_at"] and row["_row"] in close_ms and start:
                row["resolved_at"] = utc_text(start + dt.timedelta(milliseconds=close_ms[row["_row"]]))
        if from_service:
            warnings.append(
                warn(
                    "team_from_service",
                    "Opsgenie gives these alerts' teams as ids, not names: each took the team that deploys "
                    "its service",
                    from_service,
                )
            )
        if nameless:
            warnings.append(
                warn(
                    "team_unknown",
                    "Opsgenie gives these alerts' teams as ids, not names, and no deployment names a team for "
                    "their service: they have no team. Import deployments first, or export alerts with team "
                    "names",
                    nameless,
                )
            )
        return [stage(con, "incidents", rows, warnings)]


FORMATS = [OpsgenieAlerts()]
