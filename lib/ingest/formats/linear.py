"""Linear CSV export (Settings → Import / Export → Export CSV) → work_items and transitions.

The export has one row per issue with `ID, Team, Title, Description, Status, Estimate,
Priority, Project ID, Project, Creator, Assignee, Labels, Cycle …, Created, Updated,
Started, Triaged, Completed, Canceled, Archived, …` and, in newer exports, `UUID` and
`Time in status (minutes)`. Dates are ISO 8601 with `Z`, or JavaScript's
`Wed May 13 2026 11:21:41 GMT+0000 (…)` in some exports; both are read.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- item_id ← ID; team ← Team; title ← Title; initiative ← Initiatives, else Project;
- type ← Labels by the flow-type rules (Linear has no issue type; a label group such as
  `Type/Bug` counts by its last part); without a matching label: feature;
- created_at ← Created; started_at ← Started; completed_at ← Completed;
  canceled_at ← Canceled (canceled and duplicate issues are never completed work);
- effort ← Estimate.

Per-status durations. When the file says how long each issue spent in each status,
either as one column per status (`Time in In Progress (minutes)`) or as a map in the
`Time in status (minutes)` cell (`{"In Progress": 120, "In Review": 45}` or
`In Progress: 120; In Review: 45`), they become work_item_transitions so flow
efficiency can be computed: starting at the item's flow start, its working statuses
in the file's order, then its waiting statuses, each lasting its minutes, then the
completing status at Completed. Durations are exact; the order within each group is
not known, so those intermediate timestamps are reconstructed. A plain number in
`Time in status (minutes)` is the time in the current status only and is not used.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats._flow_types import IGNORE, flow_type, split_labels, type_rules, user_rule_keys
from lib.ingest.formats._tool_exports import (
    Columns,
    header_score,
    instant,
    missing_headers,
    read_rows,
    stage,
    status_active,
    utc_columns,
    utc_text,
)

_STATUS_COLUMN = re.compile(r"^(?:time in|minutes in)\s+(.+?)(?:\s*\((?:minutes|min|mins)\))?$", re.I)
_PAIR = re.compile(r"\s*([^:;,{}\"]+?)\s*:\s*(\d+(?:\.\d+)?)\s*")
_PRE_START = ("backlog", "todo", "to do", "triage", "unstarted")


def per_status_columns(headers: list[str]) -> dict[int, str]:
    """Column position → status name for headers such as `Time in In Progress (minutes)`."""
    found = {}
    for i, header in enumerate(headers):
        m = _STATUS_COLUMN.match(header.strip())
        if m and normalize_header(m.group(1)) != "status":
            found[i] = m.group(1).strip()
    return found


def parse_durations(cell: str) -> dict[str, float]:
    """Status → minutes from a JSON object or `Status: minutes` pairs; {} for anything else."""
    cell = (cell or "").strip()
    if not cell or re.fullmatch(r"\d+(\.\d+)?", cell):
        return {}
    try:
        data = json.loads(cell)
    except ValueError:
        return {name.strip(): float(v) for name, v in _PAIR.findall(cell)}
    if isinstance(data, dict):
        return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}
    return {}


def transitions(
    item_id: str,
    durations: dict[str, float],
    flow_start: dt.datetime | None,
    completed: dt.datetime | None,
    started_known: bool,
    final_status: str,
    row: int,
) -> list[dict]:
    """Reconstructed status changes whose durations equal the file's per-status minutes."""
    if flow_start is None:
        return []
    working, waiting = [], []
    for status, minutes in durations.items():
        active = status_active(status)
        if active is None or minutes <= 0:
            continue
        if started_known and any(w in status.lower() for w in _PRE_START):
            continue  # before Started: not part of the flow time
        (working if active else waiting).append((status, minutes))
    out, t = [], flow_start
    for status, minutes in working + waiting:
        if completed is not None and t >= completed:
            break
        out.append(
            {"_row": row, "item_id": item_id, "changed_at": utc_text(t), "to_status": status,
             "active": "true" if status_active(status) else "false"}
        )  # fmt: skip
        t += dt.timedelta(minutes=minutes)
    if out and completed is not None:
        out.append(
            {"_row": row, "item_id": item_id, "changed_at": utc_text(completed),
             "to_status": final_status or "Done", "active": "false"}
        )  # fmt: skip
    return out


MUST = ("ID", "Team", "Title", "Status", "Created")


@dataclass(frozen=True)
class LinearCsv:
    name: str = "linear"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, MUST)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        return header_score(
            source,
            must=MUST,
            telling=("Started", "Completed", "Canceled", "Estimate", "Cycle Number", "Triaged", "Project"),
        )

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_rows(source)
        cols = Columns(headers)
        status_cols = per_status_columns(headers)
        rules = type_rules(options.type_rules)
        user_keys = user_rule_keys(options.type_rules)
        items, durations = [], {}
        for n, rec in records:
            labels = split_labels(cols.all(rec, "Labels"))
            kind = flow_type("", labels, rules, user_keys)
            if kind == IGNORE:
                continue
            items.append(
                {
                    "_row": n,
                    "item_id": cols.first(rec, "ID"),
                    "team": cols.first(rec, "Team"),
                    "type": kind,
                    "title": cols.first(rec, "Title"),
                    "initiative": cols.first(rec, "Initiatives", "Initiative", "Project"),
                    "created_at": cols.first(rec, "Created"),
                    "started_at": cols.first(rec, "Started"),
                    "completed_at": cols.first(rec, "Completed"),
                    "canceled_at": cols.first(rec, "Canceled", "Cancelled"),
                    "effort": cols.first(rec, "Estimate"),
                    "_status": cols.first(rec, "Status"),
                }
            )
            minutes = {
                status: float(rec[i]) for i, status in status_cols.items() if _number(rec[i])
            } or parse_durations(cols.first(rec, "Time in status (minutes)", "Time in status"))
            if minutes:
                durations[n] = minutes
        warnings = utc_columns(
            items, ("created_at", "started_at", "completed_at", "canceled_at"), options, source=source
        )
        moves = []
        for item in items:
            status = item.pop("_status")
            if item["_row"] in durations:
                moves += transitions(
                    item["item_id"],
                    durations[item["_row"]],
                    instant(item["started_at"]) or instant(item["created_at"]),
                    instant(item["completed_at"]),
                    bool(item["started_at"].strip()),
                    status,
                    item["_row"],
                )
        staged = [stage(con, "work_items", items, warnings)]
        if moves:
            staged.append(stage(con, "work_item_transitions", moves))
        return staged


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"\s*\d+(\.\d+)?\s*", text or ""))


FORMATS = [LinearCsv()]
