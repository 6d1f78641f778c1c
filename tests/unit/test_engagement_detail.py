"""The engagement page's views on a tiny survey with hand-computed figures."""

from __future__ import annotations

import pytest

from lib.views import engagement_detail as view
from tests.unit.fixtures import make_db, scope

S = scope("2025-01-01", "2025-04-01")


def answers(team, people, scores, dim="trust", survey="s1", date="2025-03-01"):
    return [
        {
            "survey_id": survey,
            "survey_date": date,
            "respondent_id": f"{team}-{i}",
            "team": team,
            "question_id": dim,
            "dimension": dim,
            "score": s,
        }
        for i, s in zip(range(people), scores, strict=True)
    ]


@pytest.fixture
def con(tmp_path):
    rows = (
        answers("a", 6, [5, 4, 4, 3, 2, 1])  # 3 of 6 favourable
        + answers("b", 5, [5, 5, 5, 5, 1])  # 4 of 5
        + answers("a", 6, [10, 9, 8, 7, 6, 0], dim="enps")  # 2 promoters, 2 detractors
        + answers("b", 5, [9, 9, 9, 3, 3], dim="enps")
        + answers("a", 6, [4, 4, 4, 4, 4, 4], survey="s0", date="2024-12-01")
        + answers("b", 5, [2, 2, 2, 2, 2], survey="s0", date="2024-12-01")
    )
    c = make_db(tmp_path, survey_responses=rows, teams=[{"team": "a"}, {"team": "b"}])
    yield c
    c.close()


def test_current_and_previous_wave(con):
    wave = view.current_wave(con, S)
    assert (wave["survey_id"], wave["previous_id"]) == ("s1", "s0")


def test_dimension_split_and_enps(con):
    dims = view.dimensions(con, S, "s1").set_index("dimension")
    assert dims.loc["trust", "favorable"] == pytest.approx(7 / 11)
    assert dims.loc["trust", "unfavorable"] == pytest.approx(3 / 11)
    assert dims.loc["enps", "promoters"] == pytest.approx(5 / 11)
    assert dims.loc["enps", "enps"] == pytest.approx(100 * (5 - 4) / 11)


def test_heatmap_cells(con):
    cells = view.heatmap(con, S, "s1").set_index(["team", "dimension"])
    assert cells.loc[("a", "trust"), "value"] == pytest.approx(0.5)
    assert cells.loc[("b", "enps"), "value"] == pytest.approx(100 * (3 - 2) / 5)
    assert cells["suppressed_reason"].isna().all()


def test_wave_changes_carry_n(con):
    frame = view.wave_changes(con, S, ("s0", "s1"))
    trust = frame[frame["dimension"] == "trust"].set_index("survey_id")
    assert trust.loc["s0", "value"] == pytest.approx(6 / 11)
    assert trust.loc["s1", "respondents"] == 11


def test_drivers_need_25_respondents(con):
    frame = view.drivers(con, S, "s1")
    assert frame["r"].isna().all()
    assert set(frame["suppressed_reason"]) == {"fewer than 25 respondents"}


def test_correlation_is_none_under_three_points():
    import pandas as pd

    assert (
        view.correlation(
            pd.DataFrame({"psychological_safety": [0.5, 0.6], "x": [1, 2]}), "psychological_safety", "x"
        )[0]
        is None
    )
