"""The anonymity guarantee (SPEC §6), attacked rather than asserted.

The fixture (tests/unit/survey_fixture.py) has a team of 3 respondents, `cygnus`, and a
threshold of 5. Every filter the app offers resolves to a set of teams, so the tests
publish every figure for every set of teams (all 2^5 combinations, plus no filter) and
then try to recover cygnus: one figure minus another, a total minus the shown teams,
and a black-box check that changing cygnus's answers changes no filtered figure.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib import anonymity
from lib.views import engagement, engagement_detail
from tests.unit.fixtures import make_db, scope
from tests.unit.survey_fixture import QUESTIONS, SIZES, SMALL_TEAM, TEAMS, survey_rows

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "2025-Q3"
K = 5
TEAM_NAMES = [t["team"] for t in TEAMS]
SCOPES = [None] + [
    tuple(c) for r in range(1, len(TEAM_NAMES) + 1) for c in itertools.combinations(TEAM_NAMES, r)
]
DIMS = sorted(set(QUESTIONS.values()))


def build(tmp_path, small_score=None):
    rows = survey_rows()
    if small_score is not None:
        for row in rows:
            if row["team"] == SMALL_TEAM:
                row["score"] = small_score if row["dimension"] != "enps" else 0
    return make_db(tmp_path, teams=TEAMS, survey_responses=rows)


def published(con) -> list[dict]:
    """Every figure the page, the catalog and the CLI can show, for every team set."""
    out = []
    for teams in SCOPES:
        s = scope("2025-07-01", "2025-10-01", teams=teams)
        summary = engagement.engagement_summary(con, s)
        out.append(
            {
                "scope": teams,
                "kind": "summary",
                "dim": "*",
                "n": summary["respondents"],
                "value": (
                    summary["index"],
                    summary["enps"],
                    json.dumps(summary["favorability"], sort_keys=True),
                ),
            }
        )
        dims = engagement_detail.dimensions(con, s, SURVEY)
        for _, d in dims.iterrows():
            value = d["enps"] if d["dimension"] == "enps" else d["favorable"]
            out.append(
                {
                    "scope": teams,
                    "kind": "dimension",
                    "dim": d["dimension"],
                    "n": d["respondents"],
                    "value": value,
                }
            )
        for _, c in engagement_detail.heatmap(con, s, SURVEY).iterrows():
            out.append(
                {
                    "scope": (c["team"],),
                    "kind": "cell",
                    "dim": c["dimension"],
                    "n": c["respondents"],
                    "value": c["value"],
                    "via": teams,
                }
            )
        for _, t in engagement_detail.delivery_link(con, s, SURVEY).iterrows():
            out.append(
                {
                    "scope": (t["team"],),
                    "kind": "link",
                    "dim": "psychological_safety",
                    "n": t["respondents"],
                    "value": t["psychological_safety"],
                }
            )
    return out


def shown(f) -> bool:
    return f["n"] is not None and f["n"] == f["n"]  # not None / NaN


def members(f) -> frozenset:
    return frozenset(f["scope"]) if f["scope"] is not None else frozenset([*TEAM_NAMES, None])


def favourable_count(f):
    """What an attacker gets from a shown figure: respondents and favourable answers
    (every fixture respondent answers one question per dimension, so answers = respondents)."""
    return round(f["value"] * f["n"], 6)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    con = build(tmp_path_factory.mktemp("anon"))
    figures = published(con)
    yield con, figures
    con.close()


def small_truth(con):
    return {
        dim: con.execute(
            "select count(*), count(*) filter (where score >= 4) from survey_responses where team = ? and dimension = ?",
            [SMALL_TEAM, dim],
        ).fetchone()
        for dim in DIMS
    }


def test_no_shown_figure_covers_fewer_than_threshold_respondents(world):
    _, figures = world
    for f in figures:
        if shown(f):
            assert f["n"] >= K, f
        else:
            assert f["value"] is None or f["value"] != f["value"] or f["kind"] == "summary", f


def test_the_small_team_is_hidden_everywhere_with_a_reason(world):
    con, figures = world
    cells = [f for f in figures if f["kind"] in ("cell", "link") and f["scope"] == (SMALL_TEAM,)]
    assert cells and all(not shown(f) for f in cells)
    heat = engagement_detail.heatmap(con, scope("2025-07-01", "2025-10-01"), SURVEY)
    reasons = heat.loc[heat["team"] == SMALL_TEAM, "suppressed_reason"]
    assert set(reasons) == {"fewer than 5 respondents"}
    only = engagement.engagement_summary(con, scope("2025-07-01", "2025-10-01", teams=(SMALL_TEAM,)))
    assert only["respondents"] is None and only["index"] is None and only["enps"] is None


def test_complementary_suppression_hides_the_next_smallest_team(world):
    con, _ = world
    plan = anonymity.plan(con)
    hidden = plan.hidden_teams(SURVEY)
    # cygnus (3) and the one respondent without a team pool 4 < 5: draco (6), the next smallest, goes too
    assert hidden == {
        SMALL_TEAM: anonymity.PRIMARY,
        anonymity.NO_TEAM: anonymity.UNASSIGNED,
        "draco": anonymity.COMPLEMENTARY,
    }
    heat = engagement_detail.heatmap(con, scope("2025-07-01", "2025-10-01"), SURVEY)
    reason = set(heat.loc[heat["team"] == "draco", "suppressed_reason"])
    assert reason == {anonymity.reason_text(anonymity.COMPLEMENTARY, K)}


def test_no_two_nested_figures_differ_by_a_small_group(world):
    """Figure over teams S∪D minus figure over teams S: D must not be a group under the threshold."""
    _, figures = world
    for dim in DIMS:
        pool = [f for f in figures if f["dim"] == dim and f["kind"] != "summary" and shown(f)]
        for a, b in itertools.permutations(pool, 2):
            if members(b) < members(a):
                gap = a["n"] - b["n"]
                assert gap == 0 or gap >= K, (dim, a, b)


def test_one_filter_against_another_never_recovers_the_small_team(world):
    """Any difference of two shown figures, nested or not, is checked against cygnus's truth."""
    con, figures = world
    truth = small_truth(con)
    for dim in DIMS:
        if dim == "enps":
            continue
        pool = {(f["n"], favourable_count(f)) for f in figures if f["dim"] == dim and shown(f)}
        for (n1, f1), (n2, f2) in itertools.permutations(pool, 2):
            assert (n1 - n2, round(f1 - f2, 6)) != truth[dim], (dim, n1, f1, n2, f2)


def test_totals_minus_shown_teams_leave_at_least_threshold_respondents(world):
    con, figures = world
    truth = small_truth(con)
    cells = {(f["scope"][0], f["dim"]): f for f in figures if f["kind"] == "cell" and f["via"] is None}
    for f in figures:
        if f["kind"] != "dimension" or not shown(f):
            continue
        inside = [
            cells[(t, f["dim"])] for t in members(f) if (t, f["dim"]) in cells and shown(cells[(t, f["dim"])])
        ]
        remainder = f["n"] - sum(c["n"] for c in inside)
        assert remainder == 0 or remainder >= K, (f, remainder)
        if f["dim"] != "enps":
            rest = round(favourable_count(f) - sum(favourable_count(c) for c in inside), 6)
            assert (remainder, rest) != truth[f["dim"]]


def test_changing_the_small_teams_answers_changes_no_filtered_figure(tmp_path, world):
    """Black box: a filtered figure that doesn't move when cygnus's answers move can't reveal them."""
    _, before = world
    con = build(tmp_path, small_score=1)
    after = published(con)
    con.close()
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        if a["kind"] == "summary" and a["scope"] is None:
            continue  # the whole organisation includes everyone; covered by the remainder test
        if a["kind"] == "dimension" and a["scope"] is None:
            continue
        assert (a["n"], a["value"]) == (b["n"], b["value"]) or (a["n"] != a["n"] and b["n"] != b["n"]), (a, b)


def test_threshold_is_configurable_but_never_below_three(tmp_path, monkeypatch):
    con = make_db(tmp_path)
    assert anonymity.threshold(con) == 5
    con.execute("insert into settings values ('anonymity_threshold', '7')")
    assert anonymity.threshold(con) == 7
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "2")
    assert anonymity.threshold(con) == 3


def test_a_raised_threshold_hides_more(tmp_path, monkeypatch):
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", "8")
    con = build(tmp_path)
    hidden = anonymity.plan(con).hidden_teams(SURVEY)
    assert {t for t, n in SIZES.items() if t and n < 8} <= set(hidden)


def test_cli_metrics_are_null_for_the_small_team_and_its_complement(tmp_path):
    con = build(tmp_path)
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    for team, expect_null in ((SMALL_TEAM, True), ("draco", True), ("eridanus", False)):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "lib",
                "metrics",
                "--db",
                path,
                "--start",
                "2025-07-01",
                "--end",
                "2025-10-01",
                "--team",
                team,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        eng = json.loads(out.stdout)["engagement"]
        assert (eng["index"] is None and eng["enps"] is None and eng["respondents"] is None) == expect_null, (
            team,
            eng,
        )
