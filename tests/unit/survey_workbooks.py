"""Survey exports as the workbooks the tools hand out, written with openpyxl from the CSV fixtures.

Culture Amp sends its raw data extracts as an Excel file (its "Raw Data extract types and
guidelines": "File will be provided in an Excel format"): the same columns as
`tests/fixtures/exports/culture_amp_engagement.csv`, the submitted-at times as date cells
and the ratings as numbers. Qualtrics exports to Excel with its three header rows as they
are in CSV, every cell as text.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def _typed(cell: str) -> object:
    text = cell.strip()
    if text.isdigit():
        return int(text)
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return cell or None


def culture_amp_workbook(path: Path) -> Path:
    with open(EXPORTS / "culture_amp_engagement.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Survey Responses"
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([_typed(c) for c in row])
    book.save(path)
    return path


def qualtrics_workbook(path: Path) -> Path:
    with open(EXPORTS / "qualtrics_engagement.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet0"
    for row in rows:
        sheet.append([c or None for c in row])
    book.save(path)
    return path
