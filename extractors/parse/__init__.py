"""Text -> DocumentRecord: pure functions, one module per part of the document, no I/O."""

from __future__ import annotations

import re

from archive.records import DocumentRecord, Extraction, Source
from archive.vntext import normalize, parse_symbol
from extractors.parse.body import find_type_line, parse_title
from extractors.parse.header import parse_header
from extractors.parse.vocab import doc_type_of_abbrev

__all__ = ["parse", "parse_text"]

_HEADLINE_MAX = 200


def parse_text(text: str, *, doc_id: str = "", source: Source | None = None, pages: int = 1) -> DocumentRecord:
    """Parse the plain text of one document into a record; unknown fields stay empty."""
    text = normalize(text)
    lines = [line.rstrip() for line in text.splitlines()]
    found = find_type_line(lines)
    type_line, name_type = found if found else (None, None)
    header = parse_header(lines, type_line)
    block = parse_title(lines, type_line, header.end_line)
    doc_type = name_type or block.doc_type
    if doc_type is None and header.number_symbol:
        sym = parse_symbol(header.number_symbol)
        doc_type = doc_type_of_abbrev(sym.type) if sym else None
    title = block.title
    issuer = header.issuer
    if doc_type is None and header.number_symbol is None:
        doc_type, title, issuer = "tin_bai", _headline(lines), None
    return DocumentRecord(
        id=doc_id,
        doc_type=doc_type,
        number_symbol=header.number_symbol,
        issue_date=header.issue_date,
        place=header.place,
        issuer=issuer,
        province=header.province,
        title=title,
        pages=pages,
        source=source,
    )


def parse(extraction: Extraction, *, doc_id: str = "", source: Source | None = None) -> DocumentRecord:
    record = parse_text(extraction.text, doc_id=doc_id, source=source, pages=len(extraction.pages))
    low = tuple(p.number for p in extraction.pages if "low_confidence" in p.flags)
    return record.model_copy(update={"low_confidence_pages": low}) if low else record


def _headline(lines: list[str]) -> str | None:
    for line in lines:
        s = line.strip()
        if s:
            return s if len(s) <= _HEADLINE_MAX and not re.search(r"[.;:]$", s) else None
    return None
