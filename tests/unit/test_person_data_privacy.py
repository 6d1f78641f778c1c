"""No name, e-mail or sensitive value from a person-level file reaches the database or the
disk (SPEC §4, §6): after importing HRIS reports full of them, every text column of every
table and every byte of every file under the data folder is searched, and none is found.
The kept copy of such a file is its minimised form, and an import replays from it."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from lib import db
from lib.ingest.formats import ImportOptions
from lib.ingest.import_log import undo_import
from lib.ingest.load import import_bytes, import_file, replay_import
from lib.ingest.uploads import uploads_dir
from tests.unit.test_hris_import import FIXTURES, LAYOUTS

# Names, e-mails, pay, birth dates, gender, ethnicity, marital status, addresses and
# performance ratings that the fixtures carry.
SECRETS = [
    "Jane", "Smith", "Ravi", "Kumar", "Costa", "Nordmann", "Rossi", "Maria", "Sam Lee", "Lee, Sam",
    "@acme.test", "@mail.test", "acme.test",
    "142000", "118000", "86000", "131000", "150000",
    "1984-07-12", "07/12/1984", "12/07/1984", "1990-02-03",
    "Female", "Male", "Non-binary", "diverse",
    "Hispanic", "Asian", "Two or More Races",
    "Married", "Divorced", "Single",
    "Linden Allee", "Kastanienweg", "Rua Augusta", "Storgata",
    "Exceeds", "Fully Meets", "Below", "PIP",
]  # fmt: skip


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    con = db.connect(tmp_path / "data" / "pillars.duckdb")
    yield con
    con.close()


def _text_cells(con) -> list[str]:
    tables = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema = 'main'"
    ).fetchall()
    cells = []
    for table, column in tables:
        # names from the catalog of this very database, quoted
        query = (
            'select distinct "'
            + column
            + '"::varchar from "'
            + table
            + '" where "'
            + column
            + '" is not null'
        )
        cells += [row[0] for row in con.execute(query).fetchall()]
    return cells


def _found_in_files(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits = [s for s in SECRETS if s.encode() in data or s.encode("utf-16-le") in data]
            if hits:
                found[str(path.relative_to(folder))] = hits
    return found


def test_hris_reports_leave_no_name_e_mail_or_sensitive_value_anywhere(con, tmp_path):
    for name, (options, *_) in LAYOUTS.items():
        result = import_file(con, FIXTURES / name, ImportOptions(**options))
        assert result.ok, result.errors
    # the upload path the Data page uses, too
    result = import_bytes(con, (FIXTURES / "bamboohr_employees.csv").read_bytes(), "people.csv")
    assert result.ok
    con.execute("checkpoint")

    cells = _text_cells(con)
    assert len(cells) > 50  # the search looked at real rows
    assert [c for c in cells if any(s.lower() in c.lower() for s in SECRETS)] == []
    assert _found_in_files(tmp_path / "data") == {}


def test_the_kept_copy_is_minimised_and_replays(con, tmp_path):
    path = FIXTURES / "bamboohr_employees.csv"
    first = import_file(con, path)
    assert first.ok
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    kept = sorted(p.name for p in uploads_dir(con).iterdir())
    assert kept == [f"{sha}.minimised.employees.csv"]  # never the upload itself
    with open(uploads_dir(con) / kept[0], newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "employee_id", "team", "level", "role", "location", "hire_date", "termination_date",
        "termination_type", "regretted", "manager_id", "acquired_from", "email_id",
    ]  # fmt: skip
    assert len(rows) == 1 + 9 and all(r[0].startswith("p_") for r in rows[1:])

    before = con.execute("select * exclude (import_id) from employees order by all").fetchall()
    con.execute("delete from employees where employee_id in (select min(employee_id) from employees)")
    again = replay_import(con, first.import_id)  # from the minimised copy: the row comes back
    assert again.ok, again.errors
    assert con.execute("select * exclude (import_id) from employees order by all").fetchall() == before
    # Undo deletes the kept copy once no import that stands came from it (issue 16).
    undo_import(con, again.import_id)
    undo_import(con, first.import_id)
    assert con.execute("select count(*) from employees").fetchone()[0] == 0
    assert list(uploads_dir(con).iterdir()) == []


def test_a_rejected_person_level_file_keeps_nothing(con, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Employee ID,Full Name,Start date,Salary\n1,Jane Smith,04/03/2019,142000\n")
    result = import_file(con, path)  # its date order is not set, and its one date reads both ways
    assert not result.ok
    assert not uploads_dir(con).exists() or list(uploads_dir(con).iterdir()) == []


def test_a_canonical_person_level_file_is_kept_minimised_too(con, tmp_path):
    path = tmp_path / "one_on_ones.csv"
    path.write_text(
        "manager_id,employee_id,held_at,Manager Name,Notes\n"
        "m1@acme.test,e1@acme.test,2025-01-10,Jane Smith,PIP talk\n"
    )
    assert import_file(con, path).ok
    (kept,) = uploads_dir(con).iterdir()
    text = kept.read_text()
    assert text.splitlines()[0] == "manager_id,employee_id,held_at"
    assert "acme" not in text and "Jane" not in text and "PIP" not in text


def test_files_without_people_are_kept_as_uploaded(con, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team,org\npayments,Commerce\n")
    assert import_file(con, path).ok
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (uploads_dir(con) / f"{sha}.csv").read_bytes() == path.read_bytes()
