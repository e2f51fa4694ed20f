"""One entry point: any supported file -> Extraction (text per page). Nothing is archived here.

PDF pages are read from their text layer when it holds real text and OCR'd otherwise, so a
text PDF is never OCR'd and a scanned page inside a text PDF is never skipped. Pages OCR
in parallel (one tesseract process per worker). When asked, a searchable PDF is written:
the scanned pages as images with an invisible text layer, the text pages as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from PIL import Image

from archive.errors import InputRejected
from archive.records import Extraction
from archive.settings import Settings
from extractors import docx, pdf, plaintext
from extractors.images import image_frames
from extractors.render import has_scan, render_page
from extractors.scan import ScannedPage, ScanSettings, read_scan
from extractors.searchable import SearchablePdf
from extractors.sniff import sniff

__all__ = ["extract"]


def extract(path: Path, settings: Settings, *, searchable_pdf: Path | None = None) -> Extraction:
    """Text per page; with ``searchable_pdf``, also write that file when any page was OCR'd."""
    kind = sniff(path)
    if kind == "text":
        return plaintext.extract_text_file(path)
    if kind == "docx":
        return docx.extract_docx(path)
    scan = ScanSettings(lang=settings.ocr_language, timeout=settings.ocr_page_timeout, workers=settings.workers)
    if kind == "pdf":
        return _pdf(path, settings, scan, searchable_pdf)
    return _images(path, settings, scan, searchable_pdf)


def _pdf(path: Path, settings: Settings, scan: ScanSettings, out: Path | None) -> Extraction:
    reader = pdf.open_pdf(path, max_pages=settings.max_pages)
    pages = list(pdf.text_pages(reader, path))
    # OCR a page when its text layer is missing, too short or garbage AND it carries a scan;
    # a sparse born-digital page (a signature page) keeps its text, a blank page stays blank.
    todo = [p.number - 1 for p in pages if "no_text" in p.flags and has_scan(path, p.number - 1)]

    def ocr(index: int) -> ScannedPage:
        image, dpi = render_page(path, index, max_pixels=settings.max_pixels)
        return read_scan(image, dpi, index + 1, scan)

    scanned = dict(zip(todo, _parallel(ocr, todo, settings.workers), strict=True))
    for index, result in scanned.items():
        pages[index] = result.page
    if out is not None and scanned:
        doc = SearchablePdf()
        for index in range(len(pages)):
            if index in scanned:
                s = scanned[index]
                doc.add_image(s.image, s.dpi, s.text_layer)
            else:
                doc.add_original(reader, index, None)
        doc.write(out)
    return Extraction(media_type=pdf.MEDIA_TYPE, pages=tuple(pages))


def _images(path: Path, settings: Settings, scan: ScanSettings, out: Path | None) -> Extraction:
    frames = list(image_frames(path, max_pixels=settings.max_pixels, max_pages=settings.max_pages))
    if not frames:
        raise InputRejected("ảnh không có trang nào", path=path)

    def ocr(item: tuple[int, tuple[Image.Image, int]]) -> ScannedPage:
        number, (image, dpi) = item
        return read_scan(image, dpi, number, scan)

    scanned = _parallel(ocr, list(enumerate(frames, 1)), settings.workers)
    if out is not None:
        doc = SearchablePdf()
        for s in scanned:
            doc.add_image(s.image, s.dpi, s.text_layer)
        doc.write(out)
    media = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}
    with Image.open(path) as probe:
        media_type = media.get(probe.format or "", "image/*")
    return Extraction(media_type=media_type, pages=tuple(s.page for s in scanned))


T = TypeVar("T")
R = TypeVar("R")


def _parallel(fn: Callable[[T], R], items: list[T], workers: int) -> list[R]:
    if len(items) <= 1 or workers <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))
