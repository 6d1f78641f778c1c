"""A shared link typed by hand (issue 18, item 14): filter values that differ from the data's
only in case are read as the data spells them, never dropped; a value matching nothing is
still named on the page."""

from __future__ import annotations

from lib.ui.filters import folded
from tests.app.conftest import assert_no_exception


def test_a_team_typed_in_another_case_is_the_team(demo_db_copy, run_page):
    at = run_page(demo_db_copy, "pages/delivery.py", query={"team": "PayMents"})
    assert_no_exception(at)
    team = next(m for m in at.multiselect if m.label == "Team")
    assert team.value == ["payments"]
    assert not [w for w in at.warning if "Left out of this link's view" in w.value]
    assert "Team: payments" in " ".join(c.value for c in at.caption)  # the page's filter line
    assert at.query_params["team"] == "payments"  # still in the address bar, as the data spells it


def test_a_team_that_is_gone_is_still_named(demo_db_copy, run_page):
    at = run_page(demo_db_copy, "pages/delivery.py", query={"team": ["Payments", "Team-Gone"]})
    assert_no_exception(at)
    assert next(m for m in at.multiselect if m.label == "Team").value == ["payments"]
    notices = " ".join(w.value for w in at.warning)
    assert "Team\\: Team\\-Gone" in notices  # markdown-escaped: shown as "Team: Team-Gone"
    assert "Payments" not in notices


def test_folding_never_guesses_between_two_spellings():
    assert folded(["Oslo"], ["oslo", "OSLO"]) == ["Oslo"]  # two options alike: left as written
    assert folded(["oslo"], ["oslo", "OSLO"]) == ["oslo"]
    assert folded(["PUNE"], ["Pune", "Lima"]) == ["Pune"]
    assert folded(["Paris"], ["Pune", "Lima"]) == ["Paris"]


def test_teams_written_as_a_comma_list_are_each_team(demo_db_copy, run_page):
    # a second review: "/?team=platform,Payments" dropped both and showed every team
    at = run_page(demo_db_copy, "pages/delivery.py", query={"team": "platform,Payments"})
    assert_no_exception(at)
    assert next(m for m in at.multiselect if m.label == "Team").value == ["platform", "payments"]
    assert not [w for w in at.warning if "Left out of this link's view" in w.value]
    assert "Team: platform, payments" in " ".join(c.value for c in at.caption)  # the page's filter line
