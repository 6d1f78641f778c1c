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

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import _hris_rules as rules
from lib.ingest.formats._hris_layout import (
    EMPTY_DATES,
    Layout,
    manager,
    manager_kind,
    name_key,
    read_dates,
    team,
)
from lib.ingest.formats._tool_exports import read_rows
from lib.ingest.report import ImportWarning, warn
from lib.privacy import pseudonym
from lib.tables import TABLES

MAX_PROBLEMS = 100
_CANONICAL = set(TABLES["employees"].column_names)


# ---------------------------------------------------------------------------- interpretation


@dataclass
class Interpreted:
    """An HRIS report read into canonical employees rows (pseudonymised), with what went wrong."""

    rows: list[dict[str, str | None]] = field(default_factory=list)
    problems: list[tuple[int | None, str | None, str | None, str]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    notes: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (code, message) → rows


def interpret(
    headers: tuple[str, ...],
    records: list[tuple[int, list[str]]],
    salt_value: str,
    date_order: str | None = None,
    user_rules: dict[str, str] | None = None,
    tz: str = "UTC",
    workbook: bool = False,
) -> Interpreted:
    """Canonical `employees` rows from an HRIS report's records ((row number, cells) pairs).

    `date_order` is the user's choice; else the tool's (ADP writes month first), else the
    values'. `workbook`: numbers in date cells are Excel serial days."""
    layout = Layout.of(headers)
    out = Interpreted()
    user_rules = user_rules or {}
    read, date_problems, date_warnings = read_dates(layout, records, tz, date_order, workbook)
    out.warnings.extend(date_warnings)
    out.problems.extend(date_problems)
    if date_problems and not read:
        return out

    def pseudo(value: str) -> str | None:
        return pseudonym(value, salt_value)

    def problem(row: int, column: int | None, value: str | None, reason: str) -> None:
        out.problems.append((row, headers[column] if column is not None else None, value, reason))

    def date_of(row: int, name: str) -> dt.date | None:
        """The field's first column with a date in this row."""
        return next((read[(row, c)] for c in layout.positions.get(name, ()) if (row, c) in read), None)

    def note(code: str, message: str, row: int) -> None:
        out.notes.setdefault((code, message), []).append(row)

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
            by_name.setdefault(name_key(name), set()).add(raw_id)
    kind_of_manager = manager_kind(layout, records, ids)

    for row, record in records:
        raw_id = layout.value(record, "employee_id")[0]
        email = layout.value(record, "email")[0]
        if not raw_id and not email:
            problem(row, None, None, "has no employee id or work e-mail")
            continue
        hire = date_of(row, "hire_date")
        # the first hire: an original-hire column, else the earliest of several hire columns
        # (ADP's `Hire Date` beside a `Rehire Date`)
        starts = [read[(row, c)] for f in ("original_hire_date", "hire_date")
                  for c in layout.positions.get(f, ()) if (row, c) in read]  # fmt: skip
        original = min(starts, default=None)
        term = date_of(row, "termination_date")
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
            column = next(
                (layout.positions[f][0] for f in ("status", "terminated", "active") if layout.has(f)), None
            )
            problem(
                row, column, status or None, "says the person has left, but the row has no termination date"
            )
            continue
        regret = rules.regretted(layout.value(record, "regretted")[0])
        person = {
            "_row": str(row),
            "employee_id": pseudo(raw_id or email),
            "email_id": pseudo(email) if email else None,
            "team": rules.team_name(*team(layout, record)),
            "level": layout.value(record, "level")[0] or None,
            "role": layout.value(record, "role")[0] or None,
            "location": layout.value(record, "location")[0] or None,
            "sourcing": rules.sourcing(layout.value(record, "sourcing")[0]) or None,
            "acquired_from": layout.value(record, "acquired_from")[0] or None,
            "manager_id": manager(layout, record, kind_of_manager, by_name, by_email, pseudo, out.notes, row),
            "hire_date": hire.isoformat() if hire else None,
        }
        left = {
            "termination_type": kind,
            "regretted": None if regret is None else str(regret).lower(),
        }
        if term is not None and hire is not None and term < hire:
            # a rehire: the termination ended an earlier stint
            if original is not None and original < hire and original <= term:
                note("hris_rehire", "Rehires: the termination before the latest hire date ended an earlier "
                     "stint, kept as a row of its own so both the leaving and the return count", row)  # fmt: skip
                out.rows.append({**person, **left, "employee_id": pseudo(f"{raw_id or email}#{original}"),
                                 "email_id": None, "hire_date": original.isoformat(),
                                 "termination_date": term.isoformat()})  # fmt: skip
            else:
                note("hris_rehire_unknown_start", "Rehires without a first hire date: only the current stint "
                     "is kept, the earlier leaving is not counted", row)  # fmt: skip
            out.rows.append({**person, "termination_date": None, "termination_type": None, "regretted": None})
            continue
        if term is not None and kind is None:
            note("hris_separation_type_unknown", "Leavers whose separation type or reason says neither "
                 "voluntary nor involuntary: their type is left empty (add a rule on the Retention page, Definitions tab)", row)  # fmt: skip
        if term is not None and regret is None and layout.has("regretted"):
            note("hris_regretted_unknown", "Leavers without a regretted value: counted as not regretted", row)
        if term is None:
            left = {"termination_type": None, "regretted": None}
        out.rows.append({**person, **left, "termination_date": term.isoformat() if term else None})
    if records and not any(r.get("termination_date") for r in out.rows):
        out.warnings.append(warn("hris_no_leavers", "No leavers in the file: attrition needs terminated "
                                 "employees too (BambooHR: include inactive employees in the report)"))  # fmt: skip
    out.warnings.extend(warn(code, message, rows) for (code, message), rows in out.notes.items())
    return out


# ---------------------------------------------------------------------------- the format


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

        headers, records = read_rows(source)  # rows numbered as the sheet or file shows them
        result = interpret(
            tuple(headers),
            records,
            salt(home_dir(con)),
            date_order=options.date_order,
            user_rules=rules.termination_rules(con),
            tz=options.default_tz,
            workbook=source.workbook,
        )
        if result.problems:
            problems = tuple(Problem(*p) for p in result.problems[:MAX_PROBLEMS])
            raise ValidationError(source.label, problems, len(result.problems))
        return [stage_rows(con, result.rows, tuple(result.warnings))]


def stage_rows(con: duckdb.DuckDBPyConnection, rows: list[dict], warnings: tuple = ()) -> Staged:
    """Rows as a relation of strings (every employees column, `_row`) for the loader."""
    columns = TABLES["employees"].column_names
    frame = pd.DataFrame(
        {
            **{c: pd.Series([r.get(c) for r in rows], dtype="string") for c in columns},
            "_row": pd.Series([int(r["_row"]) for r in rows], dtype="int64"),
        }
    )
    used = [c for c in columns if frame[c].notna().any()] or ["employee_id"]
    return Staged("employees", con.from_df(frame[[*used, "_row"]]), warnings=warnings)


FORMATS = [HrisReport()]
