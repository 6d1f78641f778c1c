"""The survey_id of a survey export without a `Survey` column: which survey its answers belong to.

Our choice (docs/FORMATS_SURVEYS.md). Such a file names no survey, so its id comes from its
answers' dates (`_survey.survey_dates`: its survey date is the day its last answer came
in) and from what is already stored under that date's quarter. No survey of the quarter
stored: the quarter, "2026-Q4". Otherwise the file is compared with the nearest stored
survey of the quarter (by survey date), whose date is its last answer's day, and either
joins it as a later export (its rows upsert onto that survey's keys, the
`survey_joins_existing` warning) or is a survey of its own (the `survey_kept_apart`
warning). Each warning says which rule decided:
- the file's answers carry their own dates (a per-response timestamp: Google Forms,
  Microsoft Forms, SurveyMonkey, Qualtrics, Lattice, Culture Amp): what the file holds
  decides. A later export of a survey still holds that survey's earlier answers, so it
  has answers dated on or before the stored survey's last answer: it joins. A new pulse
  has none: when every answer of the file is dated after that last answer, it is its own
  survey, however close (a pulse closing 12 November and one answered 1–2 December are
  two surveys, though 20 days apart);
- the file gives one date for all its answers (a `Survey date` column, the file name),
  or every answer of it is dated before the stored survey's last answer (an earlier
  export of that survey and an earlier pulse look alike: the stored answers keep only
  their survey's date): the distance decides. Within 21 days of the stored survey it joins
  it; further away it is its own survey. 21 days because a survey is open for one to
  three weeks, while monthly pulses are four weeks or more apart.
A survey of its own has the quarter's id while no answers hold it, else the quarter and
its date, "2026-Q4 (02 Dec)". Read as one survey, two pulses answered by the same people
share every key (survey_id, respondent_id, question_id), so the second would replace the
first: this rule is there so that a pulse never replaces the last one's answers. A
`Survey` column names surveys explicitly, and a file with one never comes here.

The stored surveys compared are those whose id this rule gives ("2026-Q4", "2026-Q4 (02
Dec)"), never an id a `Survey` column chose. The dated form, its month in English
whatever the machine's locale, depends only on the file's date, so a re-import of the same
file finds its own answers (dated on or before their survey's last answer, 0 days away)
and upserts onto them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from lib.ingest.report import ImportWarning, warn

SAME_SURVEY_DAYS = 21
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class AnswerDates:
    """The days one survey's answers in a file came in: `last` is its survey date. `each`:
    the answers carry their own dates (a per-response timestamp), `first` the earliest; else
    the file gives one date for them all (a `Survey date` column, the file name)."""

    first: dt.date
    last: dt.date
    each: bool


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


def place(con: duckdb.DuckDBPyConnection, answers: AnswerDates) -> tuple[str, list[ImportWarning]]:
    """The survey_id of a file's answers without a `Survey` column, and the warning saying
    which stored survey they join or are kept apart from, and by which rule (see the module doc)."""
    day = answers.last
    stored = _stored(con, day)
    if not stored:
        return quarter(day), []
    nearest, other = min(stored, key=lambda s: (abs((s[1] - day).days), s[1], s[0]))
    last = max(d for sid, d in stored if sid == nearest)
    own = quarter(day) if all(sid != quarter(day) for sid, _ in stored) else dated_id(day)
    if answers.each and answers.first > last:
        message = (
            f"This file's answers, {_dated(answers)}, are read as their own survey, {own}: every answer in it is "
            f"dated after {last:%d %B %Y}, the last answer of survey {nearest}, so it is a new survey, not a later "
            "export of that one (which would still hold its answers). Neither survey's answers replace the "
            "other's. A 'Survey' column names surveys explicitly: if the two files are one survey, give both a "
            "'Survey' column naming it"
        )
        return own, [warn("survey_kept_apart", message)]
    dates = [d for sid, d in stored if sid == nearest and d != day]
    if answers.each and day >= last:
        why = f"it holds answers dated on or before {last:%d %B %Y}, so it is a later export of that survey"
        return nearest, [_joins(nearest, max(dates), _dated(answers), why)] if dates else []
    why = (
        f"every answer in this file is dated before {last:%d %B %Y}, that survey's last answer: an earlier "
        "export of it and an earlier survey look alike, so only the distance between the dates can tell"
        if answers.each
        else "this file gives one date for all its answers, so only the distance between the dates can tell"
    )
    gap = abs((other - day).days)
    if gap <= SAME_SURVEY_DAYS:
        why = f"within {SAME_SURVEY_DAYS} days a file is read as a later export of it: {why}"
        return nearest, [_joins(nearest, max(dates), f"dated {day:%d %B %Y}", why)] if dates else []
    message = (
        f"This file's answers, dated {day:%d %B %Y}, are read as their own survey, {own}: survey "
        f"{nearest} holds answers dated {other:%d %B %Y}, {gap} days {'earlier' if other < day else 'later'}, "
        f"more than the {SAME_SURVEY_DAYS} days within which a file is read as a later export of it ({why}). "
        "Neither survey's answers replace the other's. A 'Survey' column names surveys explicitly: if the two "
        "files are one survey, give both a 'Survey' column naming it"
    )
    return own, [warn("survey_kept_apart", message)]


def _dated(answers: AnswerDates) -> str:
    """The days the file's answers came in: "dated 01 to 02 December 2026"."""
    first, last = answers.first, answers.last
    if first == last:
        return f"dated {last:%d %B %Y}"
    if first.year != last.year:
        start = f"{first:%d %B %Y}"
    else:
        start = f"{first:%d}" if first.month == last.month else f"{first:%d %B}"
    return f"dated {start} to {last:%d %B %Y}"


def _joins(sid: str, other: dt.date, dated: str, why: str) -> ImportWarning:
    message = (
        f"Survey {sid} already holds answers dated {other:%d %B %Y} from another import: this file's answers, "
        f"{dated}, join that survey ({why}). If they are two surveys, add a 'Survey' column naming each"
    )
    return warn("survey_joins_existing", message)
