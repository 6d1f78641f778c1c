"""Dates through a whole import: one parser for templates, date order, plausibility, warnings.

Fixtures in tests/fixtures/exports/ (README there says where each layout comes from);
expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from lib import db
from lib.ingest.load import import_file, layout_choice, options_for, preview_file
from lib.ingest.read import read_source

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "pillars.duckdb")
    yield con
    con.close()


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_git_commit_times_import_in_the_deployments_template(con):
    result = import_file(con, EXPORTS / "ci_deployments_git.csv")
    assert result.ok, result.summary()
    rows = dict(con.execute("select deploy_id, commit_at from deployments").fetchall())
    assert rows == {
        "gh-4101": dt.datetime(2025, 3, 3, 15, 45, 12),  # 17:45:12 +0200
        "gh-4102": dt.datetime(2025, 3, 4, 3, 15),  # 22:15 -0500, the next day in UTC
        "gh-4103": dt.datetime(2025, 3, 31, 12, 30),
        "gh-4104": dt.datetime(2025, 4, 1, 10, 30),  # 12:30 +0200
    }
    deployed = con.execute("select deployed_at from deployments where deploy_id = 'gh-4103'").fetchone()[0]
    assert deployed == dt.datetime(2025, 4, 1, 3, 30)  # 22:30 -05:00 on March 31 is April 1 in UTC


def test_a_deploy_before_its_commit_is_kept_and_listed(con):
    result = import_file(con, EXPORTS / "ci_deployments_git.csv")
    # gh-4104 (row 5): deployed 10:00 UTC, earliest commit 10:30 UTC.
    (span,) = [w for w in result.warnings if w.code == "backward_span"]
    assert (span.count, span.rows) == (1, (5,))
    assert "deployed before their earliest commit" in span.message
    assert con.execute("select count(*) from deployments").fetchone()[0] == 4


def test_a_date_column_takes_the_utc_date_of_a_time_with_an_offset(con):
    assert import_file(con, EXPORTS / "one_on_ones_offsets.csv").ok
    held = dict(con.execute("select employee_id, held_at from one_on_ones").fetchall())
    assert sorted(held.values()) == [dt.date(2025, 3, 31), dt.date(2025, 3, 31), dt.date(2025, 4, 1)]


AMBIGUOUS = "manager_id,employee_id,held_at\nm-1,e-1,05/11/2025\nm-1,e-2,06/11/2025\nm-1,e-3,07/11/2025\n"


def test_an_ambiguous_template_is_refused_until_the_order_is_set(con, tmp_path):
    path = write(tmp_path, "one_on_ones.csv", AMBIGUOUS)
    refused = import_file(con, path)
    assert not refused.ok
    assert refused.error.startswith(
        "one_on_ones.csv: row 2, column held_at: '05/11/2025' could be 5 November 2025"
    )
    assert "--date-order dmy|mdy|ymd" in refused.error and refused.problem_count == 1
    assert con.execute("select count(*) from one_on_ones").fetchone()[0] == 0
    loaded = import_file(con, path, options_for(con, date_order="dmy"))
    assert loaded.ok and not [w for w in loaded.warnings if w.code == "date_order"]
    days = [r[0] for r in con.execute("select held_at from one_on_ones order by held_at").fetchall()]
    assert days == [dt.date(2025, 11, 5), dt.date(2025, 11, 6), dt.date(2025, 11, 7)]


def test_the_order_is_remembered_for_the_layout_but_never_applied_unseen(con, tmp_path):
    path = write(tmp_path, "one_on_ones.csv", AMBIGUOUS)
    assert import_file(con, path, options_for(con, date_order="dmy")).ok
    assert layout_choice(con, read_source(path)).date_order == "dmy"
    nxt = write(tmp_path, "next.csv", AMBIGUOUS.replace("/11/", "/12/"))
    refused = import_file(con, nxt, options_for(con))  # no order given: still refused
    assert (
        not refused.ok
        and "Last time, files with these headers were imported with --date-order dmy" in refused.error
    )


def test_values_that_decide_the_order_are_read_with_a_warning(con, tmp_path):
    path = write(tmp_path, "one_on_ones.csv", AMBIGUOUS + "m-1,e-4,15/11/2025\n")
    result = import_file(con, path)
    assert result.ok, result.summary()
    (order,) = [w for w in result.warnings if w.code == "date_order"]
    assert order.detail == "dmy" and order.count == 4 and "'15/11/2025' (row 5)" in order.message


def test_a_user_order_that_a_value_contradicts_names_the_row(con, tmp_path):
    path = write(tmp_path, "one_on_ones.csv", AMBIGUOUS + "m-1,e-4,11/15/2025\n")
    result = import_file(con, path, options_for(con, date_order="dmy"))
    assert not result.ok
    assert "row 5, column held_at: '11/15/2025' is not a date in day/month/year order" in result.error


@pytest.mark.parametrize(
    ("value", "row"),
    [("2099-01-01T10:00:00Z", 3), ("1989-12-31T23:00:00Z", 3), ("9999-12-31", 3)],
)
def test_an_implausible_date_refuses_the_file_naming_the_row(con, tmp_path, value, row):
    text = (
        "deploy_id,service,deployed_at,status\n"
        "d-1,api,2025-07-01T10:00:00Z,success\n"
        f"d-2,api,{value},success\n"
    )
    result = import_file(con, write(tmp_path, "deployments.csv", text))
    assert not result.ok
    assert (
        f"row {row}, column deployed_at: '{value}' is outside the plausible dates (1990-01-01 to"
        in result.error
    )
    assert con.execute("select count(*) from deployments").fetchone()[0] == 0


def test_a_date_a_year_ahead_is_plausible_and_a_day_more_is_not(con, tmp_path):
    today = dt.datetime.now(dt.UTC).date()
    ahead = today + dt.timedelta(days=365)
    ok = write(tmp_path, "a.csv", f"employee_id,hire_date\ne-1,{ahead}\n")
    assert import_file(con, ok, options_for(con, table_hint="employees")).ok
    late = write(tmp_path, "b.csv", f"employee_id,hire_date\ne-2,{ahead + dt.timedelta(days=1)}\n")
    assert (
        "outside the plausible dates"
        in import_file(con, late, options_for(con, table_hint="employees")).error
    )


def test_bamboohr_zero_dates_are_no_date(con, tmp_path):
    text = "employee_id,hire_date,termination_date\ne-1,2021-03-04,0000-00-00\ne-2,2020-01-06,2024-05-31\n"
    assert import_file(con, write(tmp_path, "employees.csv", text)).ok
    query = "select hire_date, termination_date from employees order by hire_date"
    assert con.execute(query).fetchall() == [
        (dt.date(2020, 1, 6), dt.date(2024, 5, 31)),
        (dt.date(2021, 3, 4), None),  # 0000-00-00
    ]


def test_the_preview_shows_the_warnings_too(con):
    preview = preview_file(con, EXPORTS / "ci_deployments_git.csv")
    assert preview.ok and [w.code for w in preview.warnings] == ["backward_span"]


def test_the_cli_prints_warnings_and_takes_the_date_order(tmp_path):
    database = tmp_path / "cli.duckdb"
    ambiguous = write(tmp_path, "one_on_ones.csv", AMBIGUOUS)

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "lib", "import", "--db", str(database), *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    deployments = run(str(EXPORTS / "ci_deployments_git.csv"))
    assert deployments.returncode == 0, deployments.stderr
    first, warning = deployments.stdout.strip().splitlines()
    assert first.startswith("loaded ci_deployments_git.csv → deployments: 4 rows")
    assert (
        warning.startswith("  warning: Deployments deployed before their earliest commit")
        and "(1 row: 5)" in warning
    )
    refused = run(str(ambiguous))
    assert refused.returncode == 1 and "--date-order" in refused.stderr
    loaded = run("--date-order", "dmy", str(ambiguous))
    assert loaded.returncode == 0, loaded.stderr
