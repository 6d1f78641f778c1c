"""HRIS employee reports → employees, recognised from their headers without a mapping step.

BambooHR, Workday, HiBob, Personio, Rippling and ADP reports, and the spreadsheets people
keep by hand: any file with an employee id or work e-mail, a hire date and at least one
other HR column (termination date, status, department, manager, title, …) under any of
the spellings in `_hris_rules.FIELDS`. The rules are documented in docs/IMPORT.md.

Privacy (SPEC §4, §6): only the columns in `FIELDS` are read. Employee ids, work e-mails
and manager links are pseudonymised here, in Python, with the same salt as every other
import, so no identifier, name or e-mail reaches DuckDB: the relation handed to the
loader holds pseudonyms only. Names are read for one purpose, linking a manager column
that holds names (`Reports To: Smith, Jane`) to that manager's employee id; a manager not
in the file is linked by the pseudonym of the name. Pay, birth dates and the like are
never read. The loader keeps the minimised copy, never the upload.

Rows are employment stints: a rehire whose report gives an original hire date and a
termination before the latest hire date is two rows, the earlier stint under its own
pseudonymous id (`<id>#<original hire date>`), so its separation and its return both count.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import _hris_rules as rules
from lib.privacy import pseudonym
from lib.tables import TABLES

MAX_PROBLEMS = 100
ORDERS = ("dmy", "mdy", "ymd")
EMPTY_DATES = {"", "0000-00-00", "00/00/0000", "0", "-", "n/a", "na", "none", "null"}
EARLIEST = dt.date(1990, 1, 1)
_CANONICAL = set(TABLES["employees"].column_names)


# ---------------------------------------------------------------------------- dates
# One small place, to be replaced by the importer's shared date parser (SPEC §4).

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:\s.*)?$")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[\s\-/]+([A-Za-z]{3,9})\.?[\s\-/,]+(\d{2,4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")


class DateOrderNeeded(ValueError):
    """A numeric day/month date in a file whose tool and user set no order."""


def parse_date(text: str, order: str | None) -> dt.date | None:
    """A date as HR tools and people write it; None for an empty one (`0000-00-00`).

    ISO 8601 (a time with an offset is taken in UTC before its date), `YYYY/MM/DD`, numeric
    day/month dates by `order` (`dmy` or `mdy`; DateOrderNeeded without one), `14 Mar 2024`,
    `March 14, 2024`. ValueError for anything else.
    """
    value = text.strip()
    if value.lower() in EMPTY_DATES:
        return None
    if _ISO.match(value):
        try:
            stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" +", "+"))
        except ValueError:
            stamp = None
        if stamp is not None:
            return (stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp).date()
        y, m, d = (int(g) for g in _ISO.match(value).groups())
        return dt.date(y, m, d)
    m = _NUMERIC.match(value)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            return dt.date(int(a), int(b), int(c))
        if order not in ("dmy", "mdy"):
            raise DateOrderNeeded(value)
        day, month = (a, b) if order == "dmy" else (b, a)
        year = int(c) + (2000 if len(c) == 2 and int(c) < 70 else 1900 if len(c) == 2 else 0)
        return dt.date(year, int(month), int(day))
    m = _DAY_MONTH_YEAR.match(value) or _MONTH_DAY_YEAR.match(value)
    if m:
        first, second, year = m.groups()
        day, month = (first, second) if first.isdigit() else (second, first)
        number = _MONTHS.get(month[:3].lower())
        if number is None:
            raise ValueError(value)
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), number, int(day))
    raise ValueError(value)


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


def _name_key(text: str) -> str:
    """`Smith, Jane` and `Jane  Smith` → `jane smith`: words sorted, initials dropped."""
    words = [w for w in re.split(r"[^0-9a-zà-ÿ]+", text.lower()) if len(w) > 1]
    return " ".join(sorted(words))


# ---------------------------------------------------------------------------- interpretation


@dataclass
class Interpreted:
    """An HRIS report read into canonical employees rows (pseudonymised), with what went wrong."""

    rows: list[dict[str, str | None]] = field(default_factory=list)
    problems: list[tuple[int | None, str | None, str | None, str]] = field(default_factory=list)
    warnings: Counter = field(default_factory=Counter)
    date_order: str | None = None


def interpret(
    headers: tuple[str, ...],
    records: list[tuple[int, list[str]]],
    salt_value: str,
    date_order: str | None = None,
    user_rules: dict[str, str] | None = None,
) -> Interpreted:
    """Canonical `employees` rows from an HRIS report's records ((row number, cells) pairs).

    `date_order` is the user's choice; the tool's own order wins when known (ADP: mdy)."""
    layout = Layout.of(headers)
    tool_order = rules.TOOL_DATE_ORDER.get(layout.style)
    out = Interpreted(date_order=tool_order or date_order)
    user_rules = user_rules or {}
    latest = dt.date.today() + dt.timedelta(days=365)

    def pseudo(value: str) -> str | None:
        return pseudonym(value, salt_value)

    def problem(row: int, column: int | None, value: str | None, reason: str) -> None:
        out.problems.append((row, headers[column] if column is not None else None, value, reason))

    def date_of(row: int, record: list[str], name: str, column: int | None = None) -> dt.date | None:
        text, column = layout.value(record, name) if column is None else (record[column].strip(), column)
        if column is None or not text:
            return None
        try:
            day = parse_date(text, out.date_order)
        except DateOrderNeeded:
            problem(row, column, text, "is a numeric date whose day/month order is not set: choose the date "
                    "order (--date-order dmy or mdy on the command line, or on the Data page)")  # fmt: skip
            return None
        except ValueError:
            problem(row, column, text, "is not a date")
            return None
        if day is not None and not EARLIEST <= day <= latest:
            problem(row, column, text, f"is before {EARLIEST.year} or more than a year ahead: a typo?")
        if day is not None and tool_order and _NUMERIC.match(text) and len(_NUMERIC.match(text).group(1)) < 4:
            out.warnings[f"numeric dates read {'month first' if tool_order == 'mdy' else 'day first'}, "
                         f"as {layout.style} writes them"] += 1  # fmt: skip
        return day

    # People in the file, for manager columns that hold names or e-mails.
    by_name: dict[str, set[str]] = {}
    by_email: dict[str, str] = {}
    ids: set[str] = set()
    for _, record in records:
        raw_id = layout.value(record, "employee_id")[0] or layout.value(record, "email")[0]
        if not raw_id:
            continue
        ids.add(raw_id.lower())
        email = layout.value(record, "email")[0]
        if email:
            by_email[email.lower()] = raw_id
        name = layout.value(record, "name")[0] or " ".join(
            p for p in (layout.value(record, "first_name")[0], layout.value(record, "last_name")[0]) if p
        )
        if name:
            by_name.setdefault(_name_key(name), set()).add(raw_id)
    manager_kind = _manager_kind(layout, records, ids)

    for row, record in records:
        raw_id = layout.value(record, "employee_id")[0]
        email = layout.value(record, "email")[0]
        if not raw_id and not email:
            problem(row, None, None, "has no employee id or work e-mail")
            continue
        hire = date_of(row, record, "hire_date")
        # the first hire: an original-hire column, else the earliest of several hire columns
        # (ADP's `Hire Date` beside a `Rehire Date`)
        starts = [
            date_of(row, record, "", c)
            for c in dict.fromkeys(
                layout.positions.get("original_hire_date", []) + layout.positions.get("hire_date", [])
            )
        ]
        original = min((d for d in starts if d), default=None)
        term = date_of(row, record, "termination_date")
        if hire is None and not layout.value(record, "hire_date")[0]:
            problem(row, layout.positions["hire_date"][0], None, "has no hire date")
            continue
        status = layout.value(record, "status")[0]
        texts = [layout.value(record, f)[0] for f in ("termination_type", "termination_reason", "status")]
        kind = rules.involuntary_flag(layout.value(record, "involuntary_flag")[0]) or rules.separation_type(
            texts, user_rules
        )
        gone = rules.says_gone(
            status, layout.value(record, "active")[0], layout.value(record, "terminated")[0]
        )
        if term is None and gone and layout.value(record, "termination_date")[0].lower() in EMPTY_DATES:
            column = layout.positions.get("status", layout.positions.get("terminated", [None]))[0]
            problem(
                row, column, status or None, "says the person has left, but the row has no termination date"
            )
            continue
        regret = rules.regretted(layout.value(record, "regretted")[0])
        person = {
            "_row": str(row),
            "employee_id": pseudo(raw_id or email),
            "email_id": pseudo(email) if email else None,
            "team": rules.team_name(*_team(layout, record)),
            "level": layout.value(record, "level")[0] or None,
            "role": layout.value(record, "role")[0] or None,
            "location": layout.value(record, "location")[0] or None,
            "sourcing": rules.sourcing(layout.value(record, "sourcing")[0]) or None,
            "acquired_from": layout.value(record, "acquired_from")[0] or None,
            "manager_id": _manager(layout, record, manager_kind, by_name, by_email, pseudo, out),
            "hire_date": hire.isoformat() if hire else None,
        }
        left = {
            "termination_type": kind,
            "regretted": None if regret is None else str(regret).lower(),
        }
        if term is not None and hire is not None and term < hire:
            # a rehire: the termination ended an earlier stint
            out.warnings["rehires (an earlier stint ended before the latest hire date)"] += 1
            if original is not None and original < hire and original <= term:
                out.rows.append({**person, **left, "employee_id": pseudo(f"{raw_id or email}#{original}"),
                                 "email_id": None, "hire_date": original.isoformat(),
                                 "termination_date": term.isoformat()})  # fmt: skip
            else:
                out.warnings["rehires whose earlier stint has no original hire date: not counted"] += 1
            out.rows.append({**person, "termination_date": None, "termination_type": None, "regretted": None})
            continue
        if term is not None and kind is None:
            out.warnings["leavers whose separation type is not recognised (type left empty)"] += 1
        if term is not None and regret is None and layout.has("regretted"):
            out.warnings["leavers without a regretted value"] += 1
        if term is None:
            left = {"termination_type": None, "regretted": None}
        out.rows.append({**person, **left, "termination_date": term.isoformat() if term else None})
    if records and not any(r.get("termination_date") for r in out.rows):
        out.warnings[
            "no leavers in the file: export terminated employees too (BambooHR: include inactive)"
        ] += 1
    return out


def _team(layout: Layout, record: list[str]) -> tuple[str, str]:
    text, column = layout.value(record, "team")
    return text, rules.loose(layout.headers[column]) if column is not None else ""


def _manager_kind(
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


def _manager(layout, record, kind, by_name, by_email, pseudo, out: Interpreted) -> str | None:
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
    key = _name_key(text)
    found = by_name.get(key, set())
    if len(found) == 1:
        return pseudo(next(iter(found)))
    out.warnings[
        "managers named ambiguously (two people share the name): linked by name"
        if found
        else "managers not in the file: linked by the pseudonym of their name"
    ] += 1
    return pseudo("name:" + key)


# ---------------------------------------------------------------------------- the format


def read_csv_records(source: SourceFile) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """Header cells and (row number, cells) of each non-blank record; rows numbered as a
    spreadsheet shows them (header = row 1, blank lines counted)."""
    with open(source.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        header = next(reader, [])
        width = len(header)
        records = []
        for number, record in enumerate(reader, start=2):
            if any(c.strip() for c in record):
                records.append((number, record + [""] * (width - len(record))))
    return tuple(header), records


@dataclass(frozen=True)
class HrisReport:
    name: str = "hris"
    tables: tuple[str, ...] = ("employees",)

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        layout = Layout.of(source.headers)
        lacking = []
        if not (layout.has("employee_id") or layout.has("email")):
            lacking.append("Employee ID or Work Email")
        if not layout.has("hire_date"):
            lacking.append("Hire Date")
        return tuple(lacking)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv" or self.missing(source):
            return 0.0
        if {normalize_header(h) for h in source.headers if h.strip()} <= _CANONICAL:
            return 0.0  # the canonical template: canonical:employees reads it as is
        layout = Layout.of(source.headers)
        telling = sum(layout.has(f) for f in rules.TELLING)
        if telling == 0:
            return 0.0
        return 0.7 + 0.25 * min(telling, 6) / 6

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        from lib.ingest.load import home_dir
        from lib.ingest.validate import Problem, ValidationError
        from lib.privacy import salt

        headers, records = read_csv_records(source)
        result = interpret(
            headers,
            records,
            salt(home_dir(con)),
            date_order=getattr(options, "date_order", None),
            user_rules=rules.termination_rules(con),
        )
        if result.problems:
            problems = tuple(Problem(*p) for p in result.problems[:MAX_PROBLEMS])
            raise ValidationError(source.name, problems, len(result.problems))
        return [stage_rows(con, result.rows)]


def stage_rows(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> Staged:
    """Rows as a relation of strings (every employees column, `_row`) for the loader."""
    columns = TABLES["employees"].column_names
    frame = pd.DataFrame(
        {
            **{c: pd.Series([r.get(c) for r in rows], dtype="string") for c in columns},
            "_row": pd.Series([int(r["_row"]) for r in rows], dtype="int64"),
        }
    )
    used = [c for c in columns if frame[c].notna().any()] or ["employee_id"]
    return Staged("employees", con.from_df(frame[[*used, "_row"]]))


FORMATS = [HrisReport()]
