"""The Data page never loses or changes data behind the user's back (issue 18, "Done when"),
in Chromium against a real `streamlit run` server on a database without the demo.

The journey a VP took when the bug was found, checked by value in the page and in the
database: upload a deployments file (times without a zone, read as UTC); upload it again
(a notice, nothing changed); upload another file of the same layout and choose
Asia/Kolkata for it alone (its 15:00 is 09:30 UTC; the first file's deploy-001 stays at
15:00 UTC; the next file of that layout starts from UTC again); then a teams file twice,
undone in both orders (the newer first brings the older teams back; the older first
keeps the newer's; both undone leave none). The sidebar offers the team the deployments
name, without a teams file.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lib import db, store
from lib.charts import table_label
from tests.browser.conftest import screenshot, serve, wait_for_app

pytestmark = pytest.mark.browser

DEPLOYS = "deploy_id,service,team,environment,deployed_at,status\n"
FIRST = DEPLOYS + (
    "deploy-001,api,payments,production,2025-09-01 15:00,success\n"
    "deploy-002,api,payments,production,2025-08-20 10:00,success\n"
)
SECOND = DEPLOYS + "deploy-101,api,payments,production,2025-08-01 15:00,success\n"
THIRD = DEPLOYS + "deploy-201,api,payments,production,2025-07-01 15:00,success\n"
TEAMS_V1 = "team,org,location\nPayments,Commerce,Paris\nSearch,Core,Oslo\n"
TEAMS_V2 = "team,org,location\nPayments,Commerce,Lisbon\nPlatform,Core,Oslo\n"
ZONE = "Time zone of times written without one"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("data-journey")
    database = workdir / "pillars.duckdb"
    con = db.connect(database)
    db.set_setting(con, "demo", "false")  # the demo was cleared: the user's own data only
    con.close()
    with serve(database, workdir) as (url, _):
        yield url, database, workdir


def _write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text)
    return path


def _choose(tab, files) -> None:
    tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    expect(tab.locator(".st-key-import-options-0")).to_be_visible(timeout=60_000)
    wait_for_app(tab)


def _import(tab, name: str) -> None:
    """Press Import and wait for the results table naming `name` (the uploader then empties)."""
    tab.get_by_role("button", name=re.compile("^.*Import$")).click()
    results = tab.get_by_test_id("stDataFrame").filter(has=tab.locator("th", has_text="Unchanged"))
    expect(results.locator("td", has_text=re.compile(f"^{re.escape(name)}$"))).to_have_count(
        1, timeout=60_000
    )
    wait_for_app(tab)
    expect(tab.get_by_test_id("stException")).to_have_count(0)


def _deployed(database) -> dict[str, dt.datetime]:
    with store.reading(database) as con:
        return dict(con.execute("select deploy_id, deployed_at from deployments").fetchall())


def _teams(database) -> list[tuple]:
    with store.reading(database) as con:
        return con.execute("select team, location from teams order by lower(team)").fetchall()


def _expect_freshness(tab, table: str, rows: int, latest: str | None = None) -> None:
    """The Data page's freshness table shows `rows` (and the `latest` value) for `table`."""
    grid = tab.get_by_test_id("stDataFrame").filter(has=tab.locator("th", has_text="Last import"))
    row = grid.locator("tr", has=tab.locator("td", has_text=re.compile(f"^{re.escape(table_label(table))}$")))
    expect(row).to_have_count(1, timeout=30_000)
    expect(row.locator("td").nth(1)).to_have_text(re.compile(f"^\\s*{rows:,}\\s*$"), timeout=30_000)
    if latest is not None:
        expect(row.locator("td").nth(2)).to_have_text(re.compile(f"^\\s*{re.escape(latest)}\\s*$"))


def _undo(tab, file_name: str) -> str:
    tab.get_by_role("combobox", name="Undo an import").click()
    tab.get_by_role("option", name=re.compile(f"^{re.escape(file_name)} → ")).click()
    wait_for_app(tab)
    tab.get_by_role("button", name=re.compile("Undo this import")).click()  # opens the confirmation
    tab.get_by_role("button", name=re.compile("Yes, undo this import")).click()
    wait_for_app(tab)
    said = tab.get_by_test_id("stAlert").filter(has_text="Undone:")
    expect(said).to_have_count(1, timeout=30_000)
    return said.inner_text()


def test_upload_reupload_time_zone_and_undo_in_both_orders(app, browser, tmp_path):
    url, database, _ = app
    context = browser.new_context(viewport={"width": 1440, "height": 2400})
    tab = context.new_page()
    tab.goto(f"{url}/data")
    wait_for_app(tab)

    # 1. The first file, read in UTC (the default): 2 new rows, and the uploader empties.
    first = _write(tmp_path, "deployments.csv", FIRST)
    _choose(tab, [first])
    expect(tab.locator(".st-key-import-options-0").get_by_role("combobox", name=ZONE)).to_have_value("UTC")
    _import(tab, "deployments.csv")
    expect(tab.get_by_text("1 file loaded: 2 rows (2 new).")).to_be_visible(timeout=60_000)
    expect(tab.get_by_test_id("stFileUploaderFile")).to_have_count(0)
    expect(tab.get_by_role("button", name=re.compile("^.*Import$"))).to_be_disabled()
    assert _deployed(database)["deploy-001"] == dt.datetime(2025, 9, 1, 15, 0)
    screenshot(tab, "data-journey-1-loaded")

    # 2. The same file again: a notice, nothing changed, no second import in the log.
    _choose(tab, [first])
    _import(tab, "deployments.csv")
    notice = tab.get_by_test_id("stAlert").filter(has_text="already imported on")
    expect(notice).to_have_count(1, timeout=60_000)
    assert "deployments.csv: already imported on " in notice.inner_text()
    assert "; nothing changed" in notice.inner_text()
    with store.reading(database) as con:
        assert con.execute("select count(*) from imports").fetchall() == [(1,)]
    screenshot(tab, "data-journey-2-already-imported")

    # 3. Another file of the same layout, in India time: only its own times move.
    second = _write(tmp_path, "deployments_india.csv", SECOND)
    _choose(tab, [second])
    box = tab.locator(".st-key-import-options-0")
    expect(box.get_by_role("combobox", name=ZONE)).to_have_value("UTC")
    box.get_by_role("combobox", name=ZONE).click()
    tab.get_by_role("option", name="Asia/Kolkata").click()
    wait_for_app(tab)
    expect(box.get_by_role("combobox", name=ZONE)).to_have_value("Asia/Kolkata")
    _import(tab, "deployments_india.csv")
    expect(tab.get_by_text("1 file loaded: 1 row (1 new).")).to_be_visible(timeout=60_000)
    deployed = _deployed(database)
    assert deployed == {
        "deploy-001": dt.datetime(2025, 9, 1, 15, 0),  # the earlier file did not move
        "deploy-002": dt.datetime(2025, 8, 20, 10, 0),
        "deploy-101": dt.datetime(2025, 8, 1, 9, 30),  # 15:00 in India is 09:30 UTC
    }
    _expect_freshness(tab, "deployments", 3, "2025-09-01 15:00:00")  # the grid's cell text, unformatted

    # 4. The next file of that layout starts from UTC again: India time was not remembered.
    third = _write(tmp_path, "deployments_later.csv", THIRD)
    _choose(tab, [third])
    expect(tab.locator(".st-key-import-options-0").get_by_role("combobox", name=ZONE)).to_have_value("UTC")
    _import(tab, "deployments_later.csv")
    expect(tab.get_by_text("1 file loaded: 1 row (1 new).")).to_be_visible(timeout=60_000)
    assert _deployed(database)["deploy-201"] == dt.datetime(2025, 7, 1, 15, 0)
    assert _deployed(database)["deploy-001"] == dt.datetime(2025, 9, 1, 15, 0)

    # 5. The team the deployments name is a filter without a teams file.
    tab.goto(f"{url}/")
    wait_for_app(tab)
    tab.get_by_test_id("stSidebar").get_by_role("combobox", name="Team").click()
    expect(tab.get_by_role("option", name="payments")).to_have_count(1, timeout=30_000)
    tab.keyboard.press("Escape")
    tab.goto(f"{url}/data")
    wait_for_app(tab)

    # 6. teams.csv twice, the newer undone first: the older teams come back. The deployments
    #    spelled `payments` first, so the teams files' `Payments` is stored so (one spelling a team).
    v1 = _write(tmp_path, "teams.csv", TEAMS_V1)
    v2 = _write(tmp_path, "teams_v2.csv", TEAMS_V2)
    _choose(tab, [v1])
    _import(tab, "teams.csv")
    expect(tab.get_by_text("1 file loaded: 2 rows (2 new).")).to_be_visible(timeout=60_000)
    _choose(tab, [v2])
    # the last import's result does not stay above the newly staged file (the second review)
    expect(tab.get_by_text("1 file loaded: 2 rows (2 new).")).to_have_count(0, timeout=30_000)
    _import(tab, "teams_v2.csv")
    expect(tab.get_by_text("1 file loaded: 2 rows (1 new, 1 updated).")).to_be_visible(timeout=60_000)
    assert _teams(database) == [("payments", "Lisbon"), ("Platform", "Oslo"), ("Search", "Oslo")]
    said = _undo(tab, "teams_v2.csv")
    assert said.endswith("2 rows deleted, 1 row it had replaced restored.")
    assert _teams(database) == [("payments", "Paris"), ("Search", "Oslo")]
    _expect_freshness(tab, "teams", 2)
    screenshot(tab, "data-journey-6-undone-newer")

    # 7. The newer again, then the older undone first: the newer's teams stay; then none.
    _choose(tab, [v2])
    _import(tab, "teams_v2.csv")
    expect(tab.get_by_text("1 file loaded: 2 rows (1 new, 1 updated).")).to_be_visible(timeout=60_000)
    said = _undo(tab, "teams.csv")
    assert said.endswith("1 row deleted.")  # Search; its Payments row had been replaced
    assert _teams(database) == [("payments", "Lisbon"), ("Platform", "Oslo")]
    _expect_freshness(tab, "teams", 2)
    said = _undo(tab, "teams_v2.csv")
    assert said.endswith("2 rows deleted.")
    assert _teams(database) == []
    _expect_freshness(tab, "teams", 0)
    assert _deployed(database)["deploy-001"] == dt.datetime(2025, 9, 1, 15, 0)  # untouched throughout
    expect(tab.get_by_test_id("stException")).to_have_count(0)
    screenshot(tab, "data-journey-7-undone-both")
    context.close()
