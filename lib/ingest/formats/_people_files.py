"""What the skills, learning and AI-usage formats share.

- Headers are matched loosely (`loose`): case, spaces, punctuation and camelCase agree,
  so `Usage in seconds`, `usage_in_seconds` and `totalTabsShown` / `Total Tabs Shown`
  find the same column.
- People: the employee id when the file has one, else the work e-mail (`person_value`);
  both are pseudonymised by the loader with the salt, and linked to employees at query
  time (`person_links`), so a file keyed by e-mail joins the HRIS rows that carried it.
  `unlinked` counts the people who match no employee yet, for the import's warnings.
- Dates go through the one parser, `lib.ingest.dates` (`read_days`): a timestamp's UTC
  date, epoch milliseconds where a tool writes them, Excel serials in workbooks, and
  numeric `03/04/2025` in the order the user set, else the tool's (US tools write month
  first), else the only order the values read; otherwise the file is refused saying how
  to set the order.
- Durations (`hours`): seconds, minutes or hours by the column's name, `H:MM:SS` text.
- AI users' teams (`team_of_users`): the user→team list (`user_teams`), else the employee
  the login or e-mail belongs to, else no team.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence

import duckdb

from lib.ingest import dates
from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.formats._tool_exports import read_rows
from lib.ingest.report import ImportWarning, warn

NO_TEAM = "(no team)"
ORG_TEAM = "(all teams)"
EMPLOYEE_ID = ("employee_id", "employee_number", "employee_no", "employee", "staff_id", "worker_id",
               "person_id", "hris_id", "employee_code")  # fmt: skip
EMAIL = ("work_email", "email", "email_address", "user_email", "e_mail", "learner_email", "employee_email",
         "primary_email_address", "mail", "username_email")  # fmt: skip


def loose(text: str) -> str:
    """'Usage in seconds', 'usage_in_seconds', 'UsageInSeconds' → 'usageinseconds'."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


class Fields:
    """Column positions by loose name; the first column of a name wins."""

    def __init__(self, headers: Sequence[str]):
        self.headers = list(headers)
        self.index: dict[str, int] = {}
        for i, header in enumerate(headers):
            self.index.setdefault(loose(header), i)

    def find(self, *names: str) -> str | None:
        """The first of `names` the file has, as written in the file."""
        for name in names:
            i = self.index.get(loose(name))
            if i is not None:
                return self.headers[i]
        return None

    def has(self, *names: str) -> bool:
        return self.find(*names) is not None

    def get(self, record: Sequence[str], *names: str) -> str:
        """The first non-empty value among the named columns, trimmed, else ""."""
        for name in names:
            i = self.index.get(loose(name))
            if i is not None and i < len(record) and record[i].strip():
                return record[i].strip()
        return ""


def has_all(source: SourceFile, *groups: Iterable[str]) -> bool:
    """True when the headers include one name of every group."""
    have = {loose(h) for h in source.headers}
    return all(any(loose(n) in have for n in group) for group in groups)


def count_present(source: SourceFile, names: Iterable[str]) -> int:
    have = {loose(h) for h in source.headers}
    return sum(loose(n) in have for n in names)


def csv_records(source: SourceFile, limit: int | None = None) -> tuple[Fields, list[tuple[int, list[str]]]]:
    """The file's (or workbook sheet's) columns and its non-empty records with their
    spreadsheet row numbers (records padded to the header's width); with `limit`, of the
    first `limit` records only."""
    headers, records = read_rows(source, limit)
    width = len(headers)
    return Fields(headers), [(n, list(r) + [""] * (width - len(r))) for n, r in records]


def json_document(source: SourceFile):
    """The parsed JSON: a document, or a list of the objects of an NDJSON file."""
    text = source.path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------- people


def person_value(fields: Fields, record: Sequence[str], extra: Sequence[str] = ()) -> str:
    """The person's identifier: employee id, else work e-mail, else a vendor's own id column
    (`extra`, e.g. an LMS's External ID). Names are never identifiers."""
    return fields.get(record, *EMPLOYEE_ID) or fields.get(record, *EMAIL) or fields.get(record, *extra)


def person_column(fields: Fields, extra: Sequence[str] = ()) -> str | None:
    return fields.find(*EMPLOYEE_ID) or fields.find(*EMAIL) or fields.find(*extra)


def _salt(con: duckdb.DuckDBPyConnection) -> str:
    from lib.ingest.load import home_dir
    from lib.privacy import salt

    return salt(home_dir(con))


def pseudonyms(con: duckdb.DuckDBPyConnection, values: Iterable[str]) -> dict[str, str]:
    """value → the pseudonym the loader will store for it (same salt, same rule)."""
    from lib.privacy import pseudonym

    secret = _salt(con)
    return {v: pseudonym(v, secret) for v in set(values) if v}


def unlinked(con: duckdb.DuckDBPyConnection, values: Iterable[str]) -> set[str]:
    """The identifiers (as the file wrote them) that match no employee by employee id or work e-mail yet."""
    ids = pseudonyms(con, values)
    if not ids:
        return set()
    rows = con.execute(
        "select person_id from person_links where list_contains(?, person_id)", [sorted(set(ids.values()))]
    )
    known = {r[0] for r in rows.fetchall()}
    return {value for value, pid in ids.items() if pid not in known}


def unlinked_warning(
    con: duckdb.DuckDBPyConnection, rows: Sequence[dict], what: str, column: str = "employee_id"
) -> tuple[ImportWarning, ...]:
    """The warning for staged `rows` of people who match no employee yet: they are kept, never
    dropped; the warning names how many people and which rows."""
    people = {r[column] for r in rows if r.get(column)}
    strangers = unlinked(con, people)
    if not strangers:
        return ()
    return (
        warn(
            "person_unlinked",
            f"{len(strangers)} of {len(people)} people match no employee by employee id or work e-mail yet: their "
            f"{what} kept, and linked once the HRIS report that carries their id or e-mail is imported",
            [int(r["_row"]) for r in rows if r.get(column) in strangers],
        ),
    )


def team_of_users(con: duckdb.DuckDBPyConnection, values: Iterable[str]) -> dict[str, str | None]:
    """login or e-mail → team: the user→team list, else the employee it belongs to, else None."""
    ids = pseudonyms(con, values)
    if not ids:
        return {}
    rows = con.execute(
        """
        select ids.person_id, coalesce(user_teams.team, employees.team)
        from (select unnest(?) as person_id) as ids
        left join user_teams on user_teams.user_id = ids.person_id
        left join person_links on person_links.person_id = ids.person_id
        left join employees on employees.employee_id = person_links.employee_id
        """,
        [sorted(set(ids.values()))],
    ).fetchall()
    team = dict(rows)
    return {value: team.get(pid) for value, pid in ids.items()}


def seats_by_team(con: duckdb.DuckDBPyConnection, tool: str) -> dict[str, int]:
    """Seats per team from the tool's seat list (user_teams rows with that seat_tool)."""
    rows = con.execute(
        "select coalesce(team, ?), count(*) from user_teams where seat_tool = ? group by all", [NO_TEAM, tool]
    ).fetchall()
    return dict(rows)


# ---------------------------------------------------------------------------- dates


def read_days(
    cells: Sequence[tuple[int, str, str]],
    options: ImportOptions,
    hints: DateHints | None = None,
    source: SourceFile | None = None,
) -> tuple[list[dt.date | None], list[ImportWarning]]:
    """The calendar day of each (row, column, text) cell, read by the one date parser
    (`lib.ingest.dates`): the file's numeric date order decided once (the user's, else the
    tool's `hints.order`, else the only order the values read, never guessed), a
    timestamp's UTC date, epoch milliseconds where `hints.epoch`, Excel serials in a
    workbook. Raises ValueError naming the row, column and value when a cell is no date
    or the order is unknown; returns the date-order warning when there is one."""
    hints = hints or DateHints()
    if source is not None and source.workbook:
        hints = dataclasses.replace(hints, serial=True)
    filled = [(r, c, (v or "").strip()) for r, c, v in cells]
    decision = dates.decide_order(dates.values_evidence(filled), options.date_order, hints)
    if decision.refusal:
        cell, reason = decision.refusal
        raise ValueError(f"row {cell.row}, column {cell.column}: {cell.value!r} {reason}")
    values = [v for _, _, v in filled]
    if hints.epoch:
        stamps = dates.parse_instants(
            values, options.default_tz, decision.order, epoch=True, serial=hints.serial
        )
        days = [s.date() if s else None for s in stamps]
    else:
        days = dates.parse_dates(values, options.default_tz, decision.order, serial=hints.serial)
    for (row, column, value), when in zip(filled, days, strict=True):
        if value and when is None:
            raise ValueError(f"row {row}, column {column}: {value!r} is not a date")
    return days, [decision.warning] if decision.warning else []


# ---------------------------------------------------------------------------- durations

_HMS = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")


def number(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def hours(text: str, unit: str) -> float | None:
    """A duration cell in hours: `unit` is "seconds", "minutes" or "hours" (from the column's
    name); `H:MM:SS` or `H:MM` text is read as hours, minutes, seconds whatever the unit."""
    text = (text or "").strip()
    if not text:
        return None
    m = _HMS.match(text)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        return h + mi / 60 + s / 3600
    value = number(text.rstrip("hms ").strip())
    if value is None:
        return None
    return value / {"seconds": 3600, "minutes": 60, "hours": 1}[unit]
