"""Geometry that depends on the text: the drawn lines of the header, measured to the text.

NĐ 30/2020 Phụ lục I draws a solid line under the Tiêu ngữ as long as its line of text, and
under the State issuer's name a line of 1/3 to 1/2 of its length; HD 36 draws one under
"ĐẢNG CỘNG SẢN VIỆT NAM". A line is a paragraph's bottom border (not underlined text), so its
length is the paragraph's width: the indents are set here from the text's width, measured with
the metrics of Liberation Serif (metric-compatible with Times New Roman, which the documents name).

Paragraph styles mark the lines in the .docx templates: ``RULE_FULL`` (the paragraph's own text,
full length) and ``RULE_PART`` (an empty paragraph under the lines before it in the same style — a name printed
on two lines — 2/5 of the longest).
Symbols in tables get non-breaking hyphens (``45-BC/HU`` never splits at the hyphen).
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph

__all__ = ["RULE_FULL", "RULE_PART", "finish", "text_width"]

RULE_FULL = "DT Kẻ dưới cả dòng"
RULE_PART = "DT Kẻ dưới một phần"
PART = 0.4  # of the issuer's line: between 1/3 and 1/2
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
_SYMBOL = re.compile(r"\b\d+[-/][A-ZĐa-zđ]")


@cache
def _font(bold: bool, italic: bool):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    name = "LiberationSerif-" + {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
                                 (True, True): "BoldItalic"}[(bold, italic)] + ".ttf"  # fmt: skip
    for root in _FONT_DIRS:
        for path in Path(root).rglob(name):
            return ImageFont.truetype(str(path), 1000)
    return None


def text_width(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of ``text`` in points (Times New Roman metrics)."""
    font = _font(bold, italic)
    if font is None:  # no font file: an average Times capital is about 0.68 em
        return len(text) * size_pt * 0.62
    return float(font.getlength(text)) / 1000 * size_pt


def _width(p: Paragraph) -> float:
    size, bold, italic = _run_style(p)
    return text_width(p.text.strip(), size, bold=bold, italic=italic)


def _run_style(p: Paragraph) -> tuple[float, bool, bool]:
    runs = [r for r in p.runs if r.text.strip()]
    size = next((r.font.size.pt for r in runs if r.font.size), None) or 14.0
    return size, any(bool(r.bold) for r in runs), any(bool(r.italic) for r in runs)


def _available(p: Paragraph) -> float | None:
    """Width of the paragraph's cell (or None outside a table), in points, less the cell's margins."""
    tc = p._p.getparent()
    if tc is None or tc.tag != qn("w:tc"):
        return None
    width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    if width is None:
        return None
    return int(width.get(qn("w:w"))) / 20 - 2 * _CELL_MARGIN_PT


_CELL_MARGIN_PT = 2.85  # 1 mm, as the templates set it


SLACK = 1.015  # renderers differ by a point or two: a line exactly as wide as its text could wrap


_TEXT_WIDTH_PT = 165 / 25.4 * 72  # A4 less the 30 and 15 mm margins


def _fit(p: Paragraph, line_pt: float, width_pt: float | None = None) -> None:
    cell = width_pt or _available(p)
    if cell is None:
        return
    side = max((cell - line_pt * SLACK) / 2, 0)
    p.paragraph_format.left_indent = Emu(int(Pt(side)))
    p.paragraph_format.right_indent = Emu(int(Pt(side)))


def finish(docx: bytes) -> bytes:
    """Set the length of every drawn header line from its text; keep table symbols whole."""
    doc = Document(io.BytesIO(docx))
    block: list[float] = []
    for p in doc.paragraphs:  # the line under a State document's trích yếu
        style = p.style.name if p.style is not None else ""
        if style == RULE_PART and block:
            _fit(p, PART * min(max(block), _TEXT_WIDTH_PT), _TEXT_WIDTH_PT)
        block = [_width(p)] if p.text.strip() else []
    for table in doc.tables:
        data_table = len(table.columns) > 2  # figures tables; not the header or the signature
        for row in table.rows:
            for cell in row.cells:
                previous: Paragraph | None = None
                block = []  # widths of the lines of the name a RULE_PART goes under
                for p in cell.paragraphs:
                    style = p.style.name if p.style is not None else ""
                    if style == RULE_FULL and p.text.strip():
                        size, bold, italic = _run_style(p)
                        _fit(p, text_width(p.text.strip(), size, bold=bold, italic=italic))
                    elif style == RULE_PART and block:
                        longest = max(block)
                        _fit(p, PART * min(longest, _available(p) or longest))  # a wrapped name: its lines
                    elif data_table and _SYMBOL.search(p.text):
                        _no_break_hyphens(p)
                    if p.text.strip() or style == RULE_PART:
                        if previous is not None and p.text.strip() and _run_style(p) == _run_style(previous):
                            block.append(_width(p))
                        elif p.text.strip():
                            block = [_width(p)]
                        previous = p
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _no_break_hyphens(p: Paragraph) -> None:
    """``45-BC/HU`` → ``45‑BC/HU`` with Word's non-breaking hyphen element (text stays "-")."""
    for run in p.runs:
        if "-" not in run.text or not _SYMBOL.search(run.text):
            continue
        parts = run.text.split("-")
        r = run._r
        for t in r.findall(qn("w:t")):
            r.remove(t)
        for i, part in enumerate(parts):
            if i:
                r.append(OxmlElement("w:noBreakHyphen"))
            if part:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = part
                r.append(t)
