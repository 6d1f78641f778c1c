"""Data page in AppTest: templates, history, freshness and clearing the demo."""

from __future__ import annotations

from lib import db
from tests.app.conftest import assert_no_exception


def test_data_page_offers_a_template_per_canonical_table(demo_db, run_page):
    from lib.tables import TABLES

    at = run_page(demo_db, "pages/data.py")
    assert_no_exception(at)
    headers = [h.value for h in at.subheader]
    assert {"Upload", "Import history", "Data freshness", "Templates"} <= set(headers)
    downloads = at.get("download_button")
    assert len(downloads) == len(TABLES)
    # labelled in words, the file name on hover: "Work item status changes", not work_item_transitions
    labels = {d.proto.label: d.proto.help for d in downloads}
    assert labels["Work item status changes"] == "work_item_transitions.csv"
    assert not [label for label in labels if "_" in label]


def test_clear_demo_empties_the_database_and_removes_the_label(demo_db_copy, run_page):
    at = run_page(demo_db_copy, "pages/data.py")
    assert any("Demo data" in info.value for info in at.info)
    # the page asks first: the popover's button is the one that clears
    assert [b.label for b in at.button if "lear" in b.label] == ["Yes, clear the demo data"]
    next(b for b in at.button if b.label == "Yes, clear the demo data").click().run()
    assert_no_exception(at)
    assert not any("Demo data" in info.value for info in at.info)
    con = db.connect(demo_db_copy)
    assert con.execute("select count(*) from deployments").fetchone()[0] == 0
    assert db.get_setting(con, "demo") == "false"
    con.close()
