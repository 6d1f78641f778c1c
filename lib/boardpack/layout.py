"""The slide model both writers draw: boxes in inches, text already broken into lines.

Why: the PDF must match the PowerPoint deck. Each slide is composed once, as positioned
elements (text blocks whose lines are broken here, pictures, filled rectangles), and
`lib.boardpack.pptx_writer` and `lib.boardpack.pdf_writer` only draw those elements. Lines
are measured with Liberation Sans, which has Arial's metrics (it is a dependency of
Debian's chromium), and the deck's text is set in Arial, so PowerPoint, Keynote and Google
Slides break lines where the PDF does. Without Liberation the measure falls back to DejaVu
Sans (wider: lines break a little early, never overflow).

Slides are 16:9, 13.333 × 7.5 in, as PowerPoint's default widescreen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import ImageFont

from lib.charts import INK, PALETTE

SLIDE_W = 13.333
SLIDE_H = 7.5
MARGIN = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN
FONT_NAME = "Arial"
ACCENT = PALETTE[0]
LIGHT = "#F3F5F8"
LINE_SPACING = 1.18  # line height as a multiple of the font size

_FONT_FILES = {
    False: (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}


@cache
def font_file(bold: bool) -> str:
    """The TrueType file text is measured and (in the PDF) drawn with."""
    for path in _FONT_FILES[bold]:
        if Path(path).exists():
            return path
    raise FileNotFoundError(
        "no Liberation Sans or DejaVu Sans font: install fonts-liberation (a dependency of chromium)"
    )


@cache
def font(size_pt: float, bold: bool = False, dpi: int = 72) -> ImageFont.FreeTypeFont:
    """The font at `size_pt` points for an image of `dpi` dots per inch."""
    return ImageFont.truetype(font_file(bold), size=size_pt * dpi / 72)


_MEASURE_DPI = 720  # measure at 10 px per point: sub-point precision


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of text in inches."""
    return font(size_pt, bold, _MEASURE_DPI).getlength(text) / _MEASURE_DPI


def wrap(text: str, size_pt: float, width_in: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width_in` at `size_pt` (a word longer than a
    line gets a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size_pt, bold) > width_in:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[str, ...]
    size: float  # points
    bold: bool = False
    color: str = INK
    space_before: float = 0.0  # points

    @property
    def height(self) -> float:
        """Inches this paragraph takes, its space before included."""
        return (self.space_before + len(self.lines) * self.size * LINE_SPACING) / 72


def paragraph(
    text: str, size: float, width: float, bold: bool = False, color: str = INK, space_before: float = 0.0
):
    return Paragraph(tuple(wrap(text, size, width, bold)), size, bold, color, space_before)


@dataclass(frozen=True)
class Text:
    box: Box
    paragraphs: tuple[Paragraph, ...]
    is_title: bool = False  # the slide's title (PowerPoint's title placeholder)
    align: str = "left"  # "left" or "right"


@dataclass(frozen=True)
class Picture:
    box: Box
    png: bytes


@dataclass(frozen=True)
class Rect:
    box: Box
    fill: str


@dataclass(frozen=True)
class Slide:
    elements: tuple[Text | Picture | Rect, ...]
    notes: str = ""

    @property
    def title(self) -> str:
        found = next((e for e in self.elements if isinstance(e, Text) and e.is_title), None)
        return " ".join(line for p in found.paragraphs for line in p.lines) if found else ""


@dataclass
class Stack:
    """Paragraphs laid out top to bottom within a width, for composing a text box."""

    width: float
    paragraphs: list[Paragraph] = field(default_factory=list)

    def add(self, text: str, size: float, bold: bool = False, color: str = INK, space_before: float = 0.0):
        self.paragraphs.append(paragraph(text, size, self.width, bold, color, space_before))
        return self

    @property
    def height(self) -> float:
        return sum(p.height for p in self.paragraphs)
