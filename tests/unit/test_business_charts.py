"""Business alignment charts: every registered chart builds on the demo, reads as a board slide
(takeaway title, source-and-period caption, axis titles), carries aggregates only, and says
when a figure is the organisation's under a team filter; titles make no news of a few items."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib import db
from lib.charts import business as cb
from lib.charts import business_money as cm
from lib.charts import business_outcomes as co
from lib.charts import registry
from lib.charts.business_figures import CHARTS, figure
from lib.scope import Scope
from lib.views import business_outcomes as vo
from lib.views import business_settings as vs

PERIOD = Scope(dt.date(2026, 8, 1), dt.date(2026, 11, 1))


@pytest.fixture
def con(demo_db):
    # The app's own configuration (read-write), as every test that opens the shared demo
    # database does: DuckDB refuses a second configuration on a file open in the process.
    con = db.connect(demo_db)
    yield con
    con.close()


def caption(fig) -> str:
    """The caption as a reader sees it: wrapped lines joined, non-breaking spaces as spaces."""
    text = next(a.text for a in fig.layout.annotations if a.name == "caption")
    return text.replace("<br>", " ").replace("\xa0", " ")


def points(fig) -> int:
    return sum(len(t.x if t.x is not None else t.z or ()) for t in fig.data)


def test_chart_ids_are_stable_and_registered():
    from lib.charts import registry

    assert [c.id for c in registry.charts("business")] == list(CHARTS)
    assert list(CHARTS) == [
        "business.investment_mix",
        "business.investment_fte",
        "business.mix_by_team",
        "business.mix_by_org",
        "business.initiative_fte",
        "business.initiative_cost",
        "business.rnd_pct_revenue",
        "business.revenue_per_engineer",
        "business.cost_per_feature",
        "business.capitalisation",
        "business.outcomes",
        "business.lag_correlations",
    ]
    assert all(c.notes for c in CHARTS.values())
    assert "never an accounting entry" in CHARTS["business.capitalisation"].notes
    with pytest.raises(KeyError, match="unknown chart 'business.nope'"):
        figure(None, PERIOD, "business.nope")


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_every_chart_reads_as_a_slide(con, chart_id):
    fig = figure(con, PERIOD, chart_id)
    title = fig.layout.title.text
    assert title and not title.startswith(("Investment", "Engineering cost by", "Cost per delivered")), title
    text = caption(fig)
    assert "Source:" in text and "Period:" in text
    assert fig.data, chart_id
    # aggregates only: at most a few hundred points (months × categories), never the rows
    assert points(fig) < 400, (chart_id, points(fig))


def test_benchmarks_name_source_population_and_year(con):
    fig = figure(con, PERIOD, "business.rnd_pct_revenue")
    lines = " ".join(a.text for a in fig.layout.annotations)
    assert "Private SaaS median 34%" in lines and "Public SaaS median 23%" in lines
    assert "Benchmarkit 2025" in lines and "2024 data" in caption(fig) and "private B2B SaaS" in caption(fig)
    fig = figure(con, PERIOD, "business.revenue_per_engineer")
    names = [t.name for t in fig.data]
    assert {"ARR per employee", "Private SaaS over $50M ARR: good–great", "Public SaaS median"} <= set(names)
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "good 250k, great 300k+" in subtitle and "Growth Unhinged, 2023" in subtitle
    assert "Growth Unhinged (Kyle Poyar), 2023" in caption(fig)


def test_team_filter_captions_say_business_figures_are_the_organisations(con):
    team = Scope(PERIOD.start, PERIOD.end, teams=("payments",))
    fig = figure(con, team, "business.rnd_pct_revenue")
    assert "business figures are the whole organisation's" in caption(fig)
    assert "Teams: payments" in caption(fig)


def test_charts_cover_the_periods_whole_months(con):
    fig = figure(con, Scope(dt.date(2026, 8, 3), dt.date(2026, 11, 1)), "business.mix_by_team")
    assert "01 Sep 2026 – 31 Oct 2026" in caption(fig)


def test_a_handful_of_items_makes_no_monthly_headline():
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-10-01", "2025-10-01", "2025-11-01"]),
            "category": ["feature", "defect", "feature"],
            "items": [30, 10, 1],
            "effort": [30.0, 10.0, 1.0],
            "share": [0.75, 0.25, 1.0],
        }
    )
    claim, _ = cb.mix_title(frame, None)
    assert claim == "Features took 76% of effort over Oct 2025 – Nov 2025 (41 items)"  # 31 of 41 points
    target = {"feature": 0.6, "defect": 0.2, "risk": 0.1, "debt": 0.1}
    frame.loc[2, "items"] = 25
    claim, _ = cb.mix_title(frame, target)
    assert claim == "Features took 100% of effort in Nov 2025, 40 pts above the 60% target"


def test_cost_per_feature_leaves_out_months_with_few_features():
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-09-01", "2025-10-01", "2025-11-01"]),
            "rnd_spend": [100_000.0, 100_000.0, 100_000.0],
            "features_completed": [20, 2, 25],
            "cost_per_feature": [5_000.0, 50_000.0, 4_000.0],
        }
    )
    fig = cm.cost_per_feature(frame, "USD", "Source: x · Period: y", "Month")
    assert list(fig.data[0].y) == [5_000.0, 4_000.0]
    title = fig.layout.title.text.replace("\xa0", " ")
    assert title == "Each delivered feature cost $6k of R&D over Sep 2025 – Nov 2025"  # 300k ÷ 47
    assert "1 period with fewer than 5 features not drawn" in fig.layout.title.subtitle.text


def test_money_in_the_business_currency():
    assert cb.money(1_234_567, "USD") == "$1.2M"
    assert cb.money(350_000, "EUR") == "€350k"
    assert cb.money(-4_100, "CHF") == "−CHF 4k"
    assert cb.money(None, "USD") == "—"


def test_initiative_cost_labels_owner_and_metric(con):
    fig = figure(con, PERIOD, "business.initiative_cost")
    labels = " ".join(fig.data[0].y)
    assert "VP Engineering, Platform · moves churn rate" in labels
    assert "nan" not in labels


def test_target_mix_lines_follow_the_saved_target(demo_db, tmp_path):
    path = tmp_path / "target.duckdb"
    path.write_bytes(demo_db.read_bytes())
    con = db.connect(path)
    vs.save_target_mix(con, {"feature": 0.55, "defect": 0.15, "risk": 0.1, "debt": 0.2})
    fig = figure(con, PERIOD, "business.investment_mix")
    assert "target" in fig.layout.title.text
    assert {a.text for a in fig.layout.annotations} >= {"Features target 55%", "Debts target 20%"}
    con.close()


def _units(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"unit": [f"team-{i:03d}" for i in range(n)], "fte": 2.0, "distance": float("nan"),
         "feature": 0.5, "defect": 0.2, "risk": 0.1, "debt": 0.2}
    )  # fmt: skip


def test_mix_by_unit_labels_its_bars_only_while_they_can_be_read():
    """The large organisation's 174 teams drew 700 in-bar labels (1.5 s a page switch): past
    LABELLED_ROWS bars the shares are in the tooltip only."""
    from lib.charts import LABELLED_ROWS
    from lib.charts.business import mix_by_unit

    few = mix_by_unit(_units(LABELLED_ROWS), None, "c")
    assert list(few.data[0].text[:2]) == ["50%", "50%"]
    assert few.data[1].text[0] == "20%"
    many = mix_by_unit(_units(LABELLED_ROWS + 1), None, "c")
    assert all(trace.text is None for trace in many.data)
    assert "%{x:.0%}" in many.data[0].hovertemplate


def test_outcome_panels_leave_months_on_too_few_deployments_as_gaps_and_say_so():
    periods = pd.date_range("2025-01-01", periods=12, freq="MS")
    frame = pd.DataFrame({"period": periods})
    for s in (*vo.ENGINEERING, *vo.OUTCOMES):
        frame[s.column] = np.nan
    frame["deployments_per_week"] = 5.0
    frame["lead_time_hours_p50"] = [10.0] * 10 + [np.nan, np.nan]  # the last two: fewer than 20
    frame["revenue"] = np.linspace(1e6, 2e6, 12)
    strongest = vo.strongest_lags(vo.lagged_correlations(frame))
    fig = co.outcome_panels(frame, strongest, "caption", "USD")
    lead = next(t for t in fig.data if t.name == "Change lead time (median)")
    assert len(lead.x) == 12 and np.isnan(lead.y[-1])  # a gap, not a bridged line
    assert "lead time: 2 months on fewer than 20 deployments left as gaps" in registry.subtitle(fig)
