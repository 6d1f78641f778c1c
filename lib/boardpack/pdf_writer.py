"""Write composed slides as a PDF, one slide per page, matching the PowerPoint deck.

Each slide is drawn as an image (Pillow) from the same composed elements the PPTX writer
places: the same boxes, the same line breaks, Liberation Sans for Arial, and the very PNG of
each chart, pasted pixel for pixel: the page resolution (about 195 dpi, 2595 × 1459 px) is
the one at which the chart picture's box is exactly as wide as its PNG, so no chart is
resampled. `img2pdf` wraps each page (JPEG at quality 95 without chroma subsampling:
five times faster to encode than PNG, and no visible artefact on slides) as a 13.333 ×
7.5 in page. Text in the PDF is therefore an image, like a deck exported from PowerPoint
as pictures: what a board member sees is exactly the deck.
"""

from __future__ import annotations

import io

import img2pdf
from PIL import Image, ImageDraw

from lib.boardpack.compose import PICTURE_PX_WIDTH, PICTURE_SCALE
from lib.boardpack.layout import CONTENT_W, LINE_SPACING, SLIDE_H, SLIDE_W, Picture, Rect, Slide, Text, font

DPI = PICTURE_PX_WIDTH * PICTURE_SCALE / CONTENT_W  # a chart PNG's width fills the content width


def slide_image(slide: Slide, dpi: float = DPI) -> Image.Image:
    """One slide as an RGB image at `dpi` dots per inch."""

    def px(inches: float) -> int:
        return round(inches * dpi)

    image = Image.new("RGB", (px(SLIDE_W), px(SLIDE_H)), "white")
    draw = ImageDraw.Draw(image)
    for element in slide.elements:
        box = element.box
        if isinstance(element, Rect):
            draw.rectangle((px(box.left), px(box.top), px(box.left + box.width) - 1, px(box.bottom) - 1),
                           fill=element.fill)  # fmt: skip
        elif isinstance(element, Picture):
            with Image.open(io.BytesIO(element.png)) as chart:
                fitted = chart.convert("RGB").resize(
                    (px(box.width), px(box.height)), Image.Resampling.LANCZOS
                )
            image.paste(fitted, (px(box.left), px(box.top)))
        elif isinstance(element, Text):
            y = box.top
            for para in element.paragraphs:
                y += para.space_before / 72
                face = font(para.size, para.bold, dpi)
                line_h = para.size * LINE_SPACING / 72
                for line in para.lines:
                    # PowerPoint sets a line's baseline about 0.8 em below the line's top at this spacing.
                    baseline = y + (line_h - para.size / 72) / 2 + 0.8 * para.size / 72
                    x = box.left + box.width if element.align == "right" else box.left
                    draw.text((px(x), px(baseline)), line, font=face, fill=para.color,
                              anchor="rs" if element.align == "right" else "ls")  # fmt: skip
                    y += line_h
    return image


def write_pdf(slides: list[Slide]) -> bytes:
    """The deck as PDF bytes, one 13.333 × 7.5 in page per slide."""
    pages = []
    for slide in slides:
        buffer = io.BytesIO()
        slide_image(slide).save(buffer, format="JPEG", quality=95, subsampling=0)
        pages.append(buffer.getvalue())
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    return img2pdf.convert(pages, layout_fun=layout)
