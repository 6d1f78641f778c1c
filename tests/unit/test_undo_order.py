"""Undo restores exactly the state before the import, whatever order imports are undone in
(issue 18, item 2; lib/ingest/replaced.py states the rule).

The model every test checks against: the data after any mix of imports and undos is the
data the imports that still stand would have written, one after the other, onto an empty
database (an import's rows replace stored rows with the same key). The tables are small
enough to check by hand; the comments say what each step must leave.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import db
from lib.ingest.import_log import undo_import
from lib.ingest.load import import_file

TEAMS = "team,org,location\n"


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    con = db.connect(tmp_path / "db" / "pillars.duckdb")
    yield con
    con.close()


def teams(con) -> list[tuple]:
    return con.execute("select team, org, location, import_id from teams order by team").fetchall()


def load(con, folder: Path, name: str, text: str):
    path = folder / name
    path.write_text(text)
    result = import_file(con, path)
    assert result.ok, result.summary()
    return result


def test_undoing_the_newer_of_two_teams_files_brings_the_older_teams_back(con, tmp_path):
    # The failing input: teams.csv twice, then the newer import undone left 0 teams.
    old = load(con, tmp_path, "teams.csv", TEAMS + "Payments,Commerce,Paris\nSearch,Core,Oslo\n")
    (tmp_path / "v2").mkdir()
    new = load(con, tmp_path / "v2", "teams.csv", TEAMS + "Payments,Commerce,Lisbon\nSearch,Core,Oslo\n")
    assert new.summary().startswith("loaded teams.csv → teams: 2 rows: 1 updated, 1 unchanged (import")
    undone = undo_import(con, new.import_id)
    assert (undone.deleted, undone.restored) == (2, 2)
    assert teams(con) == [
        ("Payments", "Commerce", "Paris", old.import_id),
        ("Search", "Core", "Oslo", old.import_id),
    ]
    assert undo_import(con, old.import_id).deleted == 2
    assert teams(con) == []
    assert con.execute("select count(*) from replaced_rows").fetchall() == [(0,)]


def test_undoing_the_older_first_keeps_the_newer_then_ends_empty(con, tmp_path):
    # v1 writes A, B; v2 writes A (changed) and C. Stored: A(v2), B(v1), C(v2).
    v1 = load(con, tmp_path, "v1.csv", TEAMS + "A,o1,x\nB,o1,x\n")
    v2 = load(con, tmp_path, "v2.csv", TEAMS + "A,o2,y\nC,o2,y\n")
    assert v2.changes["teams"].words() == "1 new, 1 updated"
    assert undo_import(con, v1.import_id).deleted == 1  # only B was v1's own still stored
    assert teams(con) == [("A", "o2", "y", v2.import_id), ("C", "o2", "y", v2.import_id)]
    undone = undo_import(con, v2.import_id)
    assert (undone.deleted, undone.restored) == (2, 0)  # A was new with v1, which is undone
    assert teams(con) == []


def _model(files: dict[str, str], standing: list[str]) -> list[tuple]:
    """What the standing imports write, in order, onto an empty table."""
    rows: dict[str, tuple] = {}
    for import_id in standing:
        for line in files[import_id].splitlines()[1:]:
            team, org, location = line.split(",")
            rows[team] = (team, org or None, location or None, import_id)
    return [rows[k] for k in sorted(rows)]


VERSIONS = (
    TEAMS + "A,o1,p\nB,o1,p\n",  # 1: A, B
    TEAMS + "A,o2,q\nC,o2,q\n",  # 2: A changed, C new
    TEAMS + "A,o3,r\nB,o3,r\nC,o3,r\nD,o3,r\n",  # 3: A, B and C changed, D new
)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))), ids=str)
def test_every_undo_order_of_three_imports_leaves_what_the_standing_ones_wrote(con, tmp_path, order):
    files, ids = {}, []
    for n, text in enumerate(VERSIONS):
        result = load(con, tmp_path, f"teams_{n}.csv", text)
        files[result.import_id] = text
        ids.append(result.import_id)
    assert teams(con) == _model(files, ids)
    standing = list(ids)
    for n in order:
        undo_import(con, ids[n])
        standing.remove(ids[n])
        assert teams(con) == _model(files, standing), (order, n)
    assert teams(con) == []


def test_a_composite_key_and_a_second_table_are_restored_too(con, tmp_path):
    text = "item_id,changed_at,to_status,active\nW-1,2025-09-01T10:00:00Z,In Progress,true\n"
    first = load(con, tmp_path, "t1.csv", text)
    second = load(con, tmp_path, "t2.csv", text.replace("In Progress", "Review").replace("true", "false"))
    assert second.changes["work_item_transitions"].words() == "1 updated"
    undo_import(con, second.import_id)
    rows = con.execute("select item_id, changed_at, to_status, active, import_id from work_item_transitions")
    assert [r[2:] for r in rows.fetchall()] == [("In Progress", True, first.import_id)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.tuples(
                st.just("import"),
                st.dictionaries(st.sampled_from("ABC"), st.sampled_from(["o1", "o2", ""]), min_size=1),
            ),
            st.tuples(st.just("undo"), st.integers(min_value=0, max_value=5)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_mix_of_imports_and_undos_leaves_what_the_standing_imports_wrote(steps):
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "db" / "pillars.duckdb")
        try:
            files: dict[str, str] = {}
            standing: list[str] = []
            for n, (kind, arg) in enumerate(steps):
                if kind == "import":
                    text = TEAMS + "".join(f"{team},{org},here\n" for team, org in sorted(arg.items()))
                    path = Path(folder) / f"teams_{n}.csv"
                    path.write_text(text)
                    result = import_file(con, path)
                    assert result.ok, result.summary()
                    if result.already:  # the same bytes as an import that stands: nothing changes
                        assert (
                            result.already.import_id in standing and files[result.already.import_id] == text
                        )
                    else:
                        files[result.import_id] = text
                        standing.append(result.import_id)
                elif standing:
                    chosen = standing[arg % len(standing)]
                    undo_import(con, chosen)
                    standing.remove(chosen)
                assert teams(con) == _model(files, standing), steps[: n + 1]
        finally:
            con.close()
