"""Survey exports in wide form with one header row: one row per respondent, one column per question.

The layouts it reads (tests/fixtures/exports/SURVEYS.md says where each comes from):
- Google Forms "Download responses (.csv)": `Timestamp` first (`2025/09/12 9:14:03 AM GMT+2`),
  `Email Address` when the form collects it, then one column per question titled with its
  text; a grid question gives one column per row, "Question text [Row]".
- Microsoft Forms "Open in Excel", saved as CSV or kept as a workbook: `ID, Start time,
  Completion time, Email, Name` (and `Last modified time`), then the questions; `Email` is
  "anonymous" for anonymous forms; quizzes add `Total points`, `Quiz feedback`,
  `Points - …`, `Feedback - …`. Its dates follow the locale of whoever opened the form in
  Excel (`6/16/2025 9:05:40` in the US, `05/11/2025 09:12:44` in the UK), so no order is
  assumed: the values or the user decide (SPEC §4).
- Culture Amp raw data extracts (an Excel workbook, or its CSV) and Lattice response
  exports: a response or employee id, demographic columns, a submitted-at date, then one
  column per rating question with 1–5 numbers or agreement labels.

Exports with more than one header row are the `qualtrics` and `surveymonkey` formats. What
becomes of each column, the dates and the scores: lib/ingest/formats/_survey.py.
"""

from __future__ import annotations

import duckdb

from lib import question_bank
from lib.ingest.formats import ImportOptions, SourceFile, Staged
from lib.ingest.formats import _survey as survey
from lib.ingest.formats._survey_columns import TEAM_HEADERS, SurveyColumn

_MS_FORMS = ("id", "start_time", "completion_time", "email", "name")
_MULTI_ROW = ({"startdate", "enddate"}, {"respondent_id", "collector_id"})  # Qualtrics, SurveyMonkey


def tool(source: SourceFile) -> str:
    norm = source.normalized_headers
    if norm and norm[0] == "timestamp":
        return "Google Forms"
    if all(h in norm for h in _MS_FORMS):
        return "Microsoft Forms"
    return "Wide survey"


class SurveyWide:
    name = "survey_wide"

    def score(self, source: SourceFile) -> float:
        if source.kind != "csv":
            return 0.0
        norm = set(source.normalized_headers)
        if {"question_id", "score"} <= norm or "question" in norm or any(s <= norm for s in _MULTI_ROW):
            return 0.0  # the long form (one row per answer), or a multi-row export
        bank = sum(question_bank.match(h) is not None for h in source.headers)
        if bank:
            return min(0.6 + 0.05 * bank, 0.9)
        questions = [h for h in source.headers if h.strip().endswith("?") or len(h) >= 30]
        if tool(source) != "Wide survey" and len(norm) > 1:
            return 0.45
        if questions and norm & set(TEAM_HEADERS):
            return 0.3
        return 0.0

    def table(self, source: SourceFile) -> survey.SurveyTable:
        columns = tuple(SurveyColumn(i, h, h) for i, h in enumerate(source.headers))
        return survey.SurveyTable(tool(source), columns, survey.body(source, 1, len(columns)))

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        return survey.read(con, source, options, self.table(source))


FORMATS = [SurveyWide()]
