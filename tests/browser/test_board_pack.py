"""A VP builds a board deck in the browser and downloads it: the Board pack page against a real
server, the PowerPoint file as Chromium saves it, opened with python-pptx."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from pptx import Presentation

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_build_and_download_a_deck_from_the_board_pack_page(server, page, tmp_path):
    page.goto(f"{server}/board_pack?team=payments")
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name="Your deck: 13 charts")).to_be_visible(timeout=60_000)
    thumbnails = page.locator('[data-testid="stPlotlyChart"] .main-svg')  # drawn by this browser
    expect(thumbnails.first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Build the deck").click()
    download_button = page.get_by_role("button", name="PowerPoint (.pptx)")
    expect(download_button).to_be_visible(timeout=240_000)
    built = page.get_by_text(re.compile(r"^\d+ slides: the title, 13 charts and the definitions\.$"))
    expect(built).to_be_visible()
    announced = int(built.inner_text().split()[0])
    screenshot(page, "board-pack-built")
    with page.expect_download() as caught:
        download_button.click()
    download = caught.value
    # the period and the teams it covers, so two decks never share a name
    assert re.fullmatch(
        r"board-pack-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d-payments\.pptx", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    prs = Presentation(str(saved))
    slides = list(prs.slides)
    # the title, the 13 charts, then the closing slides (definitions may run over more than one)
    assert len(slides) == announced and announced >= 15
    assert slides[0].shapes.title.text == "Engineering board pack"
    first_page = "\n".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Filters: Team: payments" in first_page
    picture = next(s for s in slides[2].shapes if s.shape_type == 13)
    assert Image.open(io.BytesIO(picture.image.blob)).width >= 1600
    with page.expect_download() as caught:
        page.get_by_role("button", name="PDF").click()
    assert caught.value.suggested_filename.endswith(".pdf")
    pdf = tmp_path / "pack.pdf"
    caught.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
