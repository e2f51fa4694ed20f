"""The invisible text layer of one scanned page, written from tesseract's word boxes.

Tesseract can write this page itself (``textonly_pdf``), but asking it for a PDF on top of
the TSV cost 6-9% of OCR throughput in bench/ocr; the TSV already holds every word's box.
The layout follows tesseract's own PDF renderer and OCRmyPDF's hOCR transform: one
"glyphless" font (every glyph blank, 500 units wide; ``glyphless.ttf`` is tesseract's
``pdf.ttf``, Apache-2.0), character codes that are the UTF-16 code units themselves, so
copying and searching give back the exact Vietnamese text, text render mode 3 (invisible),
and each word stretched with ``Tz`` over the box where it was read.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["FONT_OBJECTS", "Line", "Word", "font_objects", "stream", "text_content"]

_FONT_FILE = Path(__file__).with_name("glyphless.ttf")
_CHAR_WIDTH = 0.5  # of the font size: the font's /DW 500

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@dataclass(frozen=True)
class Word:
    text: str
    left: int  # pixels, from the top-left corner of the page image
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    top: int
    height: int


def stream(data: bytes, extra: bytes = b"") -> bytes:
    """A Flate-compressed PDF stream object."""
    packed = zlib.compress(data, 6)
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n%s\nendstream" % (len(packed), extra, packed)


FONT_OBJECTS = 6  # how many objects ``font_objects`` returns


def font_objects(first: int) -> tuple[bytes, ...]:
    """The glyphless font as PDF objects numbered ``first`` … ``first + 5``: the Type0 font
    (the one a page's resources name), CID font, descriptor, font file, ToUnicode, CIDToGIDMap."""
    _font, cid, descriptor, file, to_unicode, cid_to_gid = range(first, first + FONT_OBJECTS)
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, to_unicode),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor %d 0 R /CIDToGIDMap %d 0 R /DW 500 >>" % (descriptor, cid_to_gid),
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000]"
        b" /ItalicAngle 0 /Ascent 1000 /Descent -1 /CapHeight 1000 /StemV 80 /FontFile2 %d 0 R >>" % file,
        *_font_streams(),
    )


@cache
def _font_streams() -> tuple[bytes, bytes, bytes]:
    font_file = _FONT_FILE.read_bytes()
    return (
        stream(font_file, b" /Length1 %d" % len(font_file)),
        stream(_TO_UNICODE),
        stream(b"\x00\x01" * 65536),  # every code is glyph 1, the blank one
    )


def _hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


def text_content(lines: Sequence[Line], height_px: int, dpi: int, font: bytes = b"/F1") -> bytes:
    """The page content that lays the words invisibly over an image of ``height_px`` at ``dpi``."""
    scale = 72.0 / dpi
    page_height_pt = height_px * scale
    out = [b"BT 3 Tr"]
    for line in lines:
        size = max(line.height * scale, 1.0)
        baseline = page_height_pt - (line.top + line.height) * scale
        out.append(b"%s %.2f Tf" % (font, size))
        for i, word in enumerate(line.words):
            text = word.text + (" " if i < len(line.words) - 1 else "")  # the space makes copied text read right
            natural = len(text) * _CHAR_WIDTH * size
            span = (word.width * scale) if i == len(line.words) - 1 else (line.words[i + 1].left - word.left) * scale
            stretch = max(span, 0.5) / natural * 100
            out.append(b"%.2f Tz 1 0 0 1 %.2f %.2f Tm <%s> Tj" % (stretch, word.left * scale, baseline, _hex(text)))
    out.append(b"ET")
    return b"\n".join(out)
