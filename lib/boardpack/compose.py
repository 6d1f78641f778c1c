"""Compose the deck's slides from its content: a title slide, one slide per chart, and closing
slides with the definitions and the data's freshness per table.

Chart slide: the pillar above the takeaway title; the numbers behind it; the chart picture
(the room the title leaves, rendered at exactly its aspect); the source-and-period caption under it; a
footer with organisation, period, "Demo data" when it is, and the page number. A chart
without its data gets a slide that says what is missing, never a blank picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.boardpack.content import ChartContent, DeckContent
from lib.boardpack.layout import (
    ACCENT,
    CONTENT_W,
    LIGHT,
    MARGIN,
    SLIDE_H,
    SLIDE_W,
    Box,
    Picture,
    Rect,
    Slide,
    Stack,
    Text,
    paragraph,
)
from lib.charts import BAD, INK, MUTED, table_label
from lib.formatting import is_missing

KICKER = Box(MARGIN, 0.3, CONTENT_W, 0.25)
TITLE = Box(MARGIN, 0.55, CONTENT_W, 0.95)
FOOTER = Box(MARGIN, 7.12, CONTENT_W, 0.22)
CAPTION_GAP = 0.04  # between the caption's last line and the footer
PICTURE_GAP = 0.08  # between the picture and the caption
# The chart picture is 960 CSS pixels wide (the Pillars template's 13 px text reads as 12 pt on
# the slide), drawn at scale 2.5: a 2400-pixel-wide PNG.
PICTURE_PX_WIDTH = 960
PICTURE_SCALE = 2.5
TITLE_SIZES = (26, 23, 20)  # the largest that fits the title box in two lines (three at 20 pt)


def _footer(deck: DeckContent, number: int, total: int) -> tuple[Text, Text]:
    left = f"{deck.organisation} · {deck.period} · {deck.filters}"
    if deck.demo:
        left += " · Demo data"
    return (
        Text(FOOTER, (paragraph(left, 9, CONTENT_W - 1, color=MUTED),)),
        Text(FOOTER, (paragraph(f"{number} / {total}", 9, 1.0, color=MUTED),), align="right"),
    )


def _title(text: str, box: Box = TITLE) -> Text:
    for size in TITLE_SIZES:
        block = paragraph(text, size, box.width, bold=True)
        if len(block.lines) <= 2 or size == TITLE_SIZES[-1]:
            return Text(box, (block,), is_title=True)
    raise AssertionError("unreachable")


def title_slide(deck: DeckContent, total: int) -> Slide:
    width = SLIDE_W - 2.0
    stack = Stack(width)
    stack.add(deck.organisation, 22, color=MUTED)
    stack.add(f"Period: {deck.period} ({deck.scope.days} days)", 18, space_before=18)
    stack.add(f"Filters: {deck.filters}", 18, space_before=4)
    stack.add(f"{len(deck.charts)} charts · prepared {deck.generated:%d %b %Y} with Pillars", 13, color=MUTED,
              space_before=14)  # fmt: skip
    if deck.demo:
        stack.add(
            "Demo data: a generated organisation, not a real one", 16, bold=True, color=BAD, space_before=20
        )
    elements = [
        Rect(Box(0, 0, 0.28, SLIDE_H), ACCENT),
        _title("Engineering board pack", Box(1.0, 1.9, width, 0.95)),
        Text(Box(1.0, 2.95, width, stack.height + 0.1), tuple(stack.paragraphs)),
    ]
    notes = (
        f"Board pack for {deck.organisation}, {deck.period}, {deck.filters}. Every number comes from the same "
        "computation as the app's pages; definitions are in each slide's notes and on the closing slides."
    )
    if deck.demo:
        notes += " Demo data: a generated organisation."
    return Slide((*elements, _footer(deck, 1, total)[1]), notes)


@dataclass(frozen=True)
class ChartLayout:
    """Where a chart slide's title, numbers and picture go: the picture takes the room the
    title and its numbers leave, so it is rendered at exactly that box's aspect."""

    title: Text
    subtitle: Text | None
    picture: Box
    caption: Text | None  # as many lines as the caption needs, ending just above the footer

    @property
    def picture_px(self) -> tuple[int, int]:
        """The picture in CSS pixels: 960 wide (the template's fonts read as ~12 pt on the slide)."""
        return PICTURE_PX_WIDTH, round(PICTURE_PX_WIDTH * self.picture.height / self.picture.width)


def chart_layout(content: ChartContent) -> ChartLayout:
    title = _title(content.title)
    y = TITLE.top + sum(p.height for p in title.paragraphs) + 0.06
    subtitle = None
    if content.subtitle:
        sub = paragraph(content.subtitle, 14, CONTENT_W, color=MUTED)
        subtitle = Text(Box(MARGIN, y, CONTENT_W, sub.height), (sub,))
        y += sub.height
    top = y + 0.14
    bottom, caption = FOOTER.top - CAPTION_GAP, None
    if content.caption:
        lines = paragraph(content.caption, 10.5, CONTENT_W, color=MUTED)
        caption = Text(Box(MARGIN, bottom - lines.height, CONTENT_W, lines.height), (lines,))
        bottom = caption.box.top
    return ChartLayout(title, subtitle, Box(MARGIN, top, CONTENT_W, bottom - PICTURE_GAP - top), caption)


def chart_slide(
    deck: DeckContent, content: ChartContent, png: bytes | None, number: int, total: int
) -> Slide:
    elements: list = [
        Text(KICKER, (paragraph(content.chart.pillar_name.upper(), 11, CONTENT_W, True, ACCENT),))
    ]
    placed = chart_layout(content)
    elements.append(placed.title)
    if placed.subtitle:
        elements.append(placed.subtitle)
    if content.missing or png is None:
        stack = Stack(CONTENT_W - 1.0)
        stack.add("What is missing", 16, bold=True, color=INK)
        stack.add(content.missing or "The chart could not be drawn.", 18, color=INK, space_before=8)
        stack.add("Nothing is drawn rather than a chart of zeros: the figures would be made up.", 13,
                  color=MUTED, space_before=14)  # fmt: skip
        panel = Box(MARGIN, placed.picture.top + 0.3, CONTENT_W, stack.height + 0.8)
        elements.append(Rect(panel, LIGHT))
        elements.append(
            Text(Box(MARGIN + 0.5, panel.top + 0.4, stack.width, stack.height), tuple(stack.paragraphs))
        )
    else:
        elements.append(Picture(placed.picture, png))
    if placed.caption:
        elements.append(placed.caption)
    return Slide((*elements, *_footer(deck, number, total)), content.notes())


def _freshness_lines(fresh: pd.DataFrame) -> list[tuple[str, str]]:
    """(the table in words, "1,234 rows · latest … · loaded …") per table the charts read."""
    lines = []
    for row in fresh.itertuples():
        name = table_label(row.table)
        if is_missing(row.rows) or not row.rows:
            lines.append((name, "not loaded"))
            continue
        latest = f"latest {pd.Timestamp(row.latest):%d %b %Y}" if not pd.isna(row.latest) else "no dates"
        loaded = f"loaded {pd.Timestamp(row.last_import):%d %b %Y}" if not pd.isna(row.last_import) else ""
        lines.append((name, " · ".join(p for p in (f"{int(row.rows):,} rows", latest, loaded) if p)))
    return lines


CLOSING_TOP = 1.55
CLOSING_BOTTOM = 6.95
DEFS_W = 7.6
FRESH_LEFT = MARGIN + DEFS_W + 0.45
FRESH_W = SLIDE_W - MARGIN - FRESH_LEFT


def _pack(blocks: list[tuple], first_room: float, room: float) -> list[list]:
    """Blocks of paragraphs into pages of `room` inches (`first_room` on the first page)."""
    pages: list[list] = [[]]
    used = 0.0
    for block in blocks:
        need = sum(p.height for p in block)
        if pages[-1] and used + need > (first_room if len(pages) == 1 else room):
            pages.append([])
            used = 0.0
        pages[-1].extend(block)
        used += need
    return pages


def closing_slides(deck: DeckContent, first_number: int, total: int | None = None) -> list[Slide]:
    """Every metric in the deck in plain words (`MetricDefinition.words`) and the freshness of each table the charts read,
    continued over as many slides as they need."""
    room = CLOSING_BOTTOM - CLOSING_TOP
    seen = list({d.key: d for c in deck.charts for d in c.definitions}.values())
    definitions = _pack(
        [(paragraph(d.label, 11.5, DEFS_W, bold=True, space_before=7), paragraph(d.words, 10.5, DEFS_W))
         for d in seen],
        room,
        room,
    )  # fmt: skip
    heading = Stack(FRESH_W).add("Data freshness per table", 14, bold=True)
    note = paragraph(
        f"Period shown: {deck.period}. Latest: the newest date in the table; loaded: its last import.",
        9.5, FRESH_W, color=MUTED, space_before=12,
    )  # fmt: skip
    tables = [
        (
            paragraph(table, 11.5, FRESH_W, bold=True, space_before=8),
            paragraph(line, 10.5, FRESH_W, color=MUTED),
        )
        for table, line in _freshness_lines(deck.freshness)
    ]
    freshness = _pack([*tables, (note,)], room - heading.height, room)
    freshness[0][:0] = heading.paragraphs
    count = max(len(definitions), len(freshness))
    total = total or first_number + count - 1
    slides = []
    for i in range(count):
        defs = definitions[i] if i < len(definitions) else []
        fresh = freshness[i] if i < len(freshness) else []
        elements: list = [
            Text(KICKER, (paragraph("APPENDIX", 11, CONTENT_W, True, ACCENT),)),
            _title(
                "Definitions and data freshness" if i == 0 else "Definitions and data freshness (continued)"
            ),
        ]
        if defs:
            elements.append(Text(Box(MARGIN, CLOSING_TOP, DEFS_W, room), tuple(defs)))
        elif i == 0:
            elements.append(Text(Box(MARGIN, CLOSING_TOP, DEFS_W, 0.5),
                                 (paragraph("No catalog metric in this deck.", 12, DEFS_W, color=MUTED),)))  # fmt: skip
        if fresh:
            height = sum(p.height for p in fresh)
            elements.append(Rect(Box(FRESH_LEFT - 0.2, CLOSING_TOP, 0.03, height), LIGHT))
            elements.append(Text(Box(FRESH_LEFT, CLOSING_TOP, FRESH_W, height), tuple(fresh)))
        notes = (
            "Every metric in this deck in plain words, and when each table was last updated. The exact "
            "definition of each (METRICS.md) is in the notes of the slides that show it."
        )
        slides.append(Slide((*elements, *_footer(deck, first_number + i, total)), notes))
    return slides


def compose(deck: DeckContent, images: list[bytes | None]) -> list[Slide]:
    """All slides: title, one per chart (`images[i]` is chart i's PNG, None without data), closing."""
    closing = len(closing_slides(deck, 0))
    total = 1 + len(deck.charts) + closing
    slides = [title_slide(deck, total)]
    for i, (content, png) in enumerate(zip(deck.charts, images, strict=True)):
        slides.append(chart_slide(deck, content, png, i + 2, total))
    slides.extend(closing_slides(deck, len(deck.charts) + 2, total))
    return slides
