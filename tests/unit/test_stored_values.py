"""No stored value takes down a command (issue 16): a database holding dates no import
writes any more (9999-12-31, 2099, 1899, year 1, ±infinity: tests/unit/poisoned.py) and
odd import-log rows still gives the default period, `metrics`, `imports` and `undo`."""

from __future__ import annotations

import json

import duckdb
import pytest

from lib import cli, db
from lib.scope import default_scope, implausible_dates, latest_data_date
from lib.tables import TABLES
from tests.conftest import DEMO_END
from tests.unit.poisoned import IMPORT, ODD_IMPORTS, VALUES, poison


@pytest.fixture
def poisoned(demo_db_copy) -> tuple:
    con = db.connect(demo_db_copy)
    added = poison(con)
    con.close()
    return demo_db_copy, added


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_period_ignores_implausible_stored_dates(poisoned, demo_db):
    path, _ = poisoned
    clean = duckdb.connect(str(demo_db), read_only=True)
    con = duckdb.connect(str(path), read_only=True)
    assert latest_data_date(con) == latest_data_date(clean) == DEMO_END
    assert default_scope(con) == default_scope(clean)
    found = {(f["table"], f["column"]): f for f in implausible_dates(con)}
    dated = {(t.name, c.name) for t in TABLES.values() for c in t.columns if c.type in ("date", "timestamp")}
    assert set(found) == dated
    assert all(f["rows"] == len(VALUES) and f["imports"] == [IMPORT] for f in found.values())
    assert found[("deployments", "deployed_at")]["latest"] == "infinity"
    assert found[("deployments", "deployed_at")]["earliest"] == "-infinity"


def test_metrics_prints_the_same_numbers_as_before_the_poison(poisoned, demo_db, capsys):
    path, _ = poisoned
    code, out, err = run(capsys, "metrics", "--db", str(demo_db))
    assert code == 0, err
    clean = json.loads(out)
    code, out, err = run(capsys, "metrics", "--db", str(path))
    assert code == 0 and "Traceback" not in err, err
    assert json.loads(out) == clean


def test_metrics_over_a_period_holding_the_poison_still_answers(poisoned, capsys):
    path, _ = poisoned
    code, out, err = run(capsys, "metrics", "--db", str(path), "--start", "1890-01-01", "--end", "2100-01-01")
    assert code == 0, err
    assert json.loads(out)["delivery"]["deployments"] > 0


def test_imports_lists_every_log_row_in_printable_text(poisoned, capsys):
    path, _ = poisoned
    code, out, err = run(capsys, "imports", "--db", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert all(line.isprintable() for line in lines)
    for import_id in (IMPORT, *ODD_IMPORTS):
        assert sum(line.startswith(import_id) for line in lines) == 1, import_id
    escape = next(line for line in lines if line.startswith("escape"))
    assert escape.endswith("evil?[2J?.csv")


def test_undo_removes_the_poison_and_its_odd_neighbours(poisoned, capsys):
    path, added = poisoned
    code, out, err = run(capsys, "undo", "--db", str(path), IMPORT[:8])
    assert code == 0, err
    assert out.strip() == f"undone import {IMPORT} (old.csv): {added:,} rows deleted"
    for import_id in ("infinite", "escape00"):
        code, out, err = run(capsys, "undo", "--db", str(path), import_id)
        assert code == 0 and out.startswith(f"undone import {import_id}"), err
        assert out.isprintable() or out.rstrip("\n").isprintable()
    code, out, err = run(capsys, "undo", "--db", str(path), "nulls000")
    assert code == 1 and err.rstrip("\n").endswith("is without a status: nothing to undo"), err
    con = duckdb.connect(str(path), read_only=True)
    assert implausible_dates(con) == []
