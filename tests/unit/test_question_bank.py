"""The question bank and the answer scales."""

from __future__ import annotations

import pytest

from lib import question_bank as bank
from lib import survey_scale as scale


def test_edmondson_items_with_the_negatively_worded_ones_reversed():
    ps = [i for i in bank.ITEMS if i.dimension == "psychological_safety"]
    assert len(ps) == 7
    assert {i.question_id for i in ps if i.reverse} == {"ps1", "ps3", "ps5"}


@pytest.mark.parametrize(
    "header, qid",
    [
        ("IF YOU MAKE A MISTAKE ON THIS TEAM, IT IS OFTEN HELD AGAINST YOU", "ps1"),
        ("How much do you agree? [It’s safe to take a risk on this team]", "ps4"),
        ("Working with members of this team, my unique skills and talents are valued and utilised.", "ps7"),
        ("How likely are you to recommend Acme Corp as a place to work?", "enps"),
        (
            "On a scale of 0-10, how likely is it that you would recommend working at Acme to a friend?",
            "enps",
        ),
        ("eNPS", "enps"),
    ],
)
def test_matching_ignores_case_punctuation_and_grid_wrappers(header, qid):
    assert bank.match(header).question_id == qid


def test_no_fuzzy_match_that_could_flip_a_meaning():
    assert bank.match("It is not safe to take a risk on this team.") is None
    assert bank.match("How likely are you to recommend our product to a friend?") is None


def test_no_gallup_q12_wording_is_shipped():
    texts = " ".join(bank.normalize_question(i.text) for i in bank.ITEMS)
    for phrase in (
        "best friend at work",
        "know what is expected of me at work",
        "opportunity to do what i do best",
    ):
        assert phrase not in texts


def test_scales():
    assert scale.likert_score("Strongly agree", 5) == 5
    assert scale.likert_score("Agree", 5, reverse=True) == 2
    assert scale.likert_score("6", 7) == pytest.approx(1 + 5 * 4 / 6)  # top two of 7 are favourable (>= 4)
    assert scale.likert_score("5", 7) < 4 <= scale.likert_score("6", 7)
    assert scale.likert_score("Somewhat agree", 7) == pytest.approx(1 + 4 * 4 / 6)
    assert scale.likert_score("N/A", 5) is None
    assert scale.likert_points(["Agree", "Somewhat agree"]) == 7
    assert scale.likert_points(["4", "6"]) == 7 and scale.likert_points(["4", "5"]) == 5
    assert scale.enps_score("10 - Extremely likely") == 10
    with pytest.raises(ValueError):
        scale.likert_score("Maybe", 5)
