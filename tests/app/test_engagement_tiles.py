"""The Overview's and the Engagement page's engagement tiles show the catalog's values,
through the same function, and a null as "—" with its reason (issue 8, items 6–7)."""

from __future__ import annotations

import pytest

from lib import metrics
from lib.overview import tile_value
from tests.app.conftest import assert_no_exception
from tests.unit.fixtures import app_file, make_db, scope
from tests.unit.test_anonymity import person, team_of

QUERY = {"from": "2025-01-01", "to": "2025-03-31"}
PAGE = "pages/engagement.py"


def _tile(at, label) -> str:
    return next(m for m in at.metric if m.label == label).value


def _texts(at) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])


@pytest.fixture
def two_enps_answers(tmp_path):
    """Ten respondents, two of whom answer eNPS (0 and 10): eNPS is null, not 0."""
    rows = [r for r in team_of("a", 10) if r["dimension"] != "eNPS"]
    rows += person("a0", "a", enps=0)[-1:] + person("a1", "a", enps=10)[-1:]
    con = make_db(tmp_path, survey_responses=rows, teams=[{"team": "a"}])
    tree = metrics.catalog(con, scope("2025-01-01", "2025-04-01"))
    return app_file(con), tree


def test_overview_tiles_show_the_catalog_value_and_a_null_with_its_reason(run_page, two_enps_answers):
    path, tree = two_enps_answers
    assert tree["engagement"]["enps"] is None and tree["engagement"]["index"] == 1.0
    at = run_page(path, query=QUERY)
    assert_no_exception(at)
    assert _tile(at, "eNPS") == "—" == tile_value("engagement.enps", None)
    assert _tile(at, "Engagement index") == tile_value("engagement.index", 1.0) == "100%"
    assert "Hidden: fewer than 5 people answered the eNPS question" in _texts(at)


def test_engagement_tiles_show_the_same_values_and_reasons(run_page, two_enps_answers):
    path, tree = two_enps_answers
    at = run_page(path, PAGE, query=QUERY)
    assert_no_exception(at)
    assert _tile(at, "eNPS") == "—"
    assert _tile(at, "Engagement index") == tile_value("engagement.index", tree["engagement"]["index"])
    text = _texts(at)
    assert "Hidden: fewer than 5 people answered the eNPS question" in text
    assert "eNPS not shown: fewer than 5 people answered the eNPS question" in "\n".join(
        w.value for w in at.warning
    )


def test_a_blank_respondent_does_not_make_five(run_page, tmp_path):
    rows = team_of("a", 4, likert=(5, 5, 5), enps=10) + person("blank", "a", likert=(None,) * 3, enps=None)
    path = app_file(make_db(tmp_path, survey_responses=rows, teams=[{"team": "a"}]))
    for page in ("pages/overview.py", PAGE):
        at = run_page(path, page, query=QUERY)
        assert_no_exception(at)
        assert _tile(at, "eNPS") == "—" and _tile(at, "Engagement index") == "—"
        assert "Hidden: fewer than 5 people gave a score on any Likert question" in _texts(at)


def test_a_malformed_threshold_is_shown_as_an_error_not_replaced(run_page, tmp_path, monkeypatch):
    path = app_file(make_db(tmp_path, survey_responses=team_of("a", 6), teams=[{"team": "a"}]))
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "1O")
    at = run_page(path, PAGE, query=QUERY)
    assert_no_exception(at)
    assert any("PILLARS_ANONYMITY_THRESHOLD is '1O'" in e.value for e in at.error)
    assert not at.metric
