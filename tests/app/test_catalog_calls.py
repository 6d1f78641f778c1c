"""No page computes the whole metric catalog more than once per run (SPEC §9, issue 17).

Every page runs once on the demo organisation with cold caches (the first visit, the most
work it ever does) while `lib.metrics.catalog` is counted. (The previous period's
catalog, for a tile's change, would count too.) The bar is at most once per run.
"""

from __future__ import annotations

from collections import Counter

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import metrics
from tests.app.conftest import ROOT, assert_no_exception

PAGES = (
    "pages/overview.py",
    "pages/delivery.py",
    "pages/engagement.py",
    "pages/retention.py",
    "pages/skills.py",
    "pages/business.py",
    "pages/data.py",
    "pages/board_pack.py",
)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_run_computes_the_catalog_at_most_once(demo_db, monkeypatch, page):
    calls: Counter = Counter()
    real_catalog, real_delivery = metrics.catalog, metrics.delivery_catalog

    def catalog(*args, **kwargs):
        calls["catalog", args[1]] += 1
        return real_catalog(*args, **kwargs)

    def delivery_catalog(*args, **kwargs):
        calls["delivery_catalog", args[1]] += 1
        return real_delivery(*args, **kwargs)

    monkeypatch.setattr(metrics, "catalog", catalog)
    monkeypatch.setattr(metrics, "delivery_catalog", delivery_catalog)
    monkeypatch.setenv("PILLARS_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()  # the app's first start; then the page alone, from cold caches
    st.cache_data.clear()
    calls.clear()
    if page != "pages/overview.py":
        at.switch_page(page)
    at.run()
    assert_no_exception(at)
    assert at.title, "the page drew nothing: the count would say nothing"
    whole = {scope: n for (kind, scope), n in calls.items() if kind == "catalog"}
    assert sum(whole.values()) <= 1, whole
    if page == "pages/delivery.py":  # the counting reaches the pages' code: its tiles read the catalog's
        assert sum(n for (kind, _), n in calls.items() if kind == "delivery_catalog") >= 1
