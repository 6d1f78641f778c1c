"""The Delivery page on two deployments in a quarter (issue 18, item 9's kind): each tile
shows its value and says why it has no DORA tier, and there is no overall tier."""

from __future__ import annotations

from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import app_file, make_db
from tests.unit.test_tiers_on_few_events import two_deployments


def test_the_delivery_page_says_why_there_is_no_tier(tmp_path, run_page):
    con = make_db(tmp_path, teams=[{"team": "a"}], deployments=two_deployments())
    at = run_page(app_file(con), "pages/delivery.py", query={"from": "2025-07-01", "to": "2025-09-30"})
    assert_no_exception(at)
    text = " ".join(c.value for c in at.caption)
    assert "2 production deployments: too few for a DORA tier (20 needed)" in text
    assert "2 successful deployments with a commit time: too few for a DORA tier" in text
    assert "elite tier" not in text
    assert not [m for m in at.markdown if "Overall delivery performance" in m.value]
