"""Jira Cloud and Jira Server / Data Center CSV exports → work_items.

Both write one row per issue, a header cell per field, the same header repeated for
multi-value fields (`Labels,Labels`, `Sprint,Sprint`, `Watchers,Watchers`), custom
fields as `Custom field (Story Points)`, rich text with quoted newlines, and dates in
the site's display format (`14/Jul/25 3:42 PM`) in the site's time zone, which the
user configures as the default time zone (UTC unless set).

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- item_id ← Issue key; title ← Summary;
- type ← Issue Type and Labels by the flow-type rules (`ImportOptions.type_rules`);
- team ← a Team custom field, else Project name, else Project key;
- initiative ← an Initiative custom field, else Parent summary, else Epic Link;
- created_at ← Created; started_at ← a Start date custom field;
- completed_at ← Resolved, unless the resolution says the work was dropped
  (Won't Do, Duplicate, Cancelled, …), then canceled_at ← Resolved instead; with no
  Resolved date, a Done status category uses Status Category Changed;
- effort ← Story Points (or Story point estimate).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._tool_exports import (
    IGNORE,
    Columns,
    _key,
    flow_type,
    header_score,
    missing_headers,
    read_records,
    split_labels,
    stage,
    to_utc,
    type_rules,
    user_rule_keys,
    zone,
)

TEAM_FIELDS = (
    "Custom field (Team)",
    "Team",
    "Custom field (Team Name)",
    "Team Name",
    "Custom field (Squad)",
    "Project name",
    "Project key",
)
INITIATIVE_FIELDS = ("Custom field (Initiative)", "Initiative", "Parent summary", "Custom field (Epic Link)")
START_FIELDS = (
    "Custom field (Start date)",
    "Custom field (Start Date)",
    "Start date",
    "Custom field (Actual start)",
    "Custom field (Actual Start)",
)
POINTS_FIELDS = (
    "Custom field (Story Points)",
    "Custom field (Story point estimate)",
    "Story Points",
    "Story point estimate",
)
# Resolutions (and, without one, statuses) that close an issue without delivering it.
CANCELED_RESOLUTIONS = frozenset(
    _key(r)
    for r in (
        "Won't Do",
        "Won't Fix",
        "Duplicate",
        "Cancelled",
        "Canceled",
        "Declined",
        "Rejected",
        "Obsolete",
        "Cannot Reproduce",
        "Incomplete",
        "Invalid",
        "Abandoned",
        "Not a Bug",
        "Out of Scope",
    )
)


MUST = ("Issue key", "Summary", "Issue Type", "Created")


@dataclass(frozen=True)
class JiraCsv:
    name: str = "jira"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, MUST)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        return header_score(
            source,
            must=MUST,
            telling=("Issue id", "Status", "Resolution", "Resolved", "Project key", "Project name"),
        )

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_records(source)
        cols = Columns(headers)
        tz = zone(options.default_tz)
        rules = type_rules(options.type_rules)
        user_keys = user_rule_keys(options.type_rules)
        rows = []
        for n, rec in enumerate(records, start=2):
            labels = split_labels(cols.all(rec, "Labels", "Label"))
            kind = flow_type(cols.first(rec, "Issue Type"), labels, rules, user_keys)
            if kind == IGNORE:
                continue
            resolved = cols.first(rec, "Resolved", "Resolution date", "Resolutiondate")
            resolution = cols.first(rec, "Resolution")
            status = cols.first(rec, "Status")
            category = cols.first(rec, "Status Category")
            if not resolved and _key(category) == "done":
                resolved = cols.first(rec, "Status Category Changed")
            dropped = _key(resolution) in CANCELED_RESOLUTIONS or (
                not resolution and _key(status) in CANCELED_RESOLUTIONS
            )
            if dropped and not resolved:
                resolved = cols.first(rec, "Status Category Changed", "Updated")
            finished = to_utc(resolved, tz)
            rows.append(
                {
                    "_row": n,
                    "item_id": cols.first(rec, "Issue key"),
                    "team": cols.first(rec, *TEAM_FIELDS),
                    "type": kind,
                    "title": cols.first(rec, "Summary"),
                    "initiative": cols.first(rec, *INITIATIVE_FIELDS),
                    "created_at": to_utc(cols.first(rec, "Created"), tz),
                    "started_at": to_utc(cols.first(rec, *START_FIELDS), tz),
                    "completed_at": "" if dropped else finished,
                    "canceled_at": finished if dropped else "",
                    "effort": cols.first(rec, *POINTS_FIELDS),
                }
            )
        return [stage(con, "work_items", rows)]


FORMATS = [JiraCsv()]
