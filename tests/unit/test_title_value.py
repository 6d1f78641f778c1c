"""A trend title's end (`lib.metrics.title_value`) is the tile's value, read once.

`title_value` reads a delivery or flow key from its own summary view, not from the whole
delivery catalog and the summary again (each delivery trend paid that inside its own cache
entry: 0.69 s a chart on the large organisation, issue 17). The rule it must keep: the
catalog's value (`lib.metrics.value`), or None when the period's source covers it only in
part or the value stands on fewer than 20 events. Checked here against that rule, key by key,
on the demo organisation over periods that exercise each branch.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib import db, metrics
from lib.metrics import DELIVERY_KEYS, FLOW_KEYS, flatten
from lib.scope import Scope
from lib.views import data_span, delivery
from tests.conftest import DEMO_END

KEYS = (
    [f"delivery.{k}" for k in DELIVERY_KEYS if k != "dora_tier"]
    + [key for key in flatten({"flow": dict.fromkeys(FLOW_KEYS)}) if key != "flow.distribution"]
    + ["flow.distribution.feature", "flow.distribution.defect"]
)
SCOPES = {
    "the default quarter": Scope(DEMO_END - dt.timedelta(days=90), DEMO_END),
    "one week (few events)": Scope(DEMO_END - dt.timedelta(days=7), DEMO_END, grain="week"),
    "past the data's end": Scope(DEMO_END - dt.timedelta(days=30), DEMO_END + dt.timedelta(days=30)),
    "no team matches": Scope(DEMO_END - dt.timedelta(days=90), DEMO_END, teams=()),
}


@pytest.fixture(scope="module")
def con(demo_db):
    return db.connect(demo_db)


def _by_the_rule(con, scope: Scope) -> dict:
    """Each key's title end as the rule states it, from the catalog's own values."""
    values = flatten(metrics._branches(con, scope, ("delivery", "flow")))  # what `value` reads
    notes, events = data_span.notes(con, scope), delivery.dora_summary(con, scope)
    shown = {}
    for key in KEYS:
        source = metrics.source_of(key)
        few = key.removeprefix("delivery.") in delivery.TIER_EVIDENCE and delivery.held_back(
            key, delivery.events_for(events, key)
        )
        shown[key] = None if (source and notes[source]) or few else values[key]
    return shown


@pytest.mark.parametrize("name", SCOPES)
def test_the_title_ends_on_the_tiles_value_or_on_nothing(con, name):
    scope = SCOPES[name]
    got = {key: metrics.title_value(con, scope, key) for key in KEYS}
    assert got == _by_the_rule(con, scope)
    if name == "the default quarter":  # the comparison is not between two empty sets
        assert got["delivery.deployment_frequency_per_week"] is not None
        assert got["flow.velocity_per_week"] is not None
    if name == "no team matches":
        assert set(got.values()) == {None}


@pytest.mark.parametrize("name", SCOPES)
def test_the_delivery_tiles_values_are_the_catalogs(con, name):
    """The Delivery page's tiles build their values from the summaries they also read for
    event counts (`delivery_headline`): the same values, changes and tiers as `headline`,
    including no value at all where no team matches or the period lies past the data."""
    from lib.ui.delivery_tiles import DORA_KEYS, FLOW_KEYS
    from lib.views import flow

    scope, keys = SCOPES[name], DORA_KEYS + FLOW_KEYS
    summaries = [
        (delivery.dora_summary(con, s), flow.flow_summary(con, s)) for s in (scope, scope.previous())
    ]
    assert metrics.delivery_headline(*summaries, keys) == metrics.headline(con, scope, keys)
