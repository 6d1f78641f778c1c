"""Flow keys: velocity, time, load, distribution and efficiency on a hand-made fixture."""

from __future__ import annotations

import pytest

from lib.views import flow
from tests.unit.fixtures import make_db, scope

# Period [2025-02-01, 2025-03-01): 28 days = 4 weeks.
PERIOD = ("2025-02-01", "2025-03-01")
ITEMS = [
    # completed in period (flow time in days in the comment)
    dict(
        item_id="f1",
        team="a",
        type="feature",
        created_at="2025-01-20",
        started_at="2025-02-01",
        completed_at="2025-02-05",
    ),  # 4
    dict(
        item_id="f2", team="a", type="Feature", created_at="2025-02-02", completed_at="2025-02-04"
    ),  # no started_at: from created_at → 2
    dict(
        item_id="b1",
        team="a",
        type="defect",
        created_at="2025-01-25",
        started_at="2025-01-30",
        completed_at="2025-02-10",
    ),  # 11
    dict(
        item_id="r1",
        team="a",
        type="risk",
        created_at="2025-02-01",
        started_at="2025-02-03",
        completed_at="2025-02-04 12:00",
    ),  # 1.5
    dict(
        item_id="x2", team="a", type="debt", created_at="2025-01-31", completed_at="2025-02-01"
    ),  # exactly at start: in → 1
    dict(
        item_id="w5",
        team="b",
        type="feature",
        created_at="2025-02-01",
        started_at="2025-02-02",
        completed_at="2025-02-08",
    ),  # 6
    # completed exactly at the end: not velocity, still load
    dict(
        item_id="x1",
        team="a",
        type="debt",
        created_at="2025-02-15",
        started_at="2025-02-20",
        completed_at="2025-03-01",
    ),
    # open at the end: load
    dict(item_id="w1", team="a", type="feature", created_at="2025-01-10", started_at="2025-02-15"),
    dict(item_id="w2", team="a", type="defect", created_at="2025-02-27"),
    dict(
        item_id="w7",
        team="a",
        type="feature",
        created_at="2025-01-10",
        started_at="2025-02-10",
        canceled_at="2025-03-05",
    ),
    # not load: canceled before the end, created at the end, completed before the period
    dict(item_id="w3", team="a", type="feature", created_at="2025-01-05", canceled_at="2025-02-10"),
    dict(item_id="w4", team="a", type="feature", created_at="2025-03-01"),
    dict(
        item_id="w6",
        team="a",
        type="feature",
        created_at="2025-01-01",
        started_at="2025-01-02",
        completed_at="2025-01-20",
    ),
]
TRANSITIONS = [
    # f1 (flow 02-01 → 02-05): active 1 day, waiting 1 day, active 2 days (to completion) = 3 of 4
    dict(item_id="f1", changed_at="2025-02-01", to_status="In Progress", active=True),
    dict(item_id="f1", changed_at="2025-02-02", to_status="Review", active=False),
    dict(item_id="f1", changed_at="2025-02-03", to_status="In Progress", active=True),
    dict(item_id="f1", changed_at="2025-02-06", to_status="Done", active=True),  # after completion: 0
    # b1 (flow 01-30 → 02-10): active from 01-28 but clipped to 01-30 → 7 days to 02-06,
    # blocked 2 days, active 2 days → 9 of 11
    dict(item_id="b1", changed_at="2025-01-28", to_status="In Progress", active=True),
    dict(item_id="b1", changed_at="2025-02-06", to_status="Blocked", active=False),
    dict(item_id="b1", changed_at="2025-02-08", to_status="In Progress", active=True),
]


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, work_items=ITEMS, work_item_transitions=TRANSITIONS)


def test_flow_keys_whole_org(con):
    got = flow.flow_summary(con, scope(*PERIOD))
    # completed in period: f1 f2 b1 r1 x2 w5 = 6 → 6 ÷ 4 weeks = 1.5
    assert got["velocity"] == 6
    assert got["velocity_per_week"] == pytest.approx(1.5)
    # flow times 1 1.5 2 4 6 11 → even count: (2 + 4) ÷ 2 = 3
    assert got["time_days_p50"] == pytest.approx(3.0)
    # open at the end: x1 (completed exactly at end), w1, w2, w7 (canceled after end) = 4
    assert got["load"] == 4
    # features f1 f2 w5 = 3 of 6; defect b1, risk r1, debt x2 = 1 of 6 each
    assert got["distribution"] == pytest.approx(
        {"feature": 0.5, "defect": 1 / 6, "risk": 1 / 6, "debt": 1 / 6}
    )
    # ratio of sums over items with history: (3 + 9) ÷ (4 + 11) = 0.8
    assert got["efficiency"] == pytest.approx(0.8)


def test_team_filter(con):
    got = flow.flow_summary(con, scope(*PERIOD, teams=("b",)))
    assert got["velocity"] == 1
    assert got["time_days_p50"] == pytest.approx(6.0)
    assert got["load"] == 0
    assert got["distribution"]["feature"] == 1.0
    assert got["efficiency"] is None  # w5 has no status history


def test_without_transitions_efficiency_is_null(tmp_path):
    got = flow.flow_summary(make_db(tmp_path, work_items=ITEMS), scope(*PERIOD))
    assert got["efficiency"] is None
    assert got["velocity"] == 6


def test_a_period_after_the_data_is_no_data(con):
    # the work items end in March 2025: a 2030 period has no flow data, not "0 items, 3 in progress"
    got = flow.flow_summary(con, scope("2030-01-01", "2030-02-01"))
    assert got["velocity"] is None
    assert got["velocity_per_week"] is None
    assert got["time_days_p50"] is None
    assert got["distribution"] == {"feature": None, "defect": None, "risk": None, "debt": None}
    assert got["efficiency"] is None
    assert got["load"] is None
    assert got["gap"].startswith("no work items after ")


def test_flow_by_week(con):
    frame = flow.flow_by_period(con, scope(*PERIOD, grain="week"))
    # 2025-02-01 is a Saturday: weeks of 01-27 (2 days), 02-03, 02-10, 02-17 (7), 02-24 (5)
    assert list(frame["days"]) == [2, 7, 7, 7, 5]
    # x2 | f2 r1 f1 w5 | b1 | – | –
    assert list(frame["velocity"]) == [1, 4, 1, 0, 0]
    assert frame["velocity_per_week"].iloc[0] == pytest.approx(3.5)  # 1 ÷ (2 ÷ 7)
    # week of 02-03: times 2 1.5 4 6 → (2 + 4) ÷ 2 = 3
    assert frame["time_days_p50"].iloc[1] == pytest.approx(3.0)
    # load at the last bucket's end (the period end) equals flow.load
    assert frame["load"].iloc[-1] == 4
    # week of 02-03: f1 has history (3 of 4 days active); b1 completes the week after (9 of 11)
    assert frame["efficiency"].iloc[1] == pytest.approx(0.75)
    assert frame["efficiency"].iloc[2] == pytest.approx(9 / 11)
