"""A document's files as HTTP answers: the original under its own name, the searchable PDF,
the text, and page images a browser can show."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi.responses import FileResponse, Response

from archive.errors import NotFound
from archive.records import DocumentRecord
from archive.store import Store
from archive.vntext import fold

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["Files", "content_disposition", "files", "original", "page_image", "searchable", "text"]

_MEDIA = {".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".txt": "text/plain", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
          ".tif": "image/tiff", ".tiff": "image/tiff"}  # fmt: skip
_BROWSER_IMAGES = {".jpg", ".jpeg", ".png"}


@dataclass(frozen=True)
class Files:
    original_name: str
    has_searchable: bool
    original_is_pdf: bool
    image_pages: bool  # pages can be shown as images (a scan or a PDF)


def _name(record: DocumentRecord, path: Path) -> str:
    name = record.source.name if record.source else path.name
    name = unicodedata.normalize("NFC", name)
    return "".join(c for c in name if c.isprintable() and c not in '/\\"') or path.name


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """RFC 6266/5987: an ASCII fallback and the exact UTF-8 name in ``filename*``."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%;' else "_" for c in fold(name)) or "tep"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def files(store: Store, sha: str, record: DocumentRecord) -> Files:
    path = store.original_path(sha)
    suffix = path.suffix.lower()
    return Files(
        original_name=_name(record, path),
        has_searchable=store.searchable_path(sha) is not None or suffix == ".pdf",
        original_is_pdf=suffix == ".pdf",
        image_pages=suffix in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"),
    )


def original(store: Store, sha: str, record: DocumentRecord) -> Response:
    path = store.original_path(sha)
    media = (record.source.media_type if record.source else None) or _MEDIA.get(path.suffix.lower(), "")
    return FileResponse(
        path,
        media_type=media or "application/octet-stream",
        headers={"Content-Disposition": content_disposition(_name(record, path))},
    )


def searchable(store: Store, sha: str, record: DocumentRecord) -> Response:
    path = store.searchable_path(sha)
    if path is None:
        orig = store.original_path(sha)
        if orig.suffix.lower() != ".pdf":
            raise NotFound("văn bản này không có bản PDF tìm được chữ (bản gốc không phải PDF hay ảnh quét)")
        path = orig
    name = Path(_name(record, path)).stem + ".pdf"
    return FileResponse(path, media_type="application/pdf", headers={"Content-Disposition": content_disposition(name)})


def text(store: Store, sha: str, record: DocumentRecord) -> Response:
    body = store.load_extraction(sha).text
    name = Path(_name(record, store.original_path(sha))).stem + ".txt"
    return Response(
        body.encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": content_disposition(name)},
    )


def page_image(store: Store, sha: str, record: DocumentRecord, number: int) -> Response:
    """Page ``number`` (1-based) as an image a browser shows: the scan itself, or the PDF page rendered."""
    if not 1 <= number <= max(record.pages, 1):
        raise NotFound(f"văn bản không có trang {number}")
    orig = store.original_path(sha)
    suffix = orig.suffix.lower()
    headers = {"Cache-Control": "private, max-age=3600"}
    if suffix in _BROWSER_IMAGES and number == 1:
        return FileResponse(orig, media_type=_MEDIA[suffix], headers=headers)
    from PIL import Image as PILImage

    if suffix in (".tif", ".tiff", ".png", ".jpg", ".jpeg"):
        with PILImage.open(orig) as img:
            img.seek(number - 1)
            frame = img.convert("L") if img.mode not in ("RGB", "L") else img.copy()
    else:
        pdf = store.searchable_path(sha) or orig
        if pdf.suffix.lower() != ".pdf":
            raise NotFound("văn bản này không có ảnh trang")
        frame = _render_pdf_page(pdf, number - 1)
    frame.thumbnail((1600, 2200))
    buf = io.BytesIO()
    frame.save(buf, format="PNG", optimize=False)
    return Response(buf.getvalue(), media_type="image/png", headers=headers)


def _render_pdf_page(path: Path, index: int) -> Image.Image:
    from extractors.render import render_page

    image, _dpi = render_page(path, index, max_pixels=40_000_000)
    return image
