"""The board pack as a board member gets it: the PPTX opened with python-pptx, the PDF's pages
rendered with pdftoppm, on the demo organisation and on small fixtures with known gaps.

Needs Debian's Chromium (kaleido drives it); skipped without it except in CI, like the browser
tests.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageStat
from pptx import Presentation
from pptx.util import Emu

from lib import boardpack, db
from lib.boardpack import content
from lib.boardpack.compose import closing_slides
from lib.boardpack.definitions import definition
from lib.boardpack.render import ChromiumMissing, chromium_path
from lib.charts import registry
from lib.scope import default_scope
from tests.unit import survey_fixture
from tests.unit.fixtures import make_db, scope
from tests.unit.test_chart_registry import DEPLOYS, TEAMS


@pytest.fixture(scope="module", autouse=True)
def chromium():
    try:
        return chromium_path()
    except ChromiumMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(str(missing))
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def demo_deck(demo_db, tmp_path_factory):
    """The default deck (the Overview's headline set) on the demo, written both ways."""
    con = db.connect(demo_db)
    period = default_scope(con)
    deck = boardpack.build(con, period)
    out = tmp_path_factory.mktemp("deck")
    (out / "pack.pptx").write_bytes(deck.pptx())
    (out / "pack.pdf").write_bytes(deck.pdf())
    return deck, period, out, con


def non_blank(image: Image.Image) -> float:
    """Share of pixels more than 8 grey levels away from the image's commonest grey: 0 for a
    blank (uniform) image, a few percent for a chart's lines and labels on a plain ground."""
    histogram = image.convert("L").histogram()
    common = max(range(256), key=histogram.__getitem__)
    near = sum(histogram[max(0, common - 8) : common + 9])
    return 1 - near / sum(histogram)


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_pptx_has_a_title_slide_a_slide_per_chart_and_closing_slides(demo_deck):
    deck, period, out, con = demo_deck
    prs = Presentation(str(out / "pack.pptx"))
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    slides = list(prs.slides)
    closing = len(closing_slides(deck.content, 0))
    assert len(slides) == 1 + len(registry.default_ids()) + closing == 1 + 13 + closing
    first = slides[0]
    assert first.shapes.title.text == "Engineering board pack"
    assert "Demo organisation" in texts(first)
    assert "Period: 03 Aug 2026 – 31 Oct 2026 (90 days)" in texts(first)
    assert "Filters: All teams" in texts(first)
    assert "Demo data" in texts(first)
    assert slides[-closing].shapes.title.text == "Definitions and data freshness"
    assert "Data freshness per table" in texts(slides[-closing])
    appendix = "\n".join(texts(s) for s in slides[-closing:]).replace("\v", " ")
    assert "Deployments\n" in appendix and "Survey answers\n" in appendix  # tables in words
    # a board reads plain words: the glossary's, never METRICS.md's column names (issue 18)
    assert definition("delivery.lead_time_hours_p50").words in appendix
    assert (
        "Typical (median) time from a change's first commit to its successful production deployment"
        in appendix
    )
    assert re.findall(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z]+_[a-z_]+\b", appendix) == []


def test_each_chart_slide_carries_the_pages_takeaway_caption_and_definitions(demo_deck):
    deck, period, out, con = demo_deck
    slides = list(Presentation(str(out / "pack.pptx")).slides)[1 : 1 + len(registry.default_ids())]
    for chart_id, slide in zip(registry.default_ids(), slides, strict=True):
        fig = registry.figure(con, chart_id, period)  # what the page draws
        title = slide.shapes.title.text.replace("\v", " ").replace("\n", " ")
        assert registry.title(fig).startswith(title), chart_id
        assert registry.caption(fig) in texts(slide).replace("\v", " ").replace("\n", " "), chart_id
        notes = slide.notes_slide.notes_text_frame.text
        for key in registry.get(chart_id).metrics:  # plain words, then the exact definition
            assert definition(key).words in notes and definition(key).text in notes, (chart_id, key)
        assert f"id {chart_id}" in notes
    by_title = {s.shapes.title.text.replace("\v", " "): s for s in slides}
    assert any(t.startswith("Deployment frequency up") for t in by_title)


def test_each_chart_image_is_high_resolution_and_not_blank(demo_deck):
    deck, period, out, con = demo_deck
    slides = list(Presentation(str(out / "pack.pptx")).slides)[1 : 1 + len(registry.default_ids())]
    for slide in slides:
        (picture,) = pictures(slide)
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.width >= 1600
        assert non_blank(image) > 0.01, slide.shapes.title.text
        # Drawn at its box's aspect: never stretched.
        assert image.width / image.height == pytest.approx(picture.width / picture.height, rel=0.01)


def test_pdf_has_one_non_blank_page_per_slide_matching_the_deck(demo_deck, tmp_path):
    deck, period, out, con = demo_deck
    from pypdf import PdfReader

    reader = PdfReader(str(out / "pack.pdf"))
    assert len(reader.pages) == len(deck.slides)
    for page in reader.pages:
        assert float(page.mediabox.width) / float(page.mediabox.height) == pytest.approx(16 / 9, rel=1e-3)
    pdftoppm = shutil.which("pdftoppm")
    # never skipped: a green suite has looked at every page of the PDF (scripts/test installs it)
    assert pdftoppm, "pdftoppm is missing: apt-get install -y poppler-utils (scripts/test does)"
    subprocess.run([pdftoppm, "-r", "40", "-png", str(out / "pack.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(deck.slides)
    for page in pages:
        assert non_blank(Image.open(page)) > 0.01, page.name
    # The chart on page 3 is the PPTX's picture, where the PPTX puts it.
    slide = list(Presentation(str(out / "pack.pptx")).slides)[2]
    (picture,) = pictures(slide)
    dpi = 40 / Emu(914400)
    box = tuple(round(v * dpi) for v in (picture.left, picture.top, picture.left + picture.width,
                                          picture.top + picture.height))  # fmt: skip
    rendered = Image.open(pages[2]).convert("L").crop(box)
    original = Image.open(io.BytesIO(picture.image.blob)).convert("L").resize(rendered.size)
    same = ImageStat.Stat(ImageChops.difference(rendered, original)).mean[0]
    bars = list(Presentation(str(out / "pack.pptx")).slides)[1]  # the headline tiles: another chart
    other = Image.open(io.BytesIO(pictures(bars)[0].image.blob)).convert("L").resize(rendered.size)
    assert same < 4  # resampling noise at 40 dpi (about 2 of 255)
    # another chart (mostly white too) differs several times more than the noise: 21 against 2.3
    assert ImageStat.Stat(ImageChops.difference(rendered, other)).mean[0] > 6 * same


def test_a_chart_without_its_data_gets_a_slide_saying_what_is_missing(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    period = scope("2025-01-01", "2025-03-01")
    deck = boardpack.build(
        con, period, ["delivery.deployment_frequency_trend", "delivery.recovery_time_trend"]
    )
    prs = Presentation(io.BytesIO(deck.pptx()))
    slides = list(prs.slides)
    assert len(pictures(slides[1])) == 1
    gap = slides[2]
    assert pictures(gap) == []
    assert (
        gap.shapes.title.text.replace("\v", " ") == "Time to restore service trend: no data for this period"
    )
    assert "No incident data" in texts(gap) and "PagerDuty or Opsgenie" in texts(gap)
    assert "No incident data" in gap.notes_slide.notes_text_frame.text


def test_suppressed_survey_results_stay_suppressed_in_the_deck(tmp_path):
    con = make_db(tmp_path, teams=survey_fixture.TEAMS, survey_responses=survey_fixture.survey_rows())
    period = scope("2025-07-01", "2025-10-01", teams=(survey_fixture.SMALL_TEAM,))
    deck = boardpack.build(con, period, ["engagement.enps_split", "engagement.favorability"], "Team: cygnus")
    for chart in deck.content.charts:
        assert chart.missing and "fewer than 5 respondents" in chart.missing, chart.chart.id
    prs = Presentation(io.BytesIO(deck.pptx()))
    for slide in list(prs.slides)[1:3]:
        assert pictures(slide) == []
        assert (
            "%" not in texts(slide)
            and "%" not in slide.notes_slide.notes_text_frame.text.split("Definitions")[0]
        )
    # Organisation-wide, the heatmap keeps the small team's cells empty on the slide's figure too.
    everyone = scope("2025-07-01", "2025-10-01")
    heatmap = content.chart_content(con, "engagement.team_heatmap", everyone, registry.ALL_TEAMS)
    slide_fig = content.slide_figure(heatmap.figure, 960, 380)
    hidden, shown = slide_fig.data  # the grey "hidden" layer, then the values
    row = list(shown.y).index(survey_fixture.SMALL_TEAM)
    assert all(math.isnan(v) for v in shown.z[row])
    assert all(v == 0 for v in hidden.z[row])
    assert any(not math.isnan(v) for z in shown.z for v in z)  # other teams are shown


def test_unknown_chart_and_empty_period_are_refused_before_any_work(tmp_path):
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    with pytest.raises(registry.UnknownChart, match="'delivery.nope'"):
        boardpack.build(con, scope("2025-01-01", "2025-03-01"), ["delivery.nope"])
    with pytest.raises(boardpack.NoDataInPeriod, match="the data runs from 02 Jan 2025 to 10 Feb 2025"):
        boardpack.build(con, scope("2024-01-01", "2024-04-01"), ["delivery.deployment_frequency_trend"])


def test_slide_figure_moves_title_and_caption_onto_the_slide():
    import pandas as pd

    from lib.charts import line_chart

    fig = line_chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), "x", {"y": "Y"}, "Up 33%", "Source: s · Period: p",
                     "X (unit)", "Y (unit)")  # fmt: skip
    out = content.slide_figure(fig, 960, 380)
    assert out.layout.title.text == ""
    assert [a.name for a in out.layout.annotations] == []
    assert (out.layout.width, out.layout.height) == (960, 380)
    assert list(out.data[0].y) == [3, 4]
    assert fig.layout.title.text == "Up 33%"  # the page's figure is untouched


def test_definitions_are_metrics_md_in_plain_words():
    efficiency = definition("flow.efficiency")
    assert efficiency.label == "Flow efficiency" and efficiency.unit == "%"
    # SPEC's definition, then Pillars' reading (METRICS.md's fourth column), as sentences
    assert efficiency.text.startswith("Active time ÷ flow time over items completed in period")
    assert "null when none has. A ratio of sums (sum of active time ÷ sum of flow time), so long items" in (
        efficiency.text
    )
    assert "*" not in efficiency.text and "`" not in efficiency.text and "|" not in efficiency.text
    # A row that only says "the same" takes the catalog's own sentence, then its own reading.
    defect = definition("flow.distribution.defect")
    assert defect.text == "Share (0–1) of work items completed in the period whose type is defect."
    debt = definition("flow.distribution.debt")
    assert debt.text.endswith("whose type is debt. Items of other types count in the denominator only.")
    # catalog keys read as their labels
    assert definition("delivery.deployment_frequency_per_week").line() == (
        "Deployment frequency (per week): Production deployments with status success ÷ (days ÷ 7). 0 when "
        "there are none (an honest zero), null when deployments exist but none is production (above) or the "
        "table is empty."
    )
    assert definition("business.rnd_pct_revenue").text == "R&D spend ÷ revenue (a fraction 0–1)."
    from lib.boardpack.definitions import _documented

    assert len(_documented()) > 45  # every documented key reads as plain sentences
    for key in _documented():
        text = definition(key).text
        assert "|" not in text and "`" not in text and not text.lower().startswith("the same"), key
