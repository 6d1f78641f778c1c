"""Week grain and small numbers (issue 18, items 7 and 9): which buckets are partial, which
are no data, annualised money that agrees across grains, and rates on too few people.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.charts import registry
from lib.scope import Scope
from lib.views import buckets, flow
from lib.views.business import business_by_period
from lib.views.data_span import Span
from tests.unit.fixtures import make_db


def test_full_days_of_each_grain():
    assert buckets.full_days(dt.date(2025, 3, 3), "week") == 7
    assert buckets.full_days(dt.date(2024, 2, 1), "month") == 29
    assert buckets.full_days(dt.date(2025, 12, 1), "month") == 31
    assert buckets.full_days(dt.date(2025, 10, 1), "quarter") == 92


def _weeks(days: list[int]) -> pd.DataFrame:
    periods = [dt.date(2025, 3, 3) + dt.timedelta(weeks=i) for i in range(len(days))]
    starts = [
        p + dt.timedelta(days=7 - d) if i == 0 else p
        for i, (p, d) in enumerate(zip(periods, days, strict=True))
    ]
    return pd.DataFrame({
        "period": pd.to_datetime(periods),
        "bucket_start": pd.to_datetime(starts),
        "bucket_end": pd.to_datetime([s + dt.timedelta(days=d) for s, d in zip(starts, days, strict=True)]),
        "days": days,
        "deployments": [10] * len(days),
        "rate": [1.0] * len(days),
    })  # fmt: skip


def test_a_week_clipped_by_the_period_is_partial():
    # 5 Mar (Wed) – 24 Mar (Mon) 2025: the first week holds 5 days, the last a single Monday
    scope = Scope(dt.date(2025, 3, 5), dt.date(2025, 3, 25), grain="week")
    marked = buckets.mark(_weeks([5, 7, 7, 1]), scope)
    assert marked["partial"].tolist() == [True, False, False, True]


def test_buckets_outside_the_data_are_gaps_and_the_edges_partial():
    scope = Scope(dt.date(2025, 3, 3), dt.date(2025, 4, 28), grain="week")
    frame = _weeks([7] * 8)
    # deployments from Thursday 13 Mar to Monday 7 Apr
    span = Span("deployments", dt.date(2025, 3, 13), dt.date(2025, 4, 7), 20, 20)
    marked = buckets.mark(frame, scope, {"deployments": span}, {"deployments": ("deployments", "rate")})
    assert marked["no_data"].tolist() == [True, False, False, False, False, False, True, True]
    assert marked["deployments"].isna().tolist() == [True, False, False, False, False, False, True, True]
    # 3 days of the week of 10 Mar and 6 of the week of 7 Apr are outside: at most a week, not partial
    assert not marked["partial"].any()
    by_month = Scope(dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    months = pd.DataFrame({"period": pd.to_datetime([dt.date(2025, m, 1) for m in range(1, 7)]), "rate": 1.0})
    marked = buckets.mark(months, by_month, {"deployments": span}, {"deployments": ("rate",)})
    # March's first 12 days and April's last 23 are before and after the data: partial months
    assert marked["no_data"].tolist() == [True, True, False, False, True, True]
    assert marked["partial"].tolist() == [False, False, True, True, False, False]


def test_flow_by_week_marks_the_partial_last_week(tmp_path):
    items = [dict(item_id=f"w{i}", team="a", type="feature", created_at="2025-03-03",
                  completed_at=f"2025-03-{3 + i:02d} 12:00") for i in range(20)]  # fmt: skip
    con = make_db(tmp_path, work_items=items)
    # 3 Mar (Mon) – 17 Mar (Mon) inclusive: two whole weeks, then a single Monday
    frame = flow.flow_by_period(con, Scope(dt.date(2025, 3, 3), dt.date(2025, 3, 18), grain="week"))
    assert frame["days"].tolist() == [7, 7, 1]
    assert frame["partial"].tolist() == [False, False, True]
    # the single Monday, 17 Mar, holds one item: 1 ÷ (1 ÷ 7) = 7/wk, true for its day, too short to speak
    assert frame["velocity_per_week"].iloc[-1] == pytest.approx(7.0)


# ---------------------------------------------------------------------------- annualised money


def _business(tmp_path):
    employees = [dict(employee_id=f"e{i}", team="a", hire_date="2024-01-01") for i in range(40)]
    revenue = [dict(period_start=f"2025-{m:02d}-01", metric="revenue", value=400_000.0) for m in range(1, 7)]
    return make_db(tmp_path, employees=employees, business_metrics=revenue)


def test_revenue_per_engineer_agrees_across_grains(tmp_path):
    con = _business(tmp_path)
    period = (dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    by_month = business_by_period(con, Scope(*period, grain="month"))
    by_week = business_by_period(con, Scope(*period, grain="week"))
    by_quarter = business_by_period(con, Scope(*period, grain="quarter"))
    # March: 400k of revenue ÷ 40 engineers × 365 ÷ 31 days = $117,742 a year
    march = by_month.loc[by_month["period"] == "2025-03-01", "revenue_per_engineer_annualized"].iloc[0]
    assert march == pytest.approx(400_000 / 40 * 365 / 31)
    # the week holding 1 March (24 Feb – 2 Mar) carries March's revenue, for March's 31 days, not 7:
    # it used to read 400k ÷ 40 × 365 ÷ 7 = $521k, 4.4 times the month's
    week = by_week.loc[by_week["period"] == "2025-02-24", "revenue_per_engineer_annualized"].iloc[0]
    assert week == pytest.approx(march)
    # Q1 (90 days of Jan–Mar revenue): 1.2M ÷ 40 × 365 ÷ 90
    q1 = by_quarter["revenue_per_engineer_annualized"].iloc[0]
    assert q1 == pytest.approx(1_200_000 / 40 * 365 / 90)
    # weeks that hold no month start carry no revenue: a gap, not 0
    assert by_week["revenue_per_engineer_annualized"].isna().sum() == len(by_week) - 6


def test_the_overview_revenue_trend_is_monthly_at_week_grain(tmp_path):
    con = _business(tmp_path)
    fig = registry.figure(
        con, "overview.business_trend", Scope(dt.date(2025, 4, 1), dt.date(2025, 7, 1), grain="week")
    )
    line = fig.data[0]
    assert [pd.Timestamp(x).day for x in line.x if pd.notna(x)] == [1] * len(line.x)  # month starts only
    assert max(v for v in line.y if v is not None) < 150_000  # never a week's revenue × 52


# ---------------------------------------------------------------------------- small numbers


def test_annualised_people_rates_on_fewer_than_twenty_people_are_not_compared():
    # a six-person file: one leaver in a week annualises to 1 ÷ 6 × 52 = 867%
    assert buckets.few_people({"headcount_start": 6, "headcount_end": 5})
    assert buckets.few_people({"headcount_start": None, "headcount_end": None})
    assert not buckets.few_people({"headcount_start": 20, "headcount_end": 20})
    assert buckets.is_few(pd.Series([19, 20, None])).tolist() == [True, False, True]


def test_count_bars_of_a_partial_bucket_are_faded_and_the_caption_says_so():
    import plotly.graph_objects as go

    from lib.charts.marks import FADED, fade_partial

    months = ["2026-10-01", "2026-11-01", "2026-12-01"]
    fig = go.Figure([go.Bar(x=months, y=[480, 500, 96], name="Deployed"), go.Bar(x=months, y=[12, 9, 2])])
    fig.add_annotation(text="Source: deployments", name="caption")
    window = Scope(dt.date(2026, 10, 1), dt.date(2026, 12, 7), "month")  # data to 06 Dec, end exclusive
    fade_partial(fig, window)
    assert [list(t.marker.opacity) for t in fig.data] == [[1.0, 1.0, FADED], [1.0, 1.0, FADED]]
    assert list(fig.data[0].y) == [480, 500, 96]  # drawn as counted, only faded
    caption = fig.layout.annotations[0].text
    assert caption == "Source: deployments · Faded bars: a partial month (Dec 2026: 6 of 31 days)"
    # whole months only: nothing faded, nothing said
    whole = go.Figure([go.Bar(x=months[:2], y=[480, 500])])
    whole.add_annotation(text="Source: deployments", name="caption")
    fade_partial(whole, Scope(dt.date(2026, 10, 1), dt.date(2026, 12, 1), "month"))
    assert whole.data[0].marker.opacity is None and whole.layout.annotations[0].text == "Source: deployments"
    # a week the period starts inside of
    weeks = go.Figure([go.Bar(x=["2026-11-30", "2026-12-07"], y=[100, 120])])
    weeks.add_annotation(text="Source: deployments", name="caption")
    fade_partial(weeks, Scope(dt.date(2026, 12, 2), dt.date(2026, 12, 14), "week"))
    assert list(weeks.data[0].marker.opacity) == [FADED, 1.0]
    assert "week of 30 Nov: 5 of 7 days" in weeks.layout.annotations[0].text


def test_the_delivery_count_charts_fade_the_month_the_period_ends_in(tmp_path):
    from lib.charts.marks import FADED
    from tests.unit.test_chart_registry import DEPLOYS, TEAMS

    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    period = Scope(dt.date(2025, 1, 1), dt.date(2025, 2, 11), "month")  # 10 of 28 February days
    fig = registry.figure(con, "delivery.deployment_outcomes", period)
    bars = [t for t in fig.data if t.type == "bar"]
    assert bars and all(list(t.marker.opacity)[-1] == FADED for t in bars)
    assert "Faded bars: a partial month (Feb 2025: 10 of 28 days)" in registry.caption(fig)


@pytest.mark.parametrize(
    "chart_id",
    [
        "delivery.deployment_outcomes",
        "delivery.incidents_by_period",
        "delivery.pr_cycle_breakdown",
        "retention.headcount_flow",
        "skills.experiments",
    ],
)
def test_every_count_bar_chart_fades_the_month_the_period_ends_in(demo_db, chart_id):
    from lib import db
    from lib.charts.marks import FADED

    con = db.connect(demo_db, read_only=True)
    period = Scope(dt.date(2026, 8, 1), dt.date(2026, 10, 16), "month")  # to 15 Oct: 15 of 31 days
    fig = registry.figure(con, chart_id, period)
    bars = [t for t in fig.data if t.type == "bar"]
    assert bars and all(list(t.marker.opacity)[-1] == FADED for t in bars), chart_id
    assert all(set(list(t.marker.opacity)[:-1]) == {1.0} for t in bars), chart_id
    assert "Faded bars: a partial month (Oct 2026: 15 of 31 days)" in registry.caption(fig), chart_id
    con.close()


def _to_6_october(demo_db, chart_id: str):
    """The demo's `chart_id` over 01 Aug – 06 Oct 2026 (October: 6 of 31 days), and its heatmap
    of values (after the grey layer of hidden cells)."""
    from lib import db

    con = db.connect(demo_db, read_only=True)
    try:
        fig = registry.figure(con, chart_id, Scope(dt.date(2026, 8, 1), dt.date(2026, 10, 7), "month"))
    finally:
        con.close()
    hidden, shown = fig.data
    return fig, shown


def test_learning_hours_of_a_partial_month_are_not_annualised(demo_db):
    import math

    fig, shown = _to_6_october(demo_db, "skills.learning_hours_by_team")
    assert list(shown.x)[-1] == "Oct 2026"
    assert all(math.isnan(row[-1]) for row in shown.z)  # uncoloured: six days annualised read 329 h
    assert {row[-1] for row in shown.text} <= {"partial", "hidden"} and "partial" in {
        row[-1] for row in shown.text
    }
    assert any(not math.isnan(v) for row in shown.z for v in row[:-1])  # whole months keep their colours
    assert "too short to annualise" in shown.customdata[0][-1]
    assert registry.caption(fig).endswith("Oct 2026: 6 of 31 days, not annualised · Demo data")


def test_certifications_of_a_partial_month_are_shown_as_counted_but_not_coloured(demo_db):
    import math

    fig, shown = _to_6_october(demo_db, "skills.certifications_by_team")
    assert all(
        math.isnan(row[-1]) for row in shown.z
    )  # a 6-day count coloured beside whole months reads as a slump
    assert all(
        t.isdigit() or t in ("", "hidden") for t in (row[-1] for row in shown.text)
    )  # the count, as counted
    assert shown.customdata[0][-1].endswith("in 6 of 31 days (partial)")
    assert registry.caption(fig).endswith("Oct 2026: 6 of 31 days, uncoloured · Demo data")
