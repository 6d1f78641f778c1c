"""Survey exports in wide form: one row per respondent, one column per question.

The layouts it reads (fixtures in tests/fixtures/exports/ say where each comes from):
- Google Forms "Download responses (.csv)": `Timestamp` first, `Email Address` when the
  form collects it, then one column per question titled with its text; a grid question
  gives one column per row, "Question text [Row]".
- Microsoft Forms "Open in Excel", saved as CSV: `ID, Start time, Completion time, Email,
  Name` (and `Last modified time`), then the questions; `Email` is "anonymous" for
  anonymous forms; quizzes add `Total points`, `Quiz feedback`, `Points - …`, `Feedback - …`.
- Culture Amp and Lattice raw-response extracts: a response or employee id, demographic
  columns (department/team, location, tenure band, …), a submitted-at date, then one
  column per rating question with 1–5 numbers or agreement labels.

What becomes of each column:
- question columns the question bank knows (`lib.question_bank`, Edmondson's seven
  items, eNPS by its wording, …) or that a saved mapping names (`lib.survey_mappings`)
  become rows of `survey_responses`, scored as `lib.survey_scale` documents;
- rating-like columns nobody has mapped make the file wait for the mapping step: the
  import is rejected with the list of questions to map (Data page), never loaded half;
- the team comes from a `Team` column (also "Department", "Squad", "What team are you
  on?"), matched to `teams` case-insensitively; other demographics (location, tenure,
  gender, …), names, free-text comments and quiz bookkeeping are not stored at all;
- respondent_id is the employee id, else the e-mail (not "anonymous"), else the tool's
  response id, else "<survey_id>/row-<n>"; the loader pseudonymises it, so no e-mail
  is ever stored;
- survey_date is a `Survey date` column, else the latest date in the timestamp column
  (`Completion time`, `Submitted at`, `Timestamp`, `Date`, …) — the day the survey
  closed — else a YYYY-MM-DD in the file name; survey_id is a `Survey` column, else
  the survey date's quarter ("2025-Q3"); a second survey in one quarter needs a
  `Survey` column.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib import question_bank, survey_mappings, survey_scale
from lib.db import get_setting
from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header

TEAM_HEADERS = ("team", "team_name", "squad", "department", "dept", "group", "division", "tribe")
ID_HEADERS = (
    ("employee_id", "employee_number", "employee_no", "staff_id", "worker_id", "user_id", "person_id"),
    ("email", "email_address", "e_mail", "work_email", "employee_email", "username", "respondent_email"),
    ("respondent_id", "response_id", "responseid", "id", "submission_id", "participant_id"),
)
DATE_HEADERS = (
    "completion_time",
    "submitted_at",
    "submitted",
    "submission_date",
    "completed_at",
    "completed",
    "end_date",
    "response_date",
    "date_submitted",
    "timestamp",
    "date",
    "start_time",
    "started_at",
    "start_date",
)
SURVEY_HEADERS = ("survey", "survey_id", "survey_name", "wave")
SURVEY_DATE_HEADERS = ("survey_date",)
IGNORED_HEADERS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "preferred_name",
        "employee_name",
        "manager",
        "manager_name",
        "manager_email",
        "manager_id",
        "last_modified_time",
        "total_points",
        "quiz_feedback",
        "location",
        "office",
        "country",
        "city",
        "region",
        "site",
        "tenure",
        "tenure_band",
        "length_of_service",
        "level",
        "job_level",
        "grade",
        "job_title",
        "role",
        "gender",
        "age",
        "age_band",
        "age_group",
        "generation",
        "ethnicity",
        "employment_type",
        "start_date_employee",
        "hire_date",
        "language",
        "ip_address",
        "status",
        "comments",
        "comment",
    }
)
_MS_FORMS = ("id", "start_time", "completion_time", "email", "name")
_FILE_DATE = re.compile(r"(20\d\d)[-_.](\d\d)[-_.](\d\d)")


class SurveyImportError(ValueError):
    """The survey file cannot be imported as it is; the message says what to do."""


class UnmappedQuestions(SurveyImportError):
    def __init__(self, questions: list[str]):
        self.questions = questions
        listed = "; ".join(f'"{q}"' for q in questions[:5])
        more = f" and {len(questions) - 5} more" if len(questions) > 5 else ""
        super().__init__(
            f"{len(questions)} question(s) are not in the question bank and have no saved mapping: "
            f"{listed}{more}. Map each to a dimension (or skip it) on the Data page; "
            "the mapping is saved and reused for the next wave."
        )


@dataclass
class Layout:
    """What each column of a wide survey file is."""

    questions: dict[int, tuple[str, str, bool]] = field(default_factory=dict)  # col → (qid, dim, reverse)
    unmapped: dict[int, str] = field(default_factory=dict)  # col → header
    skipped: dict[int, str] = field(default_factory=dict)  # col → header (mapped to skip)
    ignored: dict[int, str] = field(default_factory=dict)  # col → header (not a rating question)
    team: int | None = None
    respondent: list[int] = field(default_factory=list)  # id columns, most personal-stable first
    emails: set[int] = field(default_factory=set)
    date: int | None = None
    survey: int | None = None
    survey_date: int | None = None


def read_records(source: SourceFile) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header cells and (spreadsheet row number, cells) of each non-blank record."""
    with open(source.path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter or ",")
        header = next(reader, [])
        width = len(header)
        records = [
            (n, row + [""] * (width - len(row)))
            for n, row in enumerate(reader, start=2)
            if any(c.strip() for c in row)
        ]
    return header, records


def _first(norm: list[str], names) -> int | None:
    for name in names:
        if name in norm:
            return norm.index(name)
    return None


def _team_column(headers: list[str], norm: list[str], taken: set[int], records) -> int | None:
    """`Team` and its synonyms, else a short header about the team whose answers are not ratings."""
    exact = _first(norm, TEAM_HEADERS)
    if exact is not None:
        return exact
    for i, n in enumerate(norm):
        words = n.split("_")
        if i in taken or len(words) > 8 or not ({"team", "department", "squad"} & set(words)):
            continue
        if not _rating_column([r[i] for _, r in records]):
            return i
    return None


def layout(
    headers: list[str], records: list[tuple[int, list[str]]], saved: dict[str, str] | None = None
) -> Layout:
    """Classify every column: metadata, bank question, mapped, unmapped, or ignored."""
    saved = saved or {}
    norm = [normalize_header(h) for h in headers]
    out = Layout()
    out.survey = _first(norm, SURVEY_HEADERS)
    out.survey_date = _first(norm, SURVEY_DATE_HEADERS)
    out.date = _first(norm, DATE_HEADERS)
    for group in ID_HEADERS:
        column = _first(norm, group)
        if column is not None:
            out.respondent.append(column)
            if group is ID_HEADERS[1]:
                out.emails.add(column)
    meta = {c for c in (out.survey, out.survey_date, out.date) if c is not None} | set(out.respondent)
    bank = {i for i, h in enumerate(headers) if question_bank.match(h) is not None}
    out.team = _team_column(headers, norm, meta | bank, records)
    meta |= {out.team} if out.team is not None else set()
    for i, header in enumerate(headers):
        if i in meta:
            continue
        n = norm[i]
        item = question_bank.match(header)
        if item is not None:
            out.questions[i] = (item.question_id, item.dimension, item.reverse)
            continue
        mapped = saved.get(question_bank.normalize_question(header))
        if mapped == survey_mappings.SKIP:
            out.skipped[i] = header
        elif mapped:
            out.questions[i] = (question_bank.question_key(header), mapped, False)
        elif (
            n in IGNORED_HEADERS
            or n.startswith(("points_", "feedback_"))
            or n in {x for group in ID_HEADERS for x in group}
            or n in DATE_HEADERS
        ):
            out.ignored[i] = header
        elif _rating_column([r[i] for _, r in records]):
            out.unmapped[i] = header
        else:
            out.ignored[i] = header  # free text (comments) or an unknown demographic: never stored
    return out


def _rating_column(cells: list[str]) -> bool:
    answers = [c for c in cells if c.strip()]
    return bool(answers) and all(survey_scale.looks_like_answer(c) for c in answers)


def _day(text: str, day_first: bool) -> dt.date | None:
    """The calendar date a timestamp cell was written on (its own zone), or None."""
    text = (text or "").strip()
    if not text:
        return None
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.match(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})\b", text)
        if not m:
            return None
        a, b, y = (int(g) for g in m.groups())
        y += 2000 if y < 100 else 0
        d, mo = (a, b) if day_first else (b, a)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _days(cells: list[str]) -> list[dt.date | None]:
    firsts = [int(m.group(1)) for c in cells if (m := re.match(r"^\s*(\d{1,2})[-/.]\d{1,2}[-/.]\d{2,4}", c))]
    day_first = any(f > 12 for f in firsts)  # 15/09/2025: day first; else month first as US tools write
    return [_day(c, day_first) for c in cells]


def _quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _team_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0].strip().lower(): r[0] for r in con.execute("select team from teams").fetchall() if r[0]}


def _survey_dates(
    source: SourceFile, plan: Layout, records: list[tuple[int, list[str]]], survey_ids: list[str | None]
) -> dict[str | None, dt.date]:
    """survey_date per survey (see the module doc for the order of sources)."""
    if plan.survey_date is not None:
        column, label = plan.survey_date, "Survey date"
    elif plan.date is not None:
        column, label = plan.date, "timestamp"
    else:
        m = _FILE_DATE.search(source.name)
        if not m:
            raise SurveyImportError(
                "no date: the file has no timestamp or survey date column and its name holds no "
                "YYYY-MM-DD; add a 'Survey date' column"
            )
        day = dt.date(*(int(g) for g in m.groups()))
        return dict.fromkeys(survey_ids, day)
    days = _days([r[column] for _, r in records])
    out: dict[str | None, dt.date] = {}
    for (row, cells), day, survey in zip(records, days, survey_ids, strict=True):
        if day is None:
            raise SurveyImportError(f"row {row}, column {label!r}: {cells[column]!r} is not a date")
        out[survey] = max(out.get(survey, day), day)
    return out


def to_long(
    con: duckdb.DuckDBPyConnection, source: SourceFile, headers: list[str], records, plan: Layout
) -> pd.DataFrame:
    """The canonical long form, one row per respondent per answered question, plus `_row`."""
    if plan.unmapped:
        raise UnmappedQuestions(list(plan.unmapped.values()))
    if not plan.questions:
        raise SurveyImportError("no rating questions found: nothing to import")
    surveys = [(r[plan.survey].strip() or None) if plan.survey is not None else None for _, r in records]
    dates = _survey_dates(source, plan, records, surveys)
    survey_id = {s: s or _quarter(d) for s, d in dates.items()}
    likert_cols = [c for c, (_, dim, _) in plan.questions.items() if dim != question_bank.ENPS]
    points = survey_scale.likert_points(
        (r[c] for _, r in records for c in likert_cols), get_setting(con, "survey_scale_points")
    )
    teams = _team_names(con)
    if plan.team is not None:
        # spellings the teams table doesn't know agree on the file's most common one
        spellings = pd.Series([r[plan.team].strip() for _, r in records if r[plan.team].strip()])
        for lower, group in spellings.groupby(spellings.str.lower()):
            teams.setdefault(lower, group.value_counts().index[0])
    rows: list[tuple] = []
    problems: list[str] = []
    for (row, cells), survey in zip(records, surveys, strict=True):
        sid = survey_id[survey]
        respondent = next(
            (
                cells[c].strip()
                for c in plan.respondent
                if cells[c].strip() and not (c in plan.emails and cells[c].strip().lower() == "anonymous")
            ),
            f"{sid}/row-{row}",
        )
        team = cells[plan.team].strip() if plan.team is not None else ""
        team = teams.get(team.lower(), team) or None
        for column, (qid, dim, reverse) in plan.questions.items():
            try:
                if dim == question_bank.ENPS:
                    score = survey_scale.enps_score(cells[column])
                else:
                    score = survey_scale.likert_score(cells[column], points, reverse)
            except ValueError as exc:
                problems.append(f"row {row}, column {headers[column]!r}: {cells[column]!r} is {exc}")
                continue
            if score is not None:
                rows.append((sid, dates[survey], respondent, team, qid, dim, score, row))
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise SurveyImportError(problems[0] + more)
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
    return pd.DataFrame(rows, columns=columns)


class SurveyWide:
    name = "survey_wide"

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        norm = source.normalized_headers
        if {"question_id", "score"} <= set(norm) or "question" in norm:
            return 0.0  # the long form: one row per answer
        bank = sum(question_bank.match(h) is not None for h in source.headers)
        if bank:
            return min(0.6 + 0.05 * bank, 0.9)
        google = bool(norm) and norm[0] == "timestamp"
        ms_forms = all(h in norm for h in _MS_FORMS)
        questions = [h for h in source.headers if h.strip().endswith("?") or len(h) >= 30]
        if (google or ms_forms) and len(norm) > 1:
            return 0.45
        if questions and any(n in TEAM_HEADERS for n in norm):
            return 0.3
        return 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        headers, records = read_records(source)
        plan = layout(headers, records, survey_mappings.saved(con))
        frame = to_long(con, source, headers, records, plan)
        return [Staged("survey_responses", con.from_df(frame))]


def inspect(con: duckdb.DuckDBPyConnection, source: SourceFile) -> Layout:
    """The column classification of a file, for the Data page's mapping step."""
    headers, records = read_records(source)
    return layout(headers, records, survey_mappings.saved(con))


FORMATS = [SurveyWide()]
