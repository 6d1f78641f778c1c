"""Refusals say how to fix the file, in the user's words (issue 18, item 3).

Every refusal names the file's own column header (with the canonical name beside it when
they differ), the accepted shapes for a date, the template to download for a table, and
the mapping step for the right table when columns are missing. Checked by value.
"""

from __future__ import annotations

import pytest

from lib import db
from lib.ingest.load import import_file, options_for

TIMESTAMP_ADVICE = (
    "write a date and time such as 2025-09-01T09:00:00Z, 2025-09-01 09:00, 2025-09-01T11:00:00+02:00, "
    "14/Jul/25 3:42 PM or July 14, 2025"
)


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    con = db.connect(tmp_path / "db" / "pillars.duckdb")
    yield con
    con.close()


def refusal(con, tmp_path, name: str, text: str, **options) -> str:
    path = tmp_path / name
    path.write_text(text)
    result = import_file(con, path, options_for(con, **options) if options else None)
    assert not result.ok
    return result.error


def test_a_template_with_its_own_header_spelling_is_named_by_that_header(con, tmp_path):
    text = "Item ID,Team,Type,Created At\nW-1,payments,feature,2025-09-01\nW-2,payments,feature,yesterday\n"
    assert refusal(con, tmp_path, "work_items.csv", text) == (
        f"work_items.csv: row 3, column Created At (created_at): 'yesterday' is not a timestamp: {TIMESTAMP_ADVICE}"
    )


def test_a_date_column_says_which_shapes_it_reads(con, tmp_path):
    text = "employee_id,promoted_at\ne-1,soon\n"
    assert refusal(con, tmp_path, "promotions.csv", text) == (
        "promotions.csv: row 2, column promoted_at: 'soon' is not a date: write it as 2025-09-01, 1 Sep 2025 or "
        "September 1, 2025"
    )


def test_a_tool_export_names_the_tools_own_column(con, tmp_path):
    text = (
        "Issue Type,Issue key,Summary,Status,Resolution,Created,Updated\n"
        "Story,X-1,a,Done,Done,01/Jul/25 9:00 AM,03/Jul/25 9:00 AM\n"
        "Story,X-2,b,Done,Done,the first of July,05/Jul/25 9:00 AM\n"
    )
    assert refusal(con, tmp_path, "jira.csv", text) == (
        f"jira.csv: row 3, column Created (created_at): 'the first of July' is not a timestamp: {TIMESTAMP_ADVICE}"
    )


def test_true_false_empty_and_number_problems_say_what_to_write(con, tmp_path):
    text = "deploy_id,deployed_at,is_rework,service\nd-1,2025-09-01T10:00:00Z,perhaps,api\n"
    assert refusal(con, tmp_path, "deployments.csv", text) == (
        "deployments.csv: row 2, column is_rework: 'perhaps' is not true or false: write true or false, yes or "
        "no, or 1 or 0"
    )
    text = "deploy_id,deployed_at\n,2025-09-01T10:00:00Z\n"
    assert refusal(con, tmp_path, "deployments2.csv", text) == (
        "deployments2.csv: row 2, column deploy_id: is empty: every row needs a value in this column"
    )


def test_a_missing_required_column_names_the_template_and_the_mapping_step(con, tmp_path):
    text = "deploy_id,service\nd-1,api\n"
    assert refusal(con, tmp_path, "ci.csv", text, table_hint="deployments") == (
        "ci.csv: column deployed_at: is missing from the file (required column of deployments): add a column "
        "headed deployed_at, as in the deployments template (Data page, Templates, deployments.csv), or map the "
        "file's own columns to deployments in the Data page's mapping step"
    )


def test_an_unrecognised_file_names_the_closest_table_and_what_it_lacks(con, tmp_path):
    text = "Deploy ID,Service,When\nd-1,api,2025-09-01\n"
    assert refusal(con, tmp_path, "ci_runs.csv", text) == (
        "ci_runs.csv: not recognised: no known format matches its headers (Deploy ID, Service, When). It is "
        "closest to the deployments table, but has no deployed_at column, which deployments need. Add it, as in "
        "the deployments template (Data page, Templates, deployments.csv), or map the file's own columns to "
        "deployments in the Data page's mapping step."
    )
    assert refusal(con, tmp_path, "notes.csv", "Foo,Bar\n1,2\n").endswith(
        "None of its headers is a column of a Pillars table: download the template of the table it holds (Data "
        "page, Templates) and use its headers, or map its columns in the Data page's mapping step."
    )


def test_a_date_order_problem_says_how_to_fix_it(con, tmp_path):
    text = "manager_id,employee_id,held_at\nm-1,e-1,05/11/2025\nm-1,e-2,11/31/2025\n"
    message = refusal(con, tmp_path, "one_on_ones.csv", text, date_order="dmy")
    assert message == (
        "one_on_ones.csv: row 3, column held_at: '11/31/2025' is not a date in day/month/year order, the date "
        "order of this file: write it in that order, or choose another date order for this file"
    )


def test_a_day_its_month_does_not_have_is_named_as_such_not_as_another_date_order(con, tmp_path):
    # '31/02/2026' read day first is day 31 of February: no other order would help (a new user
    # was told only "is not a timestamp"); '28/02' read month first is a month 28: the order's fault
    text = "deploy_id,service,deployed_at,status\nd1,api,28/02/2026 10:00,success\nd2,api,31/02/2026 10:00,success\n"
    assert refusal(con, tmp_path, "deployments.csv", text) == (
        "deployments.csv: row 3, column deployed_at: '31/02/2026 10:00' is not a date: read in day/month/year "
        "order, the date order of this file, it names a day its month does not have (such as 31 April or "
        "30 February; 29 February only in a leap year)"
    )
    text = "deploy_id,service,deployed_at,status\nd1,api,02/28/2026 10:00,success\nd2,api,04/31/2026 10:00,success\n"
    assert "'04/31/2026 10:00' is not a date: read in month/day/year order" in refusal(
        con, tmp_path, "deployments.csv", text, date_order="mdy"
    )
    text = "deploy_id,service,deployed_at,status\nd1,api,02/28/2026 10:00,success\nd2,api,28/02/2026 10:00,success\n"
    assert "'28/02/2026 10:00' is not a date in month/day/year order, the date order of this file" in refusal(
        con, tmp_path, "deployments.csv", text, date_order="mdy"
    )
