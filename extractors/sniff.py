"""What kind of file is this? Decided from the bytes, never from the name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from archive.errors import InputRejected

__all__ = ["Kind", "sniff"]

Kind = Literal["pdf", "docx", "image", "text"]

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
)


def sniff(path: Path) -> Kind:
    """Kind of ``path`` from its first bytes; raises InputRejected for what we cannot read."""
    with path.open("rb") as f:
        head = f.read(2048)
    if not head:
        raise InputRejected("tệp rỗng (0 byte)", path=path)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputRejected(
            "tệp Word/Excel đời cũ (.doc/.xls) chưa đọc được; hãy lưu lại thành .docx hoặc PDF", path=path
        )
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return "text"
    if _looks_utf16(head):
        raise InputRejected("văn bản UTF-16 không có dấu BOM: hãy lưu lại dạng UTF-8", path=path)
    raise InputRejected("không nhận ra loại tệp (không phải PDF, DOCX, ảnh hay văn bản)", path=path)


def _looks_utf16(head: bytes) -> bool:
    sample = head[:512]
    evens, odds = sample[0::2], sample[1::2]
    return sample.count(0) > len(sample) // 4 and (evens.count(0) > len(evens) * 0.4 or odds.count(0) > len(odds) * 0.4)


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputRejected(f"tệp nén (zip) hỏng: {exc}", path=path) from exc
    if "word/document.xml" in names:
        return "docx"
    raise InputRejected("tệp nén (zip) không phải văn bản Word .docx", path=path)
