"""One entry point: any supported file -> Extraction (text per page). Nothing is archived here.

``extract`` reads the file in a worker process (``extractors.worker``) that is killed when a
page or the whole file takes longer than the settings allow; ``extract_here`` is the reading
itself, announcing each step and the time it may take.

PDF pages are read from their text layer when it holds real text and OCR'd otherwise, so a
text PDF is never OCR'd and a scanned page inside a text PDF is never skipped. Pages are read
one at a time and OCR'd a few at a time, in order, so memory does not grow with the page
count: at most ``workers`` pages and ``max_pixels`` pixels are in the OCR pipeline at once.
When asked, a searchable PDF is written: the scanned pages as images with an invisible text
layer, the text pages as they were. Old office files (.doc, .xls, .rtf, .odt) are converted
by LibreOffice; the converted PDF is read and delivered as the searchable PDF.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pypdf import PdfReader

from archive.errors import InputRejected
from archive.records import Extraction, Page
from archive.sealed import open_sink
from archive.settings import Settings
from extractors import docx, office, pdf, plaintext
from extractors.images import OCR_MAX_PIXELS, Frame, image_frames
from extractors.render import has_scan, render_page, render_size
from extractors.scan import ScannedPage, ScanSettings, read_scan
from extractors.scratch import scratch
from extractors.searchable import SearchablePdf
from extractors.sniff import sniff
from extractors.worker import Steps, read_in_worker

__all__ = ["extract", "extract_here"]


def extract(
    path: Path, settings: Settings, *, searchable_pdf: Path | None = None, seal: bytes | None = None
) -> Extraction:
    """Text per page, read in a killable worker; with ``searchable_pdf``, also write that file
    when any page was OCR'd or the file was converted from an old office format, sealed with
    ``seal`` when given (archive/sealed.py)."""
    return read_in_worker(path, settings, searchable_pdf, seal)


def extract_here(
    path: Path,
    settings: Settings,
    *,
    searchable_pdf: Path | None = None,
    seal: bytes | None = None,
    steps: Steps | None = None,
) -> Extraction:
    """``extract`` in this process; ``steps`` tells a watching parent how long each step may take."""
    steps = steps or Steps()
    kind = sniff(path)
    whole = f"đọc tệp quá {settings.text_page_timeout:g} giây (DOITHOAI_TEXT_PAGE_TIMEOUT)"
    if kind == "text":
        with steps.step(settings.text_page_timeout, whole):
            return plaintext.extract_text_file(path)
    if kind == "docx":
        with steps.step(settings.text_page_timeout, whole):
            return docx.extract_docx(path)
    out = _Out(searchable_pdf, seal) if searchable_pdf is not None else None
    if kind == "pdf":
        return _pdf(path, settings, steps, out)
    if kind == "image":
        return _images(path, settings, steps, out)
    return _office(path, kind, settings, steps, out)


@dataclass(frozen=True)
class _Out:
    """Where the searchable PDF goes, and the key that seals it, if any."""

    path: Path
    seal: bytes | None

    def writer(self) -> SearchablePdf:
        return SearchablePdf(self.path, seal=self.seal)


def _office(path: Path, kind: str, settings: Settings, steps: Steps, out: _Out | None) -> Extraction:
    with scratch("office") as tmp:
        converted = office.convert_to_pdf(path, kind, Path(tmp), timeout=settings.office_timeout, steps=steps)
        result = _pdf(converted, settings, steps, out)
        if out is not None and not any(p.method == "ocr" for p in result.pages):
            # No page needed OCR (which writes ``out``): the converted PDF is the searchable one.
            with converted.open("rb") as src, contextlib.closing(open_sink(out.path, out.seal)) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    return result.model_copy(update={"media_type": office.MEDIA_TYPES[kind]})


def _pdf(path: Path, settings: Settings, steps: Steps, out: _Out | None) -> Extraction:
    limit = settings.text_page_timeout
    reader = pdf.open_pdf(path, max_pages=settings.max_pages)
    pages: list[Page] = []
    todo: list[int] = []
    total = settings.text_file_timeout
    with steps.step(total, f"đọc lớp chữ của tệp quá {total:g} giây (DOITHOAI_TEXT_FILE_TIMEOUT)"):
        for index in range(len(reader.pages)):
            with steps.step(limit, f"đọc chữ trang {index + 1} quá {limit:g} giây (DOITHOAI_TEXT_PAGE_TIMEOUT)"):
                page = pdf.text_page(reader, index, path)
                # OCR a page when its text layer is missing, too short or garbage AND it carries a scan;
                # a sparse born-digital page (a signature page) keeps its text, a blank page stays blank.
                if "no_text" in page.flags and has_scan(path, index):
                    todo.append(index)
            pages.append(page)
            pdf.forget(reader, after_page=index)
    if not todo:
        return Extraction(media_type=pdf.MEDIA_TYPE, pages=tuple(pages))

    def ocr(index: int) -> ScannedPage:
        image, dpi = render_page(path, index, max_pixels=settings.max_pixels, max_render_pixels=OCR_MAX_PIXELS)
        return read_scan(image, dpi, index + 1, _scan_settings(settings))

    sizes = [(i, render_size(path, i, max_pixels=settings.max_pixels)[0], i + 1) for i in todo]
    with contextlib.ExitStack() as stack:
        doc = stack.enter_context(out.writer()) if out is not None else None
        done = 0  # pages before this one are in the searchable PDF
        for result in _pipeline(ocr, sizes, settings, steps):
            index = result.page.number - 1
            pages[index] = result.page
            if doc is not None:
                _originals(doc, reader, done, index)
                doc.add_image(result.image, result.dpi, result.lines)
                done = index + 1
        if doc is not None:
            _originals(doc, reader, done, len(pages))
    return Extraction(media_type=pdf.MEDIA_TYPE, pages=tuple(pages))


def _originals(doc: SearchablePdf, reader: PdfReader, start: int, stop: int) -> None:
    """Pages ``start`` to ``stop`` (excluded) of the original into the searchable PDF as they are."""
    for index in range(start, stop):
        doc.add_original(reader, index)
        pdf.forget(reader, after_page=index)


def _images(path: Path, settings: Settings, steps: Steps, out: _Out | None) -> Extraction:
    limit = settings.text_page_timeout
    frames = list(image_frames(path, max_pixels=settings.max_pixels, max_pages=settings.max_pages))
    if not frames:
        raise InputRejected("ảnh không có trang nào", path=path)

    def ocr(frame: Frame) -> ScannedPage:
        overrun = f"giải mã ảnh trang {frame.index + 1} quá {limit:g} giây (DOITHOAI_TEXT_PAGE_TIMEOUT)"
        with steps.step(limit, overrun):
            image, dpi = frame.decode_for_ocr()
        return read_scan(image, dpi, frame.index + 1, _scan_settings(settings))

    pages: list[Page] = []
    with contextlib.ExitStack() as stack:
        doc = stack.enter_context(out.writer()) if out is not None else None
        for result in _pipeline(ocr, [(f, f.pixels, f.index + 1) for f in frames], settings, steps):
            pages.append(result.page)
            if doc is not None:
                doc.add_image(result.image, result.dpi, result.lines)
    return Extraction(media_type=frames[0].media_type, pages=tuple(pages))


def _scan_settings(settings: Settings) -> ScanSettings:
    return ScanSettings(lang=settings.ocr_language, timeout=settings.ocr_page_timeout, workers=settings.workers)


T = TypeVar("T")


def _pipeline(
    fn: Callable[[T], ScannedPage], items: Iterable[tuple[T, int, int]], settings: Settings, steps: Steps
) -> Iterator[ScannedPage]:
    """``fn`` over ``(item, pixels, page number)``, results in order, memory bounded.

    At most ``workers`` pages are in flight, and together no more than ``max_pixels`` pixels
    (one page at the limit goes alone: its preprocessing alone takes several copies of it).
    Each page takes one of the archive's OCR slots, shared by every worker process, so no more
    than ``workers`` tesseract processes run at once however many files are read.
    """
    allowance = settings.text_page_timeout + 4 * settings.ocr_page_timeout  # render, OSD, up to three readings

    def one(item: T, number: int) -> ScannedPage:
        with _ocr_slot(settings), steps.step(allowance, f"nhận dạng trang {number} quá {allowance:g} giây"):
            return fn(item)

    pending: deque[tuple[Future[ScannedPage], int]] = deque()
    in_flight = 0
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        try:
            for item, pixels, number in items:
                while pending and (len(pending) >= settings.workers or in_flight + pixels > settings.max_pixels):
                    future, done_pixels = pending.popleft()
                    in_flight -= done_pixels
                    yield future.result()
                pending.append((pool.submit(one, item, number), pixels))
                in_flight += pixels
            while pending:
                yield pending.popleft()[0].result()
        finally:
            for future, _ in pending:
                future.cancel()


@contextlib.contextmanager
def _ocr_slot(settings: Settings) -> Iterator[None]:
    """One of ``workers`` OCR slots of this archive: a lock file that a killed process releases."""
    key = hashlib.sha256(str(settings.home).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"doithoai-{os.getuid()}-ocr-{key}"
    folder.mkdir(mode=0o700, exist_ok=True)
    while True:
        for slot in range(settings.workers):
            fd = os.open(folder / f"slot-{slot}", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield
            finally:
                os.close(fd)
            return
        time.sleep(0.05)
