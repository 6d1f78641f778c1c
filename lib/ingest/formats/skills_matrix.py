"""Skills matrices → skills, and team skill targets → skill_targets.

Layouts (fixtures in tests/fixtures/exports/skills/ say where each comes from):
- long: one row per person and skill (`person, skill, level, required level`), as
  skills-assessment tools and the canonical template write it;
- wide: one row per person, one column per skill, as spreadsheet matrices keep it
  (name and role columns first, which are not stored); a skill's target may sit in its
  own column (`Python (target)`, `Python target`, `Target: Python`) or in a row whose
  person cell reads `Target` / `Required` (that row's levels are everyone's target);
- team targets: `team, skill, target` rows, or one row per team and a column per skill.

People are identified by employee id, else work e-mail (pseudonymised by the loader and
linked to employees at query time); a file with only names is refused, since names are
never stored. Skill names are stored in lower case with single spaces, so `Python` in a
matrix and `python` in a targets file are one skill.

Levels (0–4: 0 none, 1 novice, 2 intermediate, 3 advanced, 4 expert):
- labels: None → 0; Novice, Beginner, Awareness, Basic, Foundational, Developing → 1;
  Intermediate, Competent, Working, Practitioner → 2; Advanced, Proficient, Experienced,
  Skilled → 3; Expert, Master, Authority → 4 (a leading number, `3 - Competent`, is
  ignored when the word is known); `N/A`, `Not applicable` and empty cells are no row;
- numbers: the scale is the one the header names (`(0-5)`, `out of 5`, `SFIA`), else
  the file's highest value says it: up to 4 is 0–4 (kept); 5 is 0–5, mapped by rounding
  v × 4 ÷ 5 half up (0→0, 1→1, 2→2, 3→2, 4→3, 5→4); 6 or 7 with no 0 is SFIA 1–7,
  mapped by what each SFIA level of responsibility means (1 follow, 2 assist → 1;
  3 apply → 2; 4 enable, 5 ensure/advise → 3; 6 initiate/influence, 7 set strategy → 4).
  The import's warnings say which scale was used and why. A fraction is refused. Under
  the canonical template's own headers (`proficiency`, `target`) numbers are 0–4: a 7
  there is refused as out of range, not read as SFIA.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats._people_files import (
    EMAIL,
    EMPLOYEE_ID,
    Fields,
    csv_records,
    loose,
    person_column,
    person_value,
    unlinked_warning,
)
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import ImportWarning, warn
from lib.tables import TABLES

SKILL = ("skill", "skill_name", "competency", "capability", "technology", "skill_area", "tech")
LEVEL = ("proficiency", "level", "skill_level", "proficiency_level", "current_level", "rating", "self_rating",
         "assessed_level", "score", "current_proficiency", "sfia_level", "level_0_4", "level_0_5")  # fmt: skip
TARGET = ("target", "target_level", "required_level", "required", "expected_level", "desired_level",
          "target_proficiency", "required_proficiency", "goal")  # fmt: skip
TEAM = ("team", "team_name", "squad", "group", "department", "tribe")
NOT_SKILLS = frozenset(
    loose(h)
    for h in (
        *EMPLOYEE_ID, *EMAIL, *TEAM, "name", "first_name", "last_name", "full_name", "employee_name", "surname",
        "preferred_name", "display_name", "role", "job_title", "title", "position", "manager", "manager_name",
        "manager_email", "location", "office", "site", "country", "city", "region", "job_level", "grade", "band",
        "seniority", "date", "assessed_on", "assessment_date", "updated", "last_updated", "timestamp", "notes",
        "comments", "comment", "org", "organisation", "organization", "division", "id", "#", "no",
        *(c.name for t in TABLES.values() for c in t.columns),
    )
)  # fmt: skip
TARGET_ROW = frozenset(
    {"target", "targets", "required", "requiredlevel", "expected", "expectedlevel", "goal"}
)
_TARGET_COLUMN = (
    re.compile(r"^(?P<skill>.+?)\s*[\(\[]\s*(?:target|required|expected|goal)(?: level)?\s*[\)\]]$", re.I),
    re.compile(r"^(?P<skill>.+?)\s*[-–:_]?\s+(?:target|required|expected|goal)(?: level)?$", re.I),
    re.compile(r"^(?:target|required|expected|goal)(?: level)?\s*[-–:_]?\s*(?P<skill>.+)$", re.I),
)
SAMPLE_ROWS = 200
MAX_BAD_SHARE = 0.25  # of a column's filled cells, for it to count as a skill column

WORDS = {
    0: ("none", "no knowledge", "no experience", "not started", "unaware", "zero"),
    1: ("novice", "beginner", "awareness", "aware", "basic", "foundational", "foundation", "developing",
        "learning", "familiar", "advanced beginner", "entry"),
    2: ("intermediate", "competent", "working", "working knowledge", "practitioner", "capable", "moderate"),
    3: ("advanced", "proficient", "experienced", "skilled", "strong"),
    4: ("expert", "master", "authority", "guru", "leader", "specialist"),
}  # fmt: skip
LABELS = {loose(w): level for level, words in WORDS.items() for w in words}
NOT_APPLICABLE = frozenset(
    {"na", "nа", "notapplicable", "nonapplicable", "n", "-", "–", "notrated", "unrated"}
)
_LEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*[-–:.)]?\s*")
SFIA = {1: 1, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4}


def _label(text: str) -> int | None:
    key = loose(_LEADING_NUMBER.sub("", text)) or loose(text)
    return LABELS.get(key)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def cell_kind(text: str) -> str:
    """ "empty", "na", "label", "number" or "bad" for one matrix cell."""
    text = (text or "").strip()
    if not text:
        return "empty"
    if loose(text) in NOT_APPLICABLE or text.strip().lower() in ("n/a", "n.a.", "-"):
        return "na"
    number = _number(text)
    if number is not None:
        return "number" if 0 <= number <= 7 else "bad"
    return "label" if _label(text) is not None else "bad"


@dataclass(frozen=True)
class Scale:
    name: str  # "0–4", "0–5", "SFIA 1–7"
    why: str

    def level(self, value: float) -> int:
        if self.name == "0–4":
            return int(value)
        if self.name == "0–5":
            return int(value * 4 / 5 + 0.5)
        return SFIA[int(value)]

    def describe(self) -> str:
        if self.name == "0–4":
            return f"Levels read on the 0–4 scale ({self.why})"
        if self.name == "0–5":
            return f"Levels read on a 0–5 scale ({self.why}) and mapped to 0–4: 0→0, 1→1, 2→2, 3→2, 4→3, 5→4"
        return f"Levels read as SFIA 1–7 ({self.why}) and mapped to 0–4: 1→1, 2→1, 3→2, 4→3, 5→3, 6→4, 7→4"


def scale_from_header(header: str) -> Scale | None:
    text = header.lower().replace("–", "-").replace(" ", "")
    if "sfia" in text or "1-7" in text or "of7" in text:
        return Scale("SFIA 1–7", f"header {header!r}")
    if "0-5" in text or "1-5" in text or "outof5" in text or "/5" in text:
        return Scale("0–5", f"header {header!r}")
    if "0-4" in text or "outof4" in text or "/4" in text:
        return Scale("0–4", f"header {header!r}")
    return None


def scale_from_values(values: list[float], where: str) -> Scale:
    """The scale the numbers are on (see the module doc); ValueError when they fit none."""
    fractions = [v for v in values if v != int(v)]
    if fractions:
        raise ValueError(f"{where}: {fractions[0]:g} is not a whole level")
    if not values or max(values) <= 4:
        return Scale("0–4", f"highest value {max(values):g}" if values else "no numbers")
    if max(values) <= 5:
        return Scale("0–5", "highest value 5")
    if min(values) >= 1:
        return Scale("SFIA 1–7", f"highest value {max(values):g}, none below 1")
    raise ValueError(
        f"{where}: values run from 0 to {max(values):g}, which is no known scale (0–4, 0–5, SFIA 1–7)"
    )


class Levels:
    """Reads cells into 0–4 levels on one scale per file, counting what it interpreted."""

    def __init__(self, scale: Scale):
        self.scale = scale
        self.labels: Counter[str] = Counter()
        self.not_applicable = 0
        self.numbers = 0

    def read(self, text: str, row: int, column: str) -> int | None:
        kind = cell_kind(text)
        if kind == "empty":
            return None
        if kind == "na":
            self.not_applicable += 1
            return None
        if kind == "label":
            level = _label(text)
            self.labels[f"{text.strip()} → {level}"] += 1
            return level
        if kind == "number":
            value = float(text)
            if value != int(value):
                raise ValueError(f"row {row}, column {column}: {text.strip()!r} is not a whole level")
            self.numbers += 1
            return self.scale.level(value)
        raise ValueError(
            f"row {row}, column {column}: {text.strip()!r} is not a proficiency level (use 0–4, 0–5, SFIA 1–7, or "
            "None, Novice, Beginner, Intermediate, Advanced, Expert)"
        )

    def warnings(self) -> tuple[ImportWarning, ...]:
        out = []
        if self.numbers:
            out.append(warn("skills_scale", self.scale.describe(), count=self.numbers))
        if self.labels:
            labels = ", ".join(f"{k} ({n})" for k, n in sorted(self.labels.items()))
            out.append(
                warn("skills_labels", f"Labels read as levels: {labels}", count=sum(self.labels.values()))
            )
        if self.not_applicable:
            out.append(
                warn(
                    "skills_not_applicable", "Cells marked not applicable: no row", count=self.not_applicable
                )
            )
        return tuple(out)


def _numbers(records, columns: list[int]) -> list[float]:
    values = []
    for _, record in records:
        for i in columns:
            if i < len(record) and cell_kind(record[i]) == "number":
                values.append(float(record[i]))
    return values


def _sample_records(source: SourceFile) -> tuple[Fields, list[tuple[int, list[str]]]]:
    """The first SAMPLE_ROWS records, for scoring (no records when the file is not at hand)."""
    if source.path is None or not Path(source.path).is_file():
        return Fields(source.headers), []
    fields, records = csv_records(source, limit=SAMPLE_ROWS)
    return fields, records[:SAMPLE_ROWS]


def _looks_like_levels(source: SourceFile) -> bool:
    fields, records = _sample_records(source)
    columns = [i for i, h in enumerate(fields.headers) if loose(h) not in NOT_SKILLS]
    kinds = {cell_kind(r[i]) for _, r in records for i in columns if i < len(r)} - {"empty"}
    return bool(columns) and bool(kinds) and "bad" not in kinds


def _skill_name(header: str) -> str:
    return " ".join(header.strip().lower().split())


def _target_skill(header: str) -> str | None:
    for pattern in _TARGET_COLUMN:
        m = pattern.match(header.strip())
        if m:
            return m.group("skill").strip()
    return None


@dataclass(frozen=True)
class WideLayout:
    person: int | None  # column of the person identifier (None for a team targets file)
    team: int | None
    skills: dict[int, str]  # column → skill name
    targets: dict[int, str]  # column → skill name (target columns)


def wide_layout(headers: list[str], records, person: bool) -> WideLayout | None:
    """Which columns are skills (and targets) in a wide matrix, or None when it is not one."""
    fields = Fields(headers)
    id_header = person_column(fields) if person else None
    team_header = fields.find(*TEAM)
    if person and id_header is None:
        return None
    if not person and (team_header is None or person_column(fields) is not None):
        return None
    skills, targets, others = {}, {}, []
    by_name = {loose(h): i for i, h in enumerate(headers)}
    for i, header in enumerate(headers):
        key = loose(header)
        if not key or key in NOT_SKILLS or header in (id_header, team_header):
            continue
        skill = _target_skill(header) if person else None
        if skill is not None and loose(skill) in by_name:
            targets[i] = skill
        else:
            others.append(i)
    for i in others:
        kinds = [k for _, r in records if (k := cell_kind(r[i]) if i < len(r) else "empty") != "empty"]
        if kinds and kinds.count("bad") <= MAX_BAD_SHARE * len(kinds):
            skills[i] = headers[i]  # a typo or two is named by the import, cell by cell
        elif kinds:
            return None  # a column that holds something other than levels: not a skills matrix
    if len(skills) < 2:
        return None
    by_skill = {loose(h): i for i, h in skills.items()}
    targets = {i: headers[by_skill[loose(s)]] for i, s in targets.items() if loose(s) in by_skill}
    return WideLayout(
        headers.index(id_header) if id_header else None,
        headers.index(team_header) if team_header else None,
        skills,
        targets,
    )


def _scale(headers: list[str], records, columns: list[int], where: str) -> Scale:
    for i in columns:
        named = scale_from_header(headers[i])
        if named:
            return named
    return scale_from_values(_numbers(records, columns), where)


# ---------------------------------------------------------------------------- formats


class SkillsLong:
    name = "skills:long"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        fields = Fields(source.headers)
        out = []
        if person_column(fields) is None:
            out.append("employee id or work e-mail")
        if not fields.has(*SKILL):
            out.append("skill")
        if not fields.has(*LEVEL):
            out.append("level")
        return tuple(out)

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        fields = Fields(source.headers)
        if person_column(fields) and fields.has(*SKILL) and fields.has(*LEVEL):
            return _long_score(source, fields, (fields.find(*LEVEL), fields.find(*TARGET)))
        return 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        level_col, target_col = fields.find(*LEVEL), fields.find(*TARGET)
        columns = [fields.headers.index(c) for c in (level_col, target_col) if c]
        if all(loose(c) in ("proficiency", "target") for c in (level_col, target_col) if c):
            scale = Scale("0–4", "the template's proficiency column")  # a 7 there is out of range
        else:
            scale = _scale(fields.headers, records, columns, source.name)
        levels = Levels(scale)
        rows, people = [], set()
        for n, record in records:
            person = person_value(fields, record)
            skill = fields.get(record, *SKILL)
            level = levels.read(fields.get(record, level_col), n, level_col)
            target = levels.read(fields.get(record, target_col), n, target_col) if target_col else None
            if level is None and target is None:
                continue
            people.add(person)
            rows.append({"_row": n, "employee_id": person, "skill": _skill_name(skill) if skill else "",
                         "proficiency": _text(level), "target": _text(target)})  # fmt: skip
        return [stage(con, "skills", rows, levels.warnings() + unlinked_warning(con, rows, "skills are"))]


class SkillsWide:
    name = "skills:wide"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return (
            ()
            if person_column(Fields(source.headers))
            else ("employee id or work e-mail (names are not stored)",)
        )

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv" or len(source.headers) < 3:
            return 0.0
        fields = Fields(source.headers)
        if fields.has(*SKILL):
            return 0.0
        if person_column(fields) is None:
            # a matrix keyed by names only: recognised, then refused saying why (names are never stored)
            named = fields.has("name", "full_name", "employee_name")
            return 0.9 if named and len(source.headers) >= 3 and _looks_like_levels(source) else 0.0
        headers, records = _sample_records(source)
        return 0.9 if wide_layout(headers.headers, records, person=True) else 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        headers = fields.headers
        if person_column(fields) is None:
            raise ValueError(
                "a skills matrix keyed by names only: people are linked by employee id or work e-mail, and "
                "names are never stored. Add an Employee ID or Work Email column"
            )
        plan = wide_layout(headers, records, person=True)
        if plan is None:
            raise ValueError("not a skills matrix: a column holds values that are not proficiency levels")
        levels = Levels(_scale(headers, records, [*plan.skills, *plan.targets], source.name))
        target_row: dict[str, int] = {}
        people_rows = []
        for n, record in records:
            who = record[plan.person].strip() if plan.person < len(record) else ""
            if loose(who) in TARGET_ROW:
                for i, skill in plan.skills.items():
                    level = levels.read(record[i] if i < len(record) else "", n, headers[i])
                    if level is not None:
                        target_row[loose(skill)] = level
            else:
                people_rows.append((n, record))
        rows, people = [], set()
        targets_by_column = {loose(skill): i for i, skill in plan.targets.items()}
        for n, record in people_rows:
            person = record[plan.person].strip() if plan.person < len(record) else ""
            for i, skill in plan.skills.items():
                cell = record[i] if i < len(record) else ""
                if cell_kind(cell) == "na":  # not applicable to this person: no row, whatever the target
                    levels.not_applicable += 1
                    continue
                level = levels.read(cell, n, headers[i])
                t = targets_by_column.get(loose(skill))
                target = levels.read(record[t], n, headers[t]) if t is not None and t < len(record) else None
                target = target if target is not None else target_row.get(loose(skill))
                if level is None and target is None:
                    continue
                people.add(person)
                rows.append({"_row": n, "employee_id": person, "skill": _skill_name(skill),
                             "proficiency": _text(level), "target": _text(target)})  # fmt: skip
        warnings = list(levels.warnings())
        if target_row:
            warnings.append(warn("skills_target_row", "The Target row gives everyone's target in these skills",
                                 count=len(target_row)))  # fmt: skip
        warnings += unlinked_warning(con, rows, "skills are")
        return [stage(con, "skills", rows, warnings)]


class SkillTargets:
    name = "skills:team-targets"

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        fields = Fields(source.headers)
        if not fields.has(*TEAM) or person_column(fields) is not None:
            return 0.0
        if fields.has(*SKILL) and fields.has(*TARGET, *LEVEL):
            return _long_score(source, fields, (fields.find(*TARGET, *LEVEL),))
        headers, records = _sample_records(source)
        return 0.88 if wide_layout(headers.headers, records, person=False) else 0.0

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        fields, records = csv_records(source)
        headers = fields.headers
        rows = []
        if fields.has(*SKILL):
            column = fields.find(*TARGET, *LEVEL)
            levels = Levels(_scale(headers, records, [headers.index(column)], source.name))
            for n, record in records:
                level = levels.read(fields.get(record, column), n, column)
                if level is None:
                    continue
                rows.append({"_row": n, "team": fields.get(record, *TEAM),
                             "skill": _skill_name(fields.get(record, *SKILL)), "target": _text(level)})  # fmt: skip
        else:
            plan = wide_layout(headers, records, person=False)
            if plan is None:
                raise ValueError("not a targets file: a column holds values that are not proficiency levels")
            levels = Levels(_scale(headers, records, list(plan.skills), source.name))
            for n, record in records:
                team = record[plan.team].strip() if plan.team < len(record) else ""
                for i, skill in plan.skills.items():
                    level = levels.read(record[i] if i < len(record) else "", n, headers[i])
                    if level is not None:
                        rows.append(
                            {"_row": n, "team": team, "skill": _skill_name(skill), "target": _text(level)}
                        )
        return [stage(con, "skill_targets", rows, levels.warnings())]


def _long_score(source: SourceFile, fields: Fields, columns: tuple[str | None, ...]) -> float:
    """Above the canonical template (0.95 at most) when the levels need reading (labels, or
    numbers on another scale under a header that is not the template's); just below it
    otherwise, so the template reads its own 0–4 numbers and refuses a 7 as out of range."""
    _, records = _sample_records(source)
    canonical = all(loose(c) in ("proficiency", "target") for c in columns if c)
    for _, record in records:
        for column in columns:
            text = fields.get(record, column) if column else ""
            kind = cell_kind(text)
            if kind in ("label", "na"):
                return 0.97
            if kind == "number" and not canonical and (float(text) > 4 or float(text) != int(float(text))):
                return 0.97
    return 0.8


def _text(level: int | None) -> str:
    return "" if level is None else str(level)


FORMATS = [SkillsLong(), SkillsWide(), SkillTargets()]
