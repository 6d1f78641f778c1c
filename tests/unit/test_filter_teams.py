"""Teams named in imported data fill the sidebar filters without a teams file (issue 18, item 4).

A team named only in deployments, work items, employees… is offered under "(no org)", and
choosing it (or "(no org)") finds its rows. Placeholder names the importer stores for rows
without a team ("(all teams)", "(no team)") are never offered.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lib import db
from lib.ingest.load import import_file
from lib.scope import Scope, filter_options, resolve_teams
from lib.views.delivery import dora_summary


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.delenv("PILLARS_SALT", raising=False)
    con = db.connect(tmp_path / "db" / "pillars.duckdb")
    yield con
    con.close()


def load(con, folder, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text)
    result = import_file(con, path)
    assert result.ok, result.summary()


def _without_a_teams_file(con, folder) -> None:
    load(
        con,
        folder,
        "deployments.csv",
        "deploy_id,team,environment,deployed_at,status\n"
        "d-1,payments,production,2025-09-01T10:00:00Z,success\n"
        "d-2,payments,production,2025-09-02T10:00:00Z,success\n"
        "d-3,Search,production,2025-09-03T10:00:00Z,success\n",
    )
    load(con, folder, "work_items.csv", "item_id,team,type,created_at\nW-1,Search,feature,2025-09-01\n")
    load(con, folder, "employees.csv", "employee_id,team,hire_date\ne-1,Platform,2020-01-01\n")
    load(
        con,
        folder,
        "ai_usage.csv",
        "date,team,tool,active_users\n2025-09-01,(all teams),copilot,4\n2025-09-01,(no team),copilot,1\n",
    )


def test_teams_named_only_in_imported_data_are_offered_under_no_org(con, tmp_path):
    _without_a_teams_file(con, tmp_path)
    options = filter_options(con)
    assert options["teams"] == ["payments", "Platform", "Search"]
    assert options["orgs"] == ["(no org)"]
    assert options["teams_by_org"] == {"(no org)": ["payments", "Platform", "Search"]}
    assert options["locations"] == [] and options["sourcing"] == [] and options["cohorts"] == []


def test_the_filters_find_the_rows_of_those_teams(con, tmp_path):
    _without_a_teams_file(con, tmp_path)
    assert resolve_teams(con, orgs=("(no org)",)) == ("Platform", "Search", "payments")
    assert resolve_teams(con, teams=("payments",)) == ("payments",)
    assert resolve_teams(con, acquired=("(organic)",)) == ()  # no teams file: no cohort is known
    start, end = dt.date(2025, 9, 1), dt.date(2025, 9, 8)
    for teams, deployments in ((resolve_teams(con, teams=("payments",)), 2), (("Search",), 1), (None, 3)):
        assert dora_summary(con, Scope(start, end, teams=teams))["deployments"] == deployments, teams


def test_a_teams_file_adds_orgs_and_a_team_without_org_stays_findable(con, tmp_path):
    _without_a_teams_file(con, tmp_path)
    load(con, tmp_path, "teams.csv", "team,org,location\nPayments,Commerce,Paris\nSearch,,Oslo\n")
    options = filter_options(con)
    # `payments` rows were imported before the teams file spelled it `Payments`: one team, spelled
    # as first stored, so Commerce finds its deployments (it used to list both, Commerce's empty)
    assert options["teams_by_org"] == {"(no org)": ["Platform", "Search"], "Commerce": ["payments"]}
    assert options["orgs"] == ["(no org)", "Commerce"] and options["locations"] == ["Oslo", "Paris"]
    assert resolve_teams(con, orgs=("(no org)",)) == ("Platform", "Search")
    assert resolve_teams(con, orgs=("Commerce",)) == ("payments",)
    assert resolve_teams(con, locations=("Oslo",)) == ("Search",)
    start, end = dt.date(2025, 9, 1), dt.date(2025, 9, 8)
    no_org = Scope(start, end, teams=resolve_teams(con, orgs=("(no org)",)))
    assert dora_summary(con, no_org)["deployments"] == 1  # Search's
    commerce = Scope(start, end, teams=resolve_teams(con, orgs=("Commerce",)))
    assert dora_summary(con, commerce)["deployments"] == 2  # payments': none before this fix


def test_every_tool_spells_a_team_as_first_stored(con, tmp_path):
    # Jira says `payments`, the HRIS `Payments`, PagerDuty ` PAYMENTS `: one team in the filters
    load(con, tmp_path, "work_items.csv", "item_id,team,type,created_at\nW-1,payments,feature,2025-09-01\n")
    load(
        con,
        tmp_path,
        "employees.csv",
        "employee_id,team,hire_date\ne-1,Payments,2020-01-01\ne-2,Search,2021-01-01\n",
    )
    load(con, tmp_path, "incidents.csv", "incident_id,team,started_at\ni-1, PAYMENTS ,2025-09-02T10:00:00Z\n")
    assert filter_options(con)["teams"] == ["payments", "Search"]
    stored = "select distinct team from {} order by lower(team)"
    assert con.execute(stored.format("employees")).fetchall() == [("payments",), ("Search",)]
    assert con.execute(stored.format("incidents")).fetchall() == [("payments",)]
    # a file keyed by team that spells one name two ways keeps both: folding could merge its rows
    load(
        con,
        tmp_path,
        "ai_usage.csv",
        "date,team,tool,active_users\n2025-09-01,SEARCH,copilot,4\n2025-09-01,search,copilot,1\n",
    )
    assert con.execute("select count(*) from ai_usage").fetchone()[0] == 2


def test_teams_are_offered_in_alphabetical_order_whatever_their_org(con, tmp_path):
    load(con, tmp_path, "teams.csv", "team,org\nzeta,Alpha\nalpha,Zulu\nMid,Alpha\n")
    options = filter_options(con)
    assert options["teams"] == ["alpha", "Mid", "zeta"]  # was Alpha's teams first: Mid, zeta, alpha
    assert options["teams_by_org"] == {"Alpha": ["Mid", "zeta"], "Zulu": ["alpha"]}


def test_a_filter_set_to_every_value_offered_reads_all_of_them():
    from lib.ui.filters import describe

    offered = (["Commerce", "Core"], ["a", "b", "c"], ["Oslo"], [], [])
    assert describe([], ["c", "a", "b"], [], [], [], offered=offered) == "Team: all 3"
    assert (
        describe(["Core"], ["a", "b"], ["Oslo"], [], [], offered=offered)
        == "Org: Core · Team: a, b · Location: Oslo"
    )
    assert describe([], [], [], [], []) == "All teams"
