"""Recognising canonical templates among every format (lib/ingest/detect.py, formats/canonical.py)."""

from __future__ import annotations

import pytest

from lib.ingest.detect import UnrecognisedFile, detect
from lib.ingest.formats import ImportOptions, SourceFile
from lib.ingest.formats.canonical import CanonicalFormat
from lib.ingest.read import read_source
from lib.tables import TABLES
from lib.templates import template_csv


def source(headers: tuple[str, ...], name: str = "upload.csv") -> SourceFile:
    return SourceFile(path=None, name=name, kind="csv", delimiter=",", headers=headers)  # type: ignore[arg-type]


# Tables whose own reader also takes their template (finance's months, amounts and names).
RICHER_READER = {
    "business_metrics": "finance",
    "initiatives": "initiatives",
    "engineer_costs": "engineer_costs",
}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_template_is_detected_as_its_table_whatever_its_file_name(tmp_path, table):
    path = tmp_path / "export.csv"
    path.write_bytes(template_csv(table))
    want = RICHER_READER.get(table, f"canonical:{table}")
    assert detect(read_source(path), ImportOptions()).name == want


def test_header_case_spacing_and_extra_columns_do_not_matter():
    headers = (" Deploy ID", "SERVICE", "Deployed At ", "Status", "Pipeline URL", "")
    assert detect(source(headers), ImportOptions()).name == "canonical:deployments"


def test_the_table_the_header_covers_best_wins_when_several_qualify():
    teams = TABLES["teams"].column_names
    assert detect(source(teams), ImportOptions()).name == "canonical:teams"
    # Only employees' required columns plus columns teams also has: still employees.
    minimal = ("employee_id", "hire_date", "team", "location", "sourcing", "manager_id")
    assert detect(source(minimal), ImportOptions()).name == "canonical:employees"


def test_the_file_name_breaks_a_tie():
    # The same headers fit skills and promotions equally well.
    both = ("employee_id", "promoted_at", "skill")
    by_name = {
        name: detect(source(both, name), ImportOptions()).name
        for name in ("skills.csv", "promotions_2025.csv")
    }
    assert by_name == {"skills.csv": "canonical:skills", "promotions_2025.csv": "canonical:promotions"}
    with pytest.raises(UnrecognisedFile, match="equally well"):
        detect(source(both, "export.csv"), ImportOptions())


def test_a_column_every_table_shares_is_not_enough():
    with pytest.raises(UnrecognisedFile):
        detect(source(("Office", "Team", "Budget", "Region", "Notes")), ImportOptions())


def test_unrecognised_file_never_suggests_a_table_whose_required_columns_it_lacks():
    # item_id, team, title: work_items needs created_at too, so no table is offered.
    with pytest.raises(UnrecognisedFile) as caught:
        detect(source(("item_id", "team", "title"), "tickets.csv"), ImportOptions())
    message = str(caught.value)
    assert message.startswith("tickets.csv: not recognised")
    assert "canonical:" not in message and caught.value.candidates == ()


def test_unrecognised_file_suggests_only_tables_it_could_fill():
    # Every required column of teams (team) is there, and org, but too few of the rest: suggested.
    headers = ("team", "org", "Office", "Budget", "Region", "Notes", "Cost centre", "Approver")
    with pytest.raises(UnrecognisedFile) as caught:
        detect(source(headers, "budget.csv"), ImportOptions())
    names = [name for name, _, _ in caught.value.candidates]
    assert "canonical:teams" in names
    assert str(caught.value).endswith(
        "It has every required column of the teams table, but too few of its other columns to be sure. Choose "
        "the table (--table teams with python -m lib import), or map its columns to teams in the Data page's "
        "mapping step; the teams template (Data page, Templates, teams.csv) shows the headers Pillars recognises."
    )
    assert all(not missing for _, _, missing in caught.value.candidates)


def test_table_hint_forces_a_canonical_table():
    headers = ("team", "org")
    fmt = detect(source(headers), ImportOptions(table_hint="employees"))
    assert fmt.name == "canonical:employees"
    with pytest.raises(UnrecognisedFile, match="unknown table 'staff'"):
        detect(source(headers), ImportOptions(table_hint="staff"))


def test_scores_stay_below_one_and_duplicate_headers_use_the_first():
    fmt = CanonicalFormat(TABLES["work_items"])
    perfect = source(TABLES["work_items"].column_names, "work_items.csv")
    assert 0.9 < fmt.score(perfect) < 1.0
    assert fmt.picks(source(("item_id", "Item ID", "created_at"))) == [(0, "item_id"), (2, "created_at")]
    assert fmt.missing(source(("item_id",))) == ("created_at",)
