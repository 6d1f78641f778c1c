"""What a survey export would import, before it is imported: for the Data page's survey step.

`preview(con, source)` reads the file as the import would (nothing written) and says, per
column, what it becomes: each question with its dimension and the scale its answers were
decided on (and how), the questions waiting for a dimension (and why), the questions whose
scale cannot be decided (with the scales that fit, to choose from), and the warnings the
import will give (columns not imported and why, scales taken from elsewhere, repeated
questions). Dates are not read here: the date order is the Data page's own choice per file.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from lib import question_bank, survey_scale
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.formats import _survey as survey
from lib.ingest.formats._survey_columns import _labels
from lib.ingest.report import ImportWarning

SURVEY_FORMATS = ("survey_wide", "qualtrics", "surveymonkey")


@dataclass(frozen=True)
class QuestionPlan:
    """One imported question: the words that ask it (a grid's item, a matrix's statement), its id,
    dimension (display name), scale and how it was decided."""

    text: str
    question_id: str
    dimension: str
    scale: str  # "5-point agreement scale", "" when no one answered
    how: str
    reverse: bool = False


@dataclass(frozen=True)
class SurveyPreview:
    """A survey file's plan. unmapped: (question, why); undecided: (question, why, scale keys that fit)."""

    file_name: str
    source_format: str
    tool: str
    responses: int
    excluded: int
    questions: tuple[QuestionPlan, ...]
    unmapped: tuple[tuple[str, str], ...]
    undecided: tuple[tuple[str, str, tuple[str, ...]], ...]
    warnings: tuple[ImportWarning, ...]

    @property
    def ready(self) -> bool:
        """Nothing waits for the person importing (the date order aside)."""
        return not self.unmapped and not self.undecided


def survey_format(source: SourceFile, options: ImportOptions | None = None):
    """The survey format the importer would pick for `source`, or None (not a survey, or not recognised)."""
    from lib.ingest.detect import UnrecognisedFile, detect

    try:
        found = detect(source, options or ImportOptions())
    except UnrecognisedFile:
        return None
    return found if found.name in SURVEY_FORMATS else None


def scale_words(scale: survey_scale.Scale | None) -> str:
    """`5-point agreement scale`, `7-point scale, 1–7`; "" for None."""
    return scale.name if scale else ""


def fitting_scales(answers: list[str]) -> tuple[str, ...]:
    """Keys of the label scales a column's answers fit, for the person to choose from."""
    return tuple(s.key for s in survey_scale.label_candidates(_labels(answers)))


def _how(q) -> str:
    if q.enps:
        return "your saved mapping" if q.source == "mapping" else "its wording and 0–10 answers"
    return q.decision.how or "no one answered it"


def preview(con: duckdb.DuckDBPyConnection, source: SourceFile) -> SurveyPreview | None:
    """The plan of a survey export (see the module doc), or None when `source` is no survey export."""
    fmt = survey_format(source)
    if fmt is None:
        return None
    table = fmt.table(source)
    plan = survey.layout(con, table)
    text = {c.index: c.text for c in table.columns}
    cells = table.cells()
    questions = tuple(
        QuestionPlan(
            question_bank.statement(text[i]),
            q.question_id,
            question_bank.dimension_label(q.dimension),
            scale_words(survey_scale.ENPS_SCALE if q.enps else q.decision.scale),
            _how(q),
            q.reverse,
        )
        for i, q in sorted(plan.questions.items())
        if i not in plan.undecided
    )
    return SurveyPreview(
        source.label,
        fmt.name,
        table.tool,
        len(table.records) - len(table.excluded),
        len(table.excluded),
        questions,
        tuple((text[i], why) for i, why in plan.unmapped.items()),
        tuple((text[i], why, fitting_scales(cells[i])) for i, why in plan.undecided.items()),
        tuple(plan.warnings),
    )
