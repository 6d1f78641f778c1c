"""Every page opens, and the Data page undoes, whatever is in the database (issue 16).

The database is the demo with rows written directly that no import writes any more:
every date column of every table at 9999-12-31, 2099, 1899, year 1 and ±infinity, and
odd import-log rows (tests/unit/poisoned.py). Before issue 16 a single deployment dated
9999-12-31 took down every page, the Data page and its undo included.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lib import db
from tests.app.conftest import ROOT, assert_no_exception
from tests.unit.poisoned import IMPORT, poison

PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture
def poisoned(demo_db_copy) -> Path:
    con = db.connect(demo_db_copy)
    poison(con)
    con.close()
    return demo_db_copy


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_and_says_the_default_period_leaves_them_out(poisoned, run_page, page):
    at = run_page(poisoned, page)
    assert_no_exception(at)
    notes = [c.value for c in at.sidebar.caption]
    assert any(n.startswith("The default period leaves out ") and "9999-12-31" in n for n in notes), notes
    assert at.sidebar.date_input[1].value.isoformat() == "2026-10-31"  # the demo's last day, not 9999


def test_the_data_page_lists_them_and_undoes_their_import(poisoned, run_page):
    at = run_page(poisoned, "pages/data.py")
    assert_no_exception(at)
    assert any("lie outside" in w.value for w in at.warning)
    undo = next(s for s in at.selectbox if s.label == "Undo an import")
    assert "old.csv → many (72 rows, " in undo.options[0]
    assert "evil?[2J?.csv → deployments (-5 rows, time unknown)" in undo.options
    undo.set_value(IMPORT).run()
    next(b for b in at.button if b.label == "Yes, undo this import").click().run()
    assert_no_exception(at)
    con = duckdb.connect(str(poisoned), read_only=True)
    assert con.execute("select count(*) from deployments where import_id = ?", [IMPORT]).fetchone()[0] == 0
    assert con.execute("select status from imports where import_id = ?", [IMPORT]).fetchone()[0] == "undone"
    con.close()
    at.run()
    assert not any("lie outside" in w.value for w in at.warning)
