"""Archived records matching a search filter, all of them (paged through the index)."""

from __future__ import annotations

from datetime import date

from archive import open_store
from archive.records import DocumentRecord
from archive.settings import Settings
from search import Filters, SearchRequest, get_backend

__all__ = ["records_matching"]

_PAGE = 200


def records_matching(settings: Settings, filters: Filters) -> list[DocumentRecord]:
    """Every archived record the filters select, oldest first (by issue date, then id)."""
    backend, store = get_backend(settings), open_store(settings)
    out: list[DocumentRecord] = []
    offset = 0
    while True:
        hits = backend.search(SearchRequest(filters=filters, limit=_PAGE, offset=offset)).hits
        out += [store.load_record(h.id) for h in hits]
        if len(hits) < _PAGE:
            return sorted(out, key=lambda r: (r.issue_date or date.min, r.id))
        offset += _PAGE
