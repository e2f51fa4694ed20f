"""Real files made at test time (and by scripts/make_samples.py): PDFs, DOCX, encodings.

Nothing here is mocked: PDFs come from reportlab with an embedded Unicode font, DOCX
files from python-docx, so the extractors read what an office would produce.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.shared import Pt
from PIL import Image

__all__ = [
    "add_footnotes",
    "find_font",
    "make_docx",
    "make_pdf",
    "official_page_image",
    "page_image",
    "scanned_pdf",
    "to_cp1258",
]

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


def find_font() -> Path:
    """A TTF with Vietnamese glyphs; ./run installs fonts-dejavu-core when none is present."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}", "serif:lang=vi"], capture_output=True, text=True)
        if out.returncode == 0 and Path(out.stdout).is_file():
            return Path(out.stdout)
    raise RuntimeError("no TTF font with Vietnamese glyphs: apt-get install fonts-dejavu-core")


def make_pdf(path: Path, pages: list[str], *, blank_pages: tuple[int, ...] = ()) -> Path:
    """A text-layer PDF, one string per page; text that does not fit flows onto further pages.

    ``blank_pages`` (1-based, of the input list) get a drawing but no text, like a scanned page.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "VNSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VNSerif", str(find_font())))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    for i, text in enumerate(pages, 1):
        if i in blank_pages:
            c.rect(100, 100, 200, 200)
            c.showPage()
            continue
        c.setFont("VNSerif", 11)
        y = height - 60
        for raw in text.splitlines() or [""]:
            for line in _wrap(raw, 95):
                if y < 50:
                    c.showPage()
                    c.setFont("VNSerif", 11)
                    y = height - 60
                c.drawString(50, y, line)
                y -= 15
        c.showPage()
    c.save()
    return path


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    out, cur = [], ""
    for word in line.split(" "):
        if len(cur) + len(word) + 1 > width and cur:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return [*out, cur]


def make_docx(
    path: Path,
    paragraphs: list[str],
    *,
    header_cells: tuple[list[str], list[str]] | None = None,
    table: list[list[str]] | None = None,
    page_header: str | None = None,
    page_footer: str | None = None,
) -> Path:
    """A .docx like an office's: optional two-column header table, body, a table, page header/footer."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # type: ignore[attr-defined]
    style.font.size = Pt(14)  # type: ignore[attr-defined]
    if header_cells:
        left, right = header_cells
        t = doc.add_table(rows=max(len(left), len(right)), cols=2)
        for i, text in enumerate(left):
            t.cell(i, 0).text = text
        for i, text in enumerate(right):
            t.cell(i, 1).text = text
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    section = doc.sections[0]
    if page_header:
        section.header.is_linked_to_previous = False
        section.header.paragraphs[0].text = page_header
    if page_footer:
        section.footer.is_linked_to_previous = False
        section.footer.paragraphs[0].text = page_footer
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    doc.core_properties.created = doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = doc.core_properties.author = "doithoai"
    doc.save(str(path))
    return _fixed_zip_times(path)


def _fixed_zip_times(path: Path) -> Path:
    """Same paragraphs, same bytes: the zip entries get one fixed time, so samples are reproducible."""
    out = BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(
                zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0)),
                zin.read(item.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    path.write_bytes(out.getvalue())
    return path


_FOOTNOTES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
{notes}
</w:footnotes>"""
_NOTE = '<w:footnote w:id="{id}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote>'


def add_footnotes(path: Path, notes: list[str]) -> Path:
    """Add a real footnotes part (python-docx cannot write one): part, relationship, content type."""
    from xml.sax.saxutils import escape

    src = BytesIO(path.read_bytes())
    out = BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            zout.writestr(item, data)
        body = "\n".join(_NOTE.format(id=i, text=escape(t)) for i, t in enumerate(notes, 1))
        zout.writestr("word/footnotes.xml", _FOOTNOTES_XML.format(notes=body).encode())
    path.write_bytes(out.getvalue())
    return path


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: letters with ^ ˘ ơ ư precomposed, tone marks combining."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


def page_image(
    lines: list[str], *, dpi: int = 300, skew: float = 0.0, rotate: int = 0, size_pt: int = 13
) -> Image.Image:
    """A scanned A4 page of ``lines`` typeset in a serif font, optionally skewed and turned;
    a tab in a line puts what follows it in a right-hand column, as in a document's header."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(find_font()), round(size_pt * dpi / 72))
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = round(0.8 * dpi)
    for line in lines:
        left, _, right = line.partition("\t")  # a tab: the right column of a two-column header
        draw.text((round(0.9 * dpi), y), left, font=font, fill=0)
        if right:
            draw.text((round(4.4 * dpi), y), right, font=font, fill=0)
        y += round(size_pt * 1.6 * dpi / 72)
    if skew:
        img = img.rotate(skew, fillcolor=255, resample=Image.Resampling.BICUBIC)
    if rotate:
        img = img.rotate(rotate, expand=True)
    img.info["dpi"] = (dpi, dpi)
    return img


def scanned_pdf(path: Path, pages: list[Image.Image | str], dpi: int = 300) -> Path:
    """A PDF mixing scanned pages (images, no text layer) and text pages (strings)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in pages:
        buf = io.BytesIO()
        if isinstance(page, str):
            make_pdf(path.with_suffix(".tmp.pdf"), [page])
            buf.write(path.with_suffix(".tmp.pdf").read_bytes())
            path.with_suffix(".tmp.pdf").unlink()
        else:
            page.save(buf, format="PDF", resolution=float(dpi))
        writer.add_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    with path.open("wb") as f:
        writer.write(f)
    return path


def official_page_image(
    issuer: str, number: str, place_date: str, type_name: str, title: list[str], body: list[str], *, dpi: int = 200
) -> Image.Image:
    """A scanned first page of a Party document: the two-column header, type name, title, body."""
    from PIL import ImageDraw, ImageFont

    regular = ImageFont.truetype(str(find_font()), round(13 * dpi / 72))
    img = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    left, mid, right_start, right = 0.8 * dpi, 3.6 * dpi, 3.9 * dpi, 7.9 * dpi
    step = 13 * 1.5 * dpi / 72

    def centre(x0: float, x1: float, y: float, text: str) -> None:
        draw.text((x0 + (x1 - x0 - regular.getlength(text)) / 2, y), text, font=regular, fill=0)

    y = 0.7 * dpi
    centre(left, mid, y, issuer)
    centre(right_start, right, y, "ĐẢNG CỘNG SẢN VIỆT NAM")
    y += step
    centre(left, mid, y, "*")
    y += step
    centre(left, mid, y, number)
    centre(right_start, right, y, place_date)
    y += 2 * step
    for line in [type_name, *title, "-----"]:
        centre(left, right, y, line)
        y += step
    y += step
    for line in body:
        draw.text((left, y), line, font=regular, fill=0)
        y += step
    img.info["dpi"] = (dpi, dpi)
    return img
