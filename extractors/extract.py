"""One entry point: any supported file -> Extraction (text per page). Nothing is archived here."""

from __future__ import annotations

from pathlib import Path

from archive.errors import InputRejected
from archive.records import Extraction
from archive.settings import Settings
from extractors import docx, pdf, plaintext
from extractors.sniff import sniff

__all__ = ["extract"]


def extract(path: Path, settings: Settings) -> Extraction:
    kind = sniff(path)
    if kind == "text":
        return plaintext.extract_text_file(path)
    if kind == "docx":
        return docx.extract_docx(path)
    if kind == "pdf":
        reader = pdf.open_pdf(path, max_pages=settings.max_pages)
        return Extraction(media_type=pdf.MEDIA_TYPE, pages=tuple(pdf.text_pages(reader, path)))
    raise InputRejected("ảnh quét (PNG/JPEG/TIFF) cần nhận dạng chữ (OCR), chưa được hỗ trợ", path=path)
