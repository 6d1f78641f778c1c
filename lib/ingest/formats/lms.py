"""Learning-platform exports (LMS) and activity logs → learning.

Layouts (fixtures in tests/fixtures/exports/learning/ say where each comes from):
- Pluralsight course usage (`User ID, First name, Last name, Email, Team name, Note,
  Is on account, Course ID, Course name, View date, Usage in seconds`): each row is
  learning on its view date; seconds become hours, rows of one person, course and day add up;
- Pluralsight course completion (`… Course ID, Course name, First view date, Completion
  date, Completion status`);
- Udemy Business user course activity (`User Email, Course Title, Course Category,
  % Marked Completed, Minutes Video Consumed, Course Completion Date, …`);
- LinkedIn Learning learner detail (`Email, Unique User ID, Content Title, Content Type,
  Hours Viewed` as H:MM:SS, `Percent Completed, Content Completed At`);
- Coursera enrolment report (`Email, Course, Enrollment Time, Completed, Completion Time,
  Estimated Learning Hours, …`);
- Docebo users–courses report (`Username, Email, Course Code, Course Name, Course Type,
  Enrollment Date, Completion Date, Status, Training Material Time (sec)`);
- any activity log with a person, a date, a title and a type or duration (hackathons,
  spikes, innovation time, conferences, certifications as a team records them).

Rules (docs/IMPORT.md, "Learning"):
- The person is the employee id, else the work e-mail, else the platform's own user id
  (which links to no employee until the HRIS carries it).
- Completion reports count a course once, on its completion date, with the time spent
  (else nothing). Rows not completed are skipped and counted in the warnings: their
  time is counted when they complete, so a re-export never counts it twice.
- Kind: the type column's words (certification / certificate / exam → certification;
  conference / summit / event / meetup / webinar → conference; hackathon / spike /
  innovation time / experiment / proof of concept → experiment; course, video, path,
  book, … → course); without a known type, the title's words, where a certification
  must not be a course preparing for one (`CKA Certification Course` is a course);
  anything else is a course. The warnings list every type read and how.
- Dates (`lib.ingest.dates`): US platforms (Pluralsight, Udemy, LinkedIn Learning,
  Coursera) write numeric dates month first (said in the warnings); Docebo and activity
  logs have no known order: their numeric dates follow `--date-order` (or the Data
  page's choice), else the one order every value reads, else the file is refused saying
  how to set it. Excel date cells in a workbook are read as dates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._people_files import (
    EMAIL,
    EMPLOYEE_ID,
    Fields,
    count_present,
    csv_records,
    has_all,
    hours,
    loose,
    number,
    person_column,
    person_value,
    read_days,
    unlinked_warning,
)
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import warn

KIND_WORDS = {
    "certification": ("certification", "certificate", "certified", "exam", "credential", "accreditation"),
    "conference": ("conference", "summit", "event", "meetup", "webinar", "talk", "convention", "kubecon", "qcon"),
    "experiment": ("experiment", "hackathon", "hack day", "hackday", "hack week", "hackweek", "spike",
                   "innovation time", "innovation day", "innovation week", "20% time", "proof of concept", "poc",
                   "prototype"),
    "course": ("course", "video", "e-learning", "elearning", "learning path", "path", "lesson", "book", "article",
               "ilt", "classroom", "training", "tutorial", "lab", "audio", "document", "assessment", "program"),
}  # fmt: skip
KIND_COLUMNS = ("kind", "type", "content_type", "course_type", "activity_type", "learning_type", "item_type",
                "category", "format")  # fmt: skip
DONE = frozenset({"completed", "complete", "passed", "pass", "done", "finished", "yes", "true", "y", "1"})
PERCENT = ("percent_completed", "marked_completed", "completed_percent", "overall_progress", "completion_ratio",
           "progress", "completion_percentage")  # fmt: skip
VENDOR_IDS = ("unique_user_id", "external_id", "lms_user_id", "username", "user_id", "login")


def kind_of(text: str) -> str | None:
    """The learning kind a type or title names, or None when its words name none."""
    words = " " + " ".join(text.lower().replace("-", " ").replace("_", " ").split()) + " "
    for kind in ("certification", "experiment", "conference", "course"):
        for word in KIND_WORDS[kind]:
            if f" {word.replace('-', ' ')} " in words or (len(word) > 5 and word.replace("-", " ") in words):
                return kind
    return None


@dataclass(frozen=True)
class Style:
    name: str
    vendor: str
    must: tuple[tuple[str, ...], ...]
    telling: tuple[str, ...]
    mode: str  # "activity": each row is learning on its date; "completion": a course counts once, completed
    order: str | None  # numeric date order the tool writes
    title: tuple[str, ...]
    date: tuple[str, ...]
    status: tuple[str, ...] = ()
    seconds: tuple[str, ...] = ()
    minutes: tuple[str, ...] = ()
    hours: tuple[str, ...] = ()
    flat_score: float | None = None
    needs: tuple[tuple[str, ...], ...] = field(default=())  # at least one of these groups present

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv" or not has_all(source, *self.must):
            return 0.0
        if self.needs and not any(has_all(source, group) for group in self.needs):
            return 0.0
        if self.flat_score is not None:
            return self.flat_score
        return 0.6 + 0.35 * count_present(source, self.telling) / max(len(self.telling), 1)


STYLES = (
    Style("lms:pluralsight-usage", "Pluralsight", (("course_name",), ("view_date",), ("usage_in_seconds",)),
          ("user_id", "email", "team_name", "is_on_account", "course_id", "note"), "activity", "mdy",
          ("course_name",), ("view_date",), seconds=("usage_in_seconds",)),
    Style("lms:pluralsight-completion", "Pluralsight", (("course_name",), ("completion_date",), ("first_view_date",)),
          ("user_id", "email", "team_name", "is_on_account", "course_id", "completion_status"), "completion", "mdy",
          ("course_name",), ("completion_date",), status=("completion_status",)),
    Style("lms:udemy-business", "Udemy Business", (("course_title",), ("user_email", "email")),
          ("course_completion_date", "marked_completed", "minutes_video_consumed", "course_category",
           "course_enroll_date", "last_accessed_date", "assigned", "course_id", "user_external_id"),
          "completion", "mdy", ("course_title",),
          ("course_completion_date", "completion_date", "course_first_completion_date"),
          minutes=("minutes_video_consumed", "total_minutes_video_consumed", "minutes_consumed")),
    Style("lms:linkedin-learning", "LinkedIn Learning", (("content_title",), ("email", "email_address")),
          ("content_type", "content_provider", "unique_user_id", "hours_viewed", "percent_completed",
           "content_completed_at", "content_id", "seconds_viewed"),
          "completion", "mdy", ("content_title",),
          ("content_completed_at", "completion_date", "completed_at", "completed_on"),
          seconds=("seconds_viewed",), minutes=("minutes_viewed",), hours=("hours_viewed",)),
    Style("lms:coursera", "Coursera", (("course", "course_name"), ("email",)),
          ("estimated_learning_hours", "completion_time", "completed", "enrollment_time", "course_slug",
           "university", "last_course_activity_time", "program_name", "overall_progress"),
          "completion", "mdy", ("course", "course_name"), ("completion_time", "completed_at", "completion_date"),
          status=("completed",), hours=("estimated_learning_hours", "learning_hours"),
          needs=(("estimated_learning_hours",), ("course_slug",), ("completion_time",), ("enrollment_time",))),
    Style("lms:docebo", "Docebo", (("course_name",), ("course_code", "username")),
          ("course_code", "course_type", "enrollment_date", "completion_date", "course_completion_date", "status",
           "training_material_time_sec", "credits_ceus", "username", "session_time"),
          "completion", None, ("course_name",), ("completion_date", "course_completion_date", "date_completed"),
          status=("status", "enrollment_status"),
          seconds=("training_material_time_sec", "training_material_time_seconds", "time_in_course_sec")),
    Style("lms:activity-log", "An activity log",
          ((*EMPLOYEE_ID, *EMAIL),
           ("title", "activity", "activity_name", "course", "course_name", "event", "learning_item", "item", "name"),
           ("date", "activity_date", "event_date", "completed_on", "completion_date", "completed", "start_date")),
          (), "activity", None,
          ("title", "activity", "activity_name", "course", "course_name", "event", "learning_item", "item", "name"),
          ("date", "activity_date", "event_date", "completed_on", "completion_date", "completed", "start_date"),
          minutes=("minutes", "duration_minutes", "duration_min", "time_spent_minutes"),
          hours=("hours", "duration_hours", "duration", "time_spent_hours", "time_spent", "learning_hours"),
          flat_score=0.62, needs=(KIND_COLUMNS, ("hours", "duration", "duration_hours", "minutes", "duration_minutes",
                                                "time_spent", "learning_hours"))),
)  # fmt: skip


class LmsExport:
    def __init__(self, style: Style):
        self.style = style
        self.name = style.name

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        have = {loose(h) for h in source.headers}
        return tuple(g[0] for g in self.style.must if not any(loose(n) in have for n in g))

    def score(self, source: SourceFile) -> float:
        return self.style.score(source)

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        s = self.style
        title_col, date_col = fields.find(*s.title), fields.find(*s.date)
        kind_col = fields.find(*KIND_COLUMNS)
        if person_column(fields, VENDOR_IDS) is None:
            raise ValueError("no employee id, work e-mail or user id column: people could not be linked")
        duration = _duration_column(fields, s)
        counted, skipped, no_person = [], [], []
        for n, record in records:
            if not person_value(fields, record, VENDOR_IDS):
                no_person.append(n)
            elif s.mode == "completion" and not _completed(fields, record, s):
                skipped.append(n)
            else:
                counted.append((n, record))
        hints = DateHints(
            order=s.order, order_source=f"{s.vendor} writes US dates, month first" if s.order else ""
        )
        cells = [
            (n, date_col or "date", fields.get(record, date_col) if date_col else "") for n, record in counted
        ]
        days, warnings = read_days(cells, options, hints, source)
        rows: dict[tuple[str, str, str], dict] = {}
        undated: list[int] = []
        types: Counter[str] = Counter()
        for (n, record), when in zip(counted, days, strict=True):
            if when is None:
                undated.append(n)
                continue
            person = person_value(fields, record, VENDOR_IDS)
            title = fields.get(record, title_col) if title_col else ""
            spent = hours(fields.get(record, duration[0]), duration[1]) if duration else None
            kind, how = _kind(fields.get(record, kind_col) if kind_col else "", title, kind_col is not None)
            types[how] += 1
            key = (person, when.isoformat(), title)
            if key in rows:
                if s.mode == "activity" and spent is not None:
                    rows[key]["_hours"] = (rows[key]["_hours"] or 0) + spent
                continue
            rows[key] = {"_row": n, "employee_id": person, "date": when.isoformat(), "title": title,
                         "kind": kind, "_hours": spent}  # fmt: skip
        out = []
        for row in rows.values():
            spent = row.pop("_hours")
            out.append({**row, "hours": "" if spent is None else f"{spent:.6g}"})
        if skipped:
            warnings.append(warn("learning_not_completed", "Enrolments not completed are not counted: a course "
                                 "counts once, when it is completed", skipped))  # fmt: skip
        if undated:
            warnings.append(warn("learning_undated", "Rows without a date are not counted", undated))
        if no_person:
            warnings.append(warn("learning_no_person", "Rows without a person are not counted", no_person))
        for how, n in sorted(types.items()):
            warnings.append(warn("learning_kind", f"Kind read: {how}", count=n))
        if duration is None and out:
            warnings.append(
                warn("learning_no_duration", "The file gives no time spent: hours unknown", count=len(out))
            )
        warnings += unlinked_warning(con, out, "learning is")
        return [stage(con, "learning", out, warnings)]


def _duration_column(fields: Fields, s: Style) -> tuple[str, str] | None:
    for names, unit in ((s.seconds, "seconds"), (s.minutes, "minutes"), (s.hours, "hours")):
        column = fields.find(*names) if names else None
        if column:
            return column, unit
    return None


def _completed(fields: Fields, record, s: Style) -> bool:
    status = fields.get(record, *s.status) if s.status else ""
    if status:
        return loose(status) in DONE or status.strip().lower() in ("completed", "complete", "passed")
    percent = fields.get(record, *PERCENT)
    if percent:
        value = number(percent.rstrip("%"))
        if value is not None:
            return value >= (1.0 if value <= 1.0 and "." in percent and "%" not in percent else 100.0)
    return bool(fields.get(record, *s.date))


def _kind(type_text: str, title: str, has_type_column: bool) -> tuple[str, str]:
    """(kind, how it was read): the type column's words, else the title's (see `title_kind`)."""
    if type_text:
        kind = kind_of(type_text)
        if kind is not None:
            return kind, f"type {type_text!r} → {kind}"
    kind = title_kind(title)
    source = (
        f"type {type_text!r} unknown, title"
        if type_text
        else ("title" if has_type_column else "no type, title")
    )
    return kind, f"{source} → {kind}"


PREP_WORDS = (" course ", " prep ", " preparation ", " prepare ", " training ", " learning ", " fundamentals ",
              " bootcamp ", " introduction ", " essentials ")  # fmt: skip


def title_kind(title: str) -> str:
    """A kind from a title: experiments and conferences by their words; a certification only
    when the title is not a course preparing for one ('CKA Certification Course' is a course)."""
    kind = kind_of(title) if title else None
    words = " " + " ".join(title.lower().replace("-", " ").replace(":", " ").split()) + " "
    if kind == "certification" and any(w in words for w in PREP_WORDS):
        return "course"
    return kind or "course"


FORMATS = [LmsExport(style) for style in STYLES]
