"""Sign-in and who sees what, on every page (AppTest with `at.secrets` and `at.user`).

The demo organisation has four orgs: Commerce (catalog, checkout, payments), Mobile,
Analytics and Platform. A person granted Commerce must see Commerce's numbers and no
other's, whatever the URL asks for; the browser journey against a real identity
provider is tests/browser/test_sign_in.py.
"""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from lib import access
from lib.overview_board import board
from lib.scope import default_scope
from tests.app.conftest import ROOT, assert_no_exception

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "pillars",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
ACCESS = {"vp@example.com": ["*"], "@commerce.example.com": ["Commerce"]}
COMMERCE = ["catalog", "checkout", "payments"]


@pytest.fixture
def signed_in(monkeypatch, demo_db_copy):
    def run(email: str | None, page: str = "pages/overview.py", query: dict | None = None, verified=True):
        monkeypatch.setenv("PILLARS_DB", str(demo_db_copy))
        monkeypatch.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        at.secrets["auth"] = AUTH
        at.secrets["access"] = ACCESS
        at.user = (
            {"is_logged_in": True, "email": email, "email_verified": verified}
            if email
            else {"is_logged_in": False}
        )
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page != "pages/overview.py":
            # straight to the page, as a link opened in a new tab: the page's own file name is
            # its url_path in dashboard.PAGES, which is what AppTest hashes before a first run
            at.switch_page(page)
        at.run()
        return at

    return run


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in_button(signed_in):
    at = signed_in(None)
    assert_no_exception(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.metric) == 0 and len(at.sidebar.multiselect) == 0


def test_someone_not_on_the_allow_list_is_told_so_and_sees_nothing(signed_in):
    at = signed_in("eve@elsewhere.io")
    assert_no_exception(at)
    assert "eve@elsewhere.io is not on Pillars' allow-list" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert len(at.metric) == 0


def test_an_unverified_address_is_not_matched(signed_in):
    at = signed_in("kim@commerce.example.com", verified=False)
    assert "has not verified the address kim@commerce.example.com" in at.error[0].value
    assert len(at.metric) == 0


def test_a_person_granted_one_org_sees_only_its_teams_and_numbers(signed_in, demo_db_copy):
    at = signed_in("kim@commerce.example.com")
    assert_no_exception(at)
    assert "Signed in as **kim@commerce.example.com** · sees Commerce" in _texts(at)
    org, team = at.sidebar.multiselect(key="org"), at.sidebar.multiselect(key="team")
    assert org.options == ["Commerce"]
    assert sorted(team.options) == COMMERCE

    def tiles(con) -> dict[str, str]:
        return {t.label: t.text for g in board(con, default_scope(con)).groups for t in g.tiles}

    con = duckdb.connect(str(demo_db_copy), read_only=True)
    whole = tiles(con)
    con.close()
    restricted = access.open_restricted(demo_db_copy, access.Grant("kim", orgs=("commerce",)))
    mine = tiles(restricted)
    restricted.close()
    shown = {m.label: m.value for m in at.metric}
    assert shown == mine
    assert mine["Deploy frequency"] != whole["Deploy frequency"]


def test_editing_the_url_to_another_org_or_team_shows_none_of_its_numbers(signed_in):
    at = signed_in("kim@commerce.example.com", page="pages/delivery.py", query={"org": "Platform"})
    assert_no_exception(at)
    assert at.sidebar.multiselect(key="org").value == []
    at = signed_in(
        "kim@commerce.example.com",
        page="pages/delivery.py",
        query={"team": "platform", "section": "Drill down"},
    )
    assert_no_exception(at)
    assert at.sidebar.multiselect(key="team").value == []
    for table in at.dataframe:
        if "team" in table.value.columns:
            assert set(table.value["team"]) <= set(COMMERCE)


def test_the_data_page_keeps_changes_and_the_import_log_to_people_who_see_everything(signed_in):
    at = signed_in("kim@commerce.example.com", page="pages/data.py")
    assert_no_exception(at)
    infos = " ".join(i.value for i in at.info)
    assert "Uploading and undoing imports is for people who may see every org unit" in infos
    assert not [
        b for b in at.button if b.label in ("Import", "Yes, clear the demo data", "Yes, undo this import")
    ]
    freshness = at.dataframe[0].value.set_index("Data")  # the table names in words
    assert freshness.loc["Teams", "Rows"] == 3
    assert freshness.loc["Business figures", "Rows"] == 0

    vp = signed_in("vp@example.com", page="pages/data.py")
    assert_no_exception(vp)
    assert [b.label for b in vp.button if b.label == "Yes, clear the demo data"] == [
        "Yes, clear the demo data"
    ]
    assert vp.dataframe[-1].value.set_index("Data").loc["Teams", "Rows"] == 12


def test_without_sign_in_a_non_loopback_address_is_refused(monkeypatch, demo_db_copy):
    from streamlit import config

    monkeypatch.setenv("PILLARS_DB", str(demo_db_copy))
    monkeypatch.chdir(ROOT)
    config.set_option("server.address", "0.0.0.0")
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
    finally:
        config.set_option("server.address", "127.0.0.1")
    assert_no_exception(at)
    assert at.error[0].value.startswith("Pillars is not served on 0.0.0.0 because sign-in is not configured")
    assert len(at.metric) == 0 and len(at.sidebar.multiselect) == 0
