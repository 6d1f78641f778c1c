"""The takeaway rules (lib/takeaways.py, docs/OVERVIEW.md) on crafted histories, with
hand-computed limits: a real move is a takeaway, noise never is."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lib.takeaways import (
    HeldBack,
    History,
    Takeaway,
    Window,
    count_se,
    judge,
    median_se,
    nps_se,
    rate_se,
    share_se,
    takeaways,
    usual_swing,
)

END = dt.date(2026, 10, 1)
WEEKS = 90 / 7  # a 90-day period in weeks


def windows(values, events=None, ses=None, gaps=None, days=90) -> tuple[Window, ...]:
    """Windows newest first, each `days` long, ending at END."""
    n = len(values)
    events = events or [None] * n
    ses = ses or [None] * n
    gaps = gaps or [None] * n
    return tuple(
        Window(END - dt.timedelta(days=days * (k + 1)), END - dt.timedelta(days=days * k), v, e, s, g)
        for k, (v, e, s, g) in enumerate(zip(values, events, ses, gaps, strict=True))
    )


def deployments(counts, **kwargs) -> History:
    """Deployment frequency per week from successful deployments per quarter (newest first)."""
    values = [c / WEEKS for c in counts]
    ses = [count_se(c, 1 / WEEKS) for c in counts]
    return History(
        "delivery.deployment_frequency_per_week", "Deployment frequency", "per week", True,
        windows(values, list(counts), ses, **kwargs), noun="successful production deployments",
    )  # fmt: skip


def test_a_step_beyond_noise_and_the_usual_swing_is_a_takeaway():
    # Quarters, newest first: 150 deployments now, about 100 in each of the seven before.
    h = deployments([150, 100, 104, 98, 102, 100, 96, 101])
    # Earlier mean 701/7 = 100.14; moving ranges 4, 6, 4, 2, 4, 5 → mean 25/6 = 4.167;
    # limits 100.14 ± 2.66 × 4.167 = 89.06 … 111.23 deployments = 6.93/wk … 8.65/wk.
    # Sampling: |150 − 100| = 50 > 3 × √(150 + 100) = 47.4.
    result = judge(h, 90)
    assert isinstance(result, Takeaway)
    assert result.kind == "shift"
    assert result.text == (
        "Deployment frequency up 50% quarter over quarter to 11.7/wk, above its usual range "
        "(6.93/wk–8.65/wk) over the previous seven quarters: an improvement."
    )
    assert result.short == "Deployment frequency up 50% quarter over quarter"
    assert result.strength == pytest.approx((150 - 701 / 7) / (2.66 * 25 / 6))


def test_the_issues_case_nine_leavers_is_not_a_takeaway():
    """'Attrition down 22.5 pts quarter over quarter', made of nine leavers: held back."""
    h = History(
        "retention.attrition_rate_annualized", "Attrition", "%", False,
        windows([0.10, 0.325, 0.30, 0.31, 0.29, 0.30, 0.32, 0.31], events=[3, 9, 8, 9, 8, 9, 9, 9]),
        noun="leavers",
    )  # fmt: skip
    result = judge(h, 90)
    assert isinstance(result, HeldBack)
    assert result.reason == (
        "rests on 3 leavers this quarter and 9 the quarter before; fewer than 20 cannot tell a change from chance"
    )


def test_a_dozen_deployments_is_not_a_takeaway():
    result = judge(deployments([12, 30, 31, 29, 30, 30, 28, 31]), 90)
    assert isinstance(result, HeldBack) and "rests on 12 successful production deployments" in result.reason


def test_a_change_within_the_usual_swing_is_held_back():
    # A volatile series: 60, 140, 70, 130, … deployments; now 150 after 60.
    result = judge(deployments([150, 60, 140, 70, 130, 65, 135, 75]), 90)
    # Mean 675/7 = 96.4; moving ranges 80, 70, 60, 65, 70, 60 → mean 67.5; upper limit
    # 96.4 + 179.6 = 276.0 deployments = 21.5/wk: 150 (11.7/wk) is within it.
    assert isinstance(result, HeldBack)
    assert result.reason == "up 150%, within its usual range (0/wk–21.5/wk) over the previous seven quarters"


def test_a_change_within_the_usual_period_to_period_change_is_held_back():
    # Beyond the upper limit (mean 113.86 + 2.66 × 5.33 = 128.05) but a step of 10 where steps of
    # up to 3.268 × 5.33 = 17.4 are usual: the level drifts, nothing happened this quarter.
    h = History(
        "x.per_week", "Throughput", "per week", True, windows([130, 120, 127, 118, 114, 110, 106, 102])
    )
    result = judge(h, 90)
    assert isinstance(result, HeldBack)
    assert result.reason == (
        "up 8%, within its usual change from one quarter to the next (up to 17.4/wk over the previous seven quarters)"
    )


def test_a_change_within_sampling_noise_is_held_back():
    """eNPS 34 → 18 on a hundred answers each: ±30 points of noise."""
    shares = [(0.45, 0.27), (0.50, 0.16), (0.45, 0.2), (0.44, 0.2), (0.45, 0.2), (0.44, 0.2), (0.45, 0.2),
              (0.44, 0.2)]  # fmt: skip
    values = [100 * (p - d) for p, d in shares]
    ses = [nps_se(p, d, 100) for p, d in shares]
    h = History(
        "engagement.enps", "eNPS", "score", True, windows(values, [100] * 8, ses), noun="eNPS answers"
    )
    result = judge(h, 90)
    # se now: 100 √((0.72 − 0.18²)/100) = 8.29; before: 100 √((0.66 − 0.34²)/100) = 7.39;
    # 3 × √(8.29² + 7.39²) = 33.3 points > the 16-point drop.
    assert isinstance(result, HeldBack)
    assert result.reason == "down 16.0 pts, within sampling noise (±33 pts for 100 and 100 eNPS answers)"


def test_without_enough_history_the_swing_is_unknown_and_nothing_is_news():
    result = judge(deployments([150, 100, 104, 98]), 90)
    assert isinstance(result, HeldBack)
    assert result.reason == "up 50%, but its usual swing needs 4 earlier quarters of comparable data (has 3)"


def test_a_period_past_its_sources_last_record_is_not_compared():
    gaps = ["its deployments data ends on 12 Aug 2026", *[None] * 7]
    result = judge(deployments([40, 100, 104, 98, 102, 100, 96, 101], gaps=gaps), 90)
    assert isinstance(result, HeldBack)
    assert result.reason == "this quarter cannot be compared: its deployments data ends on 12 Aug 2026"


def test_windows_before_the_source_starts_are_left_out_of_the_usual_swing():
    gaps = [None, None, None, "its deployments data starts on 1 Jan 2025", *[None] * 4]
    result = judge(deployments([150, 100, 104, 5, 102, 100, 96, 101], gaps=gaps), 90)
    assert isinstance(result, HeldBack) and "(has 2)" in result.reason


def test_a_small_change_is_not_news_however_certain():
    result = judge(deployments([10400, 10000, 10010, 9990, 10005, 10000, 9995, 10002]), 90)
    assert isinstance(result, HeldBack) and result.reason == "up 4%: under 5% is not news"


def test_a_steady_rise_is_a_run_when_each_step_is_within_noise():
    # 50, 55, … 85 deployments: each quarter +5, within noise; the whole rise is not.
    result = judge(deployments([85, 80, 75, 70, 65, 60, 55, 50]), 90)
    assert isinstance(result, Takeaway)
    assert result.kind == "run"
    assert result.text == (
        "Deployment frequency up 7 quarters in a row, to 6.61/wk from 3.89/wk (+70% since Oct 2024): an improvement."
    )
    assert result.short == "Deployment frequency up 7 quarters in a row"


def test_a_run_of_finance_figures_needs_five_changes():
    def rnd(values):
        return History(
            "business.rnd_pct_revenue", "R&D as % of revenue", "%", None, windows(values), min_events=0
        )

    four = judge(rnd([0.23, 0.25, 0.29, 0.30, 0.32, 0.30, 0.31, 0.30]), 90)
    assert isinstance(four, HeldBack)
    five = judge(rnd([0.23, 0.25, 0.29, 0.30, 0.32, 0.35, 0.31, 0.30]), 90)
    assert isinstance(five, Takeaway) and five.kind == "run"
    # Its fifth change back started in the window from 9 Apr 2025; no direction is better for
    # R&D intensity, so the sentence takes no side.
    assert five.text.endswith("(−12.0 pts since Apr 2025).")


def test_takeaways_are_ordered_by_strength_worsening_first_on_a_tie():
    up = deployments([150, 100, 104, 98, 102, 100, 96, 101])
    lead = History(
        "delivery.lead_time_hours_p50", "Change lead time (median)", "hours", False,
        windows([15.0, 10.0, 10.4, 9.8, 10.2, 10.0, 9.6, 10.1], [200] * 8, [0.5] * 8),
    )  # fmt: skip
    found, held = takeaways([up, lead], 90)
    # Same relative step on the same baseline shape: equal strength; the worsening leads.
    assert [t.key for t in found] == [
        "delivery.lead_time_hours_p50",
        "delivery.deployment_frequency_per_week",
    ]
    assert found[0].text.endswith(": worth a look.")
    assert held == []


def test_no_value_makes_no_takeaway_and_no_previous_value_says_so():
    h = deployments([100, 100])
    empty = History(h.key, h.label, h.unit, True, windows([None, 5.0]))
    assert judge(empty, 90) is None
    first = History(h.key, h.label, h.unit, True, windows([5.0, None]))
    assert judge(first, 90).reason == "no value in the previous quarter to compare with"


def test_usual_swing_is_wheelers_natural_process_limits():
    swing = usual_swing([10.0, 12.0, 11.0, 13.0])
    assert swing.center == pytest.approx(11.5)
    assert swing.moving_range == pytest.approx((2 + 1 + 2) / 3)
    assert swing.limit == pytest.approx(2.66 * 5 / 3)
    assert usual_swing([10.0, 12.0, 11.0]) is None


def test_standard_errors_by_hand():
    assert count_se(100, 7 / 90) == pytest.approx(10 * 7 / 90)
    assert count_se(0, 1.0) == 1.0  # no events still carries the noise of one
    assert rate_se(25, 125.0) == pytest.approx(5 / 125)
    # Agresti–Coull: 2 of 100 → (2 + 1) / 102.
    p = 3 / 102
    assert share_se(0.02, 100) == pytest.approx((p * (1 - p) / 100) ** 0.5)
    assert nps_se(0.5, 0.2, 100) == pytest.approx(100 * ((0.7 - 0.09) / 100) ** 0.5)
    assert median_se(8.0, 64) == pytest.approx(1.0)


def _noise_histories(rng) -> list[History]:
    """Headline-like metrics whose only change is sampling noise around a constant level."""
    counts = rng.poisson(300, 8)
    cfr_n = rng.poisson(600, 8)
    fails = rng.binomial(cfr_n, 0.04)
    answers = rng.binomial(120, 0.8, 8)
    favourable = rng.binomial(answers, 0.68)
    medians, spreads = [], []
    for _ in range(8):
        sample = rng.lognormal(1.6, 0.9, 250)
        q1, m, q3 = np.percentile(sample, [25, 50, 75])
        medians.append(m)
        spreads.append(q3 - q1)
    return [
        deployments(list(map(int, counts))),
        History("delivery.change_failure_rate", "Change failure rate", "%", False,
                windows(list(fails / cfr_n), list(map(int, cfr_n)), [share_se(f / n, n) for f, n in zip(fails, cfr_n, strict=True)])),
        History("engagement.index", "Engagement index", "%", True,
                windows(list(favourable / answers), list(map(int, answers)),
                        [share_se(f / n, n) for f, n in zip(favourable, answers, strict=True)])),
        History("delivery.lead_time_hours_p50", "Change lead time (median)", "hours", False,
                windows(medians, [250] * 8, [median_se(s, 250) for s in spreads])),
    ]  # fmt: skip


def test_data_whose_only_change_is_noise_yields_no_takeaway():
    """An organisation as steady as can be, its numbers moving by chance alone: the rules make
    no news of it (eight periods of four headline metrics, fifty draws)."""
    rng = np.random.default_rng(2026)
    for _ in range(50):
        found, held = takeaways(_noise_histories(rng), 90)
        assert found == [], [t.text for t in found]
        assert len(held) == 4


def test_noise_rarely_passes_the_rules():
    """Over 2,000 draws of pure noise, fewer than 1 in 200 metrics would make a takeaway
    (measured: about 1 in 1,000 for counts and shares, none for medians)."""
    rng = np.random.default_rng(7)
    made = sum(len(takeaways(_noise_histories(rng), 90)[0]) for _ in range(500))
    assert made / (500 * 4) < 0.005


def test_a_usual_range_of_one_value_reads_as_that_value():
    # the second review: "below its usual range (5 people–5 people)"
    from lib.takeaways import usual_swing

    swing = usual_swing([5.0] * 6)
    assert swing.range_text("people") == "5 people"
