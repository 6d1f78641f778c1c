"""The question bank and the answer scales."""

from __future__ import annotations

import pytest

from lib import question_bank as bank


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


def test_recommend_statements_are_agreement_items_not_the_enps_question():
    assert not bank.is_enps_question("I would recommend Acme as a great place to work")
    assert bank.match("I would recommend Acme as a great place to work") is None
    assert bank.is_enps_question("How likely is it you would recommend Acme to a friend as a place to work?")
    assert bank.is_enps_question("Would you recommend Acme as a place to work? (0-10)")


def test_qualtrics_matrix_items_match_on_their_statement():
    header = "How much do you agree with the following statements? - It is safe to take a risk on this team."
    assert bank.match(header).question_id == "ps4"
    assert bank.match("I can decide how to approach my work. - Selected Choice").question_id == "au1"
