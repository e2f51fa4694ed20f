"""The invisible text layer of a searchable PDF: a PDF engine (pdfium, Chrome's) finds each
word, with its diacritics, over the place on the page image where it was printed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from archive import Settings
from extractors import extract
from extractors.searchable import SearchablePdf
from extractors.textlayer import Line, Word
from tests.makers import find_font

DPI = 200


def _page_with(words: dict[str, tuple[int, int]]) -> tuple[Image.Image, dict[str, tuple[float, float, float, float]]]:
    """An A4 page at 200 dpi with each phrase printed at its pixel position; their boxes in pixels."""
    font = ImageFont.truetype(str(find_font()), round(14 * DPI / 72))
    img = Image.new("L", (round(8.27 * DPI), round(11.69 * DPI)), 255)
    draw = ImageDraw.Draw(img)
    boxes = {}
    for text, (x, y) in words.items():
        draw.text((x, y), text, font=font, fill=0)
        boxes[text] = draw.textbbox((x, y), text, font=font)
    return img, boxes


def _found_at(pdf: Path, phrase: str) -> tuple[float, float, float, float]:
    """The phrase's box in pixels of the page image (top-left origin), as pdfium reports it."""
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    text = page.get_textpage()
    searcher = text.search(phrase, match_case=True)
    hit = searcher.get_next()
    assert hit is not None, f"{phrase!r} not in the text layer: {text.get_text_range()!r}"
    start, count = hit
    boxes = [text.get_charbox(i) for i in range(start, start + count)]
    height = page.get_height()
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    k = DPI / 72
    return left * k, (height - top) * k, right * k, (height - bottom) * k


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Intersection over the smaller box."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller


def test_words_of_a_scan_are_found_where_they_were_printed(tmp_path: Path, settings: Settings) -> None:
    placed = {
        "Thông báo kết luận": (180, 220),
        "Giải phóng mặt bằng": (900, 700),
        "Số 23-CT/TU": (300, 1500),
        "Nguyễn Văn Phước": (1000, 2000),
    }
    image, boxes = _page_with(placed)
    scan = tmp_path / "scan.png"
    image.save(scan, dpi=(DPI, DPI))
    out = tmp_path / "searchable.pdf"
    extract(scan, settings, searchable_pdf=out)
    for phrase, box in boxes.items():
        assert _overlap(_found_at(out, phrase), box) > 0.6, phrase
    text = PdfReader(str(out)).pages[0].extract_text()
    assert all(phrase in text for phrase in placed)  # words separated by spaces, lines by breaks


def test_the_layer_keeps_every_character_and_is_invisible(tmp_path: Path) -> None:
    line = Line((Word("Đảng", 100, 100, 180, 40), Word("ủy", 300, 100, 80, 40), Word("𝔸", 400, 100, 40, 40)), 100, 40)
    pdf = tmp_path / "layer.pdf"
    with SearchablePdf(pdf) as doc:  # over a white page: whatever is drawn would show
        doc.add_image(Image.new("L", (1654, 2339), 255), DPI, (line,))
    doc = pdfium.PdfDocument(str(pdf))
    assert doc[0].get_textpage().get_text_range() == "Đảng ủy 𝔸"  # outside the BMP too
    bitmap = doc[0].render(scale=0.5).to_pil().convert("L")
    assert bitmap.getextrema() == (255, 255)  # nothing drawn: the scan underneath is what is seen
