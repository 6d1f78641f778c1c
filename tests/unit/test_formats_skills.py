"""Skills matrices (long, wide, labels, 0–5 and SFIA scales, target columns and rows) and team
targets, from files in the layouts tests/fixtures/exports/skills/README.md describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.ingest.detect import detect
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file
from lib.ingest.read import read_source
from lib.views import skills
from tests.unit.fixtures import make_db, scope
from tests.unit.people_fixture import SALT, add_employees, pid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "skills"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv("PILLARS_SALT", SALT)
    con = make_db(tmp_path)
    add_employees(con)
    return con


def rows(con, table="skills") -> dict:
    got = con.execute(f"select employee_id, skill, proficiency, target from {table}").fetchall()  # noqa: S608
    return {(r[0], r[1]): (r[2], r[3]) for r in got}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("matrix_wide_0_5.csv", "skills:wide"),
        ("matrix_wide_labels.csv", "skills:wide"),
        ("skills_long_sfia.csv", "skills:long"),
        ("team_targets_wide.csv", "skills:team-targets"),
        ("team_targets_long.csv", "skills:team-targets"),
    ],
)
def test_each_layout_is_recognised(name, fmt):
    assert detect(read_source(FIXTURES / name), ImportOptions()).name == fmt


def test_wide_matrix_on_a_0_to_5_scale_is_mapped_to_0_to_4(con):
    result = import_file(con, FIXTURES / "matrix_wide_0_5.csv")
    assert result.ok, result.error
    got = rows(con)
    assert len(got) == 18  # 20 cells, two empty
    ana, ben, chen, dora = (pid(e) for e in ("ana.silva@example.com", "ben.okafor@example.com",
                                             "chen.li@example.com", "dora.kim@example.com"))  # fmt: skip
    # 0→0, 1→1, 2→2, 3→2, 4→3, 5→4
    assert (
        got[(ana, "python")] == (4, None) and got[(ana, "go")] == (2, None) and got[(ana, "sql")] == (3, None)
    )
    assert got[(ben, "go")] == (3, None) and got[(ben, "kubernetes")] == (1, None)
    assert (ben, "terraform") not in got and (dora, "go") not in got
    assert got[(chen, "terraform")] == (4, None) and got[(dora, "sql")] == (4, None)
    assert any("0–5 scale (highest value 5)" in w.describe() for w in result.warnings)
    # names and roles are not stored anywhere
    assert con.execute("select count(*) from skills where skill in ('name', 'role')").fetchone()[0] == 0
    # go, kubernetes and terraform each rest on one person at level 3+ (python and sql have two)
    assert skills.skills_summary(con, scope("2025-01-01", "2025-04-01"))["bus_factor_risks"] == 3


def test_wide_matrix_with_labels_target_columns_and_a_target_row(con):
    result = import_file(con, FIXTURES / "matrix_wide_labels.csv")
    assert result.ok, result.error
    a, b, c = pid("E-101"), pid("E-102"), pid("E-103")
    assert rows(con) == {
        (a, "python"): (4, 3), (a, "kubernetes"): (2, 3), (a, "security"): (1, 2),
        (b, "python"): (3, 3), (b, "kubernetes"): (1, 2),  # security: not applicable, no row
        (c, "python"): (2, 3), (c, "kubernetes"): (0, 2), (c, "security"): (2, 2),
    }  # fmt: skip
    assert any("Expert → 4" in w.describe() for w in result.warnings)
    assert any("not applicable" in w.describe() for w in result.warnings)
    # below target: a k8s, a security, b k8s, c python, c k8s → 5 of 8 rows
    got = skills.skills_summary(con, scope("2025-01-01", "2025-04-01"))
    assert got["skill_gap_share"] == pytest.approx(5 / 8)


def test_long_sfia_levels_map_by_their_meaning_and_strangers_are_warned_about(con):
    result = import_file(con, FIXTURES / "skills_long_sfia.csv")
    assert result.ok, result.error
    ana, ben, unknown = (
        pid("ana.silva@example.com"),
        pid("ben.okafor@example.com"),
        pid("unknown.person@example.com"),
    )
    assert rows(con) == {
        (ana, "software design"): (3, 3),  # SFIA 5 → 3, required 5 → 3
        (ana, "programming/software development"): (4, 3),  # 6 → 4
        (ben, "programming/software development"): (2, 3),  # 3 → 2, required 4 → 3
        (ben, "systems integration and build"): (1, None),  # 2 → 1
        (unknown, "software design"): (4, None),  # 7 → 4, kept though nobody matches yet
    }
    assert any("SFIA 1–7 (header 'SFIA level')" in w.describe() for w in result.warnings)
    unlinked = next(w for w in result.warnings if w.code == "person_unlinked")
    assert unlinked.message.startswith("1 of 3 people match no employee by employee id or work e-mail yet")
    assert unlinked.rows == (6,)  # unknown.person's row, kept


def test_team_targets_wide_and_long(con):
    assert import_file(con, FIXTURES / "team_targets_wide.csv").ok
    assert import_file(con, FIXTURES / "team_targets_long.csv").ok
    got = dict(
        ((t, s), v) for t, s, v in con.execute("select team, skill, target from skill_targets").fetchall()
    )
    assert got == {
        ("payments", "python"): 3, ("payments", "go"): 2, ("payments", "kubernetes"): 2, ("payments", "security"): 2,
        ("platform", "python"): 2, ("platform", "go"): 3, ("platform", "kubernetes"): 4, ("platform", "security"): 3,
        ("payments", "machine learning"): 2,  # the long file's python 3 replaces the wide file's 3 (same key)
    }  # fmt: skip


def test_team_targets_apply_to_rows_without_their_own(con):
    assert import_file(con, FIXTURES / "matrix_wide_0_5.csv").ok
    assert import_file(con, FIXTURES / "team_targets_long.csv").ok
    # payments (ana, dora) needs python at 3: ana 4, dora 3 → none below; platform (ben, chen)
    # needs kubernetes at 4: ben 1 below, chen 4 not. 1 of 18 rows below.
    got = skills.skills_summary(con, scope("2025-01-01", "2025-04-01"))
    assert got["skill_gap_share"] == pytest.approx(1 / 18)


def test_a_matrix_keyed_by_names_only_is_refused_saying_why(con):
    result = import_file(con, FIXTURES / "matrix_names_only.csv")
    assert not result.ok
    assert "a skills matrix keyed by names only" in result.error
    assert "names are never stored. Add an Employee ID or Work Email column" in result.error
    assert con.execute("select count(*) from skills").fetchone()[0] == 0


def test_an_unknown_label_names_row_column_and_value(con, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Employee ID,Python,Go\nE-101,Advanced,2\nE-102,Novice,Wizard\nE-103,Expert,3\nE-104,None,1\n"
    )
    result = import_file(con, bad)
    assert not result.ok
    assert "row 3, column Go: 'Wizard' is not a proficiency level" in result.error
    assert con.execute("select count(*) from skills").fetchone()[0] == 0


def test_a_skills_matrix_workbook(con, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Employee ID", "Name", "Python", "Go"])
    sheet.append(["E-101", "Ana Silva", "Expert", "Novice"])
    sheet.append(["E-102", "Ben Okafor", "Intermediate", "Advanced"])
    path = tmp_path / "matrix.xlsx"
    book.save(path)
    result = import_file(con, path)
    assert result.ok, result.error
    assert rows(con) == {
        (pid("E-101"), "python"): (4, None), (pid("E-101"), "go"): (1, None),
        (pid("E-102"), "python"): (2, None), (pid("E-102"), "go"): (3, None),
    }  # fmt: skip
