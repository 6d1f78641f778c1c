"""`lib.metrics.values`: the catalog's values for some keys, computing only their pillars.

The Overview's tiles (now and the previous period) and the Delivery page's read it, so that no
page computes the whole catalog more than once per run; its values must be the catalog's
own, key by key, whatever keys are asked for and whatever the scope.
"""

from __future__ import annotations

import duckdb
import pytest

from lib import db, metrics
from lib.scope import default_scope


@pytest.fixture(scope="module")
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    yield con
    con.close()


def scopes(con):
    org = default_scope(con)
    team = con.execute("select team from teams order by team limit 1").fetchone()[0]
    return [org, org.previous(), default_scope(con, teams=(team,))]


def test_every_key_alone_and_all_together_equal_the_catalog(demo):
    for scope in scopes(demo):
        whole = metrics.flatten(metrics.catalog(demo, scope))
        assert metrics.values(demo, scope, tuple(whole)) == whole
        for key in ("delivery.dora_tier", "delivery.pr_pickup_hours_p50", "flow.distribution.feature",
                    "engagement.enps", "retention.headcount_end", "skills.ai_adoption_rate", "business.revenue"):  # fmt: skip
            assert metrics.values(demo, scope, (key,)) == {key: whole[key]}
        assert metrics.values(demo, scope, metrics.HEADLINE_KEYS) == {
            k: whole[k] for k in metrics.HEADLINE_KEYS
        }


def test_the_demo_has_a_value_for_the_keys_checked(demo):
    """Otherwise the comparison above would compare nulls."""
    whole = metrics.flatten(metrics.catalog(demo, default_scope(demo)))
    for key in (
        "delivery.dora_tier",
        "delivery.pr_pickup_hours_p50",
        "engagement.index",
        "retention.headcount_end",
    ):
        assert whole[key] is not None, key


def test_a_table_never_loaded_gives_null_counts_as_the_catalog_does(tmp_path):
    con = db.connect(tmp_path / "empty.duckdb")
    scope = default_scope(con)
    whole = metrics.flatten(metrics.catalog(con, scope))
    assert whole["retention.headcount_end"] is None
    assert metrics.values(con, scope, tuple(whole)) == whole
    assert metrics.values(con, scope, ("retention.hires",)) == {"retention.hires": None}
    con.close()


def test_headline_reads_values_not_the_whole_catalog(demo, monkeypatch):
    monkeypatch.setattr(metrics, "catalog", lambda *a, **k: pytest.fail("the whole catalog was computed"))
    items = metrics.headline(demo, default_scope(demo))
    assert [i.key for i in items] == list(metrics.HEADLINE_KEYS)
