"""lib.memo: a view marked `@shared` computes once per key and arguments, hands each caller
its own copy, and outside `reading` runs every time (the CLI and the tests see no change)."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import memo


@pytest.fixture(autouse=True)
def _fresh():
    memo.clear()
    yield
    memo.clear()


def counting_view():
    computed = []

    @memo.shared
    def view(con, scope, option=None):
        computed.append((scope, option))
        return pd.DataFrame({"period": ["2026-09", "2026-10"], "deployments": [3, 5]})

    return view, computed


def test_outside_reading_every_call_computes():
    view, computed = counting_view()
    view(None, "q3")
    view(None, "q3")
    assert len(computed) == 2


def test_one_key_and_arguments_compute_once():
    view, computed = counting_view()
    with memo.reading(("pillars.duckdb", 7, "everything")):
        first = view(None, "q3")
        second = view(None, "q3")
        view(None, "q3", option="week")  # other arguments: computed
        view(None, "q4")
    assert computed == [("q3", None), ("q3", "week"), ("q4", None)]
    assert first.equals(second)


def test_each_caller_gets_its_own_copy():
    view, _ = counting_view()
    with memo.reading("snapshot 7"):
        mine = view(None, "q3")
        mine.loc[0, "deployments"] = 999  # a chart changing the frame it was given
        theirs = view(None, "q3")
    assert theirs["deployments"].tolist() == [3, 5]


def test_another_snapshot_or_grant_computes_again():
    view, computed = counting_view()
    for key in (("db", 7, "everything"), ("db", 8, "everything"), ("db", 8, "org:payments")):
        with memo.reading(key):
            view(None, "q3")
    with memo.reading(("db", 8, "org:payments")):
        view(None, "q3")
    assert len(computed) == 3


def test_unhashable_arguments_and_clear_compute_again():
    view, computed = counting_view()
    with memo.reading("snapshot 7"):
        view(None, "q3", option={"deployments": None})  # a dict: not kept
        view(None, "q3", option={"deployments": None})
        view(None, "q3")
    memo.clear()
    with memo.reading("snapshot 7"):
        view(None, "q3")
    assert len(computed) == 4
