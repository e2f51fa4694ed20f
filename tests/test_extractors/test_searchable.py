"""The searchable PDF is written page by page: a long scan costs the memory of a page, not of
the file; the pages of the original it keeps are copied whole (what they inherit, what they
share written once) and never drag the rest of their document in."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import NullObject

from extractors.searchable import SearchablePdf
from extractors.textlayer import Line, Word

DPI = 150
_SENTENCE = "Ủy ban nhân dân tỉnh tổ chức đối thoại trực tiếp với người dân về bồi thường giải phóng mặt bằng"


def _lines(text: str) -> tuple[Line, ...]:
    words = text.split()
    rows = [words[k : k + 12] for k in range(0, len(words), 12)]
    top = [150 + 40 * row for row in range(len(rows))]
    return tuple(
        Line(tuple(Word(w, 100 + 70 * i, top[row], 60, 24) for i, w in enumerate(ws)), top[row], 24)
        for row, ws in enumerate(rows)
    )


def _text_pdf_with_photos(path: Path, pages: int) -> None:
    """``pages`` pages, each a large photo-like image under a real text layer, then one blank scan."""
    photo = Image.effect_noise((1240, 1754), 60).convert("L")  # A4 at 150 dpi; JPEG ~1 MB a page
    with SearchablePdf(path) as doc:
        for n in range(pages):
            doc.add_image(photo, DPI, _lines(f"Trang {n + 1}. {_SENTENCE}"))
        doc.add_image(Image.new("L", (1240, 1754), 250), DPI, ())  # no text layer: OCR'd, found blank


_MEASURE = """
import json, resource, sys
from pathlib import Path
from archive import Settings
from extractors.extract import extract_here
src, out, home = map(Path, sys.argv[1:4])
result = extract_here(src, Settings(home=home, workers=1), searchable_pdf=out)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "methods": [p.method for p in result.pages], "first": result.pages[0].text}))
"""


def _extract_in_fresh_process(src: Path, out: Path, home: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(src), str(out), str(home)],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_long_file_is_read_and_rewritten_in_the_memory_of_a_page(tmp_path: Path) -> None:
    small, large = tmp_path / "small.pdf", tmp_path / "large.pdf"
    _text_pdf_with_photos(small, 6)
    _text_pdf_with_photos(large, 60)
    assert large.stat().st_size > 50_000_000
    measured = {}
    for src in (small, large):
        out = tmp_path / f"{src.stem}-searchable.pdf"
        measured[src.stem] = _extract_in_fresh_process(src, out, tmp_path / "home")
        got = PdfReader(out)
        assert len(got.pages) == len(PdfReader(src).pages)
        assert "Trang 1." in got.pages[0].extract_text()
    assert measured["large"]["methods"] == ["text"] * 60 + ["ocr"]
    assert measured["large"]["first"].startswith("Trang 1. Ủy ban nhân dân tỉnh")
    # Held whole, the 54 more pages (~1 MB each) would cost over 100 MB (reader and writer each
    # kept every page); page by page they cost nothing that grows.
    growth = measured["large"]["peak_mb"] - measured["small"]["peak_mb"]
    assert growth < 25, measured


def _hand_made(path: Path) -> None:
    """Two pages that inherit their size, rotation and font from the page tree, share that font,
    and link to each other (an annotation pointing at the other page)."""
    contents = [b"BT /F1 24 Tf 72 700 Td (MARKER-%s page) Tj ET" % which for which in (b"ONE", b"TWO")]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 500 800] /Rotate 90"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [8 0 R] >>",
        4: b"<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        6: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents[0]), contents[0]),
        7: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents[1]), contents[1]),
        8: b"<< /Type /Annot /Subtype /Link /Rect [72 600 300 640] /P 3 0 R /Dest [4 0 R /Fit] >>",
    }
    body = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number, obj in objects.items():
        offsets[number] = len(body)
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 9\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 9))
    body += b"trailer\n<< /Size 9 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(body))


def _streams(raw: bytes) -> bytes:
    """Every stream of the file, inflated where it was compressed: what a page could carry."""
    out = []
    for chunk in raw.split(b"stream\n")[1:]:
        data = chunk.split(b"\nendstream")[0]
        try:
            out.append(zlib.decompress(data))
        except zlib.error:
            out.append(data)
    return b"\n".join(out)


def test_a_kept_page_carries_what_it_inherits_and_shares_its_font(tmp_path: Path) -> None:
    src, out = tmp_path / "original.pdf", tmp_path / "searchable.pdf"
    _hand_made(src)
    reader = PdfReader(src)
    with SearchablePdf(out) as doc:
        doc.add_original(reader, 0)
        doc.add_image(Image.new("L", (1000, 1600), 255), DPI, _lines(_SENTENCE))
        doc.add_original(reader, 1)
    got = PdfReader(out)
    assert [p.rotation for p in got.pages] == [90, 0, 90]
    assert [float(got.pages[i].mediabox.height) for i in (0, 2)] == [800.0, 800.0]
    assert "MARKER-ONE" in got.pages[0].extract_text()
    assert "MARKER-TWO" in got.pages[2].extract_text()
    assert "bồi thường giải phóng mặt bằng" in got.pages[1].extract_text()
    assert out.read_bytes().count(b"/BaseFont /Helvetica") == 1  # shared, written once
    pdfium.PdfDocument(str(out))[2].render(scale=0.2)  # a PDF engine opens and draws it


def test_a_kept_page_never_drags_in_the_pages_it_links_to(tmp_path: Path) -> None:
    src, out = tmp_path / "original.pdf", tmp_path / "searchable.pdf"
    _hand_made(src)
    with SearchablePdf(out) as doc:
        doc.add_original(PdfReader(src), 0)  # links to page 2
    raw = out.read_bytes()
    assert b"MARKER-ONE" in _streams(raw)
    assert b"MARKER-TWO" not in _streams(raw)
    got = PdfReader(out)
    assert len(got.pages) == 1
    link = got.pages[0]["/Annots"][0].get_object()
    assert isinstance(link["/Dest"][0], NullObject)  # the link stays, pointing nowhere


def test_an_unfinished_file_is_not_a_pdf(tmp_path: Path) -> None:
    """A reading stopped half-way (a page over its time limit) leaves no file that looks whole."""
    out = tmp_path / "searchable.pdf"
    try:
        with SearchablePdf(out) as doc:
            doc.add_image(Image.new("L", (200, 300), 255), DPI, ())
            raise TimeoutError
    except TimeoutError:
        pass
    assert b"%%EOF" not in out.read_bytes()
