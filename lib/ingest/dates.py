"""The one date and time parser: every format and every template reads dates through it.

SPEC §4. One grammar, written once as DuckDB SQL, so a 1M-row template is parsed in the
database at DuckDB's speed and a 40-row tool export is parsed by the very same
expression (the Python functions below run that SQL on the values they are given).

Shapes read (tests/unit/test_dates.py has one case per shape):
- ISO 8601 with `T` or a space, fractional seconds, offsets `Z`, `+02:00`, `+0200`, `+02`,
  ` +0200` after a space (git's `%ci`), ` UTC` / ` GMT`, an IANA zone name; `2025/09/12`;
- Jira: `14/Jul/25 3:42 PM`, `21/Nov/25 11:31 AM`, `14/Jul/2025 15:42`, `03/Jul/25`;
- month names: `July 14, 2025`, `Jul 14, 2025 3:42 PM`, `14 July 2025`, `14-JUL-25`;
- JavaScript's `Date.toString()`: `Wed May 13 2026 11:21:41 GMT+0200 (Central European
  Summer Time)`, and `toUTCString()` / RFC 1123: `Wed, 13 May 2026 11:21:41 GMT`;
- Google Forms' `2025/09/12 9:14:03 AM GMT+2`;
- numeric day/month dates (`05/11/2025 09:12:44`, `10/2/2025, 4:14:00 AM`, `5.11.25`) in
  the **date order** given: `dmy`, `mdy` or `ymd` (two-digit year first). Without an
  order they are not read: the order is never guessed (see `decide_order`);
- epoch seconds or milliseconds, only where a format says its tool writes them
  (`DateHints.epoch`, Opsgenie); Excel serial days (origin 1899-12-30), only inside
  workbooks (`DateHints.serial`);
- `0000-00-00` (BambooHR's empty date) is no date: null, not an error (`blank_sql`).

Time zones: a value with an offset or zone is exact; a value without one is read in the
session's `TimeZone`, which the importer sets to the file's time zone (`--tz`, the Data
page, else the saved default, else UTC). A date column takes the UTC date of a value
that has a time (`2025-03-31T22:30-05:00` is April 1) and the written date of a value
that has none.

Date order (SPEC §4): numeric day/month order comes from the user (`--date-order`, the
Data page), else from the file's tool (`DateHints.order`, e.g. US tools write month
first), else from the values only when exactly one order reads every value (a
`15/09/2025` can only be day first), with a warning; a file whose dates read
differently in two orders, with no order set, is refused with a message saying how to
set it.

Public API (how a format uses it is in lib/ingest/formats/__init__.py):

    instant_sql(expr, order=None, *, epoch=False, serial=False) -> str   # TIMESTAMPTZ
    date_sql(expr, order=None, *, serial=False) -> str                   # DATE
    blank_sql(expr) -> str               # text with 0000-00-00 made null
    numeric_sql(expr) -> str             # BOOLEAN: a numeric day/month value
    parse_instants(values, tz="UTC", order=None, *, epoch=False, serial=False)
        -> list[datetime | None]         # aware, UTC
    parse_instant(text, tz="UTC", order=None, *, epoch=False, serial=False)
    parse_dates(values, tz="UTC", order=None, *, serial=False) -> list[date | None]
    utc_text(stamp) -> str               # "2025-07-14T15:42:00Z"
    evidence(con, long_sql, params) -> OrderEvidence      # over (_row, column, value)
    values_evidence(cells) -> OrderEvidence               # over Python (row, column, value)
    decide_order(evidence, user=None, hints=DateHints()) -> OrderDecision
    plausible_range(today=None) -> (date, date)           # SPEC §4's plausible dates
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

ORDERS = ("dmy", "mdy", "ymd")
ORDER_WORDS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
ORDER_SHORT = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}
EXCEL_ORIGIN = "1899-12-30"  # Excel's day 0 (its 1900 leap-year bug folded in)
PLAUSIBLE_FROM = dt.date(1990, 1, 1)
PLAUSIBLE_AHEAD_DAYS = 365


@dataclass(frozen=True)
class DateHints:
    """What a format knows about how its tool writes dates.

    order: the numeric day/month order the tool writes (`mdy` for US tools), or None;
    order_source: who says so, in words, for the import warning ("PagerDuty's CLI
      writes US English dates");
    epoch: bare numbers are seconds or milliseconds since 1970 (Opsgenie);
    serial: bare numbers are Excel serial days (cells of a workbook).
    """

    order: str | None = None
    order_source: str = ""
    epoch: bool = False
    serial: bool = False


# ---------------------------------------------------------------------------- grammar

# Formats tried after DuckDB's own ISO cast, on the text without its zone, with commas
# turned into spaces, blanks collapsed and a numeric date's `.`/`-` turned into `/`.
_CLOCKS = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p", " %I %p")
_NAMED_DAYS = (
    "%d/%b/%y",  # Jira: 14/Jul/25
    "%d/%b/%Y",
    "%d/%B/%y",
    "%d/%B/%Y",
    "%d-%b-%y",  # 14-JUL-25
    "%d-%b-%Y",
    "%b %d %Y",  # Jul 14, 2025
    "%B %d %Y",  # July 14, 2025
    "%d %b %Y",  # 14 Jul 2025
    "%d %B %Y",
    "%a %b %d %Y",  # JavaScript: Wed May 13 2026
    "%a %d %b %Y",  # RFC 1123: Wed, 13 May 2026
    "%A %B %d %Y",  # Wednesday, May 13, 2026
    "%A %d %B %Y",
)
_YEAR_FIRST_DAYS = ("%Y/%m/%d",)  # Google Forms: 2025/09/12 9:14:03 AM (four-digit years only)
_NUMERIC_DAYS = {  # two-digit years first: %Y would take "25" as the year 25
    "dmy": ("%d/%m/%y", "%d/%m/%Y"),
    "mdy": ("%m/%d/%y", "%m/%d/%Y"),
    "ymd": ("%y/%m/%d",),
}


def _formats(days: Sequence[str]) -> str:
    listed = ", ".join(f"'{d}{c}'" for d in days for c in _CLOCKS)
    return f"[{listed}]"


_NAMED = _formats(_NAMED_DAYS)
_YEAR_FIRST = _formats(_YEAR_FIRST_DAYS)
_NUMERIC = {order: _formats(days) for order, days in _NUMERIC_DAYS.items()}

# A trailing zone after a clock time: `Z`, `GMT`, `UTC`, or an offset `+2`, `+02`, `+0200`,
# `+02:00`, optionally after `GMT`/`UTC` and a space. Groups: 1 the local text, 2 a zone
# word, 3 the sign, 4 hours, 5 minutes.
_ZONE = (
    r"^(.*:\d\d(?:[.,]\d+)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*"
    r"(?:(Z|GMT|UTC)|(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d\d)?)$"
)
_PAREN = r"\s*\([^)]*\)\s*$"  # JavaScript's "(Central European Summer Time)"
_NUMERIC_DATE = r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\d{2})?(\D|$)"
_CLOCK = r"\d:\d\d"
_EPOCH_SECONDS = r"\d{9,10}(\.\d+)?"
_EPOCH_MILLIS = r"\d{12,13}"
_SERIAL = r"\d{1,5}(\.\d+)?"
_ZERO_DATE = r"^\s*0000-00-00([ T]00:00(:00)?)?\s*$"


def _lit(pattern: str) -> str:
    return "'" + pattern.replace("'", "''") + "'"


def _local(text: str, order: str | None) -> str:
    """TIMESTAMP (naive) for text without a zone, or null."""
    spaced = f"trim(regexp_replace(regexp_replace({text}, ',', ' ', 'g'), '\\s+', ' ', 'g'))"
    meridiem = f"regexp_replace({spaced}, '([AaPp])\\.?[Mm]\\.?$', '\\1M')"
    slashed = (
        f"regexp_replace({meridiem}, '^(\\d{{1,4}})[.-](\\d{{1,2}})[.-](\\d{{2,4}})( |$)', '\\1/\\2/\\3\\4')"
    )
    # DuckDB's own cast reads `25/11/05` as the year 25: only a four-digit year goes first.
    year_first = (
        f"case when regexp_matches({slashed}, '^\\d{{4}}/') "
        f"then coalesce(try_cast({spaced} as timestamp), try_strptime({slashed}, {_YEAR_FIRST})) end"
    )
    tries = [year_first, f"try_strptime({slashed}, {_NAMED})"]
    if order:
        tries.append(f"try_strptime({slashed}, {_NUMERIC[order]})")
    return f"coalesce({', '.join(tries)})"


def _general(text: str, order: str | None) -> str:
    """TIMESTAMPTZ for the shapes DuckDB's ISO cast does not take (see the module doc)."""
    x = f"regexp_replace({text}, {_lit(_PAREN)}, '')"
    zone = _lit(_ZONE)
    local = _local(f"regexp_extract({x}, {zone}, 1)", order)
    minutes = (
        f"(case when regexp_extract({x}, {zone}, 3) = '-' then -1 else 1 end) * "
        f"(coalesce(try_cast(regexp_extract({x}, {zone}, 4) as integer), 0) * 60 + "
        f"coalesce(try_cast(nullif(regexp_extract({x}, {zone}, 5), '') as integer), 0))"
    )
    return (
        f"case when regexp_full_match({x}, {zone}) "
        f"then timezone('UTC', {local} - to_minutes({minutes})) "
        f"else cast({_local(x, order)} as timestamptz) end"
    )


def instant_sql(expr: str, order: str | None = None, *, epoch: bool = False, serial: bool = False) -> str:
    """A DuckDB expression: the TIMESTAMPTZ `expr` (text) writes, or null when it is none.

    `order` reads numeric day/month dates (`dmy`, `mdy`, `ymd`); without it they are null.
    Text without a zone is read in the session's TimeZone. `epoch` and `serial` also read
    bare numbers as epoch seconds/milliseconds or Excel serial days.
    """
    if order is not None and order not in ORDERS:
        raise ValueError(f"date order {order!r}: use one of {', '.join(ORDERS)}")
    raw = f"cast({expr} as varchar)"
    x = f"trim({raw})"
    # DuckDB's ISO cast first, on the text as it is: the fast path of a clean file (a CASE,
    # not COALESCE: DuckDB then evaluates the grammar only for the rows the cast missed). The
    # cast also takes `5-11-25` as the year 5, so a result before the year 1000 goes through
    # the full grammar instead, unless the year was written with four digits (.NET's
    # `0001-01-01T00:00:00Z`: read, so that it is refused as implausible, not as unreadable).
    fast = f"try_cast({raw} as timestamptz)"
    early = f"({fast} is not null and regexp_matches({x}, '^\\d{{4}}-\\d{{2}}-\\d{{2}}'))"
    slow = []
    if epoch:
        slow.append(
            f"case when regexp_full_match({x}, {_lit(_EPOCH_SECONDS)}) then to_timestamp(cast({x} as double)) "
            f"when regexp_full_match({x}, {_lit(_EPOCH_MILLIS)}) then to_timestamp(cast({x} as double) / 1000) end"
        )
    if serial:
        slow.append(_serial(x))
    slow.append(_general(x, order))
    rest = slow[0] if len(slow) == 1 else f"coalesce({', '.join(slow)})"
    return f"case when {fast} >= timestamptz '1000-01-01 00:00:00+00' or {early} then {fast} else {rest} end"


def _serial(x: str) -> str:
    micros = f"cast(round(cast({x} as double) * 86400000000) as bigint)"
    return (
        f"case when regexp_full_match({x}, {_lit(_SERIAL)}) "
        f"then cast(timestamp '{EXCEL_ORIGIN}' + to_microseconds({micros}) as timestamptz) end"
    )


def date_sql(expr: str, order: str | None = None, *, serial: bool = False) -> str:
    """A DuckDB expression: the DATE `expr` (text) writes, or null.

    A value with a time is converted to UTC before its date is taken; a plain date (or a
    whole Excel serial) is the date written.
    """
    raw = f"cast({expr} as varchar)"
    x = f"trim({raw})"
    instant = instant_sql(x, order, serial=serial)
    has_clock = f"(regexp_matches({x}, {_lit(_CLOCK)}) or regexp_full_match({x}, '\\d+\\.\\d*[1-9]\\d*'))"
    plain = f"try_cast({raw} as date)"
    return (
        f"case when length({raw}) <= 10 and {plain} >= date '1000-01-01' then {plain} "
        f"when {has_clock} then cast(timezone('UTC', {instant}) as date) "
        f"else cast(timezone(current_setting('TimeZone'), {instant}) as date) end"
    )


def blank_sql(expr: str) -> str:
    """`expr` (text) with BambooHR's `0000-00-00` (and `0000-00-00 00:00:00`) made null."""
    return f"case when contains({expr}, '0000-00-00') and regexp_matches({expr}, {_lit(_ZERO_DATE)}) then null else {expr} end"


def numeric_sql(expr: str) -> str:
    """BOOLEAN: `expr` starts with a numeric day/month date (`05/11/2025`), whose order matters."""
    return f"regexp_matches(cast({expr} as varchar), {_lit(_NUMERIC_DATE)})"


_NUMERIC_PARTS = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})"
_DAY_MONTH_GROUPS = {"dmy": (1, 2), "mdy": (2, 1), "ymd": (3, 2)}  # regex groups of (day, month)


def calendar_slip_sql(expr: str, order: str) -> str:
    """BOOLEAN: `expr` is a numeric date (`numeric_sql`) whose day (1–31) and month (1–12), read
    in `order`, are each possible, so that, when it does not parse, the day is one its month
    lacks ('31/02/2026' day first: there is no 31 February), not a date in another order."""
    day, month = (
        f"try_cast(regexp_extract(cast({expr} as varchar), {_lit(_NUMERIC_PARTS)}, {g}) as integer)"
        for g in _DAY_MONTH_GROUPS[order]
    )
    return f"coalesce({day} between 1 and 31 and {month} between 1 and 12, false)"


# ---------------------------------------------------------------------------- the same SQL from Python

_ENGINE = threading.local()  # one in-memory DuckDB per thread, holding no data between calls


def engine() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory DuckDB for parsing values given from Python (no data kept)."""
    con = getattr(_ENGINE, "con", None)
    if con is None:
        con = _ENGINE.con = duckdb.connect()
    return con


def _run(values: Sequence[object], expression: str, tz: str) -> list:
    con = engine()
    name = f"_pillars_dates_{uuid.uuid4().hex}"
    frame = pd.DataFrame({"v": pd.Series([None if v is None else str(v) for v in values], dtype="object")})
    con.register(name, frame)
    try:
        con.execute("set TimeZone = ?", [tz])
        query = f"select {expression} from {name}"  # noqa: S608 (our own expression and name)
        return [row[0] for row in con.execute(query).fetchall()]
    finally:
        con.unregister(name)


def parse_instants(
    values: Iterable[object],
    tz: str = "UTC",
    order: str | None = None,
    *,
    epoch: bool = False,
    serial: bool = False,
) -> list[dt.datetime | None]:
    """Each value read by `instant_sql` as an aware UTC datetime; None where it is no date."""
    values = [None if v is None else str(v) for v in values]
    out: list[dt.datetime | None] = [_iso_zoned(v) for v in values]
    rest = [i for i, v in enumerate(values) if out[i] is None and v and v.strip()]
    if rest:
        expression = f"timezone('UTC', {instant_sql(blank_sql('v'), order, epoch=epoch, serial=serial)})"
        for i, stamp in zip(rest, _run([values[i] for i in rest], expression, tz), strict=True):
            out[i] = None if stamp is None else stamp.replace(tzinfo=dt.UTC)
    return out


# Compiling the grammar costs DuckDB ~15 ms a query, so values in ISO 8601 with an explicit
# offset or Z (most API exports) are read by Python's ISO reader, which reads exactly
# these the way DuckDB does (tests/unit/test_dates.py checks the two agree).
_ISO_ZONED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})")


def _iso_zoned(text: str | None) -> dt.datetime | None:
    if not text or not _ISO_ZONED.fullmatch(text.strip()):
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return stamp.astimezone(dt.UTC) if stamp.year >= 1000 else None


def parse_instant(
    text: object, tz: str = "UTC", order: str | None = None, *, epoch: bool = False, serial: bool = False
) -> dt.datetime | None:
    """One value (see `parse_instants`)."""
    return parse_instants([text], tz, order, epoch=epoch, serial=serial)[0]


def parse_dates(
    values: Iterable[object], tz: str = "UTC", order: str | None = None, *, serial: bool = False
) -> list[dt.date | None]:
    """Each value read by `date_sql`: the UTC date of a value with a time, else the date written."""
    values = list(values)
    if not values:
        return []
    return _run(values, date_sql(blank_sql("v"), order, serial=serial), tz)


def utc_text(stamp: dt.datetime | None) -> str:
    """ISO 8601 in UTC with an explicit `Z`, so no later step reads it in another zone."""
    if stamp is None:
        return ""
    if stamp.tzinfo is None:
        raise ValueError("utc_text needs an aware datetime")
    text = stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    micro = stamp.astimezone(dt.UTC).microsecond
    return f"{text}.{micro:06d}Z" if micro else f"{text}Z"


def plausible_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """SPEC §4: dates from 1990-01-01 to a year after the import (both inclusive)."""
    today = today or dt.datetime.now(dt.UTC).date()
    return PLAUSIBLE_FROM, today + dt.timedelta(days=PLAUSIBLE_AHEAD_DAYS)


# The date-order decision lives in lib/ingest/date_order.py; its names are also dates'.
from lib.ingest.date_order import (  # noqa: E402
    Cell,
    OrderDecision,
    OrderEvidence,
    decide_order,
    evidence,
    evidence_sql,
    order_words,
    values_evidence,
)

__all__ = [
    "ORDERS", "ORDER_SHORT", "ORDER_WORDS", "Cell", "DateHints", "OrderDecision", "OrderEvidence", "blank_sql",
    "date_sql", "decide_order", "evidence", "evidence_sql", "instant_sql", "numeric_sql", "order_words",
    "parse_dates", "parse_instant", "parse_instants", "plausible_range", "utc_text", "values_evidence",
]  # fmt: skip
