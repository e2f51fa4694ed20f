"""PDF pages as images for OCR (pypdfium2), at the resolution of the scan inside them.

A scanned page is rendered at its embedded image's own resolution: resampling a 150 dpi
fax to 300 dpi costs time and, measured on faxes, makes tesseract read specks as text.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from archive.errors import ExtractionError, InputRejected

__all__ = ["has_scan", "render_page", "render_size"]

_MIN_DPI, _MAX_DPI, _DEFAULT_DPI = 150, 400, 300
# PDFium is not thread-safe: one page renders at a time in this process (rendering is ~50 ms;
# the OCR that follows runs outside the lock).
_PDFIUM = threading.Lock()


@contextlib.contextmanager
def _page(path: Path, index: int) -> Iterator[pdfium.PdfPage]:
    """Page ``index`` of the PDF, under the PDFium lock; the document is closed afterwards."""
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"PDF hỏng, không hiển thị được: {exc}", path=path) from exc
        try:
            yield pdf[index]
        finally:
            pdf.close()


def render_size(path: Path, index: int, *, max_pixels: int) -> tuple[int, int]:
    """(pixels, dpi) page ``index`` will be rendered with; InputRejected over ``max_pixels``."""
    with _page(path, index) as page:
        return _size(page, path, index, max_pixels)


def _size(page: pdfium.PdfPage, path: Path, index: int, max_pixels: int) -> tuple[int, int]:
    width_pt, height_pt = page.get_size()
    dpi = _scan_dpi(page, width_pt) or _DEFAULT_DPI
    pixels = round((width_pt * dpi / 72) * (height_pt * dpi / 72))
    if pixels > max_pixels:
        raise InputRejected(
            f"trang {index + 1} cần {pixels:,} điểm ảnh ở {dpi} dpi, "
            f"vượt giới hạn {max_pixels:,} (DOITHOAI_MAX_PIXELS)",
            path=path,
        )
    return pixels, dpi


def render_page(
    path: Path, index: int, *, max_pixels: int, max_render_pixels: int | None = None
) -> tuple[Image.Image, int]:
    """Page ``index`` (0-based) as a grey image and the dpi it was rendered at.

    A page that would need more than ``max_render_pixels`` (but is within ``max_pixels``) is
    rendered at a lower dpi instead: OCR reads it as well and its memory stays bounded.
    """
    with _page(path, index) as page:
        pixels, dpi = _size(page, path, index, max_pixels)
        if max_render_pixels and pixels > max_render_pixels:
            dpi = max(72, int(dpi * (max_render_pixels / pixels) ** 0.5))
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return image.convert("L"), dpi


def has_scan(path: Path, index: int) -> bool:
    """Does page ``index`` carry an image covering most of it (a scan), rather than only drawn text?"""
    with _page(path, index) as page:
        return _scan_dpi(page, page.get_size()[0]) != 0


def _scan_dpi(page: pdfium.PdfPage, width_pt: float) -> int:
    """Resolution of the page-sized image on the page, 0 when there is none."""
    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, _, right, _ = obj.get_bounds()
        shown_inches = (right - left) / 72
        if shown_inches < width_pt / 72 * 0.5:
            continue  # a logo or a seal, not the scan of the page
        px_w, _ = obj.get_px_size()
        best = max(best, px_w / shown_inches if shown_inches else 0.0)
    if best <= 0:
        return 0
    return int(max(_MIN_DPI, min(_MAX_DPI, round(best))))
