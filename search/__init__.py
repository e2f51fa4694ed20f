"""Derived search index: one SearchBackend interface, an embedded default, Elasticsearch at scale.

The index is always rebuildable from the store (``doithoai reindex``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from archive.errors import SearchError
from archive.records import DocumentRecord
from archive.settings import Settings
from search.model import Facet, Filters, Hit, Results, SearchRequest
from search.query import parse_date, parse_doc_type, parse_query, parse_topic

__all__ = [
    "Facet",
    "Filters",
    "Hit",
    "Results",
    "SearchBackend",
    "SearchRequest",
    "get_backend",
    "parse_date",
    "parse_doc_type",
    "parse_query",
    "parse_topic",
]


@runtime_checkable
class SearchBackend(Protocol):
    name: str

    def add(self, record: DocumentRecord, text: str) -> None: ...

    def add_many(self, items: Iterable[tuple[DocumentRecord, str]]) -> int: ...

    def remove(self, doc_id: str) -> None: ...

    def rebuild(self, items: Iterable[tuple[DocumentRecord, str]]) -> int: ...

    def search(self, request: SearchRequest) -> Results: ...

    def count(self) -> int: ...

    def ids(self) -> set[str]: ...

    def close(self) -> None: ...


def get_backend(settings: Settings) -> SearchBackend:
    """The backend these settings choose; imported lazily so the other one's library is optional."""
    if settings.search_backend == "tantivy":
        from search.embedded import TantivyBackend

        return TantivyBackend(settings.index_dir / "tantivy")
    raise SearchError("chưa hỗ trợ máy chủ Elasticsearch trong phiên bản này; bỏ DOITHOAI_ES_URL để dùng chỉ mục nhúng")
