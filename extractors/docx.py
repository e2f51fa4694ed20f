"""Word .docx files: body paragraphs and tables in order, headers/footers, footnotes.

The zip is checked before python-docx opens it (a 10 KB file can unpack to gigabytes),
and XML is parsed without resolving entities.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from archive.errors import ExtractionError, InputRejected
from archive.records import Extraction, Page
from archive.vntext import normalize

__all__ = ["check_zip", "extract_docx"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MAX_UNPACKED = 256 * 1024 * 1024
_MAX_RATIO = 200
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def check_zip(path: Path, *, max_unpacked: int = _MAX_UNPACKED) -> None:
    """Refuse zip bombs by the sizes the archive declares (zipfile enforces them while reading)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(f"tệp .docx hỏng (zip): {exc}", path=path) from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_unpacked or (total > 16 * 1024 * 1024 and total / packed > _MAX_RATIO):
        raise InputRejected(f"tệp .docx bung ra {total:,} byte từ {packed:,} byte nén (nghi là bom nén)", path=path)


def extract_docx(path: Path) -> Extraction:
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise ExtractionError(f"không mở được tệp .docx: {exc}", path=path) from exc
    parts: list[str] = []
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            if not header.is_linked_to_previous:
                parts.extend(_blocks(header))
    parts.extend(_blocks(document))
    parts.extend(_footnotes(path))
    for section in document.sections:
        if not section.footer.is_linked_to_previous:
            parts.extend(_blocks(section.footer))
    text = normalize("\n".join(p for p in parts if p is not None)).strip("\n")
    return Extraction(media_type=MEDIA_TYPE, pages=(Page(number=1, text=text, method="docx"),))


def _blocks(container: Any) -> Iterator[str]:
    """Paragraph and table texts in document order (tables row by row, cells joined by tabs)."""
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = "\n".join(_blocks(cell)).strip()
                    if not cells or cells[-1] != t:  # merged cells repeat their text
                        cells.append(t)
                yield "\t".join(cells)


def _footnotes(path: Path) -> Iterator[str]:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/footnotes.xml" not in z.namelist():
                return
            root = etree.fromstring(z.read("word/footnotes.xml"), _SAFE_XML)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError):
        return
    for note in root.iter(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            continue
        text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in note.iter(qn("w:p"))).strip()
        if text:
            yield f"[{note.get(qn('w:id'))}] {text}"
