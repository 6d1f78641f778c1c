"""The survey_id of a survey export without a `Survey` column: which survey its answers belong to.

Our choice (docs/FORMATS_SURVEYS.md). Such a file names no survey, so its id comes from its
survey date (the day its last response came in, `_survey.survey_dates`) and from what is
already stored under that date's quarter:
- no survey of the quarter is stored: the quarter, "2026-Q4";
- the file's date is within 21 days of a stored survey of the quarter (the nearest, when
  there are several): it is a later export of that survey, carrying the answers given
  since, and joins it (its rows upsert onto that survey's keys), with the
  `survey_joins_existing` warning;
- more than 21 days from every stored survey of the quarter: a survey of its own. Pulses a
  month apart are common, and two pulses answered by the same people share every key
  (survey_id, respondent_id, question_id), so read as one survey the second would replace
  the first. Its id is the quarter while no answers hold that id, else the quarter and its
  date, "2026-Q4 (02 Dec)"; the `survey_kept_apart` warning says so and why.
21 days: a survey is open for one to three weeks, so a later export of it comes within
them, while monthly pulses are four weeks or more apart. Surveys closer than that (a
fortnightly pulse) read as one survey, with the warning: a `Survey` column names surveys
explicitly, and a file with one never comes here.

The stored surveys compared are those whose id this rule gives ("2026-Q4", "2026-Q4 (02
Dec)"), never an id a `Survey` column chose. The dated form, its month in English
whatever the machine's locale, depends only on the file's date, so a re-import of the same
file finds its own answers 0 days away and upserts onto them.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from lib.ingest.report import ImportWarning, warn

FORMATS: list = []

SAME_SURVEY_DAYS = 21
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def quarter(day: dt.date) -> str:
    """The id of the first survey of `day`'s quarter: "2025-Q3"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def dated_id(day: dt.date) -> str:
    """The id of a further survey of the quarter, dated `day`: "2026-Q4 (02 Dec)"."""
    return f"{quarter(day)} ({day.day:02d} {_MONTHS[day.month - 1]})"


def _stored(con: duckdb.DuckDBPyConnection, day: dt.date) -> list[tuple[str, dt.date]]:
    """(survey_id, survey_date) of the answers stored under an id this rule gives in `day`'s quarter."""
    first = quarter(day)
    rows = con.execute(
        "select distinct survey_id, survey_date from survey_responses "
        "where survey_id = $id or starts_with(survey_id, $prefix)",
        {"id": first, "prefix": f"{first} ("},
    ).fetchall()
    further = re.compile(rf"{re.escape(first)} \(\d\d (?:{'|'.join(_MONTHS)})\)")
    return sorted((sid, d) for sid, d in rows if sid == first or further.fullmatch(sid))


def place(con: duckdb.DuckDBPyConnection, day: dt.date) -> tuple[str, list[ImportWarning]]:
    """The survey_id of a file dated `day` without a `Survey` column, and the warning saying
    which stored survey it joins or is kept apart from (see the module doc)."""
    stored = _stored(con, day)
    if not stored:
        return quarter(day), []
    nearest, other = min(stored, key=lambda s: (abs((s[1] - day).days), s[1], s[0]))
    gap = abs((other - day).days)
    if gap <= SAME_SURVEY_DAYS:
        dates = [d for sid, d in stored if sid == nearest and d != day]
        return nearest, [_joins(nearest, max(dates), day)] if dates else []
    own = quarter(day) if all(sid != quarter(day) for sid, _ in stored) else dated_id(day)
    message = (
        f"This file's answers, dated {day:%d %B %Y}, are read as their own survey, {own}: survey "
        f"{nearest} holds answers dated {other:%d %B %Y}, {gap} days {'earlier' if other < day else 'later'}, "
        f"more than the {SAME_SURVEY_DAYS} days within which a file is read as a later export of it. Neither "
        "survey's answers replace the other's. A 'Survey' column names surveys explicitly: if the two files "
        "are one survey, give both a 'Survey' column naming it"
    )
    return own, [warn("survey_kept_apart", message)]


def _joins(sid: str, other: dt.date, day: dt.date) -> ImportWarning:
    message = (
        f"Survey {sid} already holds answers dated {other:%d %B %Y} from another import: this file's "
        f"answers, dated {day:%d %B %Y}, join that survey (within {SAME_SURVEY_DAYS} days a file is read as a "
        "later export of it). If they are two surveys, add a 'Survey' column naming each"
    )
    return warn("survey_joins_existing", message)
