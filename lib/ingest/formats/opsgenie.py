"""Opsgenie alert exports → incidents.

The alert list export has one row per alert with the Alert API's fields as columns:
`TinyId, Alias, Message, Status, Acknowledged, IsSeen, Count, Owner, Priority, Teams,
Tags, Source, Entity, CreatedAt, UpdatedAt, ClosedAt, …`, times in epoch
milliseconds or ISO 8601. Some exports give, instead of ClosedAt, the report's
`CloseTime`: milliseconds from creation to close.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- incident_id ← `OG-` + TinyId (else Alias, else Id);
- started_at ← CreatedAt; resolved_at ← ClosedAt, else CreatedAt + CloseTime, only for
  closed alerts;
- severity ← Priority (P1…P5 → SEV1…SEV5);
- team ← the first of Teams (else Owner team), else the deployments' team for the service;
- service ← a `service:<name>` tag, else Entity.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._tool_exports import (
    Columns,
    header_score,
    missing_headers,
    parse_instant,
    read_records,
    service_teams,
    severity,
    stage,
    to_utc,
    utc_text,
    zone,
)


def _names(cell: str) -> list[str]:
    """Team or tag names from `a, b`, `[a, b]` or a JSON list (of names or {"name": …})."""
    cell = cell.strip()
    if cell.startswith("["):
        try:
            data = json.loads(cell)
            return [str(d.get("name", "")) if isinstance(d, dict) else str(d) for d in data]
        except ValueError:
            cell = cell.strip("[]")
    return [p.strip().strip("'\"") for p in cell.split(",") if p.strip()]


@dataclass(frozen=True)
class OpsgenieAlerts:
    name: str = "opsgenie"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, ("TinyId", "Message", "CreatedAt", "Priority"))

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
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
        headers, records = read_records(source)
        cols = Columns(headers)
        tz = zone(options.default_tz)
        by_service = service_teams(con)
        rows = []
        for n, rec in enumerate(records, start=2):
            ident = cols.first(rec, "TinyId", "Tiny Id", "Alias", "Id")
            tags = _names(cols.first(rec, "Tags"))
            service = next(
                (t.split(":", 1)[1].strip() for t in tags if t.lower().startswith("service:")),
                cols.first(rec, "Entity"),
            )
            created = cols.first(rec, "CreatedAt", "Created At", "Created")
            status = cols.first(rec, "Status").lower()
            closed = cols.first(rec, "ClosedAt", "Closed At", "Closed", "ResolvedAt")
            close_ms = cols.first(rec, "CloseTime", "Report.CloseTime", "Report CloseTime")
            if not closed and close_ms.isdigit() and status in ("closed", "resolved", ""):
                start = parse_instant(created, tz, epoch=True)
                closed = utc_text(start + dt.timedelta(milliseconds=int(close_ms))) if start else ""
            teams = _names(cols.first(rec, "Teams", "Team", "Owner Teams", "OwnerTeam"))
            rows.append(
                {
                    "_row": n,
                    "incident_id": f"OG-{ident}" if ident else "",
                    "service": service,
                    "team": (teams[0] if teams else "") or by_service.get(service.lower(), ""),
                    "severity": severity(cols.first(rec, "Priority")),
                    "started_at": to_utc(created, tz, epoch=True),
                    "resolved_at": to_utc(closed, tz, epoch=True) if status != "open" else "",
                    "caused_by_deploy_id": "",
                }
            )
        return [stage(con, "incidents", rows)]


FORMATS = [OpsgenieAlerts()]
