"""What kind of file is this? Decided from the bytes, never from the name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from archive.errors import InputRejected

__all__ = ["Kind", "sniff"]

Kind = Literal["pdf", "docx", "image", "text", "doc", "xls", "rtf", "odt", "ods"]

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
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
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
            mimetype = b""
            if "mimetype" in names:
                with z.open("mimetype") as m:
                    mimetype = m.read(100).strip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, EOFError) as exc:
        raise InputRejected(f"tệp nén (zip) hỏng: {exc}", path=path) from exc
    if "word/document.xml" in names:
        return "docx"
    if mimetype in _ODF:
        return _ODF[mimetype]
    raise InputRejected("tệp nén (zip) không phải văn bản Word .docx hay OpenDocument (.odt, .ods)", path=path)


_ODF: dict[bytes, Kind] = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# The names of the main stream inside an OLE compound file (UTF-16LE in its directory).
_OLE_STREAMS: tuple[tuple[bytes, Kind], ...] = (
    ("WordDocument".encode("utf-16-le"), "doc"),
    ("Workbook".encode("utf-16-le"), "xls"),
    ("Book".encode("utf-16-le") + b"\x00\x00", "xls"),
)


def _ole_kind(path: Path) -> Kind:
    """Word or Excel 97-2003, from the stream names in the compound file's directory."""
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            window = tail + chunk
            for name, kind in _OLE_STREAMS:
                if name in window:
                    return kind
            tail = window[-64:]
    raise InputRejected(
        "tệp Office đời cũ không phải Word hay Excel (.doc/.xls): hãy lưu lại thành .docx hoặc PDF", path=path
    )
