"""Derived search index: one SearchBackend interface, an embedded default, Elasticsearch at scale.

The index is always rebuildable from the store (``doithoai reindex``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
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

    # ``secondary``: ids of renditions indexed as not primary (search.renditions; flows.renditions decides).
    def add_many(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int: ...

    def remove(self, doc_id: str) -> None: ...

    def rebuild(self, items: Iterable[tuple[DocumentRecord, str]], *, secondary: Collection[str] = ()) -> int: ...

    def search(self, request: SearchRequest) -> Results: ...

    def count(self) -> int: ...

    def ids(self) -> set[str]: ...

    # Whether this one id is in the index: one term lookup (ids() lists them all).
    def has(self, doc_id: str) -> bool: ...

    def close(self) -> None: ...


def get_backend(settings: Settings) -> SearchBackend:
    """The backend these settings choose; imported lazily so the other one's library is optional."""
    if settings.search_backend == "tantivy":
        from search.embedded import TantivyBackend

        return TantivyBackend(settings.index_dir / "tantivy")
    if not settings.es_url:
        raise SearchError("DOITHOAI_SEARCH_BACKEND=elasticsearch cần DOITHOAI_ES_URL (địa chỉ máy chủ)")
    from search.elastic import ElasticBackend, ElasticConfig

    return ElasticBackend(
        ElasticConfig(
            url=settings.es_url,
            alias=settings.es_index,
            username=settings.es_username,
            password=settings.es_password,
            api_key=settings.es_api_key,
            ca_certs=settings.es_ca_certs,
            verify_certs=settings.es_verify_certs,
        )
    )
