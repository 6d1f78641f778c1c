"""Survey anonymity (SPEC §6), case by case: the threshold setting, who counts, the plan,
the period, and a wave whose data grows. Each case of issue 8 is one test here; the
random search for anything else is tests/unit/test_anonymity_adversarial.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lib import anonymity, db
from lib.anonymity import COMPLEMENTARY, INDEX, NO_TEAM, PRIMARY, UNASSIGNED
from lib.views import engagement, engagement_detail
from tests.unit.fixtures import insert, make_db, scope

ROOT = Path(__file__).resolve().parents[2]
PERIOD = ("2025-01-01", "2025-04-01")
LIKERT = ("psychological_safety", "autonomy", "trust")


@pytest.fixture(autouse=True)
def _default_threshold(monkeypatch):
    monkeypatch.delenv("PILLARS_ANONYMITY_THRESHOLD", raising=False)


def person(pid, team, likert=(4, 4, 4), enps=9, survey="s1", date="2025-03-01") -> list[dict]:
    """One respondent's rows: a score per Likert dimension (None: left blank) and eNPS."""
    rows = [
        {
            "survey_id": survey,
            "survey_date": date,
            "respondent_id": pid,
            "team": team,
            "question_id": d[:2],
            "dimension": d,
            "score": s,
        }  # fmt: skip
        for d, s in zip(LIKERT, likert, strict=True)
    ]
    rows.append(
        {
            "survey_id": survey,
            "survey_date": date,
            "respondent_id": pid,
            "team": team,
            "question_id": "enps",
            "dimension": "eNPS",
            "score": enps,
        }  # fmt: skip
    )
    return rows


def team_of(team, n, first=0, **kwargs) -> list[dict]:
    return [r for i in range(first, first + n) for r in person(f"{team}{i}", team, **kwargs)]


# ------------------------------------------------------------------ the threshold (issue item 5)


def test_threshold_default_setting_and_variable(tmp_path, monkeypatch):
    con = make_db(tmp_path)
    assert anonymity.threshold(con) == 5
    db.set_setting(con, "anonymity_threshold", "7")
    assert anonymity.threshold(con) == 7
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", " 10 ")
    assert anonymity.threshold(con) == 10


@pytest.mark.parametrize("raw", ["1O", "2", "3.5", "", " ", "-5", "five", "0"])
def test_a_malformed_variable_is_an_error_naming_it(tmp_path, monkeypatch, raw):
    monkeypatch.setenv("PILLARS_ANONYMITY_THRESHOLD", raw)
    with pytest.raises(anonymity.ThresholdError, match="PILLARS_ANONYMITY_THRESHOLD") as error:
        anonymity.threshold(make_db(tmp_path))
    assert "at least 3" in str(error.value) or "can't be below 3" in str(error.value)


@pytest.mark.parametrize("raw", ["1O", "2", "3.5", ""])
def test_a_malformed_setting_is_an_error_and_no_figure_is_computed(tmp_path, raw):
    con = make_db(tmp_path, survey_responses=team_of("a", 6))
    db.set_setting(con, "anonymity_threshold", raw)
    with pytest.raises(anonymity.ThresholdError, match="anonymity_threshold"):
        engagement.engagement_summary(con, scope(*PERIOD))


def test_the_cli_refuses_a_malformed_threshold_without_a_traceback(tmp_path):
    con = make_db(tmp_path, survey_responses=team_of("a", 6))
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    result = subprocess.run(
        [sys.executable, "-m", "lib", "metrics", "--db", path, "--start", PERIOD[0], "--end", PERIOD[1]],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PILLARS_ANONYMITY_THRESHOLD": "1O"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "PILLARS_ANONYMITY_THRESHOLD is '1O'" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


# ------------------------------------------------------------------ who counts (items 1 and 2)


def test_enps_counts_the_people_who_answered_it(tmp_path):
    """Issue case 1: ten respondents, two answer eNPS (0 and 10): eNPS is hidden, not 0."""
    rows = team_of("a", 10, enps=None)
    rows = [r for r in rows if r["score"] is not None or r["dimension"] != "eNPS"]
    rows += person("a0", "a", enps=0)[-1:] + person("a1", "a", enps=10)[-1:]
    con = make_db(tmp_path, survey_responses=rows)
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["enps"] is None
    assert got["reasons"]["enps"] == "fewer than 5 people answered the eNPS question"
    assert got["respondents"] == 10 and got["index"] == pytest.approx(1.0)
    dims = engagement_detail.dimensions(con, scope(*PERIOD), "s1").set_index("dimension")
    assert pd.isna(dims.loc["enps", "enps"]) and pd.isna(dims.loc["enps", "respondents"])
    assert dims.loc["enps", "suppressed_reason"] == "fewer than 5 people answered the eNPS question"


def test_a_respondent_without_scores_counts_for_nothing(tmp_path):
    """Issue case 2: four people with scores and one whose scores are all empty."""
    rows = team_of("a", 4, likert=(5, 5, 5), enps=10) + person("blank", "a", likert=(None,) * 3, enps=None)
    con = make_db(tmp_path, survey_responses=rows)
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert got["survey_id"] == "s1"
    assert (got["respondents"], got["enps"], got["index"]) == (None, None, None)
    assert got["reasons"]["respondents"] == "fewer than 5 respondents"
    # One more person with a score: now five people count.
    insert(con, "survey_responses", person("e", "a", likert=(5, 5, 5), enps=10))
    got = engagement.engagement_summary(con, scope(*PERIOD))
    assert (got["respondents"], got["enps"], got["index"]) == (5, 100.0, 1.0)


def test_a_dimension_counts_the_people_with_a_score_on_it_on_every_view(tmp_path):
    """Per-dimension threshold on the detail page: trust answered by 3 of 8."""
    rows = [r for i in range(8) for r in person(f"a{i}", "a", likert=(4, 2, 5 if i < 3 else None))]
    rows += team_of("b", 6)
    con = make_db(tmp_path, survey_responses=rows, teams=[{"team": "a"}, {"team": "b"}])
    s = scope(*PERIOD, teams=("a",))
    dims = engagement_detail.dimensions(con, s, "s1").set_index("dimension")
    assert dims.loc["psychological_safety", "favorable"] == 1.0 and dims.loc["autonomy", "unfavorable"] == 1.0
    assert pd.isna(dims.loc["trust", "favorable"])
    assert dims.loc["trust", "suppressed_reason"] == "fewer than 5 people gave a score on trust"
    cells = engagement_detail.heatmap(con, scope(*PERIOD), "s1").set_index(["team", "dimension"])
    assert pd.isna(cells.loc[("a", "trust"), "value"])
    # b's trust goes too, or the whole organisation's trust minus b's would give a's three
    assert pd.isna(cells.loc[("b", "trust"), "value"])
    assert cells.loc[("b", "trust"), "suppressed_reason"] == anonymity.reason_text(COMPLEMENTARY, 5)
    assert cells.loc[("b", "autonomy"), "value"] == 1.0
    got = engagement.engagement_summary(con, s)
    assert got["favorability"]["trust"] is None and got["favorability"]["psychological_safety"] == 1.0
    # a's index pools only its shown cells: psychological safety 8 × 4, autonomy 8 × 2
    assert got["index"] == pytest.approx(0.5)


# ------------------------------------------------------------------ the plan


def plan_of(rows: list[dict], k: int = 5) -> anonymity.Decisions:
    frame = pd.DataFrame(rows)
    frame["dimension"] = frame["dimension"].str.replace("eNPS", "enps")
    frame = frame[frame["score"].notna()].drop_duplicates(["respondent_id", "dimension"])
    return anonymity.plan_release(frame[["respondent_id", "dimension", "team"]], k)


def test_a_small_team_and_the_next_smallest_are_hidden_and_no_team_is_unassigned():
    rows = team_of("a", 9) + team_of("b", 7) + team_of("c", 3) + team_of("d", 6) + person("x", None)
    plan = plan_of(rows)
    # c (3) and the respondent without a team pool 4 < 5: d (6), the next smallest, goes too
    assert plan.teams == {"c": PRIMARY, NO_TEAM: UNASSIGNED, "d": COMPLEMENTARY}
    assert {t for t, _ in plan.cells} == {"c", "d", NO_TEAM}
    assert plan.org == {}


def test_a_column_with_one_small_cell_hides_the_next_smallest_cell():
    rows = [r for i in range(6) for r in person(f"a{i}", "a", likert=(4, 4, 4 if i < 2 else None))]
    rows += [r for i in range(7) for r in person(f"b{i}", "b")] + [
        r for i in range(9) for r in person(f"c{i}", "c")
    ]
    plan = plan_of(rows)
    assert plan.teams == {}
    assert plan.cells == {("a", "trust"): PRIMARY, ("b", "trust"): COMPLEMENTARY}


def test_a_dimension_too_few_answer_hides_it_and_pools_the_index():
    rows = [r for i in range(10) for r in person(f"a{i}", "a", likert=(4, 4, 4 if i < 2 else None))]
    rows += [r for i in range(10) for r in person(f"b{i}", "b", likert=(4, 4, None))]
    plan = plan_of(rows)
    # trust (2 people) is hidden organisation-wide; the index alone would carry those two,
    # so another dimension is hidden organisation-wide with some of its cells
    assert plan.org["trust"] == PRIMARY and INDEX not in plan.org
    pooled = [d for d, kind in plan.org.items() if kind == COMPLEMENTARY]
    assert len(pooled) == 1
    hidden_people = {("a", "trust")} | {c for c in plan.cells if c[1] == pooled[0]}
    assert sum(10 if t in "ab" else 0 for t, d in hidden_people if d == pooled[0]) + 2 >= 5


def test_plan_groups_for_other_pillars():
    assert anonymity.plan_groups({"a": 3, "b": 8, "c": 12}, 5) == {"a": PRIMARY, "b": COMPLEMENTARY}
    assert anonymity.plan_groups({"a": 5, "b": 8}, 5) == {}
    frame = pd.DataFrame({"team": ["a", "b"], "people": [3, 8], "rate": [0.5, 0.1]})
    out = anonymity.suppress(frame, "people", ["rate"], 5)
    assert pd.isna(out.loc[0, "rate"]) and out.loc[0, "suppressed_reason"] == "fewer than 5 people"
    assert out.loc[1, "rate"] == 0.1


# ------------------------------------------------------------------ the period (item 3)


def test_a_period_that_cuts_a_survey_counts_the_whole_survey(tmp_path):
    """Issue case 3: one survey dated on two days; a's two people answered on the first."""
    rows = team_of("a", 2, date="2025-03-01") + team_of("b", 6, date="2025-03-04")
    con = make_db(tmp_path, survey_responses=rows, teams=[{"team": "a"}, {"team": "b"}])
    seen = {}
    for start, end in (
        ("2025-03-01", "2025-03-02"),
        ("2025-03-04", "2025-03-05"),
        ("2025-03-01", "2025-03-10"),
    ):
        for teams in (None, ("a", "b"), ("b",), ("a",)):
            got = engagement.engagement_summary(con, scope(start, end, teams=teams))
            seen.setdefault(teams, set()).add((got["survey_id"], got["respondents"], got["enps"]))
    # every period gives the same figures: the whole survey
    assert all(len(v) == 1 for v in seen.values())
    assert seen[None] == {("s1", 8, 100.0)}
    # a (2) is hidden, and b with it (the organisation minus b would be a)
    assert seen[("a",)] == seen[("b",)] == seen[("a", "b")] == {("s1", None, None)}


# ------------------------------------------------------------------ a wave that grows (item 4)


def published_view(con, teams_list) -> dict:
    out = {}
    for teams in [None, *teams_list]:
        got = engagement.engagement_summary(con, scope(*PERIOD, teams=teams))
        out[teams] = (
            got["respondents"],
            got["enps"],
            got["index"],
            tuple(sorted(got["favorability"].items())),
        )
    cells = engagement_detail.heatmap(con, scope(*PERIOD), "s1")
    out["cells"] = tuple(
        map(tuple, cells[["team", "dimension", "respondents", "value"]].astype(str).to_numpy())
    )
    return out


TEAMS = [{"team": t} for t in "abcde"]
SCOPES = [(t,) for t in "abcde"] + [("a", "b"), ("b", "c"), ("c", "d"), ("a", "b", "c", "d", "e")]


def test_a_late_batch_of_fewer_than_threshold_people_is_held_back(tmp_path):
    """Issue case 4: a late batch into the same wave changes nothing shown, and the hidden
    set does not move; once the change reaches five people it shows, and what was hidden
    stays hidden."""
    first = (
        team_of("a", 9)
        + team_of("b", 7)
        + team_of("c", 3, likert=(5, 5, 5))
        + team_of("d", 6)
        + team_of("e", 11)
    )
    con = make_db(tmp_path, survey_responses=first, teams=TEAMS)
    before = published_view(con, SCOPES)
    hidden_before = anonymity.waves(con)["s1"].decisions
    assert hidden_before.teams == {"c": PRIMARY, "d": COMPLEMENTARY}

    late = team_of("b", 2, first=7, likert=(1, 1, 1), enps=0) + team_of(
        "c", 1, first=3, likert=(1, 1, 1), enps=0
    )
    insert(con, "survey_responses", late)
    assert published_view(con, SCOPES) == before
    wave = anonymity.waves(con)["s1"]
    assert wave.held_back and wave.decisions == hidden_before
    assert engagement_detail.current_wave(con, scope(*PERIOD))["held_back"]

    insert(con, "survey_responses", team_of("b", 3, first=9, likert=(1, 1, 1), enps=0))
    after = published_view(con, SCOPES)
    assert after[("b",)][0] == 12  # b's five new people show together
    assert after[("c",)] == before[("c",)] and after[("d",)] == before[("d",)]  # still hidden
    assert after[None][0] == before[None][0] + 5  # c's late respondent still waits
    assert anonymity.waves(con)["s1"].decisions.teams == hidden_before.teams

    # d grows to 11: once hidden, hidden for this wave
    insert(con, "survey_responses", team_of("d", 5, first=6))
    assert engagement.engagement_summary(con, scope(*PERIOD, teams=("d",)))["respondents"] is None


def test_a_corrected_score_or_a_removed_respondent_alone_is_held_back(tmp_path):
    con = make_db(tmp_path, survey_responses=team_of("a", 9) + team_of("b", 7), teams=TEAMS[:2])
    before = published_view(con, [("a",), ("b",)])
    con.execute("update survey_responses set score = 1 where respondent_id = 'a0' and dimension = 'trust'")
    assert published_view(con, [("a",), ("b",)]) == before
    con.execute("delete from survey_responses where respondent_id = 'b0'")
    assert published_view(con, [("a",), ("b",)]) == before
    assert anonymity.waves(con)["s1"].held_back


def test_a_late_import_through_the_importer_is_held_back(tmp_path):
    """The same through `import_file`, as the Data page and the CLI load a late batch."""
    from lib.ingest.load import import_file

    con = make_db(tmp_path, teams=TEAMS)
    header = "survey_id,survey_date,respondent_id,team,question_id,dimension,score\n"

    def csv(rows, name):
        file = tmp_path / name
        file.write_text(header + "".join(
            f"{r['survey_id']},{r['survey_date']},{r['respondent_id']},{r['team']},{r['question_id']},"
            f"{r['dimension']},{'' if r['score'] is None else r['score']}\n" for r in rows
        ))  # fmt: skip
        return file

    assert import_file(con, csv(team_of("a", 9) + team_of("b", 7) + team_of("c", 3), "first.csv")).ok
    before = published_view(con, [("a",), ("b",), ("c",)])
    assert import_file(con, csv(team_of("b", 2, first=7, enps=0), "late.csv")).ok
    assert published_view(con, [("a",), ("b",), ("c",)]) == before


def test_a_read_only_connection_serves_the_stored_release(tmp_path):
    import duckdb

    con = make_db(
        tmp_path, survey_responses=team_of("a", 9) + team_of("b", 7) + team_of("c", 3), teams=TEAMS[:3]
    )
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    shown = engagement.engagement_summary(con, scope(*PERIOD))
    insert(con, "survey_responses", team_of("b", 2, first=7, enps=0))  # not yet compared
    con.close()
    reader = duckdb.connect(path, read_only=True)
    assert engagement.engagement_summary(reader, scope(*PERIOD)) == shown


# ------------------------------------------------------------------ snapshots and sign-in


def _database_file(con) -> str:
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return path


def test_the_writer_releases_before_the_snapshot_and_readers_serve_that_release(tmp_path):
    """Pages read published snapshots read-only (lib/store.py): the release is cut by the writer."""
    from lib import store

    path = _database_file(make_db(tmp_path, teams=TEAMS[:3]))
    with store.writing(path) as con:
        insert(con, "survey_responses", team_of("a", 9) + team_of("b", 7) + team_of("c", 3))
    with store.reading(path) as reader:
        assert reader.execute("select count(*) from survey_releases").fetchone()[0] == 1
        before = published_view(reader, [("a",), ("b",), ("c",)])
    with store.writing(path) as con:  # a late batch of two into b
        insert(con, "survey_responses", team_of("b", 2, first=7, enps=0))
    with store.reading(path) as reader:
        assert published_view(reader, [("a",), ("b",), ("c",)]) == before
        assert anonymity.waves(reader)["s1"].held_back


def test_someone_who_may_see_some_teams_gets_their_shown_cells_only(tmp_path):
    """Signed in with a grant of a and c (c is too small): "all teams" is a's figures, and
    never a + c, which minus a would give c."""
    from lib import access, store

    path = _database_file(make_db(tmp_path, teams=TEAMS[:3]))
    with store.writing(path) as con:
        rows = team_of("a", 9) + team_of("b", 7) + team_of("c", 3, likert=(1, 1, 1), enps=0)
        insert(con, "survey_responses", rows)
    snap = store.current(path)
    full = store.open_snapshot(snap)
    only_a = engagement.engagement_summary(full, scope(*PERIOD, teams=("a",)))
    granted = access.open_restricted(snap.file, access.Grant("kim@x.io", teams=("a", "c")))
    mine = engagement.engagement_summary(granted, scope(*PERIOD))
    assert (mine["respondents"], mine["enps"], mine["index"]) == (
        only_a["respondents"],
        only_a["enps"],
        only_a["index"],
    )
    cells = engagement_detail.heatmap(granted, scope(*PERIOD), "s1")
    assert set(cells["team"]) == {"a", "c"} and cells.loc[cells["team"] == "c", "value"].isna().all()
    assert engagement.engagement_summary(granted, scope(*PERIOD, teams=("c",)))["respondents"] is None
