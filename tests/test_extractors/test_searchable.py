"""The searchable PDF is written page by page: a long scan costs the memory of a page, not of
the file; the pages of the original it keeps are copied whole (what they inherit, what they
share written once) and never drag the rest of their document in."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import NullObject

from archive import Settings
from extractors import extract
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


def _write_pdf(path: Path, objects: dict[int, bytes]) -> None:
    """A PDF of ``objects`` (object 1 the catalogue) with a correct xref table."""
    body = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number, obj in objects.items():
        offsets[number] = len(body)
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    size = max(objects) + 1
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % size
    body += b"".join(
        b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n" for n in range(1, size)
    )
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(body))


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


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
        6: _stream(contents[0]),
        7: _stream(contents[1]),
        8: b"<< /Type /Annot /Subtype /Link /Rect [72 600 300 640] /P 3 0 R /Dest [4 0 R /Fit] >>",
    }
    _write_pdf(path, objects)


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


_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _form_and_layer(path: Path) -> None:
    """Two pages sharing a filled-in field (its value drawn only by its widgets), the first with a
    signature's stamp (a widget too) and a rectangle in a layer hidden by default."""
    value = b"BT /F1 14 Tf 2 6 Td (Nguyen Van A) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [20 0 R] /D << /OFF [20 0 R] >> >>"
        b" /AcroForm << /Fields [10 0 R 13 0 R] /DA (/F1 0 Tf 0 g) /DR << /Font << /F1 5 0 R >> >> >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 400 400]"
        b" /Resources << /Font << /F1 5 0 R >> /Properties << /Draft 20 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [11 0 R 13 0 R] >>",
        4: b"<< /Type /Page /Parent 2 0 R /Contents 7 0 R /Annots [12 0 R] >>",
        5: _HELVETICA,
        6: _stream(b"BT /F1 12 Tf 20 360 Td (Ho ten:) Tj ET /OC /Draft BDC 0 0 1 rg 20 20 200 100 re f EMC"),
        7: _stream(b"BT /F1 12 Tf 20 360 Td (Trang hai) Tj ET"),
        10: b"<< /FT /Tx /T (hoten) /V (Nguyen Van A) /Kids [11 0 R 12 0 R] >>",
        11: b"<< /Type /Annot /Subtype /Widget /Parent 10 0 R /P 3 0 R /Rect [80 340 280 365] /AP << /N 14 0 R >> >>",
        12: b"<< /Type /Annot /Subtype /Widget /Parent 10 0 R /P 4 0 R /Rect [80 340 280 365] /AP << /N 14 0 R >> >>",
        13: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (ky) /Rect [250 150 370 210] /AP << /N 15 0 R >> >>",
        14: _stream(value, b"/Type /XObject /Subtype /Form /BBox [0 0 200 25] /Resources << /Font << /F1 5 0 R >> >>"),
        15: _stream(b"1 0 0 rg 0 0 120 60 re f", b"/Type /XObject /Subtype /Form /BBox [0 0 120 60]"),
        20: b"<< /Type /OCG /Name (Draft) >>",
    }
    _write_pdf(path, objects)


def _drawn(path: Path) -> list[np.ndarray]:
    """Each page as a viewer that fills forms (Chrome's) draws it."""
    doc = pdfium.PdfDocument(str(path))
    doc.init_forms()
    return [page.render(scale=1, may_draw_forms=True, rev_byteorder=True).to_numpy() for page in doc]


def test_a_kept_page_keeps_its_filled_in_fields_and_hidden_layers(tmp_path: Path) -> None:
    src, out = tmp_path / "original.pdf", tmp_path / "searchable.pdf"
    _form_and_layer(src)
    reader = PdfReader(src)
    with SearchablePdf(out) as doc:
        doc.add_original(reader, 0)
        doc.add_image(Image.new("L", (400, 400), 255), 72, ())
        doc.add_original(reader, 1)
    before, after = _drawn(src), _drawn(out)
    red, blue = before[0][..., 0].astype(int), before[0][..., 2].astype(int)
    assert ((red > 200) & (blue < 50)).sum() > 5000  # the stamp is drawn in the original
    assert ((blue > 200) & (red < 50)).sum() < 100  # the hidden layer (20,000 pixels) is not
    assert np.array_equal(before[0], after[0])  # nor in the copy, where the field's value and the stamp are
    assert np.array_equal(before[1], after[2])


def test_what_the_original_cannot_give_becomes_null(tmp_path: Path) -> None:
    """A broken object a page only draws with (here its note's appearance) costs that object, not the
    page: its text was read, so the searchable PDF keeps it; so does a page linked without a /Type."""
    src, out = tmp_path / "original.pdf", tmp_path / "searchable.pdf"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 400 400]"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [8 0 R 9 0 R] >>",
        4: b"<< /Parent 2 0 R /Contents 7 0 R >>",  # a page without /Type: pypdf and PDF engines take it
        5: _HELVETICA,
        6: _stream(b"BT /F1 24 Tf 20 300 Td (MARKER-ONE page) Tj ET"),
        7: _stream(b"BT /F1 24 Tf 20 300 Td (MARKER-TWO page) Tj ET"),
        8: b"<< /Type /Annot /Subtype /Square /Rect [0 0 50 50] /AP << /N 10 0 R >> >>",
        9: b"<< /Type /Annot /Subtype /Link /Rect [0 60 50 110] /Dest [4 0 R /Fit] >>",
        10: b")) not an object ((",
    }
    _write_pdf(src, objects)
    with SearchablePdf(out) as doc:
        doc.add_original(PdfReader(src), 0)
    assert b"MARKER-TWO" not in _streams(out.read_bytes())
    got = PdfReader(out)
    assert "MARKER-ONE" in got.pages[0].extract_text()
    assert isinstance(got.pages[0]["/Annots"][0].get_object()["/AP"]["/N"], NullObject)
    assert isinstance(got.pages[0]["/Annots"][1].get_object()["/Dest"][0], NullObject)
    pdfium.PdfDocument(str(out))[0].render(scale=0.2)


def test_a_long_string_is_copied_at_its_size(tmp_path: Path) -> None:
    """Private data kept as a string (an editor's, under /PieceInfo) is copied byte for byte, not
    spelled out at up to four times its size."""
    src, out = tmp_path / "original.pdf", tmp_path / "searchable.pdf"
    data = bytes(range(256)) * 2000 + b"\r\n\\()"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 400 400] >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /PieceInfo << /Editor << /Private 5 0 R >> >> >>",
        4: _stream(b"0 0 1 rg 20 20 100 100 re f"),
        5: b"<%s>" % data.hex().encode(),
    }
    _write_pdf(src, objects)
    with SearchablePdf(out) as doc:
        doc.add_original(PdfReader(src), 0)
    assert out.stat().st_size < len(data) * 1.1
    private = PdfReader(out).pages[0]["/PieceInfo"]["/Editor"]["/Private"]
    assert bytes(private) == data


def test_a_colour_scan_keeps_its_red_seal_and_a_grey_one_stays_grey(tmp_path: Path, settings: Settings) -> None:
    from PIL import ImageDraw

    from tests.makers import page_image

    lines = ["ỦY BAN NHÂN DÂN TỈNH HÀ NAM", "THÔNG BÁO", "Kết luận hội nghị đối thoại với nhân dân xã."]
    grey_page = page_image(lines, dpi=200)
    seal = grey_page.convert("RGB")
    ImageDraw.Draw(seal).ellipse((900, 1500, 1300, 1900), outline=(200, 20, 30), width=18)  # the red seal
    outs = {}
    for name, image in (("mau", seal), ("xam", grey_page)):
        src = tmp_path / f"{name}.png"
        image.save(src, dpi=(200, 200))
        outs[name] = tmp_path / f"{name}-searchable.pdf"
        result = extract(src, settings, searchable_pdf=outs[name])
        assert "đối thoại" in result.text
    red = pdfium.PdfDocument(str(outs["mau"]))[0].render(scale=200 / 72).to_pil().convert("RGB")
    r, g, b = red.getpixel((1100 - 200 + 9, 1700))  # on the ring's left edge
    assert r > 150 and g < 90 and b < 90, (r, g, b)
    assert b"/DeviceRGB" in outs["mau"].read_bytes()
    assert b"/DeviceRGB" not in outs["xam"].read_bytes() and b"/DeviceGray" in outs["xam"].read_bytes()
    assert "Kết luận hội nghị" in PdfReader(outs["mau"]).pages[0].extract_text()
