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

__all__ = ["Line", "Word", "text_layer_pdf"]

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


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 6)
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n%s\nendstream" % (len(packed), extra, packed)


@cache
def _font_objects() -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """Objects 5-9: Type0 font, CID font, descriptor, font file, ToUnicode; the CIDToGIDMap is 10."""
    font_file = _FONT_FILE.read_bytes()
    return (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 9 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 7 0 R /CIDToGIDMap 10 0 R /DW 500 >>",
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000]"
        b" /ItalicAngle 0 /Ascent 1000 /Descent -1 /CapHeight 1000 /StemV 80 /FontFile2 8 0 R >>",
        _stream(font_file, b" /Length1 %d" % len(font_file)),
        _stream(_TO_UNICODE),
    )


@cache
def _cid_to_gid() -> bytes:
    return _stream(b"\x00\x01" * 65536)  # every code is glyph 1, the blank one


def _hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


def _content(lines: Sequence[Line], page_height_pt: float, scale: float) -> bytes:
    out = [b"BT 3 Tr"]
    for line in lines:
        size = max(line.height * scale, 1.0)
        baseline = page_height_pt - (line.top + line.height) * scale
        out.append(b"/F1 %.2f Tf" % size)
        for i, word in enumerate(line.words):
            text = word.text + (" " if i < len(line.words) - 1 else "")  # the space makes copied text read right
            natural = len(text) * _CHAR_WIDTH * size
            span = (word.width * scale) if i == len(line.words) - 1 else (line.words[i + 1].left - word.left) * scale
            stretch = max(span, 0.5) / natural * 100
            out.append(b"%.2f Tz 1 0 0 1 %.2f %.2f Tm <%s> Tj" % (stretch, word.left * scale, baseline, _hex(text)))
    out.append(b"ET")
    return b"\n".join(out)


def text_layer_pdf(lines: Sequence[Line], width_px: int, height_px: int, dpi: int) -> bytes:
    """A one-page PDF the size of the image at ``dpi``, holding only invisible text."""
    scale = 72.0 / dpi
    width_pt, height_pt = width_px * scale, height_px * scale
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>" % (width_pt, height_pt),
        _stream(_content(lines, height_pt, scale)),
        *_font_objects(),
        _cid_to_gid(),
    ]
    body = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(body)
