"""Engagement keys: latest survey, eNPS, favourability, index, participation, anonymity."""

from __future__ import annotations

import pytest

from lib import db
from lib.views import engagement
from tests.unit.fixtures import make_db, scope

PERIOD = ("2025-01-01", "2025-04-01")


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def answers(survey_id, date, team, respondent, ps, au, enps, growth=None):
    rows = [
        dict(
            survey_id=survey_id,
            survey_date=date,
            respondent_id=respondent,
            team=team,
            question_id="ps1",
            dimension="psychological_safety",
            score=ps,
        ),
        dict(
            survey_id=survey_id,
            survey_date=date,
            respondent_id=respondent,
            team=team,
            question_id="au1",
            dimension="autonomy",
            score=au,
        ),
        dict(
            survey_id=survey_id,
            survey_date=date,
            respondent_id=respondent,
            team=team,
            question_id="e1",
            dimension="eNPS",
            score=enps,
        ),
    ]
    if growth is not None:
        rows.append(
            dict(
                survey_id=survey_id,
                survey_date=date,
                respondent_id=respondent,
                team=team,
                question_id="gr1",
                dimension="growth",
                score=growth,
            )
        )
    return rows


def wave(survey_id, date, team, first, ps, au, enps):
    out = []
    for i, (p, a, e) in enumerate(zip(ps, au, enps, strict=True)):
        out += answers(survey_id, date, team, f"{survey_id}-{team}-{first + i}", p, a, e)
    return out


RESPONSES = [
    # s1 at the period start (included): 5 respondents of team a, all favourable, all promoters
    *wave("s1", "2025-01-01", "a", 0, [5] * 5, [5] * 5, [10] * 5),
    # s2, the latest in the period
    *wave("s2", "2025-03-10", "a", 0, [5, 4, 4, 2, 3], [4, 4, 1, 2, 5], [10, 9, 8, 6, 0]),
    *wave("s2", "2025-03-10", "b", 5, [5, 5, 1, 2, 4], [3, 3, 3, 3, 5], [9, 9, 9, 9, 7]),
    # s3 exactly at the period end: out
    *wave("s3", "2025-04-01", "a", 0, [1] * 5, [1] * 5, [0] * 5),
]
EMPLOYEES = (
    [dict(employee_id=f"a{i}", team="a", hire_date="2020-01-01") for i in range(10)]
    + [dict(employee_id=f"b{i}", team="b", hire_date="2020-01-01") for i in range(10)]
    # left on the survey date: not active on it; hired the day after: not yet
    + [dict(employee_id="a-left", team="a", hire_date="2020-01-01", termination_date="2025-03-10")]
    + [dict(employee_id="b-new", team="b", hire_date="2025-03-11")]
)


@pytest.fixture
def con(tmp_path):
    return make_db(tmp_path, survey_responses=RESPONSES, employees=EMPLOYEES)


def test_latest_survey_whole_org(con):
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["survey_id"] == "s2"
    assert got["respondents"] == 10
    # 10 respondents ÷ 20 employees active on 2025-03-10
    assert got["participation_rate"] == pytest.approx(0.5)
    # eNPS scores 10 9 8 6 0 9 9 9 9 7: promoters 6, detractors (6, 0) 2 → 100 × (6 − 2) ÷ 10
    assert got["enps"] == pytest.approx(40.0)
    # psychological safety 4–5: a 5 4 4, b 5 5 4 → 6 of 10; autonomy: a 4 4 5, b 5 → 4 of 10
    assert got["favorability"] == pytest.approx({"psychological_safety": 0.6, "autonomy": 0.4})
    # index over all 20 Likert answers: 6 + 4 favourable → 0.5
    assert got["index"] == pytest.approx(0.5)


def test_team_filter(con):
    got = engagement.engagement_summary(con, scope(*PERIOD, teams=("b",)))
    assert got["respondents"] == 5
    assert got["participation_rate"] == pytest.approx(0.5)  # 5 ÷ 10 active in b
    # b's eNPS 9 9 9 9 7: 4 promoters, 0 detractors → 100 × 4 ÷ 5 = 80
    assert got["enps"] == pytest.approx(80.0)
    # b: ps 5 5 4 of 5 → 0.6; autonomy only 5 → 0.2; index 4 of 10 → 0.4
    assert got["favorability"] == pytest.approx({"psychological_safety": 0.6, "autonomy": 0.2})
    assert got["index"] == pytest.approx(0.4)


def test_waves_in_period_start_included_end_excluded(con):
    frame = engagement.engagement_by_wave(con, scope(*PERIOD))
    assert list(frame["survey_id"]) == ["s1", "s2"]
    # s1: all promoters → +100; all favourable → 1.0; 5 respondents of 21 active on 2025-01-01
    first = frame.iloc[0]
    assert first["enps"] == pytest.approx(100.0)
    assert first["engagement_index"] == pytest.approx(1.0)
    assert first["participation_rate"] == pytest.approx(5 / 21)


def _small_survey(tmp_path, respondents: int, **tables):
    rows = wave("s", "2025-02-01", "a", 0, [5] * respondents, [4] * respondents, [9] * respondents)
    return make_db(tmp_path, survey_responses=rows, **tables)


def test_four_respondents_are_suppressed_with_threshold_5(tmp_path):
    got = engagement.engagement_summary(_small_survey(tmp_path, 4), scope(*PERIOD))
    assert got["survey_id"] == "s"
    for key in ("respondents", "participation_rate", "enps", "index"):
        assert got[key] is None, key
    assert all(v is None for v in got["favorability"].values())


def test_five_respondents_are_shown_and_participation_needs_employees(tmp_path):
    got = engagement.engagement_summary(_small_survey(tmp_path, 5), scope(*PERIOD))
    assert got["respondents"] == 5
    assert got["enps"] == pytest.approx(100.0)
    assert got["index"] == pytest.approx(1.0)
    assert got["participation_rate"] is None  # no employees table rows


def test_threshold_setting_is_honoured(tmp_path):
    con = _small_survey(tmp_path, 4)
    db.set_setting(con, "anonymity_threshold", "4")
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["respondents"] == 4
    assert got["enps"] == pytest.approx(100.0)


def test_dimension_below_threshold_is_suppressed(tmp_path):
    rows = []
    for i in range(5):
        rows += answers("s", "2025-02-01", "a", f"r{i}", 5, 4, 9, growth=5 if i < 3 else None)
    got = engagement.engagement_summary(make_db(tmp_path, survey_responses=rows), scope(*PERIOD))
    assert got["respondents"] == 5
    assert got["favorability"]["growth"] is None  # 3 respondents < 5


def test_no_survey_in_period(con):
    got = engagement.engagement_summary(con, scope("2030-01-01", "2030-02-01"))
    assert got["survey_id"] is None
    assert got["respondents"] is None
    assert got["favorability"] == {}


def test_a_hidden_team_still_names_its_survey(tmp_path):
    rows = wave("s", "2025-02-01", "a", 0, [5] * 5, [4] * 5, [9] * 5)
    rows += wave("s", "2025-02-01", "c", 5, [5] * 3, [4] * 3, [9] * 3)
    con = make_db(tmp_path, survey_responses=rows)
    # c (3 respondents) is hidden; a is hidden with it so that org − a cannot reveal c
    for team in ("c", "a"):
        got = engagement.engagement_summary(con, scope(*PERIOD, teams=(team,)))
        assert got["survey_id"] == "s"
        assert (got["respondents"], got["enps"], got["index"]) == (None, None, None)
    whole = engagement.engagement_summary(con, scope(*PERIOD))
    assert whole["respondents"] == 8


# ---------------------------------------------------------------- every key by value, awkward survey
# One survey answered on two days: a (6 people, 1 March), b (5) and c (2) on 3 March, and
# a respondent of a whose scores are all empty. Two dimensions and eNPS; a4 and a5 skip
# autonomy, a2 and a3 skip eNPS. c (2) is hidden, and b with it (c alone would otherwise
# be the organisation minus a minus b).
AWKWARD = {
    # person: (team, date, psychological_safety, autonomy, eNPS)
    "a0": ("a", "2025-03-01", 5, 4, 10), "a1": ("a", "2025-03-01", 4, 4, 9),
    "a2": ("a", "2025-03-01", 4, 4, None), "a3": ("a", "2025-03-01", 3, 4, None),
    "a4": ("a", "2025-03-01", 2, None, 6), "a5": ("a", "2025-03-01", 1, None, 0),
    "a6": ("a", "2025-03-01", None, None, None),
    "b0": ("b", "2025-03-03", 5, 2, 9), "b1": ("b", "2025-03-03", 5, 2, 9), "b2": ("b", "2025-03-03", 5, 2, 8),
    "b3": ("b", "2025-03-03", 5, 2, 7), "b4": ("b", "2025-03-03", 1, 2, 3),
    "c0": ("c", "2025-03-03", 5, 5, 10), "c1": ("c", "2025-03-03", 5, 5, 10),
}  # fmt: skip


@pytest.fixture
def awkward(tmp_path):
    rows = []
    for pid, (team, date, ps, au, enps) in AWKWARD.items():
        for question, dimension, score in (("ps1", "psychological_safety", ps), ("au1", "autonomy", au),
                                           ("e1", "eNPS", enps)):  # fmt: skip
            rows.append(dict(survey_id="s", survey_date=date, respondent_id=pid, team=team,
                             question_id=question, dimension=dimension, score=score))  # fmt: skip
    staff = [dict(employee_id=f"{t}{i}", team=t, hire_date="2020-01-01") for t, n in (("a", 10), ("b", 6), ("c", 4))
             for i in range(n)]  # fmt: skip
    return make_db(tmp_path, survey_responses=rows, employees=staff, teams=[{"team": t} for t in "abc"])


def test_every_engagement_key_by_value_for_the_whole_organisation(awkward):
    from lib import metrics

    # The period starts on 2 March: a's answers of 1 March still count (the whole survey).
    got = metrics.catalog(awkward, scope("2025-03-02", "2025-04-01"))["engagement"]
    assert got["survey_id"] == "s"
    assert got["respondents"] == 13  # a6 left every score blank: counts for nothing
    assert got["participation_rate"] == pytest.approx(13 / 20)
    # psychological safety: 13 answers, favourable a 5 4 4, b 5 5 5 5, c 5 5 → 9
    # autonomy: 11 answers, favourable a 4 4 4 4, c 5 5 → 6
    assert got["favorability"] == pytest.approx({"psychological_safety": 9 / 13, "autonomy": 6 / 11})
    # eNPS: 11 answers; promoters a 10 9, b 9 9, c 10 10 → 6; detractors a 6 0, b 3 → 3
    assert got["enps"] == pytest.approx(100 * (6 - 3) / 11)
    assert got["index"] == pytest.approx((9 + 6) / (13 + 11))


def test_every_engagement_key_by_value_for_one_team(awkward):
    from lib import metrics

    got = metrics.catalog(awkward, scope("2025-03-02", "2025-04-01", teams=("a",)))["engagement"]
    assert got["respondents"] == 6
    assert got["participation_rate"] == pytest.approx(6 / 10)
    # a's autonomy (4 people) and eNPS (4 people) are under the threshold
    assert got["favorability"] == {"psychological_safety": pytest.approx(3 / 6), "autonomy": None}
    assert got["enps"] is None
    assert got["index"] == pytest.approx(3 / 6)  # over a's shown cells: psychological safety only
    for team in ("b", "c"):  # c is small, b is hidden with it
        hidden = metrics.catalog(awkward, scope("2025-03-02", "2025-04-01", teams=(team,)))["engagement"]
        assert hidden["survey_id"] == "s"
        assert [hidden[k] for k in ("respondents", "participation_rate", "enps", "index")] == [None] * 4


def test_reasons_name_who_counts(awkward):
    got = engagement.engagement_summary(awkward, scope("2025-03-02", "2025-04-01", teams=("a",)))
    assert got["reasons"] == {
        "enps": "fewer than 5 people answered the eNPS question",
        "favorability.autonomy": "fewer than 5 people gave a score on autonomy",
    }
    both = engagement.engagement_summary(awkward, scope("2025-03-02", "2025-04-01", teams=("b", "c")))
    assert both["reasons"]["respondents"] == (
        "fewer than 5 respondents in some teams of this selection, and the others hidden so that a group "
        "of fewer than 5 people can't be worked out by subtraction"
    )
