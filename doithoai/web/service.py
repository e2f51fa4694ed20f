"""The operations pages and API endpoints share: each one library call, with the asker's visibility.

No search, parsing or rendering logic lives here; these functions only put the request's
parameters and the principal's clearance into the library's own calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from archive.access import Principal, may_see
from archive.errors import NotFound, UsageError
from archive.records import DocumentRecord
from archive.store import Store
from archive.vntext import parse_symbol, symbol_keys
from doithoai.web.deps import visible
from search import (
    Filters,
    Hit,
    Results,
    SearchBackend,
    SearchRequest,
    parse_date,
    parse_doc_type,
    parse_query,
    parse_topic,
)

__all__ = ["SearchParams", "by_number", "load_visible", "run_search", "symbol_matches"]

_DATE_SORT_WINDOW = 500


@dataclass(frozen=True)
class SearchParams:
    """A search as a URL or an API call states it."""

    q: str = ""
    types: tuple[str, ...] = ()
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    issuer: str | None = None
    province: str | None = None
    topics: tuple[str, ...] = ()
    needs_review: bool = False
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"
    extra: dict[str, str] = field(default_factory=dict)

    def filters(self, principal: Principal) -> Filters:
        if self.sort not in ("relevance", "date"):
            raise UsageError("sort phải là relevance (liên quan nhất) hoặc date (mới nhất)")
        return Filters(
            doc_types=tuple(dict.fromkeys(parse_doc_type(t) for t in self.types if t)),
            year=self.year,
            date_from=_date(self.date_from),
            date_to=_date(self.date_to),
            issuer=self.issuer or None,
            province=self.province or None,
            topics=tuple(dict.fromkeys(parse_topic(t) for t in self.topics if t)),
            needs_review=True if self.needs_review else None,
            confidentiality=visible(principal),
        )


def _date(text: str | None) -> date | None:
    return parse_date(text) if text else None


def run_search(backend: SearchBackend, params: SearchParams, principal: Principal) -> tuple[SearchRequest, Results]:
    """One search for ``principal``: documents above their clearance do not exist for it."""
    request = parse_query(params.q, filters=params.filters(principal), limit=params.limit, offset=params.offset)
    if params.sort == "date" and request.has_text:
        return request, _newest_first(backend, request)
    return request, backend.search(request)  # without words the backend lists newest first


def _newest_first(backend: SearchBackend, request: SearchRequest) -> Results:
    """Matching documents newest first: the best ``_DATE_SORT_WINDOW`` matches, ordered by date."""
    wide = backend.search(replace(request, limit=_DATE_SORT_WINDOW, offset=0))
    ordered = sorted(wide.hits, key=lambda h: (h.issue_date or date.min, h.id), reverse=True)
    page = tuple(ordered[request.offset : request.offset + request.limit])
    notes = wide.notes
    if wide.total > _DATE_SORT_WINDOW:
        notes += (f"sắp xếp theo ngày trong {_DATE_SORT_WINDOW} kết quả phù hợp nhất",)
    return Results(total=wide.total, hits=page, facets=wide.facets, notes=notes)


def symbol_matches(backend: SearchBackend, request: SearchRequest, principal: Principal) -> list[Hit]:
    """Documents whose own number is a symbol the query names (for "did you mean this document")."""
    found: dict[str, Hit] = {}
    for symbol in request.symbols:
        key = symbol_keys(symbol)[-1]
        req = SearchRequest(filters=Filters(symbol=key, confidentiality=visible(principal)), limit=5)
        for h in backend.search(req).hits:
            found.setdefault(h.id, h)
    return list(found.values())[:5]


def load_visible(store: Store, doc_id: str, principal: Principal) -> tuple[str, DocumentRecord]:
    """A record by id (or unique prefix); 404 when absent *or* above the principal's clearance."""
    missing = NotFound(f"không có văn bản mang mã {doc_id}")
    try:
        sha = store.resolve_id(doc_id)
    except UsageError as exc:
        raise missing from exc
    record = store.load_record(sha)
    if not may_see(principal, record.confidentiality):
        raise missing
    return sha, record


def by_number(backend: SearchBackend, number: str, principal: Principal) -> list[Hit]:
    """Documents whose own number is ``number`` in any spelling, as far as ``principal`` may see."""
    parsed = parse_symbol(number) or parse_symbol(number.upper())
    if parsed is None:
        raise NotFound(f"'{number}' không phải một số, ký hiệu văn bản")
    req = SearchRequest(filters=Filters(symbol=symbol_keys(parsed)[-1], confidentiality=visible(principal)), limit=20)
    hits = list(backend.search(req).hits)
    if not hits:
        raise NotFound(f"chưa có văn bản số {number} trong kho")
    return hits
