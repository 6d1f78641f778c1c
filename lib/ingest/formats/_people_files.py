"""What the skills, learning and AI-usage formats share (not a format: `FORMATS` is empty).

- Headers are matched loosely (`loose`): case, spaces, punctuation and camelCase agree,
  so `Usage in seconds`, `usage_in_seconds` and `totalTabsShown` / `Total Tabs Shown`
  find the same column.
- People: the employee id when the file has one, else the work e-mail (`person_value`);
  both are pseudonymised by the loader with the salt, and linked to employees at query
  time (`person_links`), so a file keyed by e-mail joins the HRIS rows that carried it.
  `unlinked` counts the people who match no employee yet, for the import's warnings.
- Dates are read in one place (`day`): ISO dates and timestamps (an offset is converted
  to UTC before the date is taken), epoch milliseconds where a tool writes them, month
  names (`Jun 12, 2025`, `12 Jun 2025`), and numeric `03/04/2025` only when the tool's
  day/month order is known (US tools write month first); otherwise the file is refused
  with a message saying so, never guessed from the values.
- Durations (`hours`): seconds, minutes or hours by the column's name, `H:MM:SS` text.
- AI users' teams (`team_of_users`): the user→team list (`user_teams`), else the employee
  the login or e-mail belongs to, else no team.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence

import duckdb

from lib.ingest.formats import SourceFile
from lib.ingest.formats._tool_exports import parse_instant, read_records, zone

FORMATS: list = []

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


def csv_records(source: SourceFile) -> tuple[Fields, list[tuple[int, list[str]]]]:
    """The file's columns and its non-empty records with their spreadsheet row numbers."""
    headers, records = read_records(source)
    return Fields(headers), list(enumerate(records, start=2))


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


def unlinked(con: duckdb.DuckDBPyConnection, values: Iterable[str]) -> int:
    """How many distinct identifiers match no employee by employee id or work e-mail (yet)."""
    ids = set(pseudonyms(con, values).values())
    if not ids:
        return 0
    rows = con.execute("select person_id from person_links where list_contains(?, person_id)", [sorted(ids)])
    return len(ids - {r[0] for r in rows.fetchall()})


def unlinked_warning(con: duckdb.DuckDBPyConnection, values: Iterable[str], what: str) -> tuple[str, ...]:
    values = {v for v in values if v}
    n = unlinked(con, values)
    if not n:
        return ()
    return (
        f"{n} of {len(values)} people match no employee by employee id or work e-mail yet: their {what} is "
        "kept and links once the HRIS report that carries their id or e-mail is imported",
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


class DateOrderUnknown(ValueError):
    pass


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), start=1)}  # fmt: skip
_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_DAY_FIRST = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{4})")
_EPOCH = re.compile(r"^\d{12,13}$")


def day(text: str, order: str | None = None, epoch: bool = False) -> dt.date | None:
    """The calendar day of a date or timestamp cell (UTC for a timestamp with an offset),
    None for an empty cell. Raises DateOrderUnknown for numeric day/month dates when the
    tool's `order` ("mdy", "dmy", "ymd") is not known, ValueError for text that is no date."""
    text = (text or "").strip()
    if not text:
        return None
    if epoch and _EPOCH.match(text):
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC).date()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return dt.date.fromisoformat(text)
    m = _NUMERIC.match(text)
    if m and not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        a, b, c = (int(x) for x in m.group(1, 2, 3))
        if len(m.group(1)) == 4:
            year, month, d = a, b, c
        elif order == "mdy":
            month, d, year = a, b, c
        elif order == "dmy":
            d, month, year = a, b, c
        else:
            raise DateOrderUnknown(text)
        year += 2000 if year < 100 else 0
        return dt.date(year, month, d)
    for pattern, month_group, day_group in ((_MONTH_FIRST, 1, 2), (_DAY_FIRST, 2, 1)):
        m = pattern.match(text)
        if m and m.group(month_group)[:3].lower() in _MONTHS:
            return dt.date(
                int(m.group(3)), _MONTHS[m.group(month_group)[:3].lower()], int(m.group(day_group))
            )
    # without an offset a timestamp's date is the one written; with one, the date in UTC
    stamp = parse_instant(text, zone("UTC"))
    if stamp is None:
        raise ValueError(text)
    return stamp.astimezone(dt.UTC).date()


def day_or_fail(text: str, row: int, column: str | None, order: str | None, epoch: bool = False):
    """`day`, turning a failure into a message that names the row, column and value."""
    try:
        return day(text, order, epoch)
    except DateOrderUnknown:
        raise ValueError(
            f"row {row}, column {column}: {text!r} could be day/month or month/day, and this export's order "
            "is not known; write dates as YYYY-MM-DD"
        ) from None
    except ValueError:
        raise ValueError(f"row {row}, column {column}: {text!r} is not a date") from None


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
