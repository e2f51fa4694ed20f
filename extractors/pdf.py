"""PDF text layers with pypdf, one page at a time, and the "is this real text?" decision."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

from archive.errors import ExtractionError, InputRejected
from archive.records import Page
from archive.vntext import normalize, syllable_share

__all__ = ["MEDIA_TYPE", "has_real_text", "open_pdf", "text_pages"]

MEDIA_TYPE = "application/pdf"
# pypdf logs every recoverable oddity of a damaged file; the outcome is reported by us instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_LETTERS = re.compile(r"[^\W\d_]")


def has_real_text(text: str) -> bool:
    """Enough letters, and mostly Vietnamese (or other real) words, not a broken font mapping."""
    letters = len(_LETTERS.findall(text))
    return letters >= 40 and syllable_share(text) >= 0.5


def open_pdf(path: Path, *, max_pages: int) -> PdfReader:
    """Open and, when it has an empty user password, decrypt; check the page limit."""
    try:
        reader = PdfReader(str(path), strict=False)
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
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        raise ExtractionError(f"PDF hỏng, không đọc được: {exc}", path=path) from exc
    if n == 0:
        raise ExtractionError("PDF không có trang nào", path=path)
    if n > max_pages:
        raise InputRejected(f"PDF có {n:,} trang, vượt giới hạn {max_pages:,} (DOITHOAI_MAX_PAGES)", path=path)
    return reader


def text_pages(reader: PdfReader, path: Path) -> Iterator[Page]:
    """The text layer of every page, normalised; a page without real text is flagged ``no_text``."""
    for i, page in enumerate(reader.pages, 1):
        try:
            text = normalize(page.extract_text() or "")
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, RecursionError) as exc:
            raise ExtractionError(f"trang {i} của PDF hỏng: {exc}", path=path) from exc
        flags = () if has_real_text(text) else ("no_text",)
        yield Page(number=i, text=text, method="text", flags=flags)
