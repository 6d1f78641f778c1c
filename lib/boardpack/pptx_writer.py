"""Write composed slides as a PowerPoint deck (python-pptx), 16:9.

Each slide uses the default template's "Title Only" layout: its title placeholder holds
the takeaway (so PowerPoint's outline, accessibility checker and slide sorter see it), moved
and styled to the Pillars layout; everything else is a text box, a picture or a filled
rectangle at the position `lib.boardpack.compose` gave it. Lines are broken as composed
(line breaks within a paragraph), text is Arial with fixed line spacing, and autofit is
off, so the deck looks as the PDF does.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from lib.boardpack.layout import FONT_NAME, LINE_SPACING, SLIDE_H, SLIDE_W, Box, Picture, Rect, Slide, Text

EMU_PER_INCH = 914_400
TITLE_ONLY = 5  # the default template's "Title Only" layout


def _emu(inches: float) -> Emu:
    return Emu(round(inches * EMU_PER_INCH))


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = (_emu(box.left), _emu(box.top), _emu(box.width),
                                                        _emu(box.height))  # fmt: skip


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _fill_text(frame, text: Text) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, para in enumerate(text.paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = PP_ALIGN.RIGHT if text.align == "right" else PP_ALIGN.LEFT
        p.line_spacing = Pt(para.size * LINE_SPACING)
        p.space_before = Pt(para.space_before)
        p.space_after = Pt(0)
        for j, line in enumerate(para.lines):
            if j:
                p.add_line_break()
            run = p.add_run()
            run.text = line
            run.font.name = FONT_NAME
            run.font.size = Pt(para.size)
            run.font.bold = para.bold
            run.font.color.rgb = _rgb(para.color)


def write_pptx(slides: list[Slide]) -> bytes:
    """The deck as .pptx bytes: one PowerPoint slide per composed slide, notes included."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(SLIDE_W), _emu(SLIDE_H)
    layout = prs.slide_layouts[TITLE_ONLY]
    for composed in slides:
        slide = prs.slides.add_slide(layout)
        title_used = False
        for element in composed.elements:
            if isinstance(element, Rect):
                shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, 1, 1)
                _place(shape, element.box)
                shape.fill.solid()
                shape.fill.fore_color.rgb = _rgb(element.fill)
                shape.line.fill.background()
                shape.shadow.inherit = False
            elif isinstance(element, Picture):
                slide.shapes.add_picture(io.BytesIO(element.png), _emu(element.box.left), _emu(element.box.top),
                                         _emu(element.box.width), _emu(element.box.height))  # fmt: skip
            elif isinstance(element, Text):
                if element.is_title and not title_used:
                    shape = slide.shapes.title
                    title_used = True
                else:
                    shape = slide.shapes.add_textbox(0, 0, 1, 1)
                _place(shape, element.box)
                _fill_text(shape.text_frame, element)
        if not title_used and slide.shapes.title is not None:
            slide.shapes.title._element.getparent().remove(slide.shapes.title._element)
        if composed.notes:
            slide.notes_slide.notes_text_frame.text = composed.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
