"""PagerDuty incident exports → incidents.

Two layouts are recognised:
- the incident list CSV: `id, incident_number, title/description, status, urgency,
  priority, service_name, escalation_policy_name, created_on, resolved_on, …`;
- the Analytics / Insights raw-incident CSV, whose columns are the fields of the
  Analytics API's raw incident: `id, incident_number, description, status, urgency,
  priority_name, service_name, team_name, escalation_policy_name, created_at,
  resolved_at, seconds_to_resolve, …`.
Timestamps carry an offset; one without is read in the configured time zone.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- incident_id ← `PD-` + incident_number (else `PD-` + id), so PagerDuty and Opsgenie
  numbers never collide;
- service ← service_name; started_at ← created_on / created_at;
  resolved_at ← resolved_on / resolved_at (else created + seconds_to_resolve);
- severity ← priority (P1…P5 → SEV1…SEV5), else urgency (`high` / `low`);
- team ← team_name / team, else the team the deployments of that service belong to,
  else the escalation policy's name without its `on-call` / `primary` / `escalation`
  suffix (`Payments on-call` → `Payments`).
"""

from __future__ import annotations

import datetime as dt
import re
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

_POLICY_SUFFIX = re.compile(
    r"\s*[-–:(]?\s*(on[- ]?call|escalation policy|escalation|policy|primary|secondary|rotation)\)?$",
    re.IGNORECASE,
)


def team_from_policy(policy: str) -> str:
    """'Payments on-call' / 'Payments - Primary' → 'Payments': the team an escalation policy is named for."""
    name, previous = policy.strip(), None
    while name and name != previous:
        previous, name = name, _POLICY_SUFFIX.sub("", name).strip()
    return name or policy.strip()


@dataclass(frozen=True)
class PagerDutyIncidents:
    name: str = "pagerduty"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, ("service_name", "urgency", "created_on"))

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        have = set(source.normalized_headers)
        created = "created_on" if "created_on" in have else "created_at"
        return header_score(
            source,
            must=("service_name", "urgency", created),
            telling=("incident_number", "resolved_on" if created == "created_on" else "resolved_at",
                     "escalation_policy_name", "status", "id", "seconds_to_resolve"),
        )  # fmt: skip

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_records(source)
        cols = Columns(headers)
        tz = zone(options.default_tz)
        by_service = service_teams(con)
        rows = []
        for n, rec in enumerate(records, start=2):
            number = cols.first(rec, "incident_number", "number") or cols.first(rec, "id")
            service = cols.first(rec, "service_name", "service")
            created = cols.first(rec, "created_on", "created_at")
            resolved = cols.first(rec, "resolved_on", "resolved_at")
            if not resolved and cols.first(rec, "seconds_to_resolve").isdigit():
                start = parse_instant(created, tz)
                seconds = int(cols.first(rec, "seconds_to_resolve"))
                resolved = utc_text(start + dt.timedelta(seconds=seconds)) if start else ""
            team = (
                cols.first(rec, "team_name", "team", "teams")
                or by_service.get(service.lower(), "")
                or team_from_policy(cols.first(rec, "escalation_policy_name", "escalation_policy"))
            )
            rows.append(
                {
                    "_row": n,
                    "incident_id": f"PD-{number}" if number else "",
                    "service": service,
                    "team": team,
                    "severity": severity(
                        cols.first(rec, "priority", "priority_name", "priority_summary"),
                        cols.first(rec, "urgency"),
                    ),
                    "started_at": to_utc(created, tz),
                    "resolved_at": to_utc(resolved, tz),
                    "caused_by_deploy_id": cols.first(rec, "caused_by_deploy_id", "deploy_id"),
                }
            )
        return [stage(con, "incidents", rows)]


FORMATS = [PagerDutyIncidents()]
