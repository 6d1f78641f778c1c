"""The Skills and Engagement pages say why a share of people is missing when the two files
behind it cover different people (issue 18): never AI adoption 317% or participation 160%."""

from __future__ import annotations

from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import app_file, make_db
from tests.unit.test_people_share import ORG_AI, staff, survey

QUERY = {"from": "2025-01-01", "to": "2025-03-31"}


def _tile(at, label):
    index = next(i for i, m in enumerate(at.metric) if m.label == label)
    return at.metric[index].value, [c.value for c in at.caption]


def test_skills_page_names_both_counts_instead_of_317_percent(tmp_path, run_page):
    at = run_page(
        app_file(make_db(tmp_path, ai_usage=ORG_AI, employees=staff(100))), "pages/skills.py", query=QUERY
    )
    assert_no_exception(at)
    value, captions = _tile(at, "AI adoption")
    assert value == "—"
    assert (
        "No data: 317 daily AI users but 100 people in the HR data: the two files cover different people"
        in captions
    )
    assert not any("317%" in m.value for m in at.metric)


def test_engagement_page_names_both_counts_instead_of_160_percent(tmp_path, run_page):
    at = run_page(
        app_file(make_db(tmp_path, survey_responses=survey(8), employees=staff(5))),
        "pages/engagement.py",
        query=QUERY,
    )
    assert_no_exception(at)
    value, captions = _tile(at, "Participation")
    assert value == "—"
    assert any(
        "8 respondents but 5 people in the HR data on the survey date: the two files cover different people"
        in c
        for c in captions
    ), captions
