"""Excel workbooks (lib/ingest/workbook.py): each sheet with a header row imports like a CSV file."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import db
from lib.ingest.load import import_file
from lib.ingest.read import discard_copy, read_sources
from lib.ingest.workbook import cell_text
from tests.unit.workbook_fixture import hris_workbook


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "pillars.duckdb")
    yield con
    con.close()


def test_sheets_with_a_header_row_are_read_below_their_title_rows(tmp_path):
    path = hris_workbook(tmp_path / "hris.xlsx")
    sources = read_sources(path)
    try:
        assert [(s.sheet, s.row_offset, s.headers[:2]) for s in sources] == [
            ("Employees", 2, ("employee_id", "team")),  # two title rows above the header
            ("teams", 0, ("team", "org")),
            ("Pivot", 0, ("Department", "Headcount Q3")),
        ]  # Notes has no header row
        assert sources[0].label == "hris.xlsx, sheet Employees"
    finally:
        for source in sources:
            discard_copy(source, path)


def test_a_workbook_imports_every_recognised_sheet_in_one_import(con, tmp_path):
    result = import_file(con, hris_workbook(tmp_path / "hris.xlsx"))
    assert result.ok, result.summary()
    assert result.rows_by_table == {"employees": 3, "teams": 2}
    assert result.source_format == "canonical:employees,canonical:teams"
    hires = dict(con.execute("select team || level, hire_date from employees").fetchall())
    assert hires == {
        "PaymentsL3": dt.date(2021, 3, 4),  # a date cell
        "PaymentsL4": dt.date(2025, 8, 1),  # the number 45870: Excel's serial day
        "SearchL2": dt.date(2022, 5, 6),
    }
    ended = con.execute("select termination_date from employees order by hire_date").fetchall()
    assert ended == [(None,), (dt.date(2024, 1, 2),), (None,)]  # 0000-00-00 is no date
    (skipped,) = [w for w in result.warnings if w.code == "sheet_skipped"]
    assert "Sheet Pivot was not imported" in skipped.message


def test_a_problem_names_the_sheet_and_the_row_excel_shows(con, tmp_path):
    result = import_file(con, hris_workbook(tmp_path / "hris.xlsx", bad_sourcing=True))
    assert not result.ok
    assert result.error.startswith(
        "hris.xlsx, sheet Employees: row 5, column sourcing: 'Remote' is not one of onshore, nearshore, offshore"
    )
    assert con.execute("select count(*) from teams").fetchone()[0] == 0  # the whole workbook or nothing


def test_a_file_that_is_not_a_workbook_is_refused_by_name(con, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_text("employee_id,hire_date\n")
    result = import_file(con, path)
    assert not result.ok and result.error.startswith("report.xlsx: cannot open the workbook")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (2.5, "2.5"),
        (True, "true"),
        (dt.datetime(2025, 3, 4, 9, 30), "2025-03-04 09:30:00"),
        (dt.date(2025, 3, 4), "2025-03-04"),
        (None, ""),
        ("x", "x"),
    ],
)
def test_cells_become_the_text_a_csv_export_holds(value, text):
    assert cell_text(value) == text
