"""Citation links: what a document cites (resolved to archived documents) and what cites it.

Resolved when the page is shown, not at ingest, so a document archived later still links
up. A symbol like ``23-CT/TU`` exists in every province: among several archived documents
with the same symbol, the one of the citing document's province wins, then the one whose
date matches the citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.records import Citation, DocumentRecord
from archive.vntext import parse_symbol, symbol_keys
from search import Filters, Hit, SearchBackend, SearchRequest

__all__ = ["Links", "ResolvedCitation", "links"]

# Issuing bodies whose symbols are unique nationwide: no province needed to tell them apart.
_NATIONAL = re.compile(r"^(?:TW|VPTW|BDVTW|BTGTW|BTCTW|UBKTTW|CP|TTg|QH\d*|VPCP|BNV|[A-Z]{2,5}TW)$")
_MAX_CITING = 200


@dataclass(frozen=True)
class ResolvedCitation:
    citation: Citation
    resolved: Hit | None
    candidates: int  # archived documents with this symbol


@dataclass(frozen=True)
class Links:
    cites: tuple[ResolvedCitation, ...]
    cited_by: tuple[Hit, ...]


def links(record: DocumentRecord, backend: SearchBackend, *, visible: tuple[str, ...] = ()) -> Links:
    """``visible``: the confidentiality levels the asker may see (archive.access.visible_levels);
    () = no restriction. A hidden document is neither a citation's target nor a citer."""
    return Links(
        cites=tuple(_resolve(c, record, backend, visible) for c in record.citations),
        cited_by=_cited_by(record, backend, visible),
    )


def _full_key(symbol: str) -> tuple[str, str | None] | None:
    parsed = parse_symbol(symbol)
    if parsed is None or parsed.org is None:
        return None
    return symbol_keys(parsed)[-1], parsed.org


def _resolve(
    citation: Citation, record: DocumentRecord, backend: SearchBackend, visible: tuple[str, ...]
) -> ResolvedCitation:
    key = _full_key(citation.number_symbol)
    if key is None:
        return ResolvedCitation(citation, None, 0)
    hits = backend.search(SearchRequest(filters=Filters(symbol=key[0], confidentiality=visible), limit=50)).hits
    hits = tuple(h for h in hits if h.id != record.id)
    return ResolvedCitation(citation, _choose(hits, citation, record, key[1]), len(hits))


def _choose(hits: tuple[Hit, ...], citation: Citation, record: DocumentRecord, org: str | None) -> Hit | None:
    if not hits:
        return None
    candidates = list(hits)
    if not (org and _NATIONAL.match(org)) and record.province:
        same = [h for h in candidates if h.province == record.province]
        unknown = [h for h in candidates if not h.province]
        candidates = same or unknown
    if citation.issue_date and len(candidates) > 1:
        dated = [h for h in candidates if h.issue_date == citation.issue_date]
        candidates = dated or candidates
    return candidates[0] if len(candidates) == 1 else None


def _cited_by(record: DocumentRecord, backend: SearchBackend, visible: tuple[str, ...]) -> tuple[Hit, ...]:
    if not record.number_symbol:
        return ()
    key = _full_key(record.number_symbol)
    if key is None:
        return ()
    hits = backend.search(SearchRequest(filters=Filters(cites=key[0], confidentiality=visible), limit=_MAX_CITING)).hits
    local = not (key[1] and _NATIONAL.match(key[1]))
    return tuple(
        h
        for h in hits
        if h.id != record.id and not (local and record.province and h.province and h.province != record.province)
    )
