"""Renditions: several archived files of one document (the Word draft, the signed scan, a .txt export).

Two files are renditions of one document when they share a rendition key: the same number and
symbol, issue date and issuer (or province when no issuer was read), and the same
confidentiality. A record without a number or a date has no key: it is its own document.
Among renditions the primary (what a search shows) is the scanned/signed one: a PDF or an image
before a Word draft before plain text; ties go to the earliest ingested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from archive.access import PUBLIC_LEVEL
from archive.records import DocumentRecord
from archive.vntext import fold, normalize, normalize_symbol, parse_symbol, symbol_keys

__all__ = ["primary_of", "rendition_key", "rendition_rank", "secondary_ids"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(normalize(text)).lower()))


def rendition_key(record: DocumentRecord) -> str:
    """The key two renditions of one document share; "" when the record cannot be matched safely."""
    if not record.number_symbol or not record.issue_date:
        return ""
    who = _folded(record.issuer or "") or _folded(record.province or "")
    if not who:
        return ""
    sym = parse_symbol(record.number_symbol)
    number = symbol_keys(sym)[-1] if sym and sym.org else _folded(normalize_symbol(record.number_symbol))
    level = record.confidentiality or PUBLIC_LEVEL
    return f"{number}#{record.issue_date:%Y%m%d}#{who}#{level}"


def rendition_rank(record: DocumentRecord) -> tuple[int, float, str]:
    """Smaller first: the signed scan (PDF, image), then a Word draft, then plain text; then earliest ingested."""
    media = record.source.media_type if record.source else ""
    if media == "application/pdf" or media.startswith("image/"):
        kind = 0
    elif media.startswith("text/"):
        kind = 2
    else:
        kind = 1
    ingested = record.source.ingested_at if record.source else _EPOCH
    return (kind, ingested.timestamp(), record.id)


def primary_of(records: Iterable[DocumentRecord]) -> DocumentRecord:
    return min(records, key=rendition_rank)


def secondary_ids(records: Iterable[DocumentRecord]) -> set[str]:
    """Ids of every record that is a rendition but not its document's primary."""
    groups: dict[str, list[DocumentRecord]] = {}
    for r in records:
        if key := rendition_key(r):
            groups.setdefault(key, []).append(r)
    out: set[str] = set()
    for group in groups.values():
        first = primary_of(group)
        out.update(r.id for r in group if r.id != first.id)
    return out
