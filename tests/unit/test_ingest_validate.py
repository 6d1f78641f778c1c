"""Casting and checking staged rows against the canonical tables (lib/ingest/validate.py)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from lib.ingest.formats import ImportOptions, Staged
from lib.ingest.read import drop_staging
from lib.ingest.validate import Problem, ValidationError, check, error_message


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def staged(con, table: str, header: tuple[str, ...], *rows: tuple) -> Staged:
    """A staged relation like a format hands over: text cells plus `_row` from 2."""
    columns = ", ".join(f"col{i} as {name}" for i, name in enumerate(header))
    values = ", ".join("(" + ", ".join(["?"] * (len(header) + 1)) + ")" for _ in rows)
    params = [v for n, row in enumerate(rows, start=2) for v in (n, *row)]
    names = ", ".join(["_row", *(f"col{i}" for i in range(len(header)))])
    con.execute(f"create or replace temp table src as select * from (values {values}) v({names})", params)
    return Staged(table, con.sql(f"select _row, {columns} from src"))


def typed(con, checked, columns: str):
    return con.execute(f'select {columns} from temp."{checked.name}" order by _row').fetchall()


def test_timestamps_with_offset_z_none_and_plain_dates_are_stored_as_utc(con):
    s = staged(
        con,
        "work_items",
        ("item_id", "created_at"),
        ("a", "2025-09-01T09:00:00+02:00"),
        ("b", "2025-09-01T09:00:00Z"),
        ("c", "2025-09-01T09:00:00"),
        ("d", "2025-01-15 09:00"),
        ("e", "2025-09-01"),
        ("f", " 2025-09-01T09:00:00.5-05:00 "),
    )
    checked = check(con, s, ImportOptions(default_tz="Europe/Paris"))
    assert checked.ok
    assert typed(con, checked, "item_id, created_at") == [
        ("a", dt.datetime(2025, 9, 1, 7, 0)),
        ("b", dt.datetime(2025, 9, 1, 9, 0)),
        ("c", dt.datetime(2025, 9, 1, 7, 0)),  # Paris summer time, UTC+2
        ("d", dt.datetime(2025, 1, 15, 8, 0)),  # Paris winter time, UTC+1
        ("e", dt.datetime(2025, 8, 31, 22, 0)),  # midnight in Paris
        ("f", dt.datetime(2025, 9, 1, 14, 0, 0, 500000)),
    ]
    assert con.execute("select current_setting('TimeZone')").fetchall() == [("UTC",)]


def test_booleans_accept_common_spellings_case_insensitively(con):
    words = ["true", "Yes", "Y", "1", "FALSE", "no", "n", "0", ""]
    s = staged(
        con,
        "deployments",
        ("deploy_id", "deployed_at", "is_rework"),
        *((f"d{i}", "2025-09-01", w) for i, w in enumerate(words)),
    )
    checked = check(con, s, ImportOptions())
    assert checked.ok
    assert [r[0] for r in typed(con, checked, "is_rework")] == [True] * 4 + [False] * 4 + [None]


def test_deployment_statuses_accept_ci_spellings(con):
    spellings = {
        "success": ["success", "Success", "SUCCESS", "succeeded", "passed", "ok"],
        "failure": ["failed", "FAILURE", "failure", "error", "errored", "broken"],
        "rollback": ["rollback", "Rolled back", "rolled_back", "reverted"],
    }
    cases = [(word, want) for want, words in spellings.items() for word in words]
    s = staged(
        con,
        "deployments",
        ("deploy_id", "deployed_at", "status"),
        *((f"d{i}", "2025-09-01", word) for i, (word, _) in enumerate(cases)),
    )
    checked = check(con, s, ImportOptions())
    assert checked.ok
    assert [r[0] for r in typed(con, checked, "status")] == [want for _, want in cases]


def test_choices_are_case_insensitive_and_stored_lower_case(con):
    s = staged(con, "work_items", ("item_id", "created_at", "type"), ("a", "2025-09-01", " Feature "))
    checked = check(con, s, ImportOptions())
    assert typed(con, checked, "type") == [("feature",)]


def test_every_kind_of_problem_is_reported_with_row_column_and_value(con):
    s = staged(
        con,
        "work_items",
        ("item_id", "created_at", "type", "effort"),
        ("a", "2025-09-01", "feature", "3"),
        ("", "2025-09-01", "feature", "3"),
        ("c", "yesterday", "feature", "3"),
        ("d", "2025-09-01", "epic", "3"),
        ("e", "2025-09-01", "defect", "-1"),
        ("f", "2025-09-01", "defect", "lots"),
        ("g", "", "defect", "nan"),
    )
    checked = check(con, s, ImportOptions())
    assert not checked.ok and checked.rows == 7
    number = "is not a number: write digits with a decimal point, such as 1200 or 2.5 (no units or thousands separators)"
    assert checked.problems == (
        Problem(3, "item_id", None, "is empty: every row needs a value in this column"),
        Problem(
            4,
            "created_at",
            "yesterday",
            "is not a timestamp: write a date and time such as 2025-09-01T09:00:00Z, 2025-09-01 09:00, "
            "2025-09-01T11:00:00+02:00, 14/Jul/25 3:42 PM or July 14, 2025",
        ),
        Problem(5, "type", "epic", "is not one of feature, defect, risk, debt"),
        Problem(6, "effort", "-1", "is out of range (0 to 1,000,000)"),
        Problem(7, "effort", "lots", number),
        Problem(8, "created_at", None, "is empty: every row needs a value in this column"),
        Problem(8, "effort", "nan", number),
    )
    assert checked.problem_count == 7


def test_integers_must_be_whole_and_within_bounds(con):
    s = staged(
        con,
        "skills",
        ("employee_id", "skill", "proficiency", "target"),
        ("e1", "go", "3", "4.0"),
        ("e2", "go", "2.5", ""),
        ("e3", "go", "5", "9999999999"),
    )
    checked = check(con, s, ImportOptions())
    assert [(p.row, p.column, p.value) for p in checked.problems] == [
        (3, "proficiency", "2.5"),
        (4, "proficiency", "5"),
        (4, "target", "9999999999"),
    ]
    assert typed(con, checked, "proficiency, target")[0] == (3, 4)


def test_a_missing_required_column_is_a_problem_with_the_file(con):
    s = staged(con, "work_items", ("item_id", "title"), ("a", "t"))
    checked = check(con, s, ImportOptions())
    reason = (
        "is missing from the file (required column of work items): add a column headed created_at, as in the "
        "work items template (Data page, Templates, work_items.csv), or map the file's own columns to work "
        "items in the Data page's mapping step"
    )
    assert checked.problems[0] == Problem(None, "created_at", None, reason)
    assert (
        error_message("w.csv", checked.problems, checked.problem_count)
        == f"w.csv: column created_at: {reason}"
    )


def test_empty_rows_are_skipped_and_text_is_trimmed(con):
    s = staged(
        con, "teams", ("team", "org"), ("  payments ", " Commerce"), (None, None), (" ", ""), ("", "Platform")
    )
    checked = check(con, s, ImportOptions())
    assert checked.rows == 2  # blank rows are dropped; a row without its team is a problem
    assert typed(con, checked, "team, org")[0] == ("payments", "Commerce")
    assert [(p.row, p.column) for p in checked.problems] == [(5, "team")]


def test_person_columns_are_pseudonymised_only_with_a_salt(con):
    s = staged(con, "teams", ("team", "manager_id"), ("a", " Ada@Example.com "), ("b", "ada@example.com"))
    plain = check(con, s, ImportOptions())
    assert typed(con, plain, "manager_id") == [("Ada@Example.com",), ("ada@example.com",)]
    hashed = check(con, s, ImportOptions(), salt="pepper")
    ids = [r[0] for r in typed(con, hashed, "manager_id")]
    assert ids[0] == ids[1] and ids[0].startswith("p_") and len(ids[0]) == 18
    drop_staging(con)


def test_error_message_counts_further_problems():
    problems = (Problem(7, "created_at", "yesterday", "is not a timestamp"),)
    assert error_message("work_items.csv", problems, 4) == (
        "work_items.csv: row 7, column created_at: 'yesterday' is not a timestamp (and 3 more problems)"
    )
    assert error_message("w.csv", problems, 2).endswith("(and 1 more problem)")
    assert (
        error_message("w.csv", problems, 1)
        == "w.csv: row 7, column created_at: 'yesterday' is not a timestamp"
    )
    assert str(ValidationError("w.csv", problems, 1)) == error_message("w.csv", problems, 1)


def test_staged_values_of_other_types_are_accepted(con):
    rel = con.sql(
        "select 2 as _row, 'd1' as deploy_id, timestamptz '2025-09-01 09:00:00+00' as deployed_at, "
        "true as is_rework, 'Succeeded' as status"
    )
    checked = check(con, Staged("deployments", rel), ImportOptions(default_tz="Asia/Tokyo"))
    assert checked.ok
    assert typed(con, checked, "deployed_at, is_rework, status") == [
        (dt.datetime(2025, 9, 1, 9, 0), True, "success")
    ]
