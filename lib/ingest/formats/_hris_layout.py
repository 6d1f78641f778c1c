"""How an HRIS report is laid out and linked (for `hris.py`): which column holds each field,
its dates read by the importer's one parser, and the manager column linked to people.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lib.ingest import dates
from lib.ingest.dates import DateHints
from lib.ingest.formats import _hris_rules as rules
from lib.ingest.report import ImportWarning

# ---------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Layout:
    """Which column holds each field (positions in preference order) and the report's style."""

    positions: dict[str, list[int]]
    headers: tuple[str, ...]
    style: str

    @classmethod
    def of(cls, headers: tuple[str, ...]) -> Layout:
        keys = [rules.loose(h) for h in headers]
        positions: dict[str, list[int]] = {}
        for name, synonyms in rules.FIELDS.items():
            found = [i for s in synonyms for i, k in enumerate(keys) if k == s]
            if found:
                positions[name] = list(dict.fromkeys(found))
        present = set(keys)
        style = max(
            rules.STYLES, key=lambda s: (len(present & set(rules.STYLES[s])), -list(rules.STYLES).index(s))
        )
        if not present & set(rules.STYLES[style]):
            style = "spreadsheet"
        return cls(positions, tuple(headers), style)

    def has(self, name: str) -> bool:
        return name in self.positions

    def value(self, record: list[str], name: str) -> tuple[str, int | None]:
        """The first non-empty cell among the field's columns, and its column."""
        for i in self.positions.get(name, ()):
            cell = record[i].strip() if i < len(record) else ""
            if cell:
                return cell, i
        return "", None


def name_key(text: str) -> str:
    """`Smith, Jane` and `Jane  Smith` → `jane smith`: words sorted, initials dropped."""
    words = [w for w in re.split(r"[^0-9a-zà-ÿ]+", text.lower()) if len(w) > 1]
    return " ".join(sorted(words))


# ---------------------------------------------------------------------------- dates

# What a report writes for "no date": BambooHR's 0000-00-00, and what people type.
EMPTY_DATES = {"", "0000-00-00", "00/00/0000", "0", "-", "n/a", "na", "none", "null"}
DATE_FIELDS = ("hire_date", "original_hire_date", "termination_date")


def read_dates(
    layout: Layout,
    records: list[tuple[int, list[str]]],
    tz: str,
    user_order: str | None,
    serial: bool,
) -> tuple[dict[tuple[int, int], dt.date], list, list[ImportWarning]]:
    """Every date cell of the report read by the importer's one date parser (lib.ingest.dates):
    the numeric day/month order decided once for the file (the user's, else the tool's, else
    the only one the values allow). Returns (row, column) → date, problems, warnings."""
    columns = sorted({c for f in DATE_FIELDS for c in layout.positions.get(f, ())})
    cells = [
        (row, c, record[c].strip())
        for row, record in records
        for c in columns
        if c < len(record) and record[c].strip().lower() not in EMPTY_DATES
    ]
    if not cells:
        return {}, [], []
    tool = rules.TOOL_DATE_ORDER.get(layout.style)
    hints = DateHints(order=tool, order_source=rules.TOOL_DATE_SOURCE.get(layout.style, ""), serial=serial)
    found = dates.values_evidence((row, layout.headers[c], text) for row, c, text in cells)
    decision = dates.decide_order(found, user_order, hints)
    if decision.refusal:
        cell, reason = decision.refusal
        return {}, [(cell.row, cell.column, cell.value, reason)], []
    parsed = dates.parse_dates((text for *_, text in cells), tz, decision.order, serial=serial)
    read, problems = {}, []
    for (row, c, text), day in zip(cells, parsed, strict=True):
        if day is None:
            problems.append((row, layout.headers[c], text, "is not a date"))
        else:
            read[(row, c)] = day
    return read, problems, [decision.warning] if decision.warning else []


def team(layout: Layout, record: list[str]) -> tuple[str, str]:
    text, column = layout.value(record, "team")
    return text, rules.loose(layout.headers[column]) if column is not None else ""


def manager_kind(
    layout: Layout, records: list[tuple[int, list[str]]], ids: set[str]
) -> tuple[str | None, bool] | None:
    """What a `Reports To` / `Manager` column holds (ids, e-mails or names, by its values), and
    whether a manager-id column's values are this file's employee ids (a hand-kept sheet may
    number its managers apart: then the name column links instead)."""
    if not layout.has("manager"):
        return None

    def values(name: str) -> list[str]:
        return [v for _, r in records if (v := layout.value(r, name)[0])]

    def mostly(found: list[str], test) -> bool:
        return bool(found) and sum(map(test, found)) * 2 >= len(found)

    manager_ids = values("manager_id")
    ids_link = not manager_ids or mostly(manager_ids, lambda v: v.lower() in ids)
    found = values("manager")
    if not found:
        return None, True
    if mostly(found, lambda v: v.lower() in ids):
        return "id", ids_link
    if mostly(found, lambda v: "@" in v):
        return "email", ids_link
    return "name", ids_link


def manager(layout, record, kind, by_name, by_email, pseudo, notes: dict, row: int) -> str | None:
    """The pseudonym of the row's manager: by id, by e-mail, or by name (see the module doc)."""
    manager_id = layout.value(record, "manager_id")[0]
    if manager_id and (kind is None or kind[1]):
        return pseudo(manager_id)
    kind = kind[0] if kind else None
    email = layout.value(record, "manager_email")[0]
    text = layout.value(record, "manager")[0]
    if not email and kind == "email":
        email = text
    if email:
        return pseudo(by_email.get(email.lower(), email))
    if not text:
        return None
    if kind == "id":
        return pseudo(text)
    key = name_key(text)
    found = by_name.get(key, set())
    if len(found) == 1:
        return pseudo(next(iter(found)))
    if found:
        code, message = (
            "hris_manager_ambiguous",
            "Managers named like two people of the file: linked by their name",
        )
    else:
        code, message = (
            "hris_manager_outside",
            "Managers not in the file: linked by the pseudonym of their name",
        )
    notes.setdefault((code, message), []).append(row)
    return pseudo("name:" + key)
