"""The one date parser (lib/ingest/dates.py): every shape SPEC §4 names, date order, plausibility.

Expected instants are worked out by hand from the written value and its offset or the
time zone it is read in (the comment on each case shows the arithmetic).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.ingest import dates
from lib.ingest.dates import (
    Cell,
    DateHints,
    OrderEvidence,
    decide_order,
    parse_dates,
    parse_instant,
    values_evidence,
)

UTC = dt.UTC


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "order", "expected"),
    [
        # ISO 8601, T or space, offsets in every spelling, fractions
        ("2025-03-03T17:45:12Z", "UTC", None, at(2025, 3, 3, 17, 45, 12)),
        ("2025-03-03 17:45:12+02:00", "UTC", None, at(2025, 3, 3, 15, 45, 12)),
        ("2025-03-03T17:45:12+0200", "UTC", None, at(2025, 3, 3, 15, 45, 12)),
        ("2025-03-03 17:45:12 +0200", "UTC", None, at(2025, 3, 3, 15, 45, 12)),  # git log --format=%ci
        ("2025-03-03 22:15:00 -0500", "UTC", None, at(2025, 3, 4, 3, 15)),  # 22:15 + 5 h
        ("2025-03-03T17:45:12.123456Z", "UTC", None, at(2025, 3, 3, 17, 45, 12, 123456)),
        ("2025-03-03T17:45:12.5", "Europe/Paris", None, at(2025, 3, 3, 16, 45, 12, 500000)),  # CET +1
        ("2025-03-31T22:30-05:00", "Europe/Paris", None, at(2025, 4, 1, 3, 30)),  # the offset wins
        ("2025-07-21 14:00:00", "America/New_York", None, at(2025, 7, 21, 18, 0)),  # EDT -4
        ("2025-09-01", "Europe/Paris", None, at(2025, 8, 31, 22, 0)),  # midnight in Paris, CEST
        ("2025-03-03 17:45:12 UTC", "Asia/Tokyo", None, at(2025, 3, 3, 17, 45, 12)),
        # Jira
        ("14/Jul/25 3:42 PM", "UTC", None, at(2025, 7, 14, 15, 42)),
        ("14/Jul/25 3:42 PM", "Europe/Berlin", None, at(2025, 7, 14, 13, 42)),  # CEST +2
        ("21/Nov/25 11:31 AM", "Europe/Berlin", None, at(2025, 11, 21, 10, 31)),  # CET +1
        ("21/Nov/25 12:05 AM", "UTC", None, at(2025, 11, 21, 0, 5)),  # 12 AM is midnight
        ("14/Jul/2025 15:42", "UTC", None, at(2025, 7, 14, 15, 42)),
        ("03/Jul/25", "America/New_York", None, at(2025, 7, 3, 4, 0)),
        # month names
        ("July 14, 2025", "UTC", None, at(2025, 7, 14)),
        ("Jul 14, 2025 3:42 PM", "UTC", None, at(2025, 7, 14, 15, 42)),
        ("14 July 2025", "UTC", None, at(2025, 7, 14)),
        ("14-JUL-25", "UTC", None, at(2025, 7, 14)),
        # JavaScript Date.toString() and toUTCString()
        (
            "Wed May 13 2026 11:21:41 GMT+0200 (Central European Summer Time)",
            "UTC",
            None,
            at(2026, 5, 13, 9, 21, 41),
        ),
        ("Wed, 13 May 2026 11:21:41 GMT", "Asia/Tokyo", None, at(2026, 5, 13, 11, 21, 41)),
        # Google Forms
        ("2025/09/12 9:14:03 AM GMT+2", "UTC", None, at(2025, 9, 12, 7, 14, 3)),
        # numeric day/month dates, only in a given order
        ("10/2/2025, 4:14:00 AM", "UTC", "mdy", at(2025, 10, 2, 4, 14)),  # pd incident list --csv
        ("10/2/2025, 4:14:00 AM", "UTC", "dmy", at(2025, 2, 10, 4, 14)),
        ("10/2/2025, 4:14:00 AM", "UTC", None, None),  # never guessed
        ("05/11/2025 09:12:44", "Europe/London", "dmy", at(2025, 11, 5, 9, 12, 44)),  # GMT in November
        ("5.11.25", "UTC", "dmy", at(2025, 11, 5)),
        ("25/11/05", "UTC", "ymd", at(2025, 11, 5)),
        ("25/11/05", "UTC", None, None),  # DuckDB alone would read the year 25
        # no date
        ("0000-00-00", "UTC", None, None),
        ("31/Foo/25 9:00 AM", "UTC", None, None),
        ("yesterday", "UTC", None, None),
        ("", "UTC", None, None),
    ],
)
def test_shapes(text, tz, order, expected):
    assert parse_instant(text, tz, order) == expected


def test_epoch_numbers_only_where_the_tool_writes_them():
    assert dates.parse_instants(["1754784000000", "1754784000.5"], epoch=True) == [
        at(2025, 8, 10),  # 1754784000 s = 2025-08-10 00:00 UTC
        at(2025, 8, 10, 0, 0, 0, 500000),
    ]
    assert parse_instant("1754784000000") is None


def test_excel_serial_days_only_inside_workbooks():
    # Day 45870 after 1899-12-30 is 2025-08-01; .5 is noon.
    assert dates.parse_instants(["45870", "45870.5"], serial=True) == [at(2025, 8, 1), at(2025, 8, 1, 12)]
    assert parse_instant("45870") is None


def test_a_date_is_taken_in_utc_from_a_value_with_a_time():
    values = ["2025-03-31T22:30:00-05:00", "2025-03-31", "2025-03-31T23:30:00+02:00", "0000-00-00", "45870"]
    assert parse_dates(values, "UTC", serial=True) == [
        dt.date(2025, 4, 1),  # 22:30 -05:00 is 03:30 UTC on April 1
        dt.date(2025, 3, 31),  # a plain date is the date written
        dt.date(2025, 3, 31),  # 23:30 +02:00 is 21:30 UTC
        None,
        dt.date(2025, 8, 1),
    ]
    # A time without a zone is read in the file's zone, then its UTC date taken.
    assert parse_dates(["2025-03-31 22:30", "2025-03-31"], "America/New_York") == [
        dt.date(2025, 4, 1),
        dt.date(2025, 3, 31),
    ]


ENGINE = duckdb.connect()
ENGINE.execute("set TimeZone = 'UTC'")


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 12, 31)),
    st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: m - m % 15),
    st.sampled_from(["T", " "]),
    st.sampled_from(["%z", "colon", "Z"]),
    st.booleans(),
)
def test_the_python_fast_path_reads_iso_as_the_sql_grammar_does(stamp, minutes, sep, style, fraction):
    """ISO 8601 with a zone is read in Python for speed; the SQL grammar must agree."""
    stamp = stamp.replace(microsecond=stamp.microsecond if fraction else 0)
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    text = stamp.replace(tzinfo=zone).isoformat(sep=sep)
    if style == "%z":
        text = re.sub(r"([+-]\d\d):(\d\d)$", r"\1\2", text)
    elif style == "Z":
        text = stamp.isoformat(sep=sep) + "Z"
    (sql,) = ENGINE.execute(f"select timezone('UTC', {dates.instant_sql('$v')})", {"v": text}).fetchone()
    assert parse_instant(text) == sql.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------- date order


def evidence(*values: str) -> OrderEvidence:
    return values_evidence((row, "completion_time", v) for row, v in enumerate(values, start=2))


def test_an_ambiguous_file_with_no_order_is_refused_saying_how_to_set_it():
    # Microsoft Forms from a UK tenant: every day is 12 or less.
    decision = decide_order(evidence("05/11/2025 09:12:44", "06/11/2025 14:15:01"))
    assert decision.order is None
    cell, reason = decision.refusal
    assert (cell.row, cell.value) == (2, "05/11/2025 09:12:44")
    assert "5 November 2025 (day first) or 11 May 2025 (month first)" in reason
    assert "--date-order dmy|mdy|ymd" in reason and "Data page" in reason


def test_the_users_order_wins_and_needs_no_warning():
    decision = decide_order(evidence("05/11/2025 09:12:44"), user="dmy")
    assert (decision.order, decision.warning, decision.refusal) == ("dmy", None, None)


def test_the_tools_order_is_used_and_said():
    hints = DateHints("mdy", "PagerDuty's CLI writes US English dates")
    decision = decide_order(evidence("10/2/2025, 4:14:00 AM", "10/3/2025, 1:00:00 PM"), hints=hints)
    assert decision.order == "mdy"
    assert decision.warning.code == "date_order" and decision.warning.count == 2
    assert "month/day/year" in decision.warning.message and "PagerDuty" in decision.warning.message
    assert decision.warning.rows == (2, 3)


def test_values_that_only_one_order_reads_decide_it_with_a_warning():
    decision = decide_order(evidence("05/11/2025", "15/11/2025"))
    assert decision.order == "dmy" and decision.refusal is None
    assert "'15/11/2025' (row 3) can only be read that way" in decision.warning.message


def test_a_file_that_mixes_orders_is_refused_naming_both_rows():
    decision = decide_order(evidence("15/11/2025", "11/15/2025"))
    cell, reason = decision.refusal
    assert cell == Cell(2, "completion_time", "15/11/2025")
    assert "'11/15/2025' (row 3, column completion_time) only month first" in reason


def test_values_that_read_the_same_in_every_order_need_no_order():
    decision = decide_order(evidence("01/01/2025", "02/02/2025"))
    assert decision.refusal is None and decision.warning is None


def test_no_numeric_dates_no_order():
    assert decide_order(evidence("2025-11-05", "14/Jul/25 3:42 PM")) == dates.OrderDecision(None)


def test_plausible_range_is_1990_to_a_year_after_the_import():
    assert dates.plausible_range(dt.date(2026, 12, 5)) == (dt.date(1990, 1, 1), dt.date(2027, 12, 5))


# ---------------------------------------------------------------------------- no second parser

FORMATS_DIR = Path(__file__).resolve().parents[2] / "lib" / "ingest" / "formats"
# Parsing dates by hand: strptime / fromisoformat / fromtimestamp, datetime built from
# parts, or a regex over digits and slashes. A format hands text to lib.ingest.dates.
_OWN_PARSING = re.compile(
    r"strptime|fromisoformat|fromtimestamp|utcfromtimestamp|dateutil|to_datetime\(|"
    r"dt\.datetime\(|datetime\.datetime\(|dt\.date\(|datetime\.date\(|"
    r"\\d\{1,2\}\[/|\\d\{4\}\[-/"
)
# Modules other issues own that still read dates their own way, with the issue that moves them.
PENDING = {"survey_wide.py": "issue 11 reads survey dates through lib.ingest.dates"}


@pytest.mark.parametrize("module", sorted(p.name for p in FORMATS_DIR.glob("*.py")))
def test_no_format_module_parses_dates_on_its_own(module):
    if module in PENDING:
        pytest.skip(PENDING[module])
    text = (FORMATS_DIR / module).read_text()
    found = [m.group(0) for m in _OWN_PARSING.finditer(text)]
    assert not found, f"{module} parses dates itself ({', '.join(found)}): use lib.ingest.dates"


def test_the_pending_list_is_still_needed():
    for module in PENDING:
        assert _OWN_PARSING.search((FORMATS_DIR / module).read_text()), (
            f"{module} is clean: drop it from PENDING"
        )
