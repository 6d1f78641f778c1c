"""What each column of a survey export is: a question (its id, dimension and scale), the
team, the respondent, the date, or something not imported, and why.

Shared by the survey formats (survey_wide, qualtrics, surveymonkey); not a format itself.
Every column ends in exactly one place (SPEC §4, nothing silently assumed):
- a **question** becomes rows of `survey_responses`, one question id per column;
- **metadata** (team, respondent id, date, survey name) is read for those rows;
- **unmapped**: a rating question the bank does not know and no saved mapping names, or
  one whose eNPS wording its answers contradict: the import waits for the Data page's
  mapping step, which lists it with the reason;
- **undecided**: a question whose scale its answers cannot decide: refused, its labels named;
- **not imported**, with why: personal data, demographics other than the team, the tool's
  bookkeeping, free-text or choice answers, a question nobody answered, a saved "skip".
  The import lists these in a warning.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lib import question_bank, survey_mappings, survey_scale
from lib.ingest.formats import normalize_header
from lib.ingest.report import ImportWarning, warn

TEAM_HEADERS = ("team", "team_name", "squad", "department", "dept", "group", "division", "tribe")
ID_HEADERS = (  # most stable first: an employee id, an e-mail, the tool's response id
    (
        "employee_id", "employee_number", "employee_no", "staff_id", "worker_id", "user_id", "person_id",
        "externalreference", "external_reference", "external_data_reference",
    ),
    (
        "email", "email_address", "e_mail", "work_email", "employee_email", "username", "respondent_email",
        "recipientemail", "recipient_email",
    ),
    ("respondent_id", "response_id", "responseid", "recordid", "id", "submission_id", "participant_id"),
)  # fmt: skip
DATE_HEADERS = (  # the moment a response was completed first; a start time last
    "completion_time", "submitted_at", "submitted", "submission_date", "completed_at", "completed",
    "end_date", "enddate", "recordeddate", "recorded_date", "response_date", "date_submitted", "timestamp",
    "date", "start_time", "started_at", "start_date", "startdate",
)  # fmt: skip
SURVEY_HEADERS = ("survey", "survey_id", "survey_name", "wave")
SURVEY_DATE_HEADERS = ("survey_date",)
PERSONAL = frozenset(
    {
        "name", "full_name", "first_name", "last_name", "preferred_name", "employee_name",
        "recipientfirstname", "recipientlastname", "recipient_first_name", "recipient_last_name",
        "manager", "manager_name", "manager_email", "manager_id", "ip_address", "ipaddress",
        "locationlatitude", "locationlongitude", "location_latitude", "location_longitude",
    }
)  # fmt: skip
DEMOGRAPHICS = frozenset(
    {
        "location", "office", "country", "city", "region", "site", "tenure", "tenure_band",
        "length_of_service", "level", "job_level", "grade", "job_title", "role", "gender", "age",
        "age_band", "age_group", "generation", "ethnicity", "employment_type", "start_date_employee",
        "hire_date", "work_location", "business_unit", "cost_center",
    }
)  # fmt: skip
BOOKKEEPING = frozenset(
    {
        "status", "response_type", "progress", "duration_in_seconds", "duration", "finished",
        "last_modified_time", "distributionchannel", "distribution_channel", "userlanguage",
        "user_language", "language", "collector_id", "total_points", "quiz_feedback",
        *DATE_HEADERS, *(i for group in ID_HEADERS for i in group),
    }
)  # fmt: skip
FREE_TEXT = frozenset({"comments", "comment", "anything_else", "other_comments"})
# Qualtrics' own column names: `Q5_7_TEXT` (an "Other" box), `Q1_DO` (display order), `Q_RecaptchaScore`.
_QUALTRICS_TEXT = re.compile(r"^Q[\w.]*_TEXT$")
_QUALTRICS_BOOKKEEPING = re.compile(r"^(Q[\w.]*_DO|Q_[A-Za-z]\w*)$")

WHY = {
    "personal": "personal data (names, contact details, IP addresses, locations) is never stored",
    "demographic": "demographics other than the team are not stored",
    "bookkeeping": "the survey tool's bookkeeping, not an answer",
    "free_text": "free-text or choice answers, not a rating scale",
    "unanswered": "no one answered it, and it is not a question Pillars knows",
    "skipped": "skipped by your saved mapping",
}


@dataclass(frozen=True)
class SurveyColumn:
    """One column of a survey export.

    name: the first header row's cell (Qualtrics `Q1`, `StartDate`; the header itself for
      one-row exports); text: the question as people read it (Qualtrics' second row,
      SurveyMonkey's matrix row label joined to its question); detail: what else the
      headers say (SurveyMonkey's second row `Response`, Qualtrics' import id).
    """

    index: int
    name: str
    text: str
    detail: str = ""

    @property
    def keys(self) -> set[str]:
        return {normalize_header(self.name), normalize_header(self.text)} - {""}


@dataclass(frozen=True)
class Question:
    question_id: str
    dimension: str
    reverse: bool = False
    decision: survey_scale.Decision = survey_scale.Decision()
    source: str = "bank"  # "bank", "mapping" (a saved mapping names it)

    @property
    def enps(self) -> bool:
        return self.dimension == question_bank.ENPS


@dataclass
class Layout:
    """What each column of a survey export is (see the module doc)."""

    questions: dict[int, Question] = field(default_factory=dict)
    unmapped: dict[int, str] = field(default_factory=dict)  # column → why it needs the mapping step
    undecided: dict[int, str] = field(default_factory=dict)  # column → why its scale is unknown
    not_imported: dict[int, str] = field(default_factory=dict)  # column → WHY key
    team: int | None = None
    respondent: list[int] = field(default_factory=list)
    emails: set[int] = field(default_factory=set)
    date: int | None = None
    survey: int | None = None
    survey_date: int | None = None
    warnings: list[ImportWarning] = field(default_factory=list)


def _first(columns: list[SurveyColumn], names, taken: set[int] = frozenset()) -> int | None:
    for name in names:
        for c in columns:
            if c.index not in taken and name in c.keys:
                return c.index
    return None


def rating_like(cells: list[str]) -> bool:
    answers = [c for c in cells if c.strip()]
    return bool(answers) and all(survey_scale.looks_like_answer(c) for c in answers)


def _team(columns: list[SurveyColumn], cells: dict[int, list[str]], taken: set[int]) -> int | None:
    """`Team` and its synonyms, else a short question about the team whose answers are not ratings."""
    exact = _first(columns, TEAM_HEADERS, taken)
    if exact is not None:
        return exact
    for c in columns:
        words = normalize_header(c.text).split("_")
        if c.index in taken or len(words) > 8 or not ({"team", "department", "squad"} & set(words)):
            continue
        if not rating_like(cells[c.index]) and question_bank.match(c.text) is None:
            return c.index
    return None


def _metadata(columns: list[SurveyColumn], cells: dict[int, list[str]]) -> Layout:
    out = Layout()
    out.survey = _first(columns, SURVEY_HEADERS)
    out.survey_date = _first(columns, SURVEY_DATE_HEADERS)
    out.date = _first(columns, DATE_HEADERS, {out.survey_date} - {None})
    for group in ID_HEADERS:
        found = _first(columns, group)
        if found is not None:
            out.respondent.append(found)
            if group is ID_HEADERS[1]:
                out.emails.add(found)
    meta = {c for c in (out.survey, out.survey_date, out.date) if c is not None} | set(out.respondent)
    bank = {c.index for c in columns if question_bank.match(c.text) is not None}
    out.team = _team(columns, cells, meta | bank)
    return out


def _kind(column: SurveyColumn) -> str | None:
    """The not-imported kind of a column by its header alone, or None (look at its answers)."""
    keys = column.keys
    if keys & PERSONAL:
        return "personal"
    if keys & DEMOGRAPHICS:
        return "demographic"
    if (
        keys & FREE_TEXT
        or _QUALTRICS_TEXT.search(column.name)
        or "open_ended" in normalize_header(column.detail)
    ):
        return "free_text"
    if keys & BOOKKEEPING or _QUALTRICS_BOOKKEEPING.search(column.name):
        return "bookkeeping"
    if any(k.startswith(("custom_data", "points_", "feedback_")) for k in keys):
        return "bookkeeping"
    return None


def classify(
    columns: list[SurveyColumn],
    cells: dict[int, list[str]],
    saved: dict[str, str],
    saved_scales: dict[str, str] | None = None,
    setting: str | None = None,
) -> Layout:
    """Classify every column (see the module doc). `cells[i]` is column i's answers, row by row;
    `saved` the saved question → dimension mappings, `saved_scales` question → scale key."""
    out = _metadata(columns, cells)
    meta = {c for c in (out.survey, out.survey_date, out.date, out.team) if c is not None} | set(
        out.respondent
    )
    likert: dict[int, tuple[str, str, bool, str]] = {}  # column → (qid, dim, reverse, source)
    for column in columns:
        i = column.index
        if i in meta:
            continue
        mapped = saved.get(question_bank.normalize_question(column.text))
        item = question_bank.match(column.text)
        if mapped == survey_mappings.SKIP:
            out.not_imported[i] = "skipped"
        elif mapped == question_bank.ENPS:
            out.questions[i] = Question(question_bank.ENPS, question_bank.ENPS, source="mapping")
        elif mapped:
            likert[i] = (question_bank.question_key(column.text), mapped, False, "mapping")
        elif item is not None and item.dimension == question_bank.ENPS:
            is_enps, why = survey_scale.enps_range(cells[i], column.text)
            if is_enps:
                out.questions[i] = Question(question_bank.ENPS, question_bank.ENPS)
            elif is_enps is False:
                out.unmapped[i] = (
                    f"worded like the eNPS question, but {why}: an agreement item; choose its dimension"
                )
            else:
                out.unmapped[i] = (
                    f"worded like the eNPS question, but {why}; choose eNPS if it is the 0–10 question"
                )
        elif item is not None:
            likert[i] = (item.question_id, item.dimension, item.reverse, "bank")
        elif (kind := _kind(column)) is not None:
            out.not_imported[i] = kind
        elif rating_like(cells[i]):
            out.unmapped[i] = "not in the question bank"
        elif not any(c.strip() for c in cells[i]):
            out.not_imported[i] = "unanswered"
        else:
            out.not_imported[i] = "free_text"
    _decide_scales(out, columns, cells, likert, saved_scales or {}, setting)
    _one_id_per_column(out, columns)
    _enps_once(out, columns)
    _list_not_imported(out, columns)
    return out


def _decide_scales(out: Layout, columns, cells, likert, saved_scales, setting) -> None:
    text = {c.index: c.text for c in columns}
    exact = [s.key for i in likert if (s := survey_scale.exact_scale(_labels(cells[i])))]
    union = survey_scale.exact_scale({a for i in likert for a in _labels(cells[i])})
    numbers = [
        survey_scale.number(a)
        for i in likert
        if not _labels(cells[i])
        for a in cells[i]
        if survey_scale.number(a) is not None
    ]
    context = survey_scale.FileContext(
        tuple(exact), union.key if union else None, max(numbers) if numbers else None, setting
    )
    assumed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for i, (qid, dim, reverse, source) in likert.items():
        saved = saved_scales.get(question_bank.normalize_question(text[i]))
        decision = survey_scale.decide(cells[i], text[i], context, saved)
        if decision.problem and not _labels(cells[i]):
            out.unmapped[i] = decision.problem  # numbers off an agreement scale: eNPS, or skip
            continue
        if decision.problem:
            out.undecided[i] = decision.problem
        elif decision.assumed:
            assumed[(decision.scale.key, decision.how)].append(question_bank.statement(text[i]))
        out.questions[i] = Question(qid, dim, reverse, decision, source)
    for (key, how), questions in assumed.items():
        scale = survey_scale.BY_KEY[key]
        shown = ", ".join(repr(q) for q in questions[:5]) + (
            f" and {len(questions) - 5} more" if len(questions) > 5 else ""
        )
        message = f"Read on the {scale.name}, from {how}, as their own answers do not show it: {shown}"
        out.warnings.append(warn("survey_scale_assumed", message, count=len(questions), detail=key))


def _labels(cells: list[str]) -> list[str]:
    return [
        a for a in cells if a.strip() and not survey_scale.is_no_answer(a) and survey_scale.number(a) is None
    ]


def _one_id_per_column(out: Layout, columns: list[SurveyColumn]) -> None:
    """Two columns asking one question keep two ids (`ps4`, `ps4_2`), said in a warning."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, q in out.questions.items():
        if not q.enps:
            by_id[q.question_id].append(i)
    text = {c.index: c.text for c in columns}
    for qid, found in by_id.items():
        if len(found) < 2:
            continue
        for n, i in enumerate(found[1:], start=2):
            q = out.questions[i]
            out.questions[i] = Question(f"{qid}_{n}", q.dimension, q.reverse, q.decision, q.source)
        ids = ", ".join([qid, *(f"{qid}_{n}" for n in range(2, len(found) + 1))])
        message = (
            f"{len(found)} columns ask {text[found[0]]!r}: each is imported as a question of its own ({ids}), "
            "so both count towards the dimension"
        )
        out.warnings.append(warn("survey_repeated_question", message, count=len(found)))


def _enps_once(out: Layout, columns: list[SurveyColumn]) -> None:
    """eNPS is one question per survey: two eNPS columns wait for the mapping step."""
    found = [i for i, q in out.questions.items() if q.enps]
    if len(found) < 2:
        return
    text = {c.index: c.text for c in columns}
    for i in found:
        others = "; ".join(repr(text[j]) for j in found if j != i)
        del out.questions[i]
        out.unmapped[i] = (
            f"two columns are the eNPS question (also {others}): map one to eNPS and the other to its "
            "dimension or skip"
        )


def _list_not_imported(out: Layout, columns: list[SurveyColumn]) -> None:
    by_kind: dict[str, list[str]] = defaultdict(list)
    text = {c.index: c.text or c.name for c in columns}
    for i, kind in sorted(out.not_imported.items()):
        by_kind[kind].append(text[i])
    for kind, names in by_kind.items():
        shown = ", ".join(repr(n[:60] + ("…" if len(n) > 60 else "")) for n in names[:8])
        more = f" and {len(names) - 8} more" if len(names) > 8 else ""
        message = f"Columns not imported ({WHY[kind]}): {shown}{more}"
        out.warnings.append(warn("survey_columns_not_imported", message, count=len(names)))
