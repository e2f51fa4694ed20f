"""PDF text layers with pypdf, one page at a time, and the "is this real text?" decision."""

from __future__ import annotations

import gc
import logging
import re
import weakref
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from archive.errors import ExtractionError, InputRejected
from archive.records import Page
from archive.vntext import normalize, syllable_share
from extractors.worker import is_resource_error

__all__ = ["BROKEN", "MEDIA_TYPE", "forget", "has_real_text", "open_pdf", "text_page"]

MEDIA_TYPE = "application/pdf"
# pypdf logs every recoverable oddity of a damaged file; the outcome is reported by us instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_LETTERS = re.compile(r"[^\W\d_]")
# What pypdf raises on a damaged file besides its own errors (a page tree deeper than it allows,
# a missing key, a wrong type where a number belongs …): the file is to blame.
BROKEN = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError,
          AssertionError, RecursionError, EOFError)  # fmt: skip


def has_real_text(text: str) -> bool:
    """Enough letters, and mostly Vietnamese (or other real) words, not a broken font mapping."""
    letters = len(_LETTERS.findall(text))
    return letters >= 40 and syllable_share(text) >= 0.5


def open_pdf(path: Path, *, max_pages: int) -> PdfReader:
    """Open and, when it has an empty user password, decrypt; check the page limit."""
    try:
        # From the open file, not a path: given a path pypdf reads the whole file into memory.
        handle = path.open("rb")
        try:
            reader = PdfReader(handle, strict=False)
        except BaseException:
            handle.close()
            raise
        weakref.finalize(reader, handle.close)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise InputRejected("PDF được mã hóa bằng thuật toán không hỗ trợ", path=path) from exc
            if not ok:
                raise InputRejected("PDF được đặt mật khẩu; cần bản không mật khẩu", path=path)
        n = len(reader.pages)
    except InputRejected:
        raise
    except FileNotDecryptedError as exc:
        raise InputRejected("PDF được đặt mật khẩu; cần bản không mật khẩu", path=path) from exc
    except (*BROKEN, OSError) as exc:
        if is_resource_error(exc):
            raise
        raise ExtractionError(f"PDF hỏng, không đọc được: {exc or type(exc).__name__}", path=path) from exc
    if n == 0:
        raise ExtractionError("PDF không có trang nào", path=path)
    if n > max_pages:
        raise InputRejected(f"PDF có {n:,} trang, vượt giới hạn {max_pages:,} (DOITHOAI_MAX_PAGES)", path=path)
    return reader


def text_page(reader: PdfReader, index: int, path: Path) -> Page:
    """The text layer of page ``index`` (0-based), normalised; without real text it is flagged ``no_text``."""
    try:
        text = normalize(reader.pages[index].extract_text() or "")
    except (*BROKEN, OSError) as exc:
        if is_resource_error(exc):
            raise
        raise ExtractionError(f"trang {index + 1} của PDF hỏng: {exc or type(exc).__name__}", path=path) from exc
    flags = () if has_real_text(text) else ("no_text",)
    return Page(number=index + 1, text=text, method="text", flags=flags)


_FORGET_EVERY = 8  # pages read between two forgettings


def forget(reader: PdfReader, after_page: int) -> None:
    """Called after each page (0-based ``after_page``); every 8th page, drop what pypdf parsed
    so far (a scanned page's image, a page's content and fonts): it
    keeps every object it ever parsed, so a 2,000-page scan grew by its whole size as it was
    read. Objects are parsed again from the file when they are needed again. Parsed objects
    point at each other, so only the cycle collector frees them: it is run here, not left to
    chance (left alone it let 60 one-megabyte pages pile up to 250 MB)."""
    if after_page % _FORGET_EVERY != _FORGET_EVERY - 1:
        return
    reader.resolved_objects.clear()
    gc.collect()
