"""The type-name line and the trích yếu (title) under it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.parse.header import proper_case, split_cells
from extractors.parse.vocab import doc_type_of_name

__all__ = ["TitleBlock", "find_type_line", "parse_title"]

_SEARCH_LINES = 60
_RULE = re.compile(r"^\s*[-_=–—.*]{3,}\s*$")
_MAX_TITLE_LINES = 6
_MAX_TITLE_LINE = 160


@dataclass(frozen=True)
class TitleBlock:
    doc_type: str | None
    title: str | None
    end_line: int


def find_type_line(lines: list[str]) -> tuple[int, str] | None:
    """Index and doc_type of the first line that is only a type name (``THÔNG BÁO``)."""
    for i, line in enumerate(lines[:_SEARCH_LINES]):
        cells = split_cells(line)
        if len(cells) == 1:
            doc_type = doc_type_of_name(cells[0])
            if doc_type and cells[0].isupper():
                return i, doc_type
    return None


def parse_title(lines: list[str], type_line: int | None, header_end: int) -> TitleBlock:
    if type_line is not None:
        doc_type = doc_type_of_name(lines[type_line])
        title = _collect(lines, type_line + 1)
        return TitleBlock(doc_type, title, type_line + 1)
    for i, line in enumerate(lines[: header_end + 10]):
        for cell in split_cells(line):
            if cell.startswith("V/v"):
                return TitleBlock("cong_van", _collect(lines, i, first=cell), i + 1)
    return TitleBlock(None, None, header_end)


def _collect(lines: list[str], start: int, first: str | None = None) -> str | None:
    parts: list[str] = [first] if first else []
    i = start + (1 if first else 0)
    while i < len(lines) and len(parts) < _MAX_TITLE_LINES:
        cells = split_cells(lines[i])
        text = cells[0] if cells else ""
        if not text or _RULE.match(text) or text.startswith(("Kính gửi", "Căn cứ")):
            break
        if parts and (len(text) > _MAX_TITLE_LINE or text.endswith((".", ":", ";"))):
            break  # a body paragraph follows the title with no blank line or rule between
        if parts and text[:1].isupper() and not text.isupper():
            break  # title lines continue in lower case; a capital starts the body (OCR lost the rule)
        parts.append(text)
        i += 1
    if not parts:
        return None
    joined = " ".join(proper_case(p) if p.isupper() else p for p in parts)
    joined = " ".join(joined.split())
    if parts[0].isupper() and joined[:1].isupper():
        joined = joined[0].lower() + joined[1:]
    return joined
