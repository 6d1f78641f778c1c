"""Sign-in journeys in Chromium against a local OpenID Connect provider the test starts.

The identity provider is `oidc-provider-mock` (a real OIDC server on a loopback port:
discovery, authorize, token, JWKS, end-session), never a real one. Its login form offers
one button per predefined user. The Streamlit server gets a secrets.toml (through
`--secrets.files`) with `[auth]` pointing at it and an `[access]` allow-list:

- kim@commerce.example.com may see Commerce only;
- eve@elsewhere.io is not on the list.

Checked as a user would: the sign-in button, the provider's page, the way back, who the
sidebar says is signed in, the numbers (equal to Commerce's own, computed here through
lib.access, and not the whole company's), a URL naming another org, the Data page, sign
out, and a refused account. Without sign-in, a server on a non-loopback address (flag or
environment variable) shows only why it refuses.
"""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from playwright.sync_api import expect

from lib import access
from lib.overview_board import board
from lib.scope import default_scope
from tests.browser.conftest import _free_port, screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

KIM = "kim@commerce.example.com"
EVE = "eve@elsewhere.io"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(sub=KIM, claims={"email": KIM, "email_verified": True, "name": "Kim"}),
        User(sub=EVE, claims={"email": EVE, "email_verified": True, "name": "Eve"}),
    ]
    with run_server_in_thread(port=_free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider, demo_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("signin")
    db_file = work / "pillars.duckdb"
    shutil.copy(demo_db, db_file)
    port = _free_port()
    secrets = work / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-some-length-0123456789"\n'
        'client_id = "pillars-test"\n'
        'client_secret = "pillars-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[access]\n"
        '"@commerce.example.com" = ["Commerce"]\n'
        '"vp@example.com" = ["*"]\n'
    )
    with serve(db_file, work, port=port, host="localhost", args=("--secrets.files", str(secrets))) as (
        url,
        _,
    ):
        yield url, db_file


def _tiles(con) -> dict[str, str]:
    """The Overview's tiles as the page shows them: label → value."""
    return {t.label: t.text for g in board(con, default_scope(con)).groups for t in g.tiles}


def _sign_in(tab, url: str, who: str) -> None:
    tab.goto(url)
    wait_for_app(tab)
    screenshot(tab, "sign-in-1-button")
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("heading", name="Authorize Client")).to_be_visible(timeout=30_000)
    screenshot(tab, "sign-in-2-provider")
    tab.get_by_role("button", name=who, exact=True).click()
    tab.wait_for_url(f"{url}/**", timeout=30_000)
    wait_for_app(tab)


def test_a_person_granted_one_org_signs_in_and_sees_only_its_numbers(app, page):
    url, db_file = app
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

    _sign_in(page, url, KIM)
    expect(page.get_by_text(f"Signed in as {KIM} · sees Commerce")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    # Captions say whose numbers these are, never "All teams" of the company.
    expect(page.get_by_text("All teams you may see (Commerce)").first).to_be_visible()
    screenshot(page, "sign-in-3-overview")

    full = duckdb.connect(str(db_file), read_only=True)
    whole = _tiles(full)
    full.close()
    restricted = access.open_restricted(db_file, access.Grant(KIM, orgs=("commerce",)))
    mine = _tiles(restricted)
    restricted.close()
    label = "Deploy frequency"
    assert mine[label] != whole[label]
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(mine[label])

    # The organisation filter offers Commerce only; a URL naming another org selects nothing.
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first.locator("input").click()
    options = page.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Commerce")
    page.keyboard.press("Escape")

    page.goto(f"{url}/delivery?org=Platform&team=platform")
    wait_for_app(page)
    expect(page.get_by_text(f"Signed in as {KIM} · sees Commerce")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # Neither the org nor the team of the URL is offered, so neither is applied.
    expect(page.get_by_test_id("stSidebar").locator('[data-baseweb="tag"]')).to_have_count(0)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    screenshot(page, "sign-in-4-delivery-other-org-url")

    page.goto(f"{url}/data")
    wait_for_app(page)
    expect(
        page.get_by_text("Uploading and undoing imports is for people who may see every org unit")
    ).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
    screenshot(page, "sign-in-5-data")

    # Signing out ends the session at the provider too (its end-session page), then returns.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="End Session")).to_be_visible(timeout=30_000)
    screenshot(page, "sign-in-6-provider-end-session")
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    screenshot(page, "sign-in-7-signed-out")


def test_someone_not_on_the_allow_list_is_refused_with_the_reason(app, page):
    url, _ = app
    _sign_in(page, url, EVE)
    expect(page.get_by_text(f"{EVE} is not on Pillars' allow-list")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    screenshot(page, "sign-in-8-refused")


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_without_sign_in_a_server_on_every_interface_refuses_to_serve(how, demo_db, tmp_path, page):
    db_file = tmp_path / "pillars.duckdb"
    shutil.copy(demo_db, db_file)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    if how == "flag":
        options = {"address": "0.0.0.0"}
    else:
        env["STREAMLIT_SERVER_ADDRESS"] = "0.0.0.0"
        options = {"address": None}
    with serve(db_file, tmp_path, env=env, **options) as (url, _):
        page.goto(url)
        wait_for_app(page)
        expect(
            page.get_by_text("Pillars is not served on 0.0.0.0 because sign-in is not configured")
        ).to_be_visible(timeout=30_000)
        screenshot(page, f"refused-{how}")
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_test_id("stSidebar")).to_have_count(0)
