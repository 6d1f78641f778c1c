"""HRIS employee reports import without a mapping step (lib/ingest/formats/hris.py).

Every fixture in tests/fixtures/hris/ describes the same eight people (README.md there
says where each layout comes from), so one table of expectations checks them all, with
each vendor's known differences spelled out below.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lib import db
from lib.ingest.formats import ImportOptions
from lib.ingest.formats import _hris_rules as rules
from lib.ingest.load import home_dir, import_file, preview_file
from lib.privacy import pseudonym, salt

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hris"

# id: hire, termination, type, regretted, team, location, manager id
PEOPLE = {
    "1001": ("2019-03-04", None, None, None, "Payments", "Berlin", None),
    "1002": ("2021-06-14", None, None, None, "Payments", "Berlin", "1001"),
    "1003": ("2022-01-10", "2025-03-14", "voluntary", True, "Payments", "Lisbon", "1001"),
    "1004": ("2023-09-04", "2024-02-29", "involuntary", False, "Payments", "Berlin", "1001"),
    "1005": ("2020-11-02", None, None, None, "Platform", "Kraków", "1006"),
    "1006": ("2018-05-07", None, None, None, "Platform", "Oslo", None),
    "1007": ("2024-04-15", "2025-01-31", "voluntary", True, "Platform", "Kraków", "1006"),
    "1008": ("2024-10-01", None, None, None, "Platform", "Oslo", "1006"),
}
# Sam Lee (1008) left on 2022-08-31 and came back: reports that give his first hire date
# carry that earlier stint as a row of its own.
EARLIER_STINT = ("2017-02-01", "2022-08-31", "voluntary")
# file: (options, regretted known, types known, earlier stint, regretted of the stint, shift of dates)
LAYOUTS = {
    "bamboohr_employees.csv": ({}, True, True, True, False, "bamboohr"),
    "workday_workers.csv": ({}, True, True, True, False, "workday"),
    "hibob_people.csv": ({"date_order": "dmy"}, False, True, False, None, "hibob"),
    "personio_employees.csv": ({}, False, True, False, None, "personio"),
    "rippling_employees.csv": ({}, False, False, False, None, "rippling"),
    "adp_employees.csv": ({}, False, True, True, None, "adp"),
    "hand_kept_spreadsheet.csv": ({"date_order": "mdy"}, False, True, False, None, "spreadsheet"),
}


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    con = db.connect(tmp_path / "data" / "pillars.duckdb")
    yield con
    con.close()


def _minus_a_day(day: str | None) -> str | None:
    import datetime as dt

    return None if day is None else (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_imports_the_same_people(con, name):
    options, regret_known, types_known, stint, stint_regret, style = LAYOUTS[name]
    result = import_file(con, FIXTURES / name, ImportOptions(**options))
    assert result.ok, result.errors
    assert result.source_format == "hris"
    assert result.rows == 8 + stint
    secret = salt(home_dir(con))
    stored = {
        row[0]: row[1:]
        for row in con.execute(
            "select employee_id, hire_date::varchar, termination_date::varchar, termination_type, regretted, "
            "team, location, manager_id from employees"
        ).fetchall()
    }
    for raw, (hire, term, kind, regret, team, location, manager) in PEOPLE.items():
        if name.startswith("personio"):
            # Personio writes midnight with an offset (+0100): SPEC §4 takes the date in UTC
            hire, term = _minus_a_day(hire), _minus_a_day(term)
        want = (
            hire,
            term,
            kind if types_known else None,
            regret if regret_known else None,
            team,
            None if name.startswith("hand_kept") else location,  # that sheet has no work location
            pseudonym(manager, secret) if manager else None,
        )
        assert stored[pseudonym(raw, secret)] == want, raw
    if stint:
        got = stored[pseudonym(f"1008#{EARLIER_STINT[0]}", secret)]
        assert got[:4] == (*EARLIER_STINT, stint_regret)


def test_the_report_style_is_told_from_its_headers():
    from lib.ingest.formats._tool_exports import read_rows
    from lib.ingest.formats.hris import Layout
    from lib.ingest.read import read_source

    for name, (*_, style) in LAYOUTS.items():
        headers, _ = read_rows(read_source(FIXTURES / name))
        assert Layout.of(tuple(headers)).style == style, name


def test_levels_acquisition_sourcing_and_e_mail_pseudonyms(con):
    secret = salt(home_dir(con))
    assert import_file(con, FIXTURES / "hand_kept_spreadsheet.csv", ImportOptions(date_order="mdy")).ok
    rows = dict(
        (r[0], r[1:])
        for r in con.execute(
            "select employee_id, sourcing, acquired_from, email_id, role from employees"
        ).fetchall()
    )
    assert rows[pseudonym("1003", secret)] == (
        "nearshore",
        None,
        pseudonym("ana.costa@acme.test", secret),
        "Software Engineer",
    )
    assert rows[pseudonym("1005", secret)][:2] == ("nearshore", "Fjordline")
    con.execute("delete from employees")
    assert import_file(con, FIXTURES / "bamboohr_employees.csv").ok
    levels = dict(con.execute("select employee_id, level from employees").fetchall())
    assert levels[pseudonym("1005", secret)] == "L5"


def test_numeric_dates_in_no_certain_order_are_refused_with_how_to_set_it(con, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Employee ID,Start date,Department\n1,04/03/2019,A\n2,05/06/2020,A\n")
    result = import_file(con, path)
    assert not result.ok
    assert (
        "row 2, column Start date: '04/03/2019' could be 4 March 2019 (day first) or 3 April 2019"
        in result.error
    )
    assert "--date-order" in result.error
    assert con.execute("select count(*) from employees").fetchone()[0] == 0
    assert import_file(con, path, ImportOptions(date_order="dmy")).ok
    secret = salt(home_dir(con))
    hire = con.execute(
        "select hire_date::varchar from employees where employee_id = ?", [pseudonym("1", secret)]
    )
    assert hire.fetchone()[0] == "2019-03-04"


def test_the_date_order_comes_from_the_tool_or_the_values_with_a_warning(con):
    adp = import_file(con, FIXTURES / "adp_employees.csv")
    assert adp.ok
    (order,) = [w for w in adp.warnings if w.code == "date_order"]
    assert "month/day/year" in order.message and "ADP Workforce Now writes US dates" in order.message
    hibob = import_file(con, FIXTURES / "hibob_people.csv")  # 14/06/2021 can only be day first
    assert hibob.ok
    (order,) = [w for w in hibob.warnings if w.code == "date_order"]
    assert "day/month/year" in order.message and "'14/06/2021'" in order.message


def test_interpretations_are_listed_as_warnings(con):
    result = import_file(con, FIXTURES / "bamboohr_employees.csv")
    codes = {w.code: w for w in result.warnings}
    assert codes["hris_rehire"].count == 1 and codes["hris_rehire"].rows == (9,)
    rippling = import_file(con, FIXTURES / "rippling_employees.csv")
    codes = {w.code: w for w in rippling.warnings}
    assert codes["hris_separation_type_unknown"].count == 3  # 1003, 1004, 1007: no type column


def test_a_leaver_without_a_termination_date_is_refused(con, tmp_path):
    path = tmp_path / "bamboo.csv"
    path.write_text(
        "Employee #,Hire Date,Termination Date,Status,Department\n"
        "1,2020-01-01,0000-00-00,Active,A\n"
        "2,2020-01-01,0000-00-00,Inactive,A\n"
    )
    result = import_file(con, path)
    assert not result.ok
    assert result.error == (
        "bamboo.csv: row 3, column Status: 'Inactive' says the person has left, but the row has no termination date"
    )


def test_a_typo_year_is_refused(con, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Employee ID,Hire Date,Department\n1,1920-05-01,A\n")
    result = import_file(con, path)
    assert (
        not result.ok
        and "row 2, column Hire Date (hire_date): '1920-05-01' is outside the plausible dates" in result.error
    )


def test_the_canonical_template_stays_canonical(con, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("employee_id,team,hire_date,termination_date,manager_id\ne1,a,2020-01-01,,m1\n")
    assert import_file(con, path).source_format == "canonical:employees"


def test_preview_shows_pseudonyms_only(con):
    preview = preview_file(con, FIXTURES / "adp_employees.csv")
    assert preview.ok and preview.source_format == "hris"
    sample = preview.samples["employees"]
    assert all(v.startswith("p_") for v in sample["employee_id"])
    assert "Smith" not in sample.to_csv()


@pytest.mark.parametrize(
    ("texts", "want"),
    [
        (["Resignation"], "voluntary"),
        (["Voluntarily Terminated"], "voluntary"),
        (["Terminated for Cause"], "involuntary"),
        (["Layoff"], "involuntary"),
        (["Retirement"], "voluntary"),
        (["Terminate Employee > Voluntary > Resignation"], "voluntary"),
        (["Terminate Employee > Involuntary > Position Eliminated"], "involuntary"),
        (["Mutual Separation"], "involuntary"),
        (["Resignation (Voluntary)"], "voluntary"),
        (["Termination (Involuntary)"], "involuntary"),
        (["", "Better Opportunity", "Terminated"], "voluntary"),
        (["Terminated"], None),
        (["Death"], "involuntary"),
        (["Garden leave"], None),
    ],
)
def test_separation_types(texts, want):
    assert rules.separation_type(texts, {}) == want


def test_user_rules_come_first_and_are_saved(con):
    rules.save_termination_rules(con, {"Garden leave": "voluntary", "Mutual Separation": "voluntary"})
    saved = rules.termination_rules(con)
    assert rules.separation_type(["Garden Leave"], saved) == "voluntary"
    assert rules.separation_type(["Terminate Employee > Mutual separation"], saved) == "voluntary"
    with pytest.raises(ValueError, match="use voluntary or involuntary"):
        rules.save_termination_rules(con, {"x": "fired"})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Regrettable", True),
        ("Non-Regrettable", False),
        ("yes", True),
        ("No", False),
        ("1", True),
        ("", None),
    ],
)
def test_regretted_flags(text, want):
    assert rules.regretted(text) is want


def test_manager_names_outside_the_file_link_by_the_pseudonym_of_the_name(con, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(
        "Employee ID,Full Name,Hire Date,Reports To\n"
        '1,Ada Byron,2020-01-01,"Turing, Alan"\n'
        "2,Bob Hope,2020-01-01,Alan Turing\n"
        "3,Cy Young,2020-01-01,Ada Byron\n"
    )
    assert import_file(con, path).ok
    secret = salt(home_dir(con))
    managers = dict(con.execute("select employee_id, manager_id from employees").fetchall())
    assert managers[pseudonym("1", secret)] == managers[pseudonym("2", secret)]  # same manager, no name
    assert managers[pseudonym("1", secret)].startswith("p_")
    assert managers[pseudonym("3", secret)] == pseudonym("1", secret)


def test_options_keep_the_date_order_field():
    assert dataclasses.replace(ImportOptions(), date_order="mdy").date_order == "mdy"


def _as_workbook(
    csv_path: Path, target: Path, order: str, serial: bool = False, title: str | None = None
) -> Path:
    """The CSV fixture as the .xlsx the tool exports: date cells as Excel dates (or, with
    `serial`, as the bare serial numbers a General-formatted column shows), ids as numbers,
    and optionally a report title above the header, as Workday writes."""
    import csv
    import datetime as dt

    import openpyxl

    with open(csv_path, newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    if title:
        sheet.append([title])
    sheet.append(header)
    dated = {i for i, h in enumerate(header) if "date" in h.lower()}
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if i in dated and value:
                a, b, c = (int(p) for p in value.replace("-", "/").split("/"))
                day = dt.date(a, b, c) if order == "ymd" else dt.date(c, a, b)
                cells.append((day - dt.date(1899, 12, 30)).days if serial else day)
            elif value.isdigit() and not value.startswith("0"):
                cells.append(int(value))
            else:
                cells.append(value)
        sheet.append(cells)
    book.save(target)
    return target


@pytest.mark.parametrize(
    ("name", "order", "serial", "title"),
    [
        ("workday_workers.csv", "ymd", False, "Worker Report (run by HR, 31 Oct 2026)"),
        ("adp_employees.csv", "mdy", False, None),
        ("adp_employees.csv", "mdy", True, None),
    ],
)
def test_workbooks_import_like_their_csv(con, tmp_path, name, order, serial, title):
    book = _as_workbook(FIXTURES / name, tmp_path / (Path(name).stem + ".xlsx"), order, serial, title)
    result = import_file(con, book)
    assert result.ok, result.errors
    assert result.source_format == "hris" and result.rows == 9
    secret = salt(home_dir(con))
    stored = dict(
        con.execute(
            "select employee_id, (hire_date, termination_date, manager_id)::varchar from employees"
        ).fetchall()
    )
    got = stored[pseudonym("1003", secret)]
    assert got == str(("2022-01-10", "2025-03-14", pseudonym("1001", secret))).replace("'", "")
    assert pseudonym(f"1008#{EARLIER_STINT[0]}", secret) in stored
    text = "".join(p.read_text() for p in (tmp_path / "data" / "uploads").iterdir())
    assert "Smith" not in text and "acme.test" not in text


def test_a_problem_in_a_workbook_names_the_sheet_and_the_row_excel_shows(con, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Workers"
    sheet.append(["Headcount report"])  # row 1: a title above the header
    sheet.append(["Employee ID", "Hire Date", "Termination Date", "Active", "Supervisory Organization"])
    sheet.append([1, "2020-01-01", None, 1, "Payments (Jane Smith)"])
    sheet.append([2, "2020-01-01", None, 0, "Payments (Jane Smith)"])  # row 4: left, no date
    book.save(tmp_path / "workers.xlsx")
    result = import_file(con, tmp_path / "workers.xlsx")
    assert not result.ok
    assert result.error.startswith("workers.xlsx, sheet Workers: row 4, column Active")
    assert "no termination date" in result.error
