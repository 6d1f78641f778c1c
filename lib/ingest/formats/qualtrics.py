"""Qualtrics survey exports ("Data & Analysis → Export data", CSV or Excel): three header rows.

Layout (tests/fixtures/exports/SURVEYS.md says where it comes from):
- row 1, column names: `StartDate, EndDate, Status, IPAddress, Progress, Duration (in
  seconds), Finished, RecordedDate, ResponseId, RecipientLastName, RecipientFirstName,
  RecipientEmail, ExternalReference, LocationLatitude, LocationLongitude,
  DistributionChannel, UserLanguage`, then one column per question (`Q1`, a matrix's rows
  `Q2_1`, `Q2_2`, an "Other" box `Q5_7_TEXT`, display orders `Q1_DO`) and embedded data
  fields by their names (`Team`);
- row 2, what people read: `Start Date, End Date, Response Type, …` and the question texts,
  a matrix row as "Question text - Statement";
- row 3, import ids: `{"ImportId":"startDate","timeZone":"America/Denver"}`,
  `{"ImportId":"QID1"}`, …: the time zone the times are written in.
Then one row per response; times are `2025-09-12 09:14:03` in the zone of the third row.
Answers are choice texts ("Somewhat agree") or, exported as numeric values, their codes
(1–5). An export whose second and third rows were deleted is read with row 1 as the text.

Not responses: a `Status` (Response Type) of Survey Preview, Survey Test, Spam, Preview
Spam, Imported Spam or Offline Survey Preview (codes 1, 2, 8, 9, 12, 17 in a numeric
export) is left out and listed in a warning. Partial responses (`Finished` False) keep the
questions they answered.
"""

from __future__ import annotations

import json
import zoneinfo

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats import _survey as survey
from lib.ingest.formats._survey_columns import SurveyColumn

_SIGNATURE = {"startdate", "enddate"}
_ALSO = {"responseid", "status", "finished", "recordeddate", "progress", "ipaddress"}
NOT_RESPONSES = {
    "survey preview": "Qualtrics survey previews",
    "1": "Qualtrics survey previews",
    "survey test": "Qualtrics test responses",
    "2": "Qualtrics test responses",
    "spam": "responses Qualtrics flagged as spam",
    "8": "responses Qualtrics flagged as spam",
    "preview spam": "responses Qualtrics flagged as spam",
    "9": "responses Qualtrics flagged as spam",
    "imported spam": "responses Qualtrics flagged as spam",
    "12": "responses Qualtrics flagged as spam",
    "offline survey preview": "Qualtrics survey previews",
    "17": "Qualtrics survey previews",
}
_TIME_IDS = ("endDate", "recordedDate", "startDate")


def _import_id(cell: str) -> dict:
    text = (cell or "").strip()
    if not text.startswith("{"):
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _zone(ids: list[dict]) -> str | None:
    for wanted in _TIME_IDS:
        for found in ids:
            zone = found.get("timeZone") if found.get("ImportId") == wanted else None
            if zone:
                try:
                    zoneinfo.ZoneInfo(zone)
                except (ValueError, zoneinfo.ZoneInfoNotFoundError):
                    return None
                return zone
    return None


class Qualtrics:
    name = "qualtrics"

    def score(self, source: SourceFile) -> float:
        norm = set(source.normalized_headers)
        if source.kind != "csv" or not norm >= _SIGNATURE or not norm & _ALSO:
            return 0.0
        rows = survey.head(source)
        if len(rows) >= 3 and any(_import_id(c).get("ImportId") for c in rows[2]):
            return 0.95
        return 0.8

    def table(self, source: SourceFile) -> survey.SurveyTable:
        rows = survey.head(source)
        names = rows[0]
        texts = rows[1] if len(rows) > 1 and normalize_header(rows[1][0]) == "start_date" else names
        ids_row = rows[2] if len(rows) > 2 and any(_import_id(c) for c in rows[2]) else []
        header_rows = 1 + (texts is not names) + bool(ids_row)
        width = len(names)
        texts = (texts + [""] * width)[:width]
        ids_row = (ids_row + [""] * width)[:width]
        columns = tuple(
            SurveyColumn(i, names[i], texts[i].strip() or names[i], ids_row[i]) for i in range(width)
        )
        records = survey.body(source, header_rows, width)
        status = next((i for i, n in enumerate(names) if normalize_header(n) == "status"), None)
        excluded = ()
        if status is not None:
            excluded = tuple(
                (row, NOT_RESPONSES[cells[status].strip().lower()])
                for row, cells in records
                if cells[status].strip().lower() in NOT_RESPONSES
            )
        return survey.SurveyTable(
            "Qualtrics",
            columns,
            records,
            time_zone=_zone([_import_id(c) for c in ids_row]),
            excluded=excluded,
        )

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        return survey.read(con, source, options, self.table(source))


FORMATS = [Qualtrics()]
