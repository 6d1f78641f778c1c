"""Answer scales decided from a question's whole column, and eNPS recognised by its answers.

Issue 11, inputs 1 and 2. Every expected score is the position on the scale mapped onto
1–5 as lib/survey_scale.py documents (5-point: the position; 7-point: 1 + (p − 1) × 4 ÷ 6).
"""

from __future__ import annotations

import pytest

from lib import survey_scale as scale

SD, SWD, N, SWA, SA = (
    "Strongly disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Strongly agree",
)


def test_the_five_somewhat_labels_are_the_five_point_scale_not_the_seven_point_one():
    decision = scale.decide([SA, SWA, SWA, N, SD, SWD, SWA])
    assert decision.scale.key == "agree5_somewhat" and not decision.assumed
    stored = {a: scale.score(a, decision.scale) for a in (SD, SWD, N, SWA, SA)}
    assert stored == {SD: 1, SWD: 2, N: 3, SWA: 4, SA: 5}  # Somewhat agree is favourable (>= 4)


def test_the_full_seven_point_set_is_seven_points():
    decision = scale.decide([SD, "Disagree", SWD, N, SWA, "Agree", SA])
    assert decision.scale.key == "agree7"
    assert scale.score(SWA, decision.scale) == pytest.approx(1 + 4 * 4 / 6)  # 3.67: not favourable
    assert scale.score("Agree", decision.scale) == pytest.approx(1 + 5 * 4 / 6)  # 4.33: favourable


def test_labels_that_score_alike_on_every_scale_need_no_more_evidence():
    decision = scale.decide([SD, "Neutral", SA])
    assert [scale.score(a, decision.scale) for a in (SD, "Neutral", SA)] == [1, 3, 5]


def test_a_column_that_cannot_show_its_scale_is_refused_with_its_labels_named():
    decision = scale.decide(["Agree", SA, "Agree"])
    assert decision.scale is None
    assert "'Agree', 'Strongly agree'" in decision.problem
    assert "5-point agreement" in decision.problem and "7-point agreement" in decision.problem


def test_the_file_decides_what_a_column_alone_cannot():
    siblings = scale.FileContext(label_scales=("agree5_somewhat",))
    decision = scale.decide([SWA, SA], context=siblings)
    assert decision.scale.key == "agree5_somewhat" and decision.assumed
    assert scale.score(SWA, decision.scale) == 4
    union = scale.FileContext(union_scale="agree7")
    assert scale.decide(["Agree", SA], context=union).scale.key == "agree7"
    # two other questions on two different scales say nothing about this one
    mixed = scale.FileContext(label_scales=("agree5", "agree7"), union_scale=None)
    assert scale.decide(["Agree", SA], context=mixed).problem
    assert scale.decide(["Agree", SA], context=scale.FileContext(setting="5")).scale.points == 5


def test_a_saved_choice_is_used_while_the_answers_fit_it():
    assert scale.decide(["Agree", SA], saved="agree7").scale.key == "agree7"
    # the next wave answers "Somewhat agree", which a 4-point scale has not: asked again
    refit = scale.decide(["Agree", SA, "Somewhat agree"], saved="agree4")
    assert refit.scale is None and "Somewhat agree" in refit.problem


def test_four_points_keep_agree_favourable():
    decision = scale.decide([SD, "Disagree", "Agree", SA])
    assert decision.scale.key == "agree4"
    assert [scale.score(a, decision.scale) for a in (SD, "Disagree", "Agree", SA)] == [1, 2, 4, 5]


def test_labels_from_two_scales_and_unknown_answers():
    assert "mix" in scale.decide(["Very satisfied", "Agree"]).problem
    assert scale.decide(["Agree", "Maybe"]).unknown == ("Maybe",)


def test_numbers_take_the_range_the_question_states_else_the_file_s():
    assert scale.decide(["1", "4", "5"]).scale.key == "numeric5"
    assert scale.decide(["2", "6"]).scale.key == "numeric7"
    assert scale.decide(["2", "5"], "Rate your week (1-7)").scale.key == "numeric7"
    in_file = scale.decide(["2", "5"], context=scale.FileContext(numeric_max=7))
    assert in_file.scale.key == "numeric7" and in_file.assumed
    assert scale.score("5", scale.NUMERIC[7]) == pytest.approx(1 + 4 * 4 / 6)
    assert scale.score("5 - Strongly agree", scale.NUMERIC[5]) == 5
    assert "0–10" in scale.decide(["0", "9", "10"]).problem  # not an agreement scale


def test_no_answer_is_none_and_off_scale_is_an_error():
    assert scale.score("N/A", scale.NUMERIC[5]) is None and scale.score(" ", scale.NUMERIC[5]) is None
    with pytest.raises(ValueError, match="1–5"):
        scale.score("6", scale.NUMERIC[5])
    assert scale.decide(["", "N/A"]).empty


@pytest.mark.parametrize(
    "answers, header, expected",
    [
        (["3", "9", "10"], "", True),  # 9 and 10 are off a 1–7 scale
        (["0", "5"], "", True),
        (["5", "6"], "How likely … place to work? (0-10)", True),
        (["10 - Extremely likely", "4"], "", True),
        (["1", "2", "4", "5"], "", None),  # 1–5 answers do not show a 0–10 scale
        (["1", "5"], "How likely … (1-5)", False),
        (["Agree", "Strongly agree"], "", False),
    ],
)
def test_enps_is_recognised_by_its_answers_range(answers, header, expected):
    assert scale.enps_range(answers, header)[0] is expected


def test_enps_scores():
    assert scale.enps_score("10 - Extremely likely") == 10 and scale.enps_score("0") == 0
    assert scale.enps_score("Prefer not to say") is None
    with pytest.raises(ValueError):
        scale.enps_score("11")
