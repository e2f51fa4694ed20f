"""Archived records matching a search filter, all of them (paged through the index)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from archive import open_store
from archive.errors import Damaged, NotFound
from archive.records import DocumentRecord
from archive.settings import Settings
from archive.store import Store
from search import Filters, SearchRequest, get_backend

__all__ = ["records_matching"]

_PAGE = 200
log = logging.getLogger("doithoai.records")


def records_matching(settings: Settings, filters: Filters) -> list[DocumentRecord]:
    """Every archived record the filters select, oldest first (by issue date, then id)."""
    backend, store = get_backend(settings), open_store(settings)
    out: list[DocumentRecord] = []
    offset = 0
    while True:
        hits = backend.search(SearchRequest(filters=filters, limit=_PAGE, offset=offset)).hits
        out += _loadable(store, (h.id for h in hits))
        if len(hits) < _PAGE:
            return sorted(out, key=lambda r: (r.issue_date or date.min, r.id))
        offset += _PAGE


def _loadable(store: Store, ids: Iterable[str]) -> list[DocumentRecord]:
    """The records of ``ids``; a damaged or vanished entry is named on stderr and left out."""
    out = []
    for sha in ids:
        try:
            out.append(store.load_record(sha))
        except (Damaged, NotFound) as exc:
            log.warning("bỏ qua: %s", exc.message)
    return out
