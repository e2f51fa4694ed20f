"""Plain text files: UTF-8, UTF-16 with a BOM, or Windows-1258, detected and never guessed.

Windows-1258 decodes almost any byte string, so a file is taken as Windows-1258 only
when the result reads as Vietnamese. Anything else (TCVN3/ABC, VNI, binary) is rejected
with a reason a clerk can act on.
"""

from __future__ import annotations

import re
from pathlib import Path

from archive.errors import ExtractionError
from archive.records import Extraction, Page
from archive.vntext import is_vietnamese_syllable, normalize

__all__ = ["decode_text", "extract_text_file"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_VI_ONLY = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u1ea0-\u1ef9]")
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")


def decode_text(data: bytes, *, name: str = "") -> tuple[str, str]:
    """Return (text, encoding) or raise ExtractionError; text is normalised (NFC, Đ)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return normalize(data.decode(enc)), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"có dấu BOM {enc} nhưng nội dung không đúng bảng mã đó", path=name) from exc
    if b"\x00" in data:
        raise ExtractionError("có byte NUL: tệp nhị phân, hoặc UTF-16 không có BOM", path=name or None)
    try:
        return normalize(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = normalize(data.decode("cp1258"))
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_vietnamese(text):
        return text, "cp1258"
    raise ExtractionError(
        "không nhận ra bảng mã: không phải UTF-8, UTF-16 hay Windows-1258 "
        "(có thể là TCVN3/VNI — hãy mở bằng Word và lưu lại dạng Unicode)",
        path=name or None,
    )


def _reads_as_vietnamese(text: str) -> bool:
    words = _NON_ASCII_WORD.findall(text)
    if not words or not _VI_ONLY.search(text):
        return False
    good = sum(1 for w in words if is_vietnamese_syllable(w))
    return good / len(words) >= 0.85


def extract_text_file(path: Path) -> Extraction:
    text, encoding = decode_text(path.read_bytes(), name=str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A form feed is how plain-text exports mark page breaks.
    chunks = text.split("\f") if "\f" in text else [text]
    pages = tuple(Page(number=i, text=c.strip("\n"), method="plain") for i, c in enumerate(chunks, 1))
    return Extraction(media_type="text/plain", pages=pages, encoding=encoding)
