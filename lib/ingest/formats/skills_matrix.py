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

Levels (0–4) are read by `lib.ingest.formats._skill_levels`: labels, numbers on 0–4,
0–5 or SFIA 1–7 scales, the rule for each in its module doc.
"""

from __future__ import annotations

import re
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
from lib.ingest.formats._skill_levels import (  # noqa: F401 (re-exported)
    LABELS,
    SFIA,
    WORDS,
    Levels,
    Scale,
    cell_kind,
    scale_from_header,
    scale_from_values,
)
from lib.ingest.formats._tool_exports import stage
from lib.ingest.report import warn
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
