"""A workbook as an HRIS or finance team sends one, written with openpyxl for the tests.

Layout (what HR report exports to Excel look like, e.g. BambooHR's and Workday's
"Export to Excel"): a report title and a run date above the header row, dates as date
cells, one hire date typed as a plain number (a cell formatted General: Excel's serial
day), BambooHR's `0000-00-00` for no date, a second sheet of teams, a notes sheet with
no header row, and a pivot sheet whose headers match no table. The employee ids are
invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl


def hris_workbook(path: Path, bad_sourcing: bool = False) -> Path:
    book = openpyxl.Workbook()
    people = book.active
    people.title = "Employees"
    people.append(["Headcount report"])  # row 1
    people.append(["Run on", dt.datetime(2025, 10, 1, 8, 0)])  # row 2: two cells, not all text
    people.append(["employee_id", "team", "level", "sourcing", "hire_date", "termination_date"])  # row 3
    people.append(["E-1001", "Payments", "L3", "onshore", dt.datetime(2021, 3, 4), "0000-00-00"])  # row 4
    people.append(
        ["E-1002", "Payments", "L4", "Remote" if bad_sourcing else "nearshore", 45870, None]
    )  # row 5
    people.append(
        ["E-1003", "Search", "L2", "offshore", dt.date(2022, 5, 6), dt.datetime(2024, 1, 2)]
    )  # row 6
    teams = book.create_sheet("teams")
    teams.append(["team", "org", "location", "sourcing"])
    teams.append(["Payments", "Commerce", "Berlin", "onshore"])
    teams.append(["Search", "Discovery", "Lisbon", "nearshore"])
    notes = book.create_sheet("Notes")
    notes.append(["Exported from the HRIS; contact people-ops with questions."])
    pivot = book.create_sheet("Pivot")
    pivot.append(["Department", "Headcount Q3", "Headcount Q4"])
    pivot.append(["Engineering", 41, 44])
    book.save(path)
    return path
