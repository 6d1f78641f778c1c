"""The Overview and the board pack hide people figures as the Retention and Skills pages do
(issue 18's review): a team of four showed "Engineers 4" and "Attrition (year) 25%" on the
deck's headline slide while the deck's retention slide said the team was too small to show;
a first-year cohort of one read "100% · 1 of 1 person hired a year earlier"."""

from __future__ import annotations

import datetime as dt
import textwrap

from lib.charts.overview import TILE_CHARS
from lib.overview_board import board
from lib.scope import Scope
from tests.unit.fixtures import make_db

QUARTER = Scope(dt.date(2025, 7, 1), dt.date(2025, 10, 1))


def _people() -> list[dict]:
    """Team small: three people all year and one who left in August (four a year ago, three at
    the end); team big: twelve, one of them hired in August 2024 (a first-year cohort of one)."""
    rows = [dict(employee_id=f"s{i}", team="small", hire_date="2020-01-01") for i in range(3)]
    rows.append(
        dict(employee_id="s-gone", team="small", hire_date="2020-01-01", termination_date="2025-08-15")
    )
    rows += [dict(employee_id=f"b{i}", team="big", hire_date="2020-01-01") for i in range(11)]
    rows.append(dict(employee_id="b-new", team="big", hire_date="2024-08-01", termination_date="2025-08-20"))
    return rows


def _tiles(con, teams):
    found = board(con, Scope(QUARTER.start, QUARTER.end, teams=teams))
    return {t.key: t for g in found.groups for t in g.tiles}


def test_a_team_below_the_threshold_shows_no_people_figures(tmp_path):
    con = make_db(tmp_path, teams=[{"team": "small"}, {"team": "big"}], employees=_people())
    tiles = _tiles(con, ("small",))
    for key in ("retention.attrition_rate_ttm", "retention.headcount_end"):
        assert tiles[key].value is None, key
        assert tiles[key].band == "Hidden: fewer than 5 people (anonymity threshold)"
        assert len(textwrap.wrap(tiles[key].band, TILE_CHARS)) <= 3  # a deck tile's three lines
        assert tiles[key].spark == ()
    # the whole organisation (16 people a year ago, 14 at the end) is shown
    everyone = _tiles(con, None)
    assert everyone["retention.headcount_end"].value == 14


def test_a_first_year_cohort_of_one_is_hidden(tmp_path):
    from lib.views.headline_windows import headline_windows

    con = make_db(tmp_path, teams=[{"team": "small"}, {"team": "big"}], employees=_people())
    (now, *_) = headline_windows(con, QUARTER, ("retention.first_year_attrition_rate",))[
        "retention.first_year_attrition_rate"
    ]
    assert now.value is None
    assert now.hidden == "fewer than 5 hired a year earlier (anonymity threshold)"


def test_a_team_of_five_that_lost_one_is_hidden_everywhere(tmp_path):
    # the second review: payments, five a year ago and four at the end, showed "Headcount down 20%
    # to 4 people" on the Overview and the deck, "Attrition 22%" on the Retention tiles, while
    # its charts hid every month from the leaver's on: one rule now, people at the period's end
    from lib.charts import registry
    from lib.views import retention

    people = [dict(employee_id=f"p{i}", team="payments", hire_date="2020-01-01") for i in range(4)]
    people.append(
        dict(employee_id="p-gone", team="payments", hire_date="2020-01-01", termination_date="2025-08-15")
    )
    con = make_db(tmp_path, teams=[{"team": "payments"}], employees=people)
    scope = Scope(QUARTER.start, QUARTER.end, teams=("payments",))
    tiles = _tiles(con, ("payments",))
    for key in ("retention.attrition_rate_ttm", "retention.headcount_end"):
        assert tiles[key].value is None, key
    assert retention.too_few_people(retention.retention_summary(con, scope), 5)
    for chart in ("retention.headcount_flow", "overview.retention_trend"):  # the deck drew the latter
        fig = registry.figure(con, chart, scope, "Team: payments")
        assert registry.missing(fig) == (
            "Not shown: Team: payments has fewer than 5 people at the end of the period, the anonymity threshold."
        ), chart


def test_no_employees_is_no_data_not_a_hidden_group(tmp_path):
    # a new user's review: an empty database read "Not shown: All teams has fewer than 5 people
    # at the end of the period, the anonymity threshold"
    from lib.charts import registry

    empty = make_db(tmp_path)
    fig = registry.figure(empty, "overview.retention_trend", QUARTER)
    assert registry.missing(fig).startswith("No employee data: import an HRIS employee report")
    people = [dict(employee_id=f"p{i}", team="payments", hire_date="2020-01-01") for i in range(3)]
    con = make_db(tmp_path / "b", teams=[{"team": "payments"}, {"team": "search"}], employees=people)
    fig = registry.figure(
        con, "overview.retention_trend", Scope(QUARTER.start, QUARTER.end, teams=("search",))
    )
    assert registry.missing(fig) == "No employees in this selection at the end of the period."
    fig = registry.figure(con, "overview.retention_trend", QUARTER)
    assert registry.missing(fig) == (
        "Not shown: the organisation has fewer than 5 people at the end of the period, the anonymity threshold."
    )


def test_how_one_leaver_left_is_never_shown(tmp_path):
    # the second review: seven people, one voluntary regretted leaver; "voluntary 14% · regretted
    # 14%" named that person's reason. Under 5 leavers in the trailing year the split is hidden.
    from lib.charts import registry
    from lib.views import retention

    people = [dict(employee_id=f"e{i}", team="a", hire_date="2020-01-01") for i in range(6)]
    people.append(dict(employee_id="gone", team="a", hire_date="2020-01-01", termination_date="2025-08-15",
                       termination_type="voluntary", regretted=True))  # fmt: skip
    con = make_db(tmp_path, teams=[{"team": "a"}], employees=people)
    last = retention.attrition_by_period(con, QUARTER).iloc[-1]
    assert last["separations_ttm"] == 1 and bool(last["split_hidden"])
    for column in retention.SPLIT_FIGURES:
        assert last[column] != last[column], column  # NaN
    fig = registry.figure(con, "retention.attrition_trend", QUARTER)
    assert "regretted 14%" not in registry.subtitle(fig)
    assert "1 leaver, average headcount 6 · voluntary and regretted hidden" in registry.subtitle(fig)
    assert [t.name for t in fig.data if t.type == "scatter"] == ["All leavers"]
    assert "the export has no such column" not in registry.subtitle(fig)
    assert registry.subtitle(fig).count("hidden") == 1


def test_a_level_held_by_fewer_people_than_the_threshold_is_never_a_bar(tmp_path):
    # the second review: "L3 is the largest level: 43%" over bars of 1, 3, 1, 1, 1 people
    from lib.charts import registry
    from lib.views.retention_careers import level_distribution

    people = [dict(employee_id=f"m{i}", team="a", hire_date="2020-01-01", level="L3") for i in range(6)]
    people += [dict(employee_id=f"s{i}", team="a", hire_date="2020-01-01", level=level)
               for i, level in enumerate(("L2", "L4", "L5"))]  # fmt: skip
    con = make_db(tmp_path, teams=[{"team": "a"}], employees=people)
    frame = level_distribution(con, QUARTER)
    assert list(frame["level"]) == ["L3", "Levels of fewer than 5"]
    assert list(frame["headcount"]) == [6, 3]
    fig = registry.figure(con, "retention.level_distribution", QUARTER)
    assert registry.title(fig).startswith("L3 is the largest level: 67%")


def test_no_acquired_company_draws_no_acquired_company_chart(tmp_path):
    # the second review: "Attrition by acquired company: 14%" over the whole organisation's line
    from lib.charts import registry

    people = [dict(employee_id=f"e{i}", team="a", hire_date="2020-01-01") for i in range(8)]
    con = make_db(tmp_path, teams=[{"team": "a"}], employees=people)
    fig = registry.figure(con, "retention.acquired_attrition_trend", QUARTER)
    assert registry.missing(fig).startswith("No acquired companies in the data")


def test_an_engagement_trend_hidden_in_every_wave_says_hidden_not_no_data(tmp_path):
    # a new user's review: /?team=payments read "No survey answers data for this period and
    # filter" under tiles saying the figures were hidden, which suggests a failed import
    from lib.charts import registry

    answers = [
        dict(survey_id="2025-Q3", survey_date="2025-08-20", respondent_id=f"{team}{i}", team=team,
             question_id=q, dimension=d, score=s)
        for team, n in (("small", 3), ("big", 9))
        for i in range(n)
        for q, d, s in (("q1", "recognition", 4), ("enps", "enps", 9))
    ]  # fmt: skip
    con = make_db(tmp_path, teams=[{"team": "small"}, {"team": "big"}], survey_responses=answers)
    fig = registry.figure(
        con, "overview.engagement_trend", Scope(QUARTER.start, QUARTER.end, teams=("small",))
    )
    assert registry.missing(fig) == (
        "Hidden by the anonymity rules in every survey wave of the window for this selection."
    )
    assert registry.missing(registry.figure(con, "overview.engagement_trend", QUARTER)) is None
    # the deck's slide says hidden too (a second review: "…: no data for this period")
    from lib.boardpack.content import chart_content

    small = Scope(QUARTER.start, QUARTER.end, teams=("small",))
    slide = chart_content(con, "overview.engagement_trend", small, "Team: small")
    assert slide.title == "Engagement index by survey wave: hidden by the anonymity rules"


def test_a_team_below_the_threshold_shows_no_ai_adoption(tmp_path):
    # three people's daily AI users tell who uses AI (a review: team security, 4 people, 17%)
    usage = [dict(date=f"2025-09-{d:02d}", team=t, tool="copilot", active_users=n)
             for d in range(1, 29) for t, n in (("small", 1), ("big", 6))]  # fmt: skip
    con = make_db(tmp_path, teams=[{"team": "small"}, {"team": "big"}], employees=_people(), ai_usage=usage)
    tile = _tiles(con, ("small",))["skills.ai_adoption_rate"]
    assert tile.value is None and tile.band == "Hidden: fewer than 5 people (anonymity threshold)"
    assert tile.spark == ()
    assert _tiles(con, None)["skills.ai_adoption_rate"].value is not None  # 14 people: shown
