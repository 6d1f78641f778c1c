"""The Overview's words and numbers: change against the previous period, takeaways, trends."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.benchmarks import band_text
from lib.formatting import format_value, relative_change
from lib.metrics import Headline
from lib.overview import (
    PILLAR_TRENDS,
    change_text,
    period_phrase,
    trend_scope,
    trend_takeaway,
)
from lib.overview import (
    band_text as tile_band,
)
from lib.scope import Scope

Q = Scope(start=dt.date(2025, 7, 1), end=dt.date(2025, 9, 29))  # 90 days


def headline(key, label, unit, value, previous, tier=None, band=None, better=True):
    change = (value - previous) / abs(previous) if previous else None
    delta = None if previous is None else value - previous
    improved = None if not delta or better is None else (delta > 0) == better
    return Headline(key, key.split(".")[0], label, unit, value, previous, change, delta, improved, tier, band)


@pytest.mark.parametrize(
    ("days", "phrase"),
    [(7, "week over week"), (30, "month over month"), (90, "quarter over quarter"), (365, "year over year")],
)
def test_period_phrase_names_equal_length_periods(days, phrase):
    assert period_phrase(days) == phrase


def test_period_phrase_for_other_lengths_counts_days():
    assert period_phrase(45) == "vs the previous 45 days"


def test_trend_takeaway_states_direction_size_and_endpoints():
    spec = PILLAR_TRENDS[0]
    periods = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    title = trend_takeaway([2.0, None, 3.0], periods, spec)
    assert title == "Deployment frequency up 50% since Jan 2025 (2/wk → 3/wk in Mar 2025)"


def test_trend_takeaway_for_shares_speaks_in_points():
    spec = next(s for s in PILLAR_TRENDS if s.column == "attrition_rate_ttm")
    title = trend_takeaway([0.20, 0.14], [dt.date(2025, 1, 1), dt.date(2025, 6, 1)], spec)
    assert title == "Attrition down 6 pts since Jan 2025 (20% → 14% in Jun 2025)"


def test_trend_takeaway_says_when_there_is_no_trend():
    spec = PILLAR_TRENDS[0]
    assert trend_takeaway([None, 2.0], [dt.date(2025, 1, 1), dt.date(2025, 2, 1)], spec) == (
        "Deployment frequency: one month of data, not yet a trend (2/wk in Feb 2025)"
    )


def test_trend_scope_extends_short_periods_to_a_year():
    window = trend_scope(Q)
    assert window.end == Q.end and window.days == 365


def test_tile_change_is_in_points_for_fractions_and_scores():
    assert change_text(headline("engagement.index", "Engagement", "%", 0.72, 0.70)) == "+2.0 pts"
    assert change_text(headline("engagement.enps", "eNPS", "score", 12.0, 20.0)) == "-8.0 pts"
    assert change_text(headline("flow.time_days_p50", "Flow time", "days", 3.0, 4.0, better=False)) == "-25%"
    assert change_text(headline("flow.time_days_p50", "Flow time", "days", 3.0, None)) is None


def test_tile_band_prefers_the_dora_tier():
    item = headline(
        "delivery.lead_time_hours_p50",
        "Lead time",
        "hours",
        20.0,
        30.0,
        tier="elite",
        band="less than one day",
    )
    assert tile_band(item) == "DORA 2023: elite tier (less than one day)"


def test_benchmark_band_places_the_value():
    assert (
        band_text("retention.attrition_rate_ttm", 0.2)
        == "Tech turnover 8–13%/yr (Mercer 2023, LinkedIn 2018) (above)"
    )
    assert band_text("retention.span_of_control_median", 7) == "Grove: 6–8 direct reports (within)"
    assert band_text("delivery.lead_time_hours_p50", 10, "elite") == "DORA 2023: elite tier"
    assert band_text("flow.velocity_per_week", 3) is None


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (None, "hours", "—"),
        (0.123, "share", "12%"),
        (0.054, "share", "5.4%"),
        (1_250_000, "USD", "$1.2M"),
        (18.26, "hours", "18.3 hours"),
        (3.0, "per week", "3/wk"),
        (-12.4, "score", "-12"),
        ("high", "", "High"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


def test_relative_change_is_none_without_a_base():
    assert relative_change(5, 0) is None
    assert relative_change(None, 3) is None
    assert relative_change(6, 4) == pytest.approx(0.5)


def test_counts_are_null_when_their_table_was_never_loaded(tmp_path):
    """No deployments table at all is missing data, not zero deployments."""
    from lib import db
    from lib.metrics import catalog, flatten

    con = db.connect(tmp_path / "x.duckdb")
    scope = Scope(start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1))
    assert flatten(catalog(con, scope))["delivery.deployments"] is None
    con.execute(
        "insert into deployments (deploy_id, deployed_at, status) values ('d1', '2025-06-01 10:00', 'success')"
    )
    values = flatten(catalog(con, scope))
    # Loaded, but the period starts after the last deployment: no data, never "0/wk"
    assert values["delivery.deployments"] is None
    assert values["delivery.deployment_frequency_per_week"] is None
    assert values["flow.velocity"] is None
    # a period the deployments span, with none in it: an honest zero
    con.execute(
        "insert into deployments (deploy_id, deployed_at, status) values ('d2', '2026-06-01 10:00', 'success')"
    )
    values = flatten(catalog(con, scope))
    assert values["delivery.deployments"] == 0
    assert values["delivery.deployment_frequency_per_week"] == 0


def test_trend_takeaway_takes_medians_of_the_ends_so_one_noisy_month_is_not_the_headline():
    spec = next(s for s in PILLAR_TRENDS if s.column == "attrition_rate_ttm")
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    # A 48% spike in the first month alone: the first three's median is 6%, the last three's 10%
    # (their average, 20%, would have made a "down 10 pts" headline of one month)
    values = [0.48, 0.06, 0.06, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
    title = trend_takeaway(values, months, spec)
    assert (
        title
        == "Attrition up 4 pts since Jan 2025 (6.0% → 10%, medians of the first and last 3 months, to Dec 2025)"
    )


def test_long_titles_wrap_to_fit_a_half_width_card():
    from lib.charts import wrap_title
    from lib.charts.fit import PAD_PX, card_px, text_px

    lines = wrap_title("Deployment frequency up 49% since Nov 2025 (3-period averages 70.5/wk → 105/wk)")
    assert len(lines) == 3 and all(text_px(line, 17) <= card_px(0.5) - 2 * PAD_PX for line in lines)
    assert wrap_title("Short") == ["Short"]


def test_ai_adoption_tile_carries_doras_survey_as_context_not_a_band():
    from lib.metrics import _headline

    item = _headline("skills.ai_adoption_rate", 0.46, 0.40)
    assert tile_band(item) == "Context: 76% of developers rely on AI daily (DORA 2024 survey)"
