"""Jira Cloud and Jira Server / Data Center CSV exports → work_items.

Both write one row per issue, a header cell per field, the same header repeated for
multi-value fields (`Labels,Labels`, `Sprint,Sprint`, `Watchers,Watchers`), custom
fields as `Custom field (Story Points)`, rich text with quoted newlines, and dates in
the site's display format (`14/Jul/25 3:42 PM`) in the site's time zone, which the
user configures as the default time zone (UTC unless set). An export made with
"current fields" has only the columns on screen: often no `Resolved` date at all.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- item_id ← Issue key; title ← Summary;
- type ← Issue Type and Labels by the flow-type rules (`ImportOptions.type_rules`);
- team ← a Team custom field, else Project name, else Project key;
- initiative ← an Initiative custom field, else Parent summary, else Epic Link;
- created_at ← Created; started_at ← a Start date custom field;
- completed or dropped, from Jira's own vocabularies: the Resolution when there is one
  (DONE_RESOLUTIONS, DROPPED_RESOLUTIONS; one Pillars does not know counts as
  delivered, with a warning naming it), else the Status (DONE_STATUSES,
  DROPPED_STATUSES) or a Done status category. The user marks a site's own
  resolutions and statuses done or dropped (`ImportOptions.jira_rules`, saved);
- the date of that completion (completed_at, or canceled_at for dropped work): Resolved,
  else Status Category Changed (for a Done category), else Updated, the best date the
  file has, with a warning counting the issues dated by Updated;
- effort ← Story Points (or Story point estimate).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._flow_types import IGNORE, flow_type, split_labels, type_rules, user_rule_keys
from lib.ingest.formats._tool_exports import (
    Columns,
    _key,
    header_score,
    missing_headers,
    read_rows,
    stage,
    utc_columns,
)
from lib.ingest.report import ImportWarning, warn

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
RESOLVED_FIELDS = ("Resolved", "Resolution date", "Resolutiondate")
DATE_COLUMNS = ("created_at", "started_at", "completed_at", "canceled_at")

DONE, DROPPED, OPEN = "done", "dropped", "open"

# Jira's default resolutions (Cloud: Done, Won't Do, Duplicate, Cannot Reproduce,
# Declined; Server: Fixed, Won't Fix, Duplicate, Incomplete, Cannot Reproduce) and the
# ones sites commonly add.
DONE_RESOLUTIONS = ("Done", "Fixed", "Resolved", "Complete", "Completed", "Implemented", "Delivered",
                    "Released", "Deployed", "Shipped")  # fmt: skip
DROPPED_RESOLUTIONS = ("Won't Do", "Won't Fix", "Duplicate", "Cancelled", "Canceled", "Declined", "Rejected",
                       "Obsolete", "Out of Date", "Cannot Reproduce", "Incomplete", "Invalid", "Abandoned",
                       "Not a Bug", "Out of Scope", "Won't Implement", "Not Applicable", "Works as Designed",
                       "Working as Intended", "Withdrawn", "Superseded")  # fmt: skip
# Statuses that say the same when an issue has no resolution.
DONE_STATUSES = ("Done", "Closed", "Resolved", "Complete", "Completed", "Released", "Shipped", "Deployed",
                 "Delivered")  # fmt: skip
DROPPED_STATUSES = ("Cancelled", "Canceled", "Won't Do", "Won't Fix", "Rejected", "Declined", "Abandoned",
                    "Obsolete", "Duplicate", "Invalid")  # fmt: skip
# Written in the Resolution column of an issue that has none.
NO_RESOLUTION = frozenset({"", "unresolved", "none"})


@dataclass(frozen=True)
class Vocabulary:
    """Resolutions and statuses → done / dropped (statuses also → open), keys compared loosely."""

    resolutions: dict[str, str]
    statuses: dict[str, str]

    def resolution(self, text: str) -> str | None:
        """done / dropped, None for an unknown one (counted as done, with a warning)."""
        return self.resolutions.get(_key(text))

    def status(self, text: str) -> str | None:
        return self.statuses.get(_key(text))


def vocabulary(rules: dict[str, dict[str, str]] | None) -> Vocabulary:
    """The default vocabularies with the user's marks (`ImportOptions.jira_rules`) on top.

    `rules` is `{"resolutions": {"Out of Date": "dropped"}, "statuses": {"Shipped": "done"}}`;
    a resolution is marked done or dropped, a status done, dropped or open. Raises
    ValueError naming a mark that is none of these.
    """
    resolutions = {_key(r): DONE for r in DONE_RESOLUTIONS} | {_key(r): DROPPED for r in DROPPED_RESOLUTIONS}
    statuses = {_key(s): DONE for s in DONE_STATUSES} | {_key(s): DROPPED for s in DROPPED_STATUSES}
    for kind, table, allowed in (
        ("resolutions", resolutions, (DONE, DROPPED)),
        ("statuses", statuses, (DONE, DROPPED, OPEN)),
    ):
        for name, mark in ((rules or {}).get(kind) or {}).items():
            value = str(mark).strip().lower()
            if value not in allowed:
                raise ValueError(f"Jira {kind[:-1]} {name!r} → {mark!r}: use {' or '.join(allowed)}")
            table[_key(name)] = value
    return Vocabulary(resolutions, statuses)


def outcome(resolution: str, status: str, category: str, words: Vocabulary) -> tuple[str, str]:
    """(done / dropped / open, why) for one issue: the resolution decides when there is
    one, else the status, else a Done status category."""
    if _key(resolution) not in {_key(n) for n in NO_RESOLUTION}:
        return words.resolution(resolution) or DONE, "resolution" if words.resolution(
            resolution
        ) else "unknown"
    marked = words.status(status)
    if _key(category) == "done" and marked not in (DROPPED, OPEN):
        return DONE, "category"  # Jira's own Done category says so
    if marked in (DONE, DROPPED):
        return marked, "status"
    return OPEN, ""


def vocabulary_in_file(source: SourceFile, options: ImportOptions) -> list[tuple[str, str, int, str]]:
    """(kind, name, issues, mark) for every resolution, then every status of issues without
    one, in the file: what the Data page offers to mark done or dropped. A resolution
    Pillars does not know is marked "unknown" (it counts as done until the user says)."""
    headers, records = read_rows(source)
    cols = Columns(headers)
    words = vocabulary(options.jira_rules)
    resolutions: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for _, rec in records:
        resolution = cols.first(rec, "Resolution")
        if _key(resolution) not in {_key(n) for n in NO_RESOLUTION}:
            resolutions[resolution] += 1
        else:
            statuses[cols.first(rec, "Status")] += 1
    out = [
        ("resolution", name, n, words.resolution(name) or "unknown") for name, n in resolutions.most_common()
    ]
    out += [("status", name, n, words.status(name) or OPEN) for name, n in statuses.most_common() if name]
    return out


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
        headers, records = read_rows(source)
        cols = Columns(headers)
        rules = type_rules(options.type_rules)
        user_keys = user_rule_keys(options.type_rules)
        words = vocabulary(options.jira_rules)
        rows = []
        unknown: dict[str, list[int]] = {}
        by_updated: dict[str, list[int]] = {DONE: [], DROPPED: []}
        undated: list[int] = []
        from_status: Counter[str] = Counter()
        status_rows: list[int] = []
        closed_as: Counter[str] = Counter()
        for n, rec in records:
            labels = split_labels(cols.all(rec, "Labels", "Label"))
            kind = flow_type(cols.first(rec, "Issue Type"), labels, rules, user_keys)
            if kind == IGNORE:
                continue
            resolution = cols.first(rec, "Resolution")
            status = cols.first(rec, "Status")
            category = cols.first(rec, "Status Category")
            result, why = outcome(resolution, status, category, words)
            if why == "unknown":
                unknown.setdefault(resolution, []).append(n)
            elif why == "status":
                from_status[status] += 1
                status_rows.append(n)
            finished = ""
            if result != OPEN:
                finished = cols.first(rec, *RESOLVED_FIELDS)
                if not finished and (_key(category) == "done" or result == DROPPED):
                    finished = cols.first(rec, "Status Category Changed")
                if not finished:
                    finished = cols.first(rec, "Updated")
                    if finished:
                        by_updated[result].append(n)
                        if result == DONE:
                            closed_as[f"{status} / {resolution}" if resolution else status] += 1
                    else:
                        undated.append(n)
            rows.append(
                {
                    "_row": n,
                    "item_id": cols.first(rec, "Issue key"),
                    "team": cols.first(rec, *TEAM_FIELDS),
                    "type": kind,
                    "title": cols.first(rec, "Summary"),
                    "initiative": cols.first(rec, *INITIATIVE_FIELDS),
                    "created_at": cols.first(rec, "Created"),
                    "started_at": cols.first(rec, *START_FIELDS),
                    "completed_at": finished if result == DONE else "",
                    "canceled_at": finished if result == DROPPED else "",
                    "effort": cols.first(rec, *POINTS_FIELDS),
                }
            )
        note = "Jira writes the site's local time without saying which"
        warnings = utc_columns(rows, DATE_COLUMNS, options, source=source, zone_note=note)
        warnings += _warnings(unknown, by_updated, undated, from_status, status_rows, closed_as)
        return [stage(con, "work_items", rows, warnings)]


def _counted(counter: Counter[str]) -> str:
    return ", ".join(f"{name} ×{count}" for name, count in counter.most_common())


def _warnings(
    unknown: dict[str, list[int]],
    by_updated: dict[str, list[int]],
    undated: list[int],
    from_status: Counter[str],
    status_rows: list[int],
    closed_as: Counter[str],
) -> list[ImportWarning]:
    out = []
    for resolution, rows in sorted(unknown.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(
            warn(
                "jira_unknown_resolution",
                f"Resolution {resolution!r} is not one Pillars knows: counted as delivered. If it means the "
                "work was not delivered, mark it dropped (Data page, or --jira-resolution "
                f"{resolution!r}=dropped)",
                rows,
                detail=resolution,
            )
        )
    if from_status:
        out.append(
            warn(
                "jira_completed_from_status",
                f"Issues with no resolution were counted by their status ({_counted(from_status)})",
                status_rows,
            )
        )
    if by_updated[DONE]:
        out.append(
            warn(
                "jira_completed_without_date",
                f"Issues closed as delivered ({_counted(closed_as)}) have no Resolved date in this export: "
                "each is dated by Updated, its last change, the best date the file has. Export with the "
                "Resolved column for exact completion dates",
                by_updated[DONE],
            )
        )
    if by_updated[DROPPED]:
        out.append(
            warn(
                "jira_dropped_without_date",
                "Issues closed without delivery have no Resolved date in this export: each is dated by "
                "Updated, its last change",
                by_updated[DROPPED],
            )
        )
    if undated:
        out.append(
            warn(
                "jira_closed_undated",
                "Issues closed in Jira have no Resolved or Updated date in this export: counted as still "
                "open, since Pillars cannot say when they finished",
                undated,
            )
        )
    return out


FORMATS = [JiraCsv()]
