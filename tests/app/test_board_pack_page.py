"""Board pack page in AppTest: the default deck, choosing and ordering charts, saved packs,
building the deck with the sidebar's filters, and the downloads."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from pptx import Presentation

from lib.access import FULL
from lib.boardpack import choices
from lib.charts import registry
from tests.app.conftest import assert_no_exception
from tests.unit.test_boardpack import chromium  # noqa: F401 - skip without Chromium, fail in CI

PAGE = "pages/board_pack.py"


@pytest.fixture(scope="module")
def pack_db(demo_db, tmp_path_factory):
    """One demo copy for the module (thumbnails stay cached across runs); tests reset the choice."""
    path = tmp_path_factory.mktemp("pack") / "pack.duckdb"
    shutil.copy(demo_db, path)
    return path


WHO = FULL.who  # no sign-in: the choices of "this computer"


def choose(path, ids) -> None:
    choices.set_selection(path, WHO, list(ids))


def chosen(path) -> list[str]:
    return choices.selection(path, WHO)


def deck_rows(at) -> list[str]:
    return [m.value for m in at.markdown if re.match(r"\*\*\d+\.\*\* ", m.value)]


def test_default_deck_is_the_overviews_headline_set(pack_db, run_page):
    choices.choices_file(pack_db).unlink(missing_ok=True)
    at = run_page(pack_db, PAGE)
    assert_no_exception(at)
    assert at.title[0].value == "Board pack"
    assert any(s.value == "Your deck: 13 charts" for s in at.subheader)
    rows = deck_rows(at)
    assert rows[0].startswith("**2.** Headline metrics (the Overview's tiles)")
    assert rows[1].startswith("**3.** Deployment frequency trend")
    assert len(rows) == 13
    assert [t.label for t in at.tabs] == [
        "Overview",
        "Delivery & quality",
        "People engagement",
        "Retention & development",
        "Skills & capabilities",
        "Business alignment",
    ]
    toggles = {t.label: t.value for t in at.toggle}
    assert toggles["Headline metrics (the Overview's tiles)"] is True
    assert toggles["Delivery: deployment frequency trend"] is False
    # a thumbnail per chart of the open tab, drawn by the browser as a picture (no hover, no camera)
    thumbs = at.get("plotly_chart")
    assert len(thumbs) == len(registry.charts("overview"))
    assert {t.proto.config for t in thumbs} == {'{"staticPlot": true, "displayModeBar": false}'}
    # each card says in words what the chart reads, never its id (issue 18)
    captions = [c.value for c in at.caption]
    assert (
        "From deployments, incidents, work items, survey answers, employees, AI tool usage, business figures"
        in captions
    )
    assert not [c for c in captions if re.search(r"\b(overview|delivery|skills)\.[a-z_]+", c)]


def test_choosing_ordering_and_removing_charts_is_saved(pack_db, run_page):
    choose(pack_db, ["overview.headlines", "delivery.lead_time_trend"])
    at = run_page(pack_db, PAGE)
    next(t for t in at.toggle if t.label == "Delivery: deployment frequency trend").set_value(True).run()
    assert_no_exception(at)
    assert chosen(pack_db) == ["overview.headlines", "delivery.lead_time_trend", "overview.delivery_trend"]
    assert any(s.value == "Your deck: 3 charts" for s in at.subheader)
    at.button(key="up-overview.delivery_trend").click().run()
    assert chosen(pack_db) == ["overview.headlines", "overview.delivery_trend", "delivery.lead_time_trend"]
    at.button(key="remove-overview.headlines").click().run()
    assert chosen(pack_db) == ["overview.delivery_trend", "delivery.lead_time_trend"]
    assert deck_rows(at)[0].startswith("**2.** Delivery: deployment frequency trend")


def test_a_saved_pack_is_reused_next_quarter(pack_db, run_page):
    choose(pack_db, ["engagement.enps_split", "overview.retention_trend"])
    at = run_page(pack_db, PAGE)
    at.text_input(key="pack-name").input("Q3 board")
    at.button(key="pack-save").click().run()
    assert_no_exception(at)
    assert choices.packs(pack_db, WHO)["Q3 board"] == ["engagement.enps_split", "overview.retention_trend"]
    assert [t.value for t in at.toast] == ["Saved 'Q3 board': 2 charts."]
    at.text_input(key="pack-name").input("Q3 board")
    at.button(key="pack-save").click().run()  # the same name again: it replaces, and says so
    assert [t.value for t in at.toast] == ["Replaced 'Q3 board': 2 charts."]
    choose(pack_db, ["overview.headlines"])
    # Next quarter: another period in the sidebar, the pack chosen again.
    at = run_page(pack_db, PAGE, query={"from": "2026-05-01", "to": "2026-07-31"})
    at.selectbox(key="pack-start").select("Q3 board")
    at.button(key="pack-use").click().run()
    assert chosen(pack_db) == ["engagement.enps_split", "overview.retention_trend"]
    at.selectbox(key="pack-start").select("The Overview's headline set (default)")
    at.button(key="pack-use").click().run()
    assert chosen(pack_db) == list(registry.DEFAULT_IDS)


def test_an_unnamed_pack_is_refused(pack_db, run_page):
    choose(pack_db, ["overview.headlines"])
    at = run_page(pack_db, PAGE)
    at.button(key="pack-save").click().run()
    assert [e.value for e in at.error] == ["Give the pack a name, e.g. 'Q3 board'"]


def test_build_offers_the_deck_with_the_sidebars_filters(pack_db, run_page):
    choose(pack_db, ["delivery.deployment_frequency_trend", "engagement.enps_split"])
    at = run_page(pack_db, PAGE, query={"team": "payments"})
    at.button(key="build").click().run(timeout=240)
    assert_no_exception(at)
    assert any(s.value.startswith("4 slides: the title, 2 charts") for s in at.success)
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["PowerPoint (.pptx)", "PDF"]
    prs = Presentation(io.BytesIO(at.session_state["boardpack-files"]["pptx"]))  # what the buttons offer
    slides = list(prs.slides)
    assert len(slides) == 4
    assert "Team: payments" in "\n".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)


def test_without_chromium_the_charts_can_still_be_chosen_and_build_says_what_is_missing(
    pack_db, run_page, monkeypatch
):
    from lib.boardpack import render

    def missing() -> str:
        raise render.ChromiumMissing("no Chromium to draw chart images with: install Debian's chromium")

    monkeypatch.setattr(render, "chromium_path", missing)
    choose(pack_db, ["delivery.deployment_frequency_trend"])
    at = run_page(pack_db, PAGE)
    assert_no_exception(at)
    assert len(at.get("plotly_chart")) == len(registry.charts("overview"))  # thumbnails need no Chromium
    assert not at.error
    at.button(key="build").click().run(timeout=240)
    assert [e.value for e in at.error] == ["No Chromium to draw chart images with: install Debian's chromium"]
    assert "boardpack-files" not in at.session_state


def test_a_filter_matching_no_data_shows_each_card_saying_so(pack_db, run_page):
    # security has no one in Oslo: the tiles figure has no sparkline at all (no trace), which
    # Plotly refused as a dict ("PlotlyEmptyDataError"), a traceback instead of the Overview tab
    at = run_page(pack_db, PAGE, query={"team": "security", "location": "Oslo"})
    assert_no_exception(at)
    no_data = [c.value for c in at.caption if c.value.startswith(("No ", "Not shown"))]
    assert "No deployments data for this period and filter." in no_data
    assert "No business figures or employees data for this period and filter." in no_data
    assert len(at.get("plotly_chart")) + len(no_data) == len(registry.charts("overview"))
