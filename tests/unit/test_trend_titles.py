"""Titles that never contradict their charts (issue 18, items 5, 7 and 9).

The takeaway-title rule every pillar's trends share (`lib.charts.titles.trend_takeaway`) on
crafted series: flat, one spike, a start mid-window, empty, one point, a partial last
bucket, buckets on too few events; then each pillar's trend builder on a crafted frame,
to show it goes through that rule; then the views on a fixture, where buckets before a
source's first row are a gap and a source without rows draws no line.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.charts import registry
from lib.charts.delivery import dora_trend, velocity_by_type
from lib.charts.marks import LEGEND
from lib.charts.overview import pillar_trend
from lib.charts.retention_people import coverage_trend
from lib.charts.skills_ai import adoption_trend, prs_trend
from lib.charts.titles import trend_move, trend_takeaway
from lib.overview import PILLAR_TRENDS
from lib.scope import Scope
from lib.views import delivery
from lib.views.delivery_detail import coverage, partly_note
from tests.unit.fixtures import make_db

MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]
WEEKS = [dt.date(2025, 1, 6) + dt.timedelta(weeks=i) for i in range(12)]


def title(values, unit="per week", periods=MONTHS, **kwargs):
    return trend_takeaway("Deployment frequency", unit, periods, values, **kwargs)


# ---------------------------------------------------------------------------- the shared rule


def test_a_flat_series_is_steady_at_its_level():
    assert title([2.0] * 12) == (
        "Deployment frequency steady since Jan 2025 at 2/wk",
        "2/wk → 2/wk, medians of the first and last 3 months, to Dec 2025",
    )


def test_one_spike_never_makes_the_headline():
    # a spike in the middle, at the start, or at the end: each end is a median of three
    for at in (0, 5, 11):
        values = [2.0] * 12
        values[at] = 20.0
        assert title(values)[0] == "Deployment frequency steady since Jan 2025 at 2/wk", at


def test_a_source_that_starts_mid_window_is_dated_from_its_first_point():
    # no data before July: gaps, not zeros, so no "up from 0" and no "since Jan"
    values = [None] * 6 + [2.0, 2.5, 3.0, 3.0, 3.0, 3.4]
    assert title(values) == (
        "Deployment frequency up 42% since Jul 2025",
        "2.25/wk → 3.2/wk, medians of the first and last 2 months, to Dec 2025",
    )
    # the same months drawn as zeros (the old chart) would claim a rise from nothing
    assert title([0.0] * 6 + [2.0] * 6)[0] == "Deployment frequency up from 0 since Jan 2025"


def test_an_empty_series_says_no_data():
    assert title([None] * 12) == ("Deployment frequency: no data", None)
    assert title([], periods=[]) == ("Deployment frequency: no data", None)


def test_one_point_is_not_a_trend():
    assert title([None] * 11 + [3.0]) == (
        "Deployment frequency: one month of data, not yet a trend",
        "3/wk in Dec 2025",
    )


def test_a_partial_last_week_never_drives_the_title():
    # the week grain: 100/wk for four weeks, then a last week of a single Monday at 147/wk
    values = [100.0] * 4 + [147.0]
    assert title(values, periods=WEEKS[:5], grain="week")[0] == "Deployment frequency up 47% since 6 Jan 2025"
    assert title(values, periods=WEEKS[:5], grain="week", partial=[False] * 4 + [True])[0] == (
        "Deployment frequency steady since 6 Jan 2025 at 100/wk"
    )
    values = [100.0] * 11 + [147.0]
    partial = [False] * 11 + [True]
    assert title(values, periods=WEEKS, grain="week", partial=partial)[0] == (
        "Deployment frequency steady since 6 Jan 2025 at 100/wk"
    )
    # a partial first bucket is left out too: the title dates from the first whole one
    values = [20.0] + [100.0] * 11
    assert title(values, periods=WEEKS, grain="week", partial=[True] + [False] * 11)[0] == (
        "Deployment frequency steady since 13 Jan 2025 at 100/wk"
    )


def test_buckets_on_too_few_events_never_make_a_title():
    # a team's change failure rate by week: 1 of 2 deployments failed, then 0 of 3 … (few)
    rates = [0.5, 0.0, 0.33, 0.0, 1.0, 0.0, 0.25, 0.0, 0.0, 0.5, 0.0, 0.0]
    few = [True] * 12
    claim, detail = trend_takeaway("Change failure rate", "%", WEEKS, rates, few=few, grain="week")
    assert claim == "Change failure rate: too little data for a trend"
    assert detail == "no whole week with at least 20 events or people behind it"
    # without the flag the same series reads "down 50 pts": the kind of title the issue saw
    assert trend_takeaway("Change failure rate", "%", WEEKS, rates, grain="week")[0] != claim


def test_a_title_without_the_tiles_value_names_the_bucket_it_ends_on():
    # the reviewer: deployments that stop in August of a quarter running to October; the
    # tile spreads them over the whole quarter (0.08/wk), so the title must say where it ends
    values = [0.7, 0.68, 0.66, 0.3, 0.25, 0.23, 0.21, None, None]
    claim, detail = title(values, periods=MONTHS[:9])
    # 7 months: medians of two at each end, (0.7 + 0.68) / 2 = 0.69 and (0.23 + 0.21) / 2 = 0.22
    assert claim == "Deployment frequency down 68% since Jan 2025"
    assert detail == "0.69/wk → 0.22/wk, medians of the first and last 2 months, to Jul 2025"
    claim, detail = title([2.0, 3.0, None], periods=MONTHS[:3])
    assert detail == "2/wk → 3/wk in Feb 2025"


def test_the_end_is_the_tiles_value_when_the_page_shows_one():
    claim, detail = title([2.0] * 12, now=3.0)
    assert claim == "Deployment frequency up 50% since Jan 2025"
    assert detail == "first 3 months' median 2/wk → 3/wk in the chosen period"


def test_moves_in_fractions_are_points_and_small_moves_are_steady():
    claim, _ = trend_takeaway("Change failure rate", "%", MONTHS[:2], [0.20, 0.14])
    assert claim == "Change failure rate down 6 pts since Jan 2025"
    claim, _ = trend_takeaway("Change failure rate", "%", MONTHS[:2], [0.20, 0.19])
    assert claim == "Change failure rate down 1 pt since Jan 2025"  # not "1 pts"
    assert trend_takeaway("Change failure rate", "%", MONTHS[:2], [0.20, 0.195])[0].startswith(
        "Change failure rate steady"
    )
    assert title([100.0, 104.0], periods=MONTHS[:2])[0].startswith("Deployment frequency steady")  # < 5%


def test_grains_name_their_buckets():
    quarters = [dt.date(2025, 1, 1), dt.date(2025, 4, 1)]
    assert (
        title([1.0, 2.0], periods=quarters, grain="quarter")[0]
        == "Deployment frequency up 100% since Q1 2025"
    )


# ---------------------------------------------------------------------------- every pillar's builder


def _frame(values, periods=MONTHS, partial=None, **columns):
    frame = pd.DataFrame({"period": pd.to_datetime(periods), "value": values})
    frame["partial"] = partial if partial is not None else [False] * len(periods)
    frame["days"] = [7 if p in WEEKS else 30 for p in periods]
    for name, column in columns.items():
        frame[name] = column
    return frame


SPIKE = [2.0, 2.0, 2.0, 2.0, 2.0, 20.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]


def test_delivery_trends_share_the_rule_and_end_on_the_tile():
    frame = _frame(SPIKE, deployments=[40] * 12).rename(columns={"value": "deployment_frequency_per_week"})
    fig = dora_trend(frame, "deployment_frequency_per_week", "caption", "Month")
    assert registry.title(fig) == "Deployment frequency steady since Jan 2025 at 2/wk"
    fig = dora_trend(frame, "deployment_frequency_per_week", "caption", "Month", now=7.5)
    # the tile's 7.5/wk, more than once a day on average: elite, by the tile's own rule
    assert registry.title(fig) == ("Deployment frequency up 275% since Jan 2025, now elite")


def test_change_failure_rate_by_week_on_few_deployments_is_marked_not_titled():
    frame = _frame([0.5, 0.0] * 6, periods=WEEKS, deployments=[2, 3] * 6, change_failures=[1, 0] * 6)
    frame = frame.rename(columns={"value": "change_failure_rate"})
    fig = dora_trend(frame, "change_failure_rate", "caption", "Week", grain="week")
    assert registry.title(fig) == "Change failure rate: too little data for a trend"
    flagged = next(t for t in fig.data if t.name == LEGEND)
    assert len(flagged.x) == 12
    assert flagged.customdata[0][0] == "only 2 deployments (fewer than 20)"  # drawn with its count
    assert "○ partial period or too few to count: drawn, not in the title" in registry.subtitle(fig)


def test_a_partial_last_month_far_above_the_line_does_not_stretch_the_axis():
    # the second review: 1 deployment in the last 2 days of a month reads 3.5/wk over a line at
    # 0.23/wk; scaled to it, the line lay flat on the floor of a 0-4 axis
    values = [0.23] * 11 + [3.5]
    frame = _frame(values, partial=[False] * 11 + [True], successful_deployments=[40] * 11 + [1])
    frame["deployments"] = frame["successful_deployments"]
    frame["days"] = [30] * 11 + [2]
    frame = frame.rename(columns={"value": "deployment_frequency_per_week"})
    fig = dora_trend(frame, "deployment_frequency_per_week", "caption", "Month")
    low, high = fig.layout.yaxis.range
    # 0.23 × 1.25 = 0.29, under the frequency chart's floor of 1.2/wk
    assert (low, high) == (0.0, 1.2)
    flagged = next(t for t in fig.data if t.name == LEGEND)
    assert list(flagged.y) == [1.2]  # drawn on the top edge …
    assert flagged.marker.symbol == ("triangle-up-open",)
    # … with its value and why it is not in the title
    assert (
        flagged.customdata[0][0]
        == "3.5, off the scale: partial month: 2 of 31 days; only 1 successful deployment (fewer than 20)"
    )
    assert registry.title(fig) == "Deployment frequency steady since Jan 2025 at 0.23/wk"
    assert "△ off the scale: its value is in the hover" in registry.subtitle(fig)
    line = next(t for t in fig.data if t.name != LEGEND)
    assert line.y[-1] is None and line.y[-2] == 0.23  # no line up out of the chart: a gap
    # a flagged point within twice the line's highest keeps its place and the axis its fit
    values[-1] = 0.4
    frame["deployment_frequency_per_week"] = values
    fig = dora_trend(frame, "deployment_frequency_per_week", "caption", "Month")
    assert next(t for t in fig.data if t.name == LEGEND).y == (0.4,)
    assert fig.layout.yaxis.range == (0.0, 1.2)


def test_an_off_scale_point_in_an_overview_trend_is_drawn_on_the_top_edge():
    spec = next(s for s in PILLAR_TRENDS if s.column == "deployment_frequency_per_week")
    frame = _frame([2.0] * 11 + [30.0], partial=[False] * 11 + [True]).rename(columns={"value": spec.column})
    frame[spec.x] = frame["period"]
    for name in {spec.count, spec.people} - {None}:
        frame[name] = 100
    fig = pillar_trend(frame, spec, Scope(dt.date(2025, 1, 1), dt.date(2025, 12, 2)), "All teams")
    assert fig.layout.yaxis.range == (0, 2.5)  # 2/wk × 1.25
    assert next(t for t in fig.data if t.name == LEGEND).y == (2.5,)


def test_flow_velocity_by_type_leaves_a_partial_week_out():
    rows = []
    for i, week in enumerate(WEEKS):
        per_week = 147.0 if i == 11 else 100.0
        rows.append(dict(period=week, type="feature", items=int(per_week), items_per_week=per_week, share=1.0,
                         days=1 if i == 11 else 7, partial=i == 11))  # fmt: skip
    fig = velocity_by_type(pd.DataFrame(rows).assign(period=lambda f: pd.to_datetime(f["period"])), "c", "Week",
                           grain="week")  # fmt: skip
    assert registry.title(fig) == "Flow velocity steady since 6 Jan 2025 at 100/wk"
    flagged = next(t for t in fig.data if t.name == LEGEND)
    assert flagged.customdata[0][0] == "partial week: 1 of 7 days"


@pytest.mark.parametrize("spec", PILLAR_TRENDS, ids=lambda s: s.pillar)
def test_every_overview_trend_ignores_one_spike_and_a_partial_last_bucket(spec):
    values = [0.5] * 11 + [0.9]
    frame = _frame(values, partial=[False] * 11 + [True]).rename(columns={"value": spec.column})
    frame[spec.x] = frame["period"]
    if spec.count:
        frame[spec.count] = 100
    if spec.people:
        frame[spec.people] = 100
    window = Scope(dt.date(2025, 1, 1), dt.date(2025, 12, 2))
    got = registry.title(pillar_trend(frame, spec, window, "All teams"))
    assert " steady since " in got, got


def test_overview_trend_points_on_too_few_people_never_make_the_title():
    spec = next(s for s in PILLAR_TRENDS if s.column == "ai_adoption_rate")
    frame = _frame([0.1] * 6 + [0.9] * 6).rename(columns={"value": "ai_adoption_rate"})
    frame["days_with_data"] = 20
    frame["headcount_end"] = [6] * 12  # a six-person team
    got = registry.title(pillar_trend(frame, spec, Scope(dt.date(2025, 1, 1), dt.date(2026, 1, 1)), "x"))
    assert (
        got
        == "Skills & capabilities: AI adoption: too little data for a trend (no whole month with at least 20 events or people behind it)"
    )


def test_retention_coverage_trend_uses_the_shared_medians():
    frame = _frame(
        [0.5, 0.5, 0.5, 0.95, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], active=[40] * 12, covered=[20] * 12
    )
    frame = frame.rename(columns={"value": "one_on_one_coverage"})
    assert registry.title(coverage_trend(frame, "c", "Month")).startswith(
        "One-on-one coverage steady over the year"
    )


def test_skills_trends_share_the_rule_and_end_on_the_tile():
    frame = _frame([0.1, 0.1, 0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5, 0.5, 0.95],
                   partial=[False] * 11 + [True], headcount_end=[100] * 12)  # fmt: skip
    frame = frame.rename(columns={"value": "ai_adoption_rate"}).assign(
        active_users_daily_mean=50.0, engaged_rate=None, seats_per_head=None
    )
    fig = adoption_trend({"frame": frame, "now": 0.48}, "c")
    assert registry.title(fig) == "AI adoption up 38 pts since Jan 2025"  # 10% → 48%, the tile's; not 95%
    prs = _frame([0.2] * 12, prs_with_ai_flag=[5] * 12, ai_assisted_prs=[1] * 12)
    prs = prs.rename(columns={"value": "ai_assisted_pr_share"})
    assert (
        registry.title(prs_trend({"frame": prs}, "c"))
        == "AI-assisted pull requests: too little data for a trend"
    )


# ---------------------------------------------------------------------------- the views on a fixture


def _weekday_deploys(first: dt.date, last: dt.date) -> list[dict]:
    rows, day = [], first
    while day <= last:
        if day.weekday() < 5:
            at = dt.datetime.combine(day, dt.time(12))
            rows.append(dict(deploy_id=f"d-{day}", team="a", environment="production", deployed_at=at,
                             commit_at=at - dt.timedelta(hours=3), status="success"))  # fmt: skip
        day += dt.timedelta(days=1)
    return rows


def test_months_before_a_sources_first_row_are_a_gap_and_the_title_dates_from_it(tmp_path):
    # deployments from 3 Mar 2025 to 30 Jun 2025, every weekday; the year's trend starts in January
    con = make_db(tmp_path, deployments=_weekday_deploys(dt.date(2025, 3, 3), dt.date(2025, 6, 30)),
                  work_items=[dict(item_id="w1", team="a", type="feature", created_at="2025-01-02",
                                   completed_at="2025-06-20")])  # fmt: skip
    scope = Scope(dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    frame = delivery.dora_by_period(con, scope)
    assert frame["deployment_frequency_per_week"].isna().tolist() == [True, True, False, False, False, False]
    assert frame["no_data"].tolist() == [True, True, False, False, False, False]
    # 21 weekdays in March (4.74/wk) … 21 in June (4.9/wk): steady from March, no jump from 0
    fig = registry.figure(con, "overview.delivery_trend", scope)
    assert registry.title(fig) == (
        "Delivery & quality: Deployment frequency steady since Mar 2025 at 4.9/wk (4.74/wk → 4.9/wk in Jun 2025)"
    )
    # the chosen period (Jan–Jun) spreads 87 deployments over 181 days, 3.36/wk, as SPEC §5 defines
    # it: the title does not end on that number, and the tile says why it reads low
    found = coverage(con, scope)
    assert partly_note("delivery.deployment_frequency_per_week", found) == (
        "no deployments before 3 Mar 2025: the period's first 61 of 181 days"
    )


def test_a_source_with_no_rows_says_so_instead_of_drawing_a_flat_line(tmp_path):
    con = make_db(tmp_path, deployments=_weekday_deploys(dt.date(2025, 3, 3), dt.date(2025, 6, 30)))
    scope = Scope(dt.date(2025, 1, 1), dt.date(2025, 7, 1))
    fig = registry.figure(con, "overview.flow_trend", scope)
    assert registry.missing(fig) == "No work items data for this period and filter."
    assert not any(len(t.x or ()) for t in fig.data)  # no line at 0


def test_trend_move_is_none_below_two_countable_points():
    assert trend_move(MONTHS[:3], [1.0, None, None], "per week") is None
    assert trend_move(MONTHS[:3], [1.0, 2.0, 3.0], "per week", partial=[False, True, True]) is None


def test_points_are_the_difference_of_the_ends_as_shown():
    # the review's Overview: "up 4 pts (first 3 months' median 17% → 22%)": 21.6 − 17.4 = 4.2
    claim, detail = trend_takeaway("Attrition", "%", MONTHS[:2], [0.174, 0.216])
    assert claim == "Attrition up 5 pts since Jan 2025"
    assert detail == "17% → 22% in Feb 2025"
    # 14.6% and 15.4% show as 15% and 15%: steady, not "up 1 pt"
    assert (
        trend_takeaway("Attrition", "%", MONTHS[:2], [0.146, 0.154])[0]
        == "Attrition steady since Jan 2025 at 15%"
    )


def test_flow_on_a_handful_of_items_makes_no_trend_or_mix_title():
    # the second review: 12 Jira issues read "Flow velocity steady since Sep 2026 at 0.90/wk" and
    # "Features fell from 100% to 75% of completed work" (2 items against 4)
    from lib.charts.delivery.flow import distribution_title

    rows = []
    for month, items in ((dt.date(2026, 8, 1), 2), (dt.date(2026, 9, 1), 4), (dt.date(2026, 10, 1), 4)):
        rows.append(dict(period=month, type="feature", items=items - (month.month > 8), items_per_week=items / 4.3,
                         share=1 - (month.month > 8) / items, days=31, partial=False))  # fmt: skip
        if month.month > 8:
            rows.append(dict(period=month, type="defect", items=1, items_per_week=1 / 4.3, share=1 / items,
                             days=31, partial=False))  # fmt: skip
    frame = pd.DataFrame(rows).assign(period=lambda f: pd.to_datetime(f["period"]))
    fig = velocity_by_type(frame, "c", "Month")
    assert registry.title(fig) == "Flow velocity: too little data for a trend"
    assert (
        next(t for t in fig.data if t.name == LEGEND).customdata[0][0]
        == "only 2 completed items (fewer than 20)"
    )
    assert (
        distribution_title(frame)[0]
        == "Work mix: too few completed items to compare periods (20 needed in each)"
    )


def test_a_flow_tile_on_few_items_or_a_thin_previous_period_has_no_arrow():
    from lib.ui.delivery_tiles import few_items

    assert few_items("flow.velocity_per_week", [16, 4])  # the review's "+300%"
    assert few_items("flow.time_days_p50", [40, 19])
    assert not few_items("flow.velocity_per_week", [40, 25])
    assert not few_items("delivery.deployment_frequency_per_week", [1, 1])  # DORA keys: few_either


def test_the_flow_time_histogram_names_no_usual_band_on_few_or_tied_items():
    from lib.charts.delivery.flow import flow_time_histogram

    def bands(counts):
        return pd.DataFrame([dict(band_order=i, band=b, type="feature", items=n)
                             for i, (b, n) in enumerate(zip(("< 1", "1–2", "2–5", "5–10"), counts, strict=True))])  # fmt: skip

    assert (
        registry.title(flow_time_histogram(bands([0, 0, 4, 4]), "c"))
        == "Flow time of 8 completed items, by band"
    )
    assert registry.title(flow_time_histogram(bands([5, 10, 30, 30]), "c")).startswith("Flow time of 75")
    assert (
        registry.title(flow_time_histogram(bands([5, 10, 40, 30]), "c"))
        == "Most items take 2–5 days from start to done"
    )


def test_work_in_progress_of_a_few_items_makes_no_trend_title():
    # the second review: "Work in progress up from 0 since Sep 2026 · 0 items → 1 item in Oct 2026"
    from lib.charts.delivery.flow import simple_trend
    from lib.charts.registry.delivery import LOAD

    frame = _frame([0.0, 1.0, 2.0], periods=MONTHS[:3]).rename(columns={"value": "load"})
    fig = simple_trend(frame, LOAD, "c", "Month", "none")
    assert registry.title(fig) == "Work in progress: too little data for a trend"
    assert (
        next(t for t in fig.data if t.name == LEGEND).customdata[1][0]
        == "only 1 item in progress (fewer than 20)"
    )
