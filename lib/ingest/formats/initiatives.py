"""A small initiatives file → initiatives.

One row per business initiative, as a product or strategy team keeps the list:
`Initiative` (or Name, Objective, Programme, Theme), `Owner` (Lead, Sponsor, DRI),
`Business metric` (Metric, KPI, Target metric, North star), `Epics` (Epic, Projects,
Jira epics, Maps to; several columns of the same name are joined) and `Description`
(Goal, Summary). The canonical `initiatives` template reads the same way.

- The business metric is named as the finance import names it (`Revenue`, `ARR`,
  `Churn rate`, `NPS` → revenue, arr, churn_rate, nps).
- Epics are the values work items carry in their `initiative` column (a Jira epic or
  parent summary, a Linear project or initiative), separated by `;` or `,`.
- The owner is a role or a team ("VP Product, Commerce"): an e-mail address is refused,
  as Pillars stores no personal contact details.
- An initiative named twice, or an epic listed under two initiatives, is refused with
  both rows named: either would make cost by initiative depend on row order.
"""

from __future__ import annotations

import re

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats import finance_values as fv
from lib.ingest.formats._tool_exports import stage
from lib.ingest.validate import MAX_PROBLEMS, Problem, ValidationError

FORMATS_SCORE = 0.96  # above the canonical template's 0.95: business metric names are normalised
INITIATIVE = ("initiative", "initiative_name", "business_initiative", "objective", "programme", "program")
INITIATIVE_WEAK = ("name", "title", "theme", "bet")
OWNER = ("owner", "initiative_owner", "lead", "sponsor", "dri", "accountable", "executive_sponsor")
OWNER_MORE = ("business_owner", "owner_role", "owning_team")
METRIC = ("business_metric", "target_metric", "metric_to_move", "outcome_metric", "north_star")
METRIC_MORE = ("north_star_metric", "success_metric", "kpi", "metric", "goal_metric", "moves")
EPICS = ("epics", "epic", "epic_keys", "epic_links", "jira_epics", "projects", "project", "linear_projects")
EPICS_MORE = ("maps_to", "work_items", "jira_keys", "keys", "epic_names")
DESCRIPTION = ("description", "goal", "summary", "details", "why")
WORK_ITEM_HEADERS = frozenset(
    ("issue_key", "issue_id", "item_id", "assignee", "priority", "created", "created_at")
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)


def _positions(norm: tuple[str, ...], names: tuple[str, ...]) -> list[int]:
    return [i for i, h in enumerate(norm) if h in names]


def _column(norm: tuple[str, ...], *groups: tuple[str, ...]) -> int | None:
    for names in groups:
        for name in names:
            if name in norm:
                return norm.index(name)
    return None


def split_epics(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,\n]", text or "") if p.strip()]


class InitiativesFile:
    name = "initiatives"

    def columns(self, source: SourceFile) -> dict[str, object] | None:
        norm = source.normalized_headers
        initiative = _column(norm, INITIATIVE, INITIATIVE_WEAK)
        owner = _column(norm, OWNER, OWNER_MORE)
        metric = _column(norm, METRIC, METRIC_MORE)
        if initiative is None or (owner is None and metric is None) or set(norm) & WORK_ITEM_HEADERS:
            return None
        return {
            "initiative": initiative,
            "owner": owner,
            "metric": metric,
            "epics": _positions(norm, EPICS + EPICS_MORE),
            "description": _column(norm, DESCRIPTION),
        }

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        norm = source.normalized_headers
        lacking = []
        if _column(norm, INITIATIVE, INITIATIVE_WEAK) is None:
            lacking.append("Initiative")
        if _column(norm, OWNER, OWNER_MORE) is None and _column(norm, METRIC, METRIC_MORE) is None:
            lacking.append("Owner or Business metric")
        return tuple(lacking)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        found = self.columns(source)
        if found is None:
            return 0.0
        if source.normalized_headers[found["initiative"]] in INITIATIVE:
            return FORMATS_SCORE
        return 0.9 if found["metric"] is not None and found["owner"] is not None else 0.55

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        found = self.columns(source)
        if found is None:
            raise ValueError("no Initiative column with an Owner or Business metric column")
        heads = source.headers
        problems: list[Problem] = []
        count = 0
        rows: list[dict[str, str]] = []
        names: dict[str, int] = {}
        epic_rows: dict[str, tuple[str, int]] = {}

        def problem(row: int, column: int, value: str, reason: str) -> None:
            nonlocal count
            count += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(Problem(row, heads[column], value, reason))

        for row, record in fv.records(source):
            name = record[found["initiative"]].strip()
            if not name:
                problem(row, found["initiative"], None, "is empty (every row names its initiative)")
                continue
            if name.lower() in names:
                problem(row, found["initiative"], name, f"is already in row {names[name.lower()]}")
                continue
            names[name.lower()] = row
            owner = record[found["owner"]].strip() if found["owner"] is not None else ""
            if _EMAIL.search(owner):
                problem(row, found["owner"], owner, "is an e-mail address: write the owner's role or team")
                continue
            epics = []
            for i in found["epics"]:
                for epic in split_epics(record[i]):
                    earlier = epic_rows.get(epic.lower())
                    if earlier and earlier[0] != name:
                        problem(row, i, epic, f"is already listed under {earlier[0]!r} in row {earlier[1]}")
                        continue
                    epic_rows[epic.lower()] = (name, row)
                    epics.append(epic)
            metric_text = record[found["metric"]].strip() if found["metric"] is not None else ""
            rows.append(
                {
                    "_row": str(row),
                    "initiative": name,
                    "owner": owner,
                    "business_metric": fv.metric_name(metric_text) if metric_text else "",
                    "epics": "; ".join(dict.fromkeys(epics)),
                    "description": record[found["description"]].strip()
                    if found["description"] is not None
                    else "",
                }
            )
        if count:
            raise ValidationError(source.label, tuple(problems), count)
        if not rows:
            raise ValidationError(source.label, (Problem(None, None, None, "lists no initiative"),), 1)
        return [stage(con, "initiatives", rows)]


FORMATS = [InitiativesFile()]
