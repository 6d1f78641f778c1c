"""The adversarial test of survey anonymity (SPEC §6, issue 8): random surveys, every
number published in every state of their data, and every attack we know (differences,
and the linear system of all published counts and sums). See tests/unit/adversary.py.

Seeded: the same seeds give the same worlds. `PILLARS_ADVERSARY_SEEDS=40` runs more.
"""

from __future__ import annotations

import os

import pytest

from tests.unit import adversary
from tests.unit.fixtures import make_db

K = 5
SEEDS = range(int(os.environ.get("PILLARS_ADVERSARY_SEEDS", "3")))


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def run_world(
    tmp_path, seed: int, states: int | None = None, light: bool = False
) -> tuple[list, list[str], list[str]]:
    """(figures, consistency problems, leaks) of one random world over its first `states`
    states (all by default); `light`: see `adversary.published`."""
    world = adversary.random_world(seed, k=K)
    tmp_path.mkdir(parents=True, exist_ok=True)
    con = make_db(tmp_path, teams=world.teams, employees=world.employees)
    con.execute("set threads = 1")  # tiny queries: one thread is quicker than many
    figures, checks, rows = [], [], {}
    for state in range(states or len(world.states)):
        adversary.apply_state(con, world, state)
        figures += adversary.published(con, world, state, checks, light)
        rows[state] = adversary.claimed(con)
        adversary.check_genuine(rows[state], world, state, checks)
    groups = adversary.groups(figures, rows, K, checks)
    con.close()
    return figures, checks, adversary.attack(groups, K)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_group_under_the_threshold_can_be_worked_out(tmp_path, seed):
    figures, checks, leaks = run_world(tmp_path, seed)
    assert checks == []
    assert leaks == []
    shown = [f for f in figures if f.n is not None and f.n == f.n]
    assert shown, "the world published nothing: the test would prove nothing"


# ------------------------------------------------------------------ the test can fail
# Each protection switched off must let the adversary in. The plan and the release check
# protect twice (the check hides every team of a first release whose plan would leak),
# so a plan mutation is tested with the check off too.


def _no_release_check(monkeypatch):
    import pandas as pd

    from lib.anonymity import new_release

    monkeypatch.setattr(new_release, "new_small_atoms", lambda *a, **k: pd.DataFrame(columns=["respondents"]))


def _leaks_in_some_world(tmp_path, states=None) -> list[str]:
    for seed in SEEDS:
        _, _, leaks = run_world(tmp_path / str(seed), seed, states, light=True)
        if leaks:
            return leaks
    return []


def test_the_adversary_wins_without_complementary_suppression(tmp_path, monkeypatch):
    from lib.anonymity import plan

    monkeypatch.setattr(plan, "complete", lambda hidden, sizes, k: hidden)
    _no_release_check(monkeypatch)
    assert _leaks_in_some_world(tmp_path, states=1)


def test_the_adversary_wins_when_respondents_count_for_every_figure(tmp_path, monkeypatch):
    """The rule before issue 8: a figure was shown when its slice had k respondents, however
    few of them answered that question."""
    import pandas as pd

    from lib.anonymity import new_release, plan

    def respondents_count(answers, k, before=None):
        people = answers[["respondent_id", "team"]].drop_duplicates()
        everyone = people.merge(pd.DataFrame({"dimension": answers["dimension"].unique()}), how="cross")
        return plan.plan_release(everyone, k, before)

    monkeypatch.setattr(new_release, "plan_release", respondents_count)
    _no_release_check(monkeypatch)
    assert _leaks_in_some_world(tmp_path, states=1)


def test_the_adversary_wins_when_late_answers_show_at_once(tmp_path, monkeypatch):
    _no_release_check(monkeypatch)
    assert _leaks_in_some_world(tmp_path, states=2)  # the first late batch is state 1
