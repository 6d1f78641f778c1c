"""Survey exports, whatever their header rows, turned into `survey_responses` rows.

Shared by the survey formats; not a format itself. A format reads its tool's header rows
into a `SurveyTable` (one `SurveyColumn` per column: its name, the question as people read
it, and what else the headers say); everything after that is the same for every tool:
1. `lib.ingest.formats._survey_columns.classify` says what each column is, decides each
   question's scale from its whole column (`lib.survey_scale`), and lists what is not
   imported and why;
2. the file waits for the Data page's mapping step while a rating question is unmapped,
   and is refused while a question's scale cannot be decided (its labels named);
3. survey_date: a `Survey date` column, else the latest day the responses were completed
   (`Completion time`, `EndDate`, `Submitted at`, `Timestamp`, …), else a YYYY-MM-DD in the
   file name: the day the survey closed. Dates are read by the one parser,
   `lib.ingest.dates`, in the file's date order (`decide_order`: the user's, else the
   tool's, else the one order every value reads, with a warning; a file whose dates read
   two ways is refused, naming the row, with how to set the order) and time zone (the one
   a Qualtrics export states, else the file's: `--tz`, the Data page, the saved default); a
   value with a time is converted to UTC before its day is taken;
4. survey_id: a `Survey` column, else the survey date's quarter ("2025-Q3"). Our choice
   for a second file in a quarter (`lib.ingest.formats._survey_ids`), against the nearest
   survey stored in it: answers with their own timestamps decide by what the file holds
   (answers dated on or before that survey's last answer: a later export of it, which
   joins it; every answer after it: a survey of its own, "2026-Q4 (02 Dec)", so a pulse
   never replaces the last one's answers); one date for the whole file (a `Survey date`
   column, the file name) decides by distance (within 21 days it joins). Either way the
   import says so and by which rule;
5. respondent_id: an employee id, else the e-mail (not "anonymous"), else the tool's
   response id, else "<survey_id>/row-<n>"; the loader pseudonymises it;
6. one row per respondent per question column, its score null where the question was not
   answered (blank, N/A, "Don't know"), so a respondent who answered nothing counts for
   nothing (SPEC §6) yet no column's answers are lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib import survey_mappings, survey_scale
from lib.db import get_setting
from lib.ingest import dates
from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats import _survey_ids as survey_ids
from lib.ingest.formats._survey_columns import Layout, SurveyColumn, classify
from lib.ingest.report import ImportWarning, warn
from lib.ingest.validate import FormatProblems, Problem

_FILE_DATE = re.compile(r"(20\d\d)[-_.](\d\d)[-_.](\d\d)")
SAMPLE_ROWS = 3


class SurveyImportError(ValueError):
    """The survey file cannot be imported as it is; the message says what to do."""


class UnmappedQuestions(SurveyImportError):
    def __init__(self, questions: dict[str, str]):
        self.questions = list(questions)
        listed = "; ".join(f'"{q}" ({why})' for q, why in list(questions.items())[:5])
        more = f" and {len(questions) - 5} more" if len(questions) > 5 else ""
        super().__init__(
            f"{len(questions)} {'question needs' if len(questions) == 1 else 'questions need'} a dimension before "
            "this survey can be imported: "
            f"{listed}{more}. Map each to a dimension (or skip it) on the Data page; "
            "the mapping is saved and reused for the next wave."
        )


@dataclass(frozen=True)
class SurveyTable:
    """A survey export read cell by cell, its header rows already understood.

    records: (spreadsheet row number, cells padded to the columns), blank records left out;
    dates: what the tool is known to write (its numeric date order);
    time_zone: the zone the export states its times in (Qualtrics), else None;
    excluded: (row, why) of records that are not responses (Qualtrics' previews and tests).
    """

    tool: str
    columns: tuple[SurveyColumn, ...]
    records: tuple[tuple[int, tuple[str, ...]], ...]
    dates: DateHints = DateHints()
    time_zone: str | None = None
    excluded: tuple[tuple[int, str], ...] = ()

    def cells(self) -> dict[int, list[str]]:
        return {c.index: [cells[c.index] for _, cells in self.records] for c in self.columns}


def raw_rows(source: SourceFile) -> Iterator[tuple[int, list[str]]]:
    """Every record of a CSV source with the row number a spreadsheet shows (header = 1)."""
    with open(source.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        for n, row in enumerate(reader, start=1):
            yield n + source.row_offset, row


def head(source: SourceFile, rows: int = SAMPLE_ROWS) -> list[list[str]]:
    """The first `rows` records (the header rows a format's `score` looks at)."""
    if source.kind != "csv":
        return []
    out = []
    try:
        for _, row in raw_rows(source):
            out.append(row)
            if len(out) >= rows:
                break
    except (OSError, csv.Error, UnicodeError):
        return []
    return out


def body(source: SourceFile, header_rows: int, width: int) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The records under `header_rows` header rows, padded or cut to `width` cells."""
    out = []
    for n, (row_number, row) in enumerate(raw_rows(source), start=1):
        if n <= header_rows or not any(c.strip() for c in row):
            continue
        out.append((row_number, tuple((row + [""] * width)[:width])))
    return tuple(out)


def layout(con: duckdb.DuckDBPyConnection, table: SurveyTable) -> Layout:
    """What each column of `table` is, with the saved mappings and scale choices applied."""
    return classify(
        list(table.columns),
        table.cells(),
        survey_mappings.saved(con),
        survey_mappings.saved_scales(con),
        get_setting(con, "survey_scale_points"),
    )


def read(
    con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions, table: SurveyTable
) -> list[Staged]:
    """The survey's `survey_responses` rows (see the module doc) and what was interpreted."""
    plan = layout(con, table)
    text = {c.index: c.text for c in table.columns}
    if plan.unmapped:
        raise UnmappedQuestions({text[i]: why for i, why in plan.unmapped.items()})
    if plan.undecided:
        i, why = next(iter(plan.undecided.items()))
        others = len(plan.undecided) - 1
        more = f" ({others} more {'question' if others == 1 else 'questions'} too)" if others else ""
        raise SurveyImportError(
            f"the scale of {text[i]!r} cannot be decided: {why}{more}. Choose it on the Data page's survey step"
        )
    if not plan.questions:
        raise SurveyImportError("no rating questions found: nothing to import")
    excluded = {row for row, _ in table.excluded}
    records = [(row, cells) for row, cells in table.records if row not in excluded]
    if not records:
        raise SurveyImportError("no responses: every row is a preview or a test")
    surveys = [
        (cells[plan.survey].strip() or None) if plan.survey is not None else None for _, cells in records
    ]
    answered, warnings = survey_dates(source, table, plan, options, records, surveys)
    days = {survey: a.last for survey, a in answered.items()}
    ids, placed = _ids(con, answered)
    frame, more = long_rows(con, table, plan, records, surveys, days, ids)
    warnings = [*plan.warnings, *warnings, *more, *_excluded_warnings(table), *placed]
    return [Staged("survey_responses", con.from_df(frame), warnings=tuple(warnings))]


def _excluded_warnings(table: SurveyTable) -> list[ImportWarning]:
    by_why: dict[str, list[int]] = {}
    for row, why in table.excluded:
        by_why.setdefault(why, []).append(row)
    return [
        warn("survey_rows_not_imported", f"Responses not imported: {why}", rows)
        for why, rows in by_why.items()
    ]


def _ids(
    con: duckdb.DuckDBPyConnection, answered: dict[str | None, survey_ids.AnswerDates]
) -> tuple[dict[str | None, str], list[ImportWarning]]:
    """survey_id per survey: its `Survey` column's name, else the id `_survey_ids.place` gives its answers."""
    ids: dict[str | None, str] = {}
    out: list[ImportWarning] = []
    for survey, when in answered.items():
        if survey is not None:
            ids[survey] = survey
        else:
            ids[survey], placed = survey_ids.place(con, when)
            out.extend(placed)
    return ids, out


def survey_dates(
    source: SourceFile,
    table: SurveyTable,
    plan: Layout,
    options: ImportOptions,
    records: list[tuple[int, tuple[str, ...]]],
    surveys: list[str | None],
) -> tuple[dict[str | None, survey_ids.AnswerDates], list[ImportWarning]]:
    """The days each survey's answers came in (its survey_date is the last, see the module
    doc), whether they carry their own dates, and the date-order warning if any."""
    column = plan.survey_date if plan.survey_date is not None else plan.date
    if column is None:
        m = _FILE_DATE.search(source.name)
        day = dates.parse_dates(["-".join(m.groups())])[0] if m else None
        if day is None:
            raise SurveyImportError(
                "no date: the file has no timestamp or survey date column and its name holds no "
                "YYYY-MM-DD; add a 'Survey date' column"
            )
        message = f"The survey date, {day:%d %B %Y}, is taken from the file name: the file has no date column"
        answered = survey_ids.AnswerDates(day, day, each=False)
        return dict.fromkeys(surveys, answered), [warn("survey_date_from_file_name", message)]
    header = table.columns[column].text or table.columns[column].name
    filled = [(row, cells[column].strip()) for row, cells in records if cells[column].strip()]
    found = dates.values_evidence((row, header, value) for row, value in filled)
    decision = dates.decide_order(found, options.date_order, table.dates)
    if decision.refusal:
        cell, reason = decision.refusal
        raise FormatProblems([Problem(cell.row, cell.column, cell.value, reason)])
    zone = table.time_zone or options.default_tz
    parsed = dates.parse_dates([v for _, v in filled], zone, decision.order, serial=source.workbook)
    unread = [
        Problem(row, header, value, "is not a date")
        for (row, value), d in zip(filled, parsed, strict=True)
        if d is None
    ]
    if unread:
        raise FormatProblems(unread)
    by_row = {row: day for (row, _), day in zip(filled, parsed, strict=True)}
    found_days: dict[str | None, list[dt.date]] = {}
    for (row, _), survey in zip(records, surveys, strict=True):
        if row in by_row:
            found_days.setdefault(survey, []).append(by_row[row])
    for (row, _), survey in zip(records, surveys, strict=True):
        if survey not in found_days:
            raise FormatProblems(
                [Problem(row, header, "", "is empty: no response of this survey has a date")]
            )
    each = plan.survey_date is None  # a response's own timestamp, not the survey's one date
    out = {survey: survey_ids.AnswerDates(min(d), max(d), each) for survey, d in found_days.items()}
    return out, [decision.warning] if decision.warning else []


def _team_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0].strip().lower(): r[0] for r in con.execute("select team from teams").fetchall() if r[0]}


def _respondent(cells: tuple[str, ...], plan: Layout, fallback: str) -> str:
    for c in plan.respondent:
        value = cells[c].strip()
        if value and not (c in plan.emails and value.lower() == "anonymous"):
            return value
    return fallback


def long_rows(
    con: duckdb.DuckDBPyConnection,
    table: SurveyTable,
    plan: Layout,
    records: list[tuple[int, tuple[str, ...]]],
    surveys: list[str | None],
    days: dict[str | None, dt.date],
    ids: dict[str | None, str],
) -> tuple[pd.DataFrame, list[ImportWarning]]:
    """One row per respondent per question (score null where unanswered), plus `_row`."""
    text = {c.index: c.text for c in table.columns}
    teams = _team_names(con)
    if plan.team is not None:  # spellings the teams table doesn't know agree on the file's most common one
        spellings = pd.Series([cells[plan.team].strip() for _, cells in records if cells[plan.team].strip()])
        for lower, group in spellings.groupby(spellings.str.lower()):
            teams.setdefault(lower, group.value_counts().index[0])
    rows: list[tuple] = []
    problems: list[Problem] = []
    blank: list[int] = []
    for (row, cells), survey in zip(records, surveys, strict=True):
        sid = ids[survey]
        respondent = _respondent(cells, plan, f"{sid}/row-{row}")
        team = cells[plan.team].strip() if plan.team is not None else ""
        team = teams.get(team.lower(), team) or None
        answered = False
        for column, q in plan.questions.items():
            value = cells[column]
            try:
                if q.enps:
                    score = survey_scale.enps_score(value)
                elif value.strip() in q.decision.unknown:
                    answers = ", ".join(repr(a) for a in q.decision.answers[:8])
                    raise ValueError(f"not an answer on a rating scale (this column's answers: {answers})")
                else:
                    score = (
                        survey_scale.score(value, q.decision.scale, q.reverse) if q.decision.scale else None
                    )
            except ValueError as exc:
                problems.append(Problem(row, text[column], value, f"is {exc}"))
                continue
            answered = answered or score is not None
            rows.append((sid, days[survey], respondent, team, q.question_id, q.dimension, score, row))
        if not answered:
            blank.append(row)
    if problems:
        raise FormatProblems(problems)
    columns = [
        "survey_id",
        "survey_date",
        "respondent_id",
        "team",
        "question_id",
        "dimension",
        "score",
        "_row",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["score"] = pd.array(frame["score"].tolist(), dtype="Float64")
    warnings = []
    if blank:
        message = "Responses that answer no rating question: kept with empty scores, they count for nothing"
        warnings.append(warn("survey_blank_responses", message, blank))
    return frame, warnings
