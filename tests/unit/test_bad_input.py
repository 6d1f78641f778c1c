"""The bad-input corpus (tests/unit/bad_input_corpus.py): each file refused with its cause or read right.

A refused file changes nothing: every canonical table's rows, the import log's earlier
rows and the kept uploads are compared before and after, and the only trace is the
rejection logged in `imports`. The CLI refuses each with exit code 1, the message on
stderr and no traceback.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from lib import cli, db
from lib.ingest.formats import ImportOptions
from lib.ingest.load import import_file
from lib.ingest.uploads import uploads_dir
from lib.tables import TABLES
from lib.templates import template_csv
from tests.unit.bad_input_corpus import CORPUS, Case, Refused

ROOT = Path(__file__).resolve().parents[2]
REFUSED = [c for c in CORPUS if c.refused]
READ_RIGHT = [c for c in CORPUS if not c.refused]


def test_the_corpus_has_at_least_40_kinds():
    kinds = [c.kind for c in CORPUS]
    assert len(set(kinds)) == len(kinds) >= 40
    assert len({c.name for c in CORPUS if c.name.endswith(".csv")}) == sum(
        c.name.endswith(".csv") for c in CORPUS
    )


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Path:
    """A database that already holds data: three templates imported."""
    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "pillars.duckdb"
    con = db.connect(path)
    for table in ("teams", "work_items", "deployments"):
        source = folder / f"{table}.csv"
        source.write_bytes(template_csv(table))
        assert import_file(con, source).ok
    con.close()
    return path


@pytest.fixture
def database(loaded_db, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PILLARS_SALT", "corpus-salt")
    target = tmp_path / "db" / "pillars.duckdb"
    target.parent.mkdir()
    shutil.copy(loaded_db, target)
    shutil.copytree(loaded_db.parent / "uploads", target.parent / "uploads")
    return target


def state(con: duckdb.DuckDBPyConnection) -> dict:
    """Every canonical table's rows, the import log and the kept uploads."""
    tables = {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in TABLES}
    log = con.execute("select * from imports order by imported_at, import_id").fetchall()
    kept = sorted(p.name for p in uploads_dir(con).iterdir())
    return {"tables": tables, "imports": log, "uploads": kept}


def printable(text: str) -> bool:
    return all(ch.isprintable() for ch in text)


def write(case: Case, folder: Path) -> Path:
    path = folder / case.name
    path.write_bytes(case.bytes())
    return path


@pytest.mark.parametrize("case", REFUSED, ids=[c.kind for c in REFUSED])
def test_each_bad_file_is_refused_with_its_cause_and_changes_nothing(case, database, tmp_path):
    con = duckdb.connect(str(database))
    before = state(con)
    result = import_file(con, write(case, tmp_path), ImportOptions(**case.options))
    expect: Refused = case.expect  # type: ignore[assignment]
    assert not result.ok
    message = result.error
    assert message.startswith(f"{case.name}: "), message
    assert printable(message) and len(message) <= 1000, message
    at = 0
    for fragment in expect.fragments:
        found = message.find(fragment, at)
        assert found >= 0, f"{fragment!r} not in {message!r}"
        at = found + len(fragment)
    if expect.row is not None:
        assert result.problems and result.problems[0].row == expect.row, result.problems
    if expect.column is not None:
        assert result.problems[0].column == expect.column, result.problems
    after = state(con)
    assert after["tables"] == before["tables"]
    assert after["uploads"] == before["uploads"]  # no copy of a refused file is kept
    assert after["imports"][: len(before["imports"])] == before["imports"]
    new = after["imports"][len(before["imports"]) :]
    assert [(r[3], r[5], r[7]) for r in new] in ([], [(case.name, 0, "rejected")])
    con.close()


@pytest.mark.parametrize("case", READ_RIGHT, ids=[c.kind for c in READ_RIGHT])
def test_each_awkward_file_is_read_right(case, database, tmp_path):
    con = duckdb.connect(str(database))
    result = import_file(con, write(case, tmp_path), ImportOptions(**case.options))
    assert result.ok, result.error
    assert con.execute(case.expect.query).fetchall() == case.expect.rows
    assert [w.code for w in result.warnings if w.code in case.expect.warnings] == list(case.expect.warnings)
    con.close()


@pytest.mark.parametrize("case", REFUSED, ids=[c.kind for c in REFUSED])
def test_the_cli_refuses_each_with_exit_1_and_no_traceback(case, database, tmp_path, capsys):
    path = write(case, tmp_path)
    args = ["import", "--db", str(database), str(path)]
    if case.options.get("table_hint"):
        args += ["--table", case.options["table_hint"]]
    code = cli.main(args)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith(f"rejected {case.name}: ") and err.count("\n") == 1, err
    assert printable(err.rstrip("\n")) and "Traceback" not in err


def test_the_cli_as_a_process_refuses_them_all_in_one_run(database, tmp_path):
    """A real process: exit 1, one line per refused file on stderr, nothing on stdout."""
    picked = [c for c in REFUSED if not c.options and c.name.endswith((".csv", ".json", ".xlsx"))]
    folder = tmp_path / "files"
    folder.mkdir()
    paths = [str(write(c, folder)) for c in picked]
    done = subprocess.run(
        [sys.executable, "-m", "lib", "import", "--db", str(database), *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PILLARS_SALT": "corpus-salt", "HOME": str(tmp_path)},
    )
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"rejected {c.name}" for c in picked]
    assert "Traceback" not in done.stderr and all(printable(line) for line in lines)


def test_read_right_cases_are_the_same_through_the_cli(database, tmp_path, capsys):
    case = next(c for c in READ_RIGHT if c.kind == "a repeated key")
    code = cli.main(["import", "--db", str(database), str(write(case, tmp_path))])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out.splitlines()[1].startswith("  warning: Teams with the same team as a later row of this file")
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute(case.expect.query).fetchall() == case.expect.rows


def test_every_case_is_one_kind_of_outcome():
    assert all(dataclasses.is_dataclass(c.expect) for c in CORPUS)
    assert len(REFUSED) + len(READ_RIGHT) == len(CORPUS)
