"""Hostile and old-format files made at run time, for the tests and bench/ingest.py.

Each reproduces a file that once stopped or slowed the night: a PDF whose pages all share
one huge content stream (pypdf re-reads it for every page), a page tree deeper than pypdf
allows, a small TIFF of many huge bilevel pages, and old office formats made by LibreOffice
itself from a DOCX or a CSV.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.makers import find_font

__all__ = ["big_tiff", "deep_page_tree_pdf", "office_copy", "shared_stream_pdf"]


def _write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of ``objects`` (numbered from 1; object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def shared_stream_pdf(path: Path, *, pages: int = 20, stream_bytes: int = 1_000_000) -> Path:
    """A few-KB PDF whose ``pages`` pages all draw one ``stream_bytes`` content stream (compressed)."""
    line = b"BT /F1 12 Tf 72 700 Td (Trang doi thoai voi nhan dan) Tj ET\n"
    data = zlib.compress(line * (stream_bytes // len(line)), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    kids = []
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return _write_pdf(path, objects)


def deep_page_tree_pdf(path: Path, *, depth: int = 500) -> Path:
    """One page under ``depth`` nested page-tree nodes (pypdf stops at 100)."""
    content = b"BT /F1 12 Tf 72 700 Td (Trang o day cay rat sau) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages " + parent + b"/Kids [%d 0 R] /Count 1 >>" % (number + 1))
    leaf = 2 + depth
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
        b"/Contents %d 0 R >>" % (leaf - 1, leaf + 1, leaf + 2)
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return _write_pdf(path, objects)


def big_tiff(path: Path, *, frames: int = 12, width: int = 8000, height: int = 9999, dpi: int = 600) -> Path:
    """A small Group 4 TIFF of ``frames`` bilevel pages of ``width`` x ``height`` with a few lines of text
    (made one page at a time: the maker itself stays small)."""
    font = ImageFont.truetype(str(find_font()), max(12, width // 60))

    def page(number: int) -> Image.Image:
        img = Image.new("1", (width, height), 1)
        draw = ImageDraw.Draw(img)
        for line in range(6):
            text = f"Trang {number}: tiếp xúc, đối thoại với nhân dân về giải phóng mặt bằng"
            draw.text((width // 20, height // 20 + line * width // 25), text, font=font, fill=0)
        return img

    rest: Iterator[Image.Image] = (page(n) for n in range(2, frames + 1))
    page(1).save(path, save_all=True, append_images=rest, compression="group4", dpi=(dpi, dpi))
    return path


def office_copy(source: Path, fmt: str, outdir: Path, *, infilter: str | None = None) -> Path:
    """``source`` (a DOCX, or a CSV for xls/ods) saved by LibreOffice as ``fmt`` (doc, rtf, odt, xls, ods)."""
    with tempfile.TemporaryDirectory(prefix="lo-fixture-") as profile:
        argv = ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore"]
        if infilter:
            argv.append(f"--infilter={infilter}")
        argv += ["--convert-to", fmt, "--outdir", str(outdir), str(source)]
        subprocess.run(argv, check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": profile})
    out = outdir / f"{source.stem}.{fmt}"
    assert out.is_file(), f"LibreOffice made no {fmt}"
    return out
