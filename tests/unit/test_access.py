"""lib/access.py: the allow-list, and a restricted connection that sees only granted rows."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest

from lib import access
from lib.metrics import catalog
from lib.scope import resolve_teams
from tests.unit.fixtures import make_db, scope


class Org(NamedTuple):
    con: duckdb.DuckDBPyConnection
    path: Path


def _restricted(org: Org, grant):
    """The fixture's database file, opened as `grant` sees it."""
    return access.open_restricted(org.path, grant)


RULES = {
    "VP@Example.com": ["*"],
    "@commerce.example.com": ["Commerce"],
    "alex@example.com": ["platform", "team:Payments"],
    "@example.com": ["Analytics"],
}


def test_grants_by_address_and_domain_add_up_case_and_spaces_aside():
    rules = access.parse_rules(RULES)
    assert access.grant_for(" vp@EXAMPLE.com", rules) == access.Grant("vp@example.com", everything=True)
    assert access.grant_for("kim@commerce.example.com", rules) == access.Grant(
        "kim@commerce.example.com", orgs=("Commerce",)
    )
    # Address and domain together: Platform and Payments from the address, Analytics from the domain.
    assert access.grant_for("alex@example.com", rules) == access.Grant(
        "alex@example.com", orgs=("Analytics", "platform"), teams=("Payments",)
    )
    # A domain is that domain exactly, not a subdomain or a lookalike.
    assert access.grant_for("eve@sub.example.com", rules) is None
    assert access.grant_for("eve@example.com.evil.io", rules) is None
    assert access.grant_for("", rules) is None
    assert access.grant_for(None, rules) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"example.com": ["*"]}, "neither an e-mail address nor an e-mail domain"),
        ({"a@example.com": "Commerce"}, "give a list of org units"),
        ({"a@example.com": []}, "give a list of org units"),
        ({"a@example.com": ["team:"]}, "is not an org unit"),
        ({"a@example.com": [" "]}, "is not an org unit"),
    ],
)
def test_a_bad_allow_list_entry_is_named(table, message):
    with pytest.raises(ValueError, match=message) as error:
        access.parse_rules(table)
    assert repr(next(iter(table))) in str(error.value)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("", False),
        (None, False),
        ("192.168.1.20", False),
        ("::", False),
        ("pillars.example.com", False),
    ],
)
def test_loopback_addresses(address, loopback):
    assert access.is_loopback(address) is loopback


def test_sign_in_is_configured_by_an_auth_table_with_redirect_and_cookie_secret(tmp_path):
    secrets = tmp_path / "secrets.toml"
    assert not access.sign_in_configured(secrets)
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n')
    assert not access.sign_in_configured(secrets)
    secrets.write_text(secrets.read_text() + 'cookie_secret = "x"\n')
    assert access.sign_in_configured(secrets)
    secrets.write_text("[auth\n")
    assert not access.sign_in_configured(secrets)


@pytest.fixture
def org(tmp_path):
    """Two orgs: Commerce (payments, checkout) and Platform (infra); a team no org lists."""
    con = make_db(
        tmp_path,
        teams=[
            {"team": "payments", "org": "Commerce"},
            {"team": "checkout", "org": "Commerce"},
            {"team": "infra", "org": "Platform"},
        ],
        deployments=[
            {
                "deploy_id": "d1",
                "service": "ledger",
                "team": "payments",
                "deployed_at": "2025-03-03 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d2",
                "service": "ledger",
                "team": "payments",
                "deployed_at": "2025-03-04 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d3",
                "service": "cart",
                "team": "checkout",
                "deployed_at": "2025-03-05 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d4",
                "service": "k8s",
                "team": "infra",
                "deployed_at": "2025-03-06 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d5",
                "service": "k8s",
                "team": "infra",
                "deployed_at": "2025-03-07 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d6",
                "service": "k8s",
                "team": "infra",
                "deployed_at": "2025-03-08 10:00",
                "status": "success",
            },
            {
                "deploy_id": "d7",
                "service": "x",
                "team": "nobody",
                "deployed_at": "2025-03-09 10:00",
                "status": "success",
            },
        ],
        pull_requests=[
            {"pr_id": "p1", "repo": "acme/ledger", "team": None, "opened_at": "2025-03-01 09:00"},
            {"pr_id": "p2", "repo": "acme/k8s", "team": None, "opened_at": "2025-03-01 09:00"},
            {"pr_id": "p3", "repo": "acme/other", "team": "checkout", "opened_at": "2025-03-01 09:00"},
        ],
        work_items=[
            {"item_id": "w1", "team": "payments", "created_at": "2025-03-01"},
            {"item_id": "w2", "team": "infra", "created_at": "2025-03-01"},
        ],
        work_item_transitions=[
            {"item_id": "w1", "changed_at": "2025-03-02", "to_status": "In Progress"},
            {"item_id": "w2", "changed_at": "2025-03-02", "to_status": "In Progress"},
            {"item_id": "w2", "changed_at": "2025-03-03", "to_status": "Done"},
        ],
        employees=[
            {"employee_id": "e1", "team": "payments", "hire_date": "2020-01-01"},
            {"employee_id": "e2", "team": "infra", "hire_date": "2020-01-01"},
        ],
        learning=[
            {"employee_id": "e1", "date": "2025-03-01", "title": "a"},
            {"employee_id": "e2", "date": "2025-03-01", "title": "b"},
            {"employee_id": "e2", "date": "2025-03-02", "title": "c"},
        ],
        business_metrics=[{"period_start": "2025-03-01", "metric": "revenue", "value": 100.0}],
    )
    path = Path(
        con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()[0]
    )
    con.close()
    full = duckdb.connect(str(path), read_only=True)
    yield Org(full, path)
    full.close()


def _counts(con) -> dict[str, int]:
    tables = [
        "teams",
        "deployments",
        "pull_requests",
        "pull_requests_with_team",
        "work_items",
        "work_item_transitions",
        "employees",
        "learning",
        "business_metrics",
        "imports",
    ]
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}  # noqa: S608


def test_a_grant_of_one_org_sees_its_rows_only_however_a_query_names_the_tables(org):
    cur = _restricted(org, access.Grant("kim@x.io", orgs=("commerce",)))
    assert _counts(cur) == {
        "teams": 2,
        "deployments": 3,  # d1 d2 d3
        "pull_requests": 2,  # p1 (ledger is deployed by payments) and p3 (checkout)
        "pull_requests_with_team": 2,
        "work_items": 1,
        "work_item_transitions": 1,
        "employees": 1,
        "learning": 1,
        "business_metrics": 0,  # company-wide: only for people who see everything
        "imports": 0,
    }
    assert cur.execute("select count(*) from main.deployments").fetchone()[0] == 3
    assert sorted(r[0] for r in cur.execute("select team from pull_requests_with_team").fetchall()) == [
        "checkout",
        "payments",
    ]
    # The unrestricted connection is untouched.
    assert _counts(org.con)["deployments"] == 7


def test_filters_and_urls_naming_another_org_find_nothing(org):
    cur = _restricted(org, access.Grant("kim@x.io", orgs=("commerce",)))
    assert resolve_teams(cur, orgs=("Platform",)) == ()
    assert resolve_teams(cur, teams=("infra",)) == ()
    assert resolve_teams(cur, orgs=("Commerce",)) == ("checkout", "payments")
    other = catalog(cur, scope("2025-03-01", "2025-04-01", teams=("infra",)))
    assert other["delivery"]["deployments"] is None  # no team of theirs matches: no data, not 0 (issue 18)
    mine = catalog(cur, scope("2025-03-01", "2025-04-01"))
    assert mine["delivery"]["deployments"] == 3


def test_a_team_grant_and_a_grant_of_nothing(org):
    one = _restricted(org, access.Grant("a@x.io", teams=("infra",)))
    assert one.execute("select list(deploy_id order by deploy_id) from deployments").fetchone()[0] == [
        "d4",
        "d5",
        "d6",
    ]
    assert one.execute("select count(*) from learning").fetchone()[0] == 2
    none = _restricted(org, access.Grant("nobody"))
    assert sum(_counts(none).values()) == 0


def test_everything_changes_nothing(org):
    cur = _restricted(org, access.FULL)
    assert _counts(cur) == _counts(org.con)


def test_a_table_added_later_is_hidden_until_it_has_a_rule(tmp_path):
    con = make_db(tmp_path, teams=[{"team": "payments", "org": "Commerce"}])
    con.execute("create table capex_allocations (period_start date, amount double)")
    con.execute("insert into capex_allocations values ('2025-03-01', 5)")
    con.execute("insert into settings values ('default_tz', 'Europe/Berlin')")
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    cur = access.open_restricted(path, access.Grant("kim@x.io", orgs=("commerce",)))
    assert cur.execute("select count(*) from capex_allocations").fetchone()[0] == 0
    assert cur.execute("select value from settings where key = 'default_tz'").fetchall() == [
        ("Europe/Berlin",)
    ]
    assert cur.execute("select count(*) from teams").fetchone()[0] == 1


def test_cursors_of_a_restricted_connection_stay_restricted(org):
    con = _restricted(org, access.Grant("kim@x.io", orgs=("commerce",)))
    nested = con.cursor().cursor()
    assert nested.execute("select count(*) from deployments").fetchone()[0] == 3
    buckets = "select count(*) from period_buckets(date '2025-01-01', date '2025-03-01', 'month')"
    assert nested.execute(buckets).fetchone()[0] == 2


def test_a_board_pack_built_for_one_org_holds_only_its_numbers(org):
    """The deck computes on the session's restricted cursor (lib/ui/board_pack_page.py): its
    charts are the org's own and its closing slide counts the org's rows only."""
    from lib.boardpack import content
    from lib.charts import registry

    cur = _restricted(org, access.Grant("kim@x.io", orgs=("commerce",)))
    period = scope("2025-03-01", "2025-04-01", grain="week")
    chart = "delivery.deployment_frequency_trend"
    mine = content.chart_content(cur, chart, period, "All teams you may see (Commerce)")
    deck = content.deck_content(cur, period, [mine])
    rows = dict(zip(deck.freshness["table"], deck.freshness["rows"], strict=True))
    assert rows["deployments"] == 3  # d1 d2 d3, not the company's 7

    def weekly(con, teams=None):
        fig = registry.figure(con, chart, scope("2025-03-01", "2025-04-01", grain="week", teams=teams))
        return [round(sum(v for v in trace.y if v == v), 6) for trace in fig.data if trace.y is not None]

    assert weekly(cur) == weekly(org.con, ("checkout", "payments")) != weekly(org.con)
    assert [round(sum(v for v in t.y if v == v), 6) for t in mine.figure.data if t.y is not None] == weekly(
        cur
    )
