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


def deploy(team, day, status="success", environment="production"):
    return {
        "deploy_id": f"{team}-{day}-{environment}-{status}",
        "service": "svc",
        "team": team,
        "environment": environment,
        "commit_at": f"{day} 08:00",
        "deployed_at": f"{day} 10:00",
        "status": status,
    }


def employee(eid, team, terminated=None):
    return {"employee_id": eid, "team": team, "hire_date": "2020-01-01", "termination_date": terminated}


def test_delivery_link_per_team(tmp_path):
    # The link looks at the 365 days ending with the period: 2024-04-01 – 2025-03-31.
    safety = answers("a", 6, [5, 4, 4, 3, 2, 1], dim="psychological_safety") + answers(
        "b", 5, [5, 5, 5, 5, 1], dim="psychological_safety"
    )
    deployments = [
        deploy("a", "2024-05-01"),
        deploy("a", "2024-06-01"),
        deploy("a", "2025-01-01"),
        deploy("a", "2025-02-01", status="failure"),
        deploy("a", "2025-02-02", environment="staging"),  # not production: left out
        deploy("a", "2024-03-01"),  # before the window
        deploy("b", "2025-01-10", environment=None),  # b names no environment: all count
        deploy("b", "2025-01-11", environment=None),
    ]
    staff = [employee(f"a{i}", "a") for i in range(3)] + [
        employee("a3", "a", terminated="2024-10-01"),
        employee("b0", "b"),
        employee("b1", "b"),
    ]
    c = make_db(tmp_path, survey_responses=safety, deployments=deployments, employees=staff,
                teams=[{"team": "a"}, {"team": "b"}])  # fmt: skip
    link = view.delivery_link(c, S, "s1").set_index("team")
    c.close()
    assert list(link.index) == ["a", "b"]
    assert link.at["a", "psychological_safety"] == pytest.approx(3 / 6)
    assert link.at["b", "psychological_safety"] == pytest.approx(4 / 5)
    assert link.at["a", "deploys_per_week"] == pytest.approx(3 / (365 / 7))
    # the failed run never reached production: no deployment, no change failure (SPEC §5)
    assert link.at["a", "change_failure_rate"] == 0
    assert link.at["b", "deploys_per_week"] == pytest.approx(2 / (365 / 7))
    assert link.at["b", "change_failure_rate"] == 0
    # a: 4 at the start, 3 at the end, one leaver: 1 / 3.5 over exactly a year.
    assert link.at["a", "attrition_rate"] == pytest.approx(1 / 3.5)
    assert link.at["b", "attrition_rate"] == 0


def test_delivery_link_agrees_with_the_catalog_team_by_team(demo_db):
    """One grouped query stands in for the catalog run per team: the same numbers."""
    import datetime as dt
    from dataclasses import replace

    from lib import db
    from lib.scope import default_scope
    from lib.views.delivery import dora_summary
    from lib.views.retention import retention_summary

    con = db.connect(demo_db)
    scope = default_scope(con)
    survey = view.current_wave(con, scope)["survey_id"]
    link = view.delivery_link(con, scope, survey)
    assert len(link) >= 5
    window = replace(scope, start=scope.end - dt.timedelta(days=view.LINK_WINDOW_DAYS))
    for row in link.itertuples():
        team_scope = replace(window, teams=(row.team,))
        dora, people = dora_summary(con, team_scope), retention_summary(con, team_scope)
        assert row.deploys_per_week == pytest.approx(dora["deployment_frequency_per_week"])
        assert row.change_failure_rate == pytest.approx(dora["change_failure_rate"])
        assert row.attrition_rate == pytest.approx(people["attrition_rate_annualized"])
