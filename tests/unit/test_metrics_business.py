"""Business keys: revenue, R&D spend, ratios, investment mix, cost per feature."""

from __future__ import annotations

import pytest

from lib.views import business
from tests.unit.fixtures import make_db, scope

# Period [2025-01-01, 2025-04-01): 90 days.
PERIOD = ("2025-01-01", "2025-04-01")
MONTHS = [
    dict(period_start="2024-12-01", metric="revenue", value=1000.0),  # before
    dict(period_start="2025-01-01", metric="revenue", value=100.0),
    dict(period_start="2025-02-01", metric="Revenue", value=200.0),
    dict(period_start="2025-03-01", metric="revenue", value=300.0),
    dict(period_start="2025-04-01", metric="revenue", value=400.0),  # at end: out
    dict(period_start="2025-01-01", metric="rnd_spend", value=50.0),
    dict(period_start="2025-02-01", metric="rnd_spend", value=50.0),
    dict(period_start="2025-03-01", metric="rnd_spend", value=80.0),
    dict(period_start="2025-01-01", metric="arr", value=1200.0),
    dict(period_start="2025-03-01", metric="arr", value=3600.0),
]
EMPLOYEES = [dict(employee_id=f"e{i}", team="a", hire_date="2020-01-01") for i in range(4)] + [
    dict(employee_id="e9", team="b", hire_date="2025-02-01")
]
ITEMS = [
    dict(
        item_id="f1", team="a", type="feature", created_at="2025-01-01", completed_at="2025-01-10", effort=3
    ),
    dict(
        item_id="f2", team="a", type="feature", created_at="2025-01-01", completed_at="2025-02-10"
    ),  # weight 1
    dict(item_id="d1", team="a", type="defect", created_at="2025-01-01", completed_at="2025-03-10", effort=2),
    dict(item_id="t1", team="a", type="debt", created_at="2025-01-01", completed_at="2025-03-11", effort=4),
    dict(
        item_id="f3", team="b", type="feature", created_at="2025-01-01", completed_at="2025-04-01", effort=2
    ),
    dict(item_id="r1", team="a", type="risk", created_at="2024-12-01", completed_at="2024-12-31", effort=5),
]


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, business_metrics=MONTHS, employees=EMPLOYEES, work_items=ITEMS)


def test_business_keys_whole_org(con):
    got = business.business_summary(con, scope(*PERIOD))
    assert got["revenue"] == pytest.approx(600.0)  # 100 + 200 + 300
    assert got["rnd_spend"] == pytest.approx(180.0)  # 50 + 50 + 80
    assert got["rnd_pct_revenue"] == pytest.approx(0.3)
    # headcount 4 at start, 5 at end → 4.5; 600 ÷ 4.5 × 365 ÷ 90
    assert got["revenue_per_engineer_annualized"] == pytest.approx(600 / 4.5 * 365 / 90)
    # weights: f1 3, f2 1 (no effort), d1 2, t1 4 → 10
    assert got["investment_mix"] == pytest.approx({"feature": 0.4, "defect": 0.2, "risk": 0.0, "debt": 0.4})
    assert got["cost_per_feature"] == pytest.approx(90.0)  # 180 ÷ 2 features (f1 f2)
    assert got["capitalizable_rnd_estimate"] == pytest.approx(72.0)  # 180 × 0.4


def test_team_filter_keeps_org_money_and_drops_org_ratios(con):
    got = business.business_summary(con, scope(*PERIOD, teams=("b",)))
    assert got["revenue"] == pytest.approx(600.0)
    assert got["rnd_pct_revenue"] == pytest.approx(0.3)
    assert got["revenue_per_engineer_annualized"] is None
    assert got["cost_per_feature"] is None
    assert got["capitalizable_rnd_estimate"] is None
    # b completed nothing in the period (f3 lands exactly at the end)
    assert got["investment_mix"] == {"feature": None, "defect": None, "risk": None, "debt": None}


def test_no_business_data(tmp_path):
    got = business.business_summary(make_db(tmp_path, work_items=ITEMS), scope(*PERIOD))
    assert got["revenue"] is None
    assert got["rnd_pct_revenue"] is None
    assert got["cost_per_feature"] is None
    assert got["investment_mix"]["feature"] == pytest.approx(0.4)


def test_business_by_month(con):
    frame = business.business_by_period(con, scope(*PERIOD))
    assert list(frame["revenue"]) == [100.0, 200.0, 300.0]
    assert frame["rnd_pct_revenue"].iloc[0] == pytest.approx(0.5)
    # January: headcount 4 at 01-01 and at 02-01 (e9 hired 02-01 counts at the bucket end) → 4.5
    assert frame["revenue_per_engineer_annualized"].iloc[0] == pytest.approx(100 / 4.5 * 365 / 31)
    assert list(frame["features_completed"]) == [1, 1, 0]
    assert frame["arr"].iloc[2] == pytest.approx(3600.0)
    assert frame["arr"].isna().iloc[1]


def test_cli_prints_every_business_key_by_hand(con, tmp_path):
    """`python -m lib metrics` over the fixture: every business.* key of SPEC §5, as above."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    result = subprocess.run(
        [sys.executable, "-m", "lib", "metrics", "--db", path, "--start", PERIOD[0], "--end", PERIOD[1]],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PILLARS_ANONYMITY_THRESHOLD": "5"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)["business"]
    assert set(got) == {"revenue", "rnd_spend", "rnd_pct_revenue", "revenue_per_engineer_annualized",
                        "investment_mix", "cost_per_feature", "capitalizable_rnd_estimate"}  # fmt: skip
    assert got["revenue"] == pytest.approx(600.0)
    assert got["rnd_spend"] == pytest.approx(180.0)
    assert got["rnd_pct_revenue"] == pytest.approx(0.3)
    assert got["revenue_per_engineer_annualized"] == pytest.approx(600 / 4.5 * 365 / 90)
    assert got["investment_mix"] == pytest.approx({"feature": 0.4, "defect": 0.2, "risk": 0.0, "debt": 0.4})
    assert got["cost_per_feature"] == pytest.approx(90.0)
    assert got["capitalizable_rnd_estimate"] == pytest.approx(72.0)
