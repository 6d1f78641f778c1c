"""Engagement's takeaway titles on crafted wave frames (`lib.views.engagement_story`).

A wave-to-wave change stands on at least `lib.views.buckets.MIN_COUNT` respondents in each
wave, as every trend title does (issue 18, item 9): 6 respondents moving 17 pts is one
person's answers.
"""

from __future__ import annotations

import pandas as pd

from lib.views.engagement_story import wave_title

AUG, OCT = "Aug 2026 survey", "Oct 2026 survey"


def waves(respondents: dict[str, tuple[int, int]], values: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Rows of `named_waves`: per dimension, the August then the October figure."""
    rows = []
    for dimension, (before, after) in values.items():
        for wave, value, n in (
            (AUG, before, respondents[dimension][0]),
            (OCT, after, respondents[dimension][1]),
        ):
            rows.append(dict(survey_id=wave, dimension=dimension, label=dimension.capitalize(), value=value,
                             respondents=float(n), suppressed_reason=None))  # fmt: skip
    return pd.DataFrame(rows)


def test_a_change_among_enough_respondents_names_the_biggest_move():
    frame = waves(
        {"index": (40, 42), "growth": (40, 42), "recognition": (40, 42)},
        {"index": (0.60, 0.66), "growth": (0.50, 0.62), "recognition": (0.70, 0.68)},
    )
    assert (
        wave_title(frame, AUG, OCT)
        == "Engagement index up 6 pts since the Aug 2026 survey; biggest move: growth +12 pts"
    )


def test_a_change_among_too_few_respondents_is_not_a_title():
    # six people, then seven: one person's answers move the index 17 pts
    frame = waves({"index": (6, 7), "growth": (6, 7)}, {"index": (0.50, 0.67), "growth": (0.33, 0.71)})
    assert wave_title(frame, AUG, OCT) == (
        "Change since the Aug 2026 survey: 6 respondents in the smaller wave, too few to call a change (20 needed)"
    )


def test_a_dimension_on_too_few_respondents_is_never_the_biggest_move():
    # "culture" was asked of 8 people only: its +40 pts is left out, growth's +12 is the move
    frame = waves(
        {"index": (40, 42), "growth": (40, 42), "culture": (8, 8)},
        {"index": (0.60, 0.66), "growth": (0.50, 0.62), "culture": (0.30, 0.70)},
    )
    assert wave_title(frame, AUG, OCT).endswith("biggest move: growth +12 pts")


def test_the_index_counts_its_dimensions_respondents_when_it_has_no_count_of_its_own():
    # the views give the index no respondents (NaN): the reviewer's "0 respondents in the smaller
    # wave" over bars of n=100 and n=106; the index stands on its dimensions' respondents
    frame = waves({"index": (0, 0), "growth": (100, 106)}, {"index": (0.68, 0.66), "growth": (0.69, 0.60)})
    frame.loc[frame["dimension"] == "index", "respondents"] = float("nan")
    assert (
        wave_title(frame, AUG, OCT)
        == "Engagement index down 2 pts since the Aug 2026 survey; biggest move: growth -9 pts"
    )


def test_the_demo_change_between_waves_is_titled(demo_db):
    from lib import db
    from lib.charts import registry
    from lib.scope import default_scope

    con = db.connect(demo_db)  # the app's configuration, as the registry test opens it
    fig = registry.figure(con, "engagement.wave_changes", default_scope(con))
    # 100 and 106 respondents: the July survey's index 68% → October's 66%
    assert registry.title(fig).startswith("Engagement index down 2 pts since the Jul 2026 survey")
    # respondents in the legend, not under each bar, where they ran into the next bar's label
    assert [t.name for t in fig.data] == ["Jul 2026 survey (n=100)", "Oct 2026 survey (n=106)"]
    assert not any("n=" in text for t in fig.data for text in t.text)


def test_tied_lowest_cells_are_named_together():
    from lib.views.engagement_story import heatmap_title

    cells = pd.DataFrame({
        "team": ["catalog", "growth", "search"], "label": ["Workload", "Recognition", "Trust"],
        "value": [0.151, 0.149, 0.6], "is_enps": [False] * 3,
    })  # fmt: skip
    assert (
        heatmap_title(cells) == "Lowest spots: catalog on workload and growth on recognition (15% favourable)"
    )
    assert heatmap_title(cells.iloc[[0, 2]]) == "Lowest spot: catalog on workload (15% favourable)"
