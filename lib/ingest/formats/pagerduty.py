"""PagerDuty incidents → incidents, in every layout people export them.

- the web UI's incident list CSV: `id, incident_number, title, description, status,
  urgency, priority, service_name, escalation_policy_name, created_on, resolved_on, …`;
- the Analytics / Insights raw-incident CSV: the Analytics API's raw incident fields
  (`created_at, resolved_at, seconds_to_resolve, team_name, priority_name, …`);
- the REST API's incidents (`GET /incidents`, or `pd incident list --json`): JSON objects
  with `incident_number, created_at, status, urgency, service {summary},
  priority {summary} | null, teams [{summary}], escalation_policy {summary},
  last_status_change_at` (and `resolved_at` in newer responses), as an array or wrapped
  as `{"incidents": [...], "limit": …, "more": …}`;
- the same objects flattened to CSV by client libraries (pandas' `json_normalize`):
  `service.summary`, `priority.summary`, `escalation_policy.summary`, and `teams` as
  Python's list repr `[{'id': 'PT01', 'summary': 'Search', …}]`;
- the PagerDuty CLI's `pd incident list --csv`: `ID, #, Status, Priority, Urgency,
  Title, Created, Service, Assigned to, Teams`, every cell of a row quoted when one
  needs it, `--` for an empty priority or team, and `Created` as JavaScript's
  `toLocaleString()` writes it on the machine that ran the CLI (`10/2/2025, 4:14:00 AM`
  in US English: month first, local time, no zone). It has no resolution time.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- incident_id ← `PD-` + incident number (else `PD-` + id), so PagerDuty and Opsgenie
  numbers never collide;
- service ← service name / service.summary / Service; started_at ← created;
- resolved_at ← resolved_on / resolved_at; else, for an incident whose status is
  resolved, last_status_change_at (when it last changed status: its resolution); else
  created + seconds_to_resolve (Analytics). Only resolved incidents have one;
- severity ← priority (P1…P5 → SEV1…SEV5), else urgency (`high` / `low`);
- team ← team_name / team / the first of teams, else the team the deployments of that
  service belong to, else the escalation policy's name without its `on-call` /
  `primary` / `escalation` suffix (`Payments on-call` → `Payments`).
"""

from __future__ import annotations

import datetime as dt
import re
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
    whole_number,
)
from lib.ingest.report import ImportWarning, warn

_POLICY_SUFFIX = re.compile(
    r"\s*[-–:(]?\s*(on[- ]?call|escalation policy|escalation|policy|primary|secondary|rotation)\)?$",
    re.IGNORECASE,
)
# JavaScript's toLocaleString() in US English: 10/2/2025, 4:14:00 AM
_US_LOCALE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}, \d{1,2}:\d{2}:\d{2}\s?[AP]M$")
_EMPTY = frozenset({"", "--", "null", "none"})

SERVICE = ("service_name", "service.summary", "service_summary", "service")
CREATED = ("created_on", "created_at", "created")
RESOLVED = ("resolved_on", "resolved_at")
PRIORITY = ("priority", "priority_name", "priority.summary", "priority_summary")
POLICY = (
    "escalation_policy_name",
    "escalation_policy.summary",
    "escalation_policy_summary",
    "escalation_policy",
)
TEAM = ("team_name", "team", "teams.summary")


def team_from_policy(policy: str) -> str:
    """'Payments on-call' / 'Payments - Primary' → 'Payments': the team an escalation policy is named for."""
    name, previous = policy.strip(), None
    while name and name != previous:
        previous, name = name, _POLICY_SUFFIX.sub("", name).strip()
    return name or policy.strip()


def _value(text: str) -> str:
    return "" if text.strip().lower() in _EMPTY else text.strip()


def _names(cell: str) -> list[str]:
    """Team names from a list of team references (`[{'summary': 'Search', …}]`) or `a, b`."""
    value = structure(cell)
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        return [
            str(v.get("summary") or v.get("name") or "") if isinstance(v, dict) else str(v) for v in value
        ]
    return [p.strip() for p in _value(cell).split(",") if p.strip()]


def _is_cli(source: SourceFile) -> bool:
    return "#" in [h.strip() for h in source.headers] and "assigned_to" in source.normalized_headers


@dataclass(frozen=True)
class PagerDutyIncidents:
    name: str = "pagerduty"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        have = set(source.normalized_headers)
        out = [] if have & {"service_name", "service_summary", "service"} else ["service_name"]
        out += [] if have & {"created_on", "created_at", "created"} else ["created_on"]
        return tuple(out) + missing_headers(source, ("urgency",))

    def score(self, source: SourceFile) -> float:
        if source.kind not in ("csv", "json"):
            return 0.0
        have = set(source.normalized_headers)
        service = next((s for s in ("service_name", "service_summary", "service") if s in have), None)
        created = next((c for c in ("created_on", "created_at", "created") if c in have), None)
        if not service or not created:
            return 0.0
        resolved = "resolved_on" if created == "created_on" else "resolved_at"
        telling = ("incident_number", resolved, "escalation_policy_name", "status", "id", "seconds_to_resolve",
                   "last_status_change_at", "title")  # fmt: skip
        score = header_score(source, must=(service, "urgency", created), telling=telling)
        return max(score, 0.9) if score and _is_cli(source) else score

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_rows(source)
        cols = Columns(headers)
        number_at = next((i for i, h in enumerate(headers) if h.strip() == "#"), None)
        cli = _is_cli(source)
        by_service = service_teams(con)
        rows, seconds, unresolvable = [], {}, []
        for n, rec in records:
            number = (
                cols.first(rec, "incident_number", "number")
                or (_value(rec[number_at]) if number_at is not None else "")
                or cols.first(rec, "id")
            )
            service = cols.first(rec, *SERVICE)
            status = cols.first(rec, "status").lower()
            resolved = cols.first(rec, *RESOLVED)
            if not resolved and status == "resolved":
                resolved = cols.first(rec, "last_status_change_at", "last_status_change_on")
            to_resolve = whole_number(cols.first(rec, "seconds_to_resolve"))
            if not resolved and to_resolve is not None:
                seconds[n] = to_resolve
            if cli and status == "resolved":
                unresolvable.append(n)
            teams = _names(cols.first(rec, "teams")) if cols.has("teams") else []
            team = (
                _value(cols.first(rec, *TEAM))
                or next((t for t in teams if t), "")
                or by_service.get(service.lower(), "")
                or team_from_policy(_value(cols.first(rec, *POLICY)))
            )
            rows.append(
                {
                    "_row": n,
                    "incident_id": f"PD-{number}" if number else "",
                    "service": service,
                    "team": team,
                    "severity": severity(_value(cols.first(rec, *PRIORITY)), cols.first(rec, "urgency")),
                    "started_at": cols.first(rec, *CREATED),
                    "resolved_at": resolved if status in ("", "resolved") else "",
                    "caused_by_deploy_id": cols.first(rec, "caused_by_deploy_id", "deploy_id"),
                }
            )
        note = "PagerDuty's CLI writes the local time of the machine that ran it" if cli else ""
        warnings = utc_columns(rows, ("started_at", "resolved_at"), options, _hints(cli, rows), source, note)
        for row in rows:
            start = instant(row["started_at"])
            if not row["resolved_at"] and row["_row"] in seconds and start:
                row["resolved_at"] = utc_text(start + dt.timedelta(seconds=seconds[row["_row"]]))
        if cli:
            warnings += _cli_warnings(rows, unresolvable, options)
        return [stage(con, "incidents", rows, warnings)]


def _hints(cli: bool, rows: list[dict]) -> DateHints:
    """The CLI writes dates with the locale of the machine that ran it; US English is month first."""
    if cli and any(_US_LOCALE.match(r["started_at"].strip()) for r in rows if r["started_at"]):
        return DateHints("mdy", "PagerDuty's CLI writes dates in the US English form `10/2/2025, 4:14:00 AM`")
    return DateHints()


def _cli_warnings(rows: list[dict], unresolvable: list[int], options: ImportOptions) -> list[ImportWarning]:
    if not unresolvable:
        return []
    message = (
        "`pd incident list --csv` has no resolution time: these resolved incidents have no time to restore service. "
        "Export `pd incident list --json` or the web UI's CSV to measure it"
    )
    return [warn("no_resolution_time", message, unresolvable)]


FORMATS = [PagerDutyIncidents()]
