"""No page computes the whole metric catalog more than once per run (SPEC §9, issue 17).

Every page runs once on the demo organisation with cold caches (the first visit, the most
work it ever does) while `lib.metrics.catalog` is counted. (The previous period's
catalog, for a tile's change, would count too.) The bar is at most once per run. On the
Delivery page, the delivery and flow summaries behind the catalog's keys are counted too: its
tiles computed each twice per period on cold caches, and each of the DORA tab's six charts
read the twelve months' trend and the whole delivery catalog for itself; they now share
those reads (`lib.memo`).
"""

from __future__ import annotations

import functools
from collections import Counter

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import memo, metrics
from lib.views import delivery, flow
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
    # the views the charts share (lib.memo), counted where they compute, not where they are asked
    for module, name in ((delivery, "dora_summary"), (flow, "flow_summary"), (delivery, "dora_by_period")):
        inner = getattr(module, name).__wrapped__
        monkeypatch.setattr(module, name, memo.shared(_counted(calls, name, inner)))
    monkeypatch.setenv("PILLARS_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()  # the app's first start; then the page alone, from cold caches
    st.cache_data.clear()
    memo.clear()  # the shared reads too: a cold run, as after an import
    calls.clear()
    if page != "pages/overview.py":
        at.switch_page(page)
    at.run()
    assert_no_exception(at)
    assert at.title, "the page drew nothing: the count would say nothing"
    whole = {scope: n for (kind, scope), n in calls.items() if kind == "catalog"}
    assert sum(whole.values()) <= 1, whole
    if page == "pages/delivery.py":
        periods = {scope for kind, scope in calls if kind in ("dora_summary", "flow_summary")}
        assert len(periods) == 2, calls  # the period, and the previous one for the tiles' changes
        before, period = sorted(periods, key=lambda scope: scope.start)
        # the previous period is read by the tiles alone: once per summary (twice before)
        assert calls["dora_summary", before] == 1 and calls["flow_summary", before] == 1, calls
        # the DORA tab's six charts, each its own cache entry, share their reads: the period's
        # summaries once (7 delivery and 7 flow summaries per cold run before), the twelve
        # months' trend once (6 before)
        assert calls["flow_summary", period] == 1 and calls["dora_summary", period] == 1, calls
        windows = [n for (kind, _), n in calls.items() if kind == "dora_by_period"]
        assert windows == [1], calls


def _counted(calls: Counter, name: str, real):
    @functools.wraps(real)
    def counted(*args, **kwargs):
        calls[name, args[1]] += 1
        return real(*args, **kwargs)

    return counted
