"""The REST API under /api: the same JSON shapes as the CLI's ``--json`` (doithoai.present)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from archive.access import Principal
from archive.store import Store
from doithoai import present
from doithoai.web import deps, documents
from doithoai.web.auth import current_principal
from doithoai.web.service import SearchParams, load_visible, run_search
from flows.links import links
from flows.renditions import renditions_of
from search import SearchBackend

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

Who = Annotated[Principal, Depends(current_principal)]
Backend = Annotated[SearchBackend, Depends(deps.backend)]
StoreDep = Annotated[Store, Depends(deps.store)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Yêu cầu sai (tham số không hợp lệ)"},
    404: {"description": "Không có (hoặc không được xem) văn bản này"},
    503: {"description": "Máy chủ tìm kiếm không trả lời"},
}


@router.get("/search", summary="Tìm văn bản", responses=_ERRORS)
def api_search(
    principal: Who,
    backend: Backend,
    q: str = "",
    type: Annotated[list[str], Query(description="thong_bao, 'thông báo' hoặc TB; lặp lại được")] = [],  # noqa: B006
    year: int | None = None,
    from_: Annotated[str | None, Query(alias="from", description="2024-01-31 hoặc 31/01/2024")] = None,
    to: str | None = None,
    issuer: str | None = None,
    province: str | None = None,
    topic: Annotated[list[str], Query()] = [],  # noqa: B006
    needs_review: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Literal["relevance", "date"] = "relevance",
) -> dict[str, Any]:
    """Cùng dạng JSON với ``doithoai search --json``: ``total``, ``hits``, ``facets``, ``notes``."""
    params = SearchParams(
        q=q, types=tuple(type), year=year, date_from=from_, date_to=to, issuer=issuer, province=province,
        topics=tuple(topic), needs_review=needs_review, limit=limit, offset=offset, sort=sort,
    )  # fmt: skip
    _request, results = run_search(backend, params, principal)
    return present.search_json(results)


@router.get("/documents/{doc_id}", summary="Một văn bản (như doithoai show --json)", responses=_ERRORS)
def api_document(doc_id: str, principal: Who, backend: Backend, store: StoreDep, text: bool = False) -> dict[str, Any]:
    sha, record = load_visible(store, doc_id, principal)
    found = links(record, backend, visible=deps.visible(principal))
    return present.record_json(
        record,
        found,
        original=store.original_path(sha),
        searchable_pdf=store.searchable_path(sha),
        text=store.load_extraction(sha).text if text else None,
        renditions=renditions_of(backend, store, record, deps.visible(principal)),
    )


@router.get("/documents/{doc_id}/original", summary="Bản gốc, đúng tên tệp gốc", responses=_ERRORS)
def api_original(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.original(store, sha, record)


@router.get("/documents/{doc_id}/searchable.pdf", summary="Bản PDF tìm được chữ", responses=_ERRORS)
def api_searchable(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.searchable(store, sha, record)


@router.get("/documents/{doc_id}/text", summary="Nội dung chữ (UTF-8)", responses=_ERRORS)
def api_text(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.text(store, sha, record)
