"""SurveyMonkey response exports ("All individual responses", CSV or Excel): two header rows.

Layout (tests/fixtures/exports/SURVEYS.md says where it comes from):
- row 1: `Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address,
  First Name, Last Name, Custom Data 1`, then each question's text over its first column
  only: a matrix (several statements rated on one scale) or a multi-answer question
  leaves the cells over its other columns empty;
- row 2: empty over the metadata, `Response` under a one-answer question, `Open-Ended
  Response` under a text box, the statement under each matrix row (the option under each
  multi-answer box), the field name under a contact-information block (`Name`, `Email
  Address`, …).
A matrix row's question is its statement, read as "Question text - Statement", so the
question bank matches the statement. Answers are the choice texts ("Agree"), or numbers
when exported as numerical values.

Dates: `End Date` in the form SurveyMonkey writes, month first (`09/12/2025 09:14:03 AM`),
taken as the tool's order with a warning; the user's date order overrides it. (Confirmed
for US accounts; a file written day first shows it in the warning and is imported again
with `--date-order dmy`.)
"""

from __future__ import annotations

import duckdb

from lib.ingest.dates import DateHints
from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import _survey as survey
from lib.ingest.formats._survey_columns import SurveyColumn

_SIGNATURE = {"respondent_id", "collector_id"}
_ALSO = {"start_date", "end_date"}
_ONE_ANSWER = {"response", "open_ended_response", ""}
_CONTACT = "contact_information"
HINTS = DateHints("mdy", "SurveyMonkey writes dates month first")


class SurveyMonkey:
    name = "surveymonkey"

    def score(self, source: SourceFile) -> float:
        norm = set(source.normalized_headers)
        if source.kind != "csv" or not norm >= _SIGNATURE or not norm & _ALSO:
            return 0.0
        return 0.95

    def table(self, source: SourceFile) -> survey.SurveyTable:
        rows = survey.head(source, 2)
        names = rows[0]
        width = len(names)
        details = ((rows[1] if len(rows) > 1 else []) + [""] * width)[:width]
        columns, question = [], ""
        for i, name in enumerate(names):
            detail = details[i].strip()
            question = name.strip() or question  # a matrix's question sits over its first column only
            kind = normalize_header(detail)
            if not name.strip() and not question:
                text = detail
            elif normalize_header(question) == _CONTACT:
                name, text = detail, f"{question} - {detail}"
            elif kind in _ONE_ANSWER:
                text = question
            else:
                text = f"{question} - {detail}"
            columns.append(SurveyColumn(i, name.strip() or text, text, detail))
        records = survey.body(source, 2, width)
        return survey.SurveyTable("SurveyMonkey", tuple(columns), records, HINTS)

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        return survey.read(con, source, options, self.table(source))


FORMATS = [SurveyMonkey()]
