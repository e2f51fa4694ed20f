"""Pages for reading: search (/), a document (/documents/{id}, /so/{number}) and its files."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from archive.access import Principal
from archive.store import Store
from doithoai import present
from doithoai.web import deps, documents
from doithoai.web.auth import current_principal
from doithoai.web.render import render
from doithoai.web.service import SearchParams, by_number, load_visible, run_search, symbol_matches
from flows.links import links
from flows.renditions import renditions_of
from search import SearchBackend

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
_FACET_PARAM = {"doc_type": "type", "year": "year", "issuer": "issuer", "province": "province", "topics": "topic"}
_MULTI = {"type", "topic"}

Who = Annotated[Principal, Depends(current_principal)]
Backend = Annotated[SearchBackend, Depends(deps.backend)]
StoreDep = Annotated[Store, Depends(deps.store)]


def _query_items(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if v != ""]


def _url(items: list[tuple[str, str]], **changes: Any) -> str:
    """The search URL with some parameters set (a str), added (multi, a tuple ``("+", v)``) or removed (None)."""
    out = [(k, v) for k, v in items if k != "page"]
    for key, value in changes.items():
        if value is None:
            out = [(k, v) for k, v in out if k != key]
        elif isinstance(value, tuple) and value[0] == "-":
            out = [(k, v) for k, v in out if not (k == key and v == value[1])]
        elif isinstance(value, tuple) and value[0] == "+":
            if (key, value[1]) not in out:
                out.append((key, value[1]))
        elif key == "page_no":
            if int(value) > 1:
                out.append(("page", str(value)))
        else:
            out = [(k, v) for k, v in out if k != key] + [(key, str(value))]
    return "/?" + urlencode(out) if out else "/"


@router.get("/")
def search_page(
    request: Request,
    principal: Who,
    backend: Backend,
    q: str = "",
    type: Annotated[list[str], Query()] = [],  # noqa: B006
    year: str = "",
    from_: Annotated[str, Query(alias="from")] = "",
    to: str = "",
    issuer: str = "",
    province: str = "",
    topic: Annotated[list[str], Query()] = [],  # noqa: B006
    needs_review: str = "",
    sort: str = "relevance",
    page: str = "1",
) -> Response:
    items = _query_items(request)
    page_no = int(page) if page.isdigit() and int(page) >= 1 else 1
    searched = bool(items)
    ctx: dict[str, Any] = {"q": q, "sort": sort, "items": items, "page": page_no, "searched": searched}
    if searched:
        params = SearchParams(
            q=q, types=tuple(type), year=int(year) if year.strip().isdigit() else None, date_from=from_ or None,
            date_to=to or None, issuer=issuer, province=province, topics=tuple(topic), needs_review=bool(needs_review),
            limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, sort="date" if sort == "date" else "relevance",
        )  # fmt: skip
        search_request, results = run_search(backend, params, principal)
        pages = max(1, -(-results.total // PAGE_SIZE))
        ctx |= {
            "results": results,
            "pages": pages,
            "first": params.offset + 1,
            "last": params.offset + len(results.hits),
            "suggestions": symbol_matches(backend, search_request, principal) if search_request.symbols else [],
            "selected": {
                "type": list(type),
                "year": [year] if year else [],
                "issuer": [issuer] if issuer else [],
                "province": [province] if province else [],
                "topic": list(topic),
            },
            "highlight": q,
        }
    ctx |= {"url": lambda **ch: _url(items, **ch), "facet_param": _FACET_PARAM, "multi": _MULTI}
    return render(request, "search.html", ctx)


@router.get("/documents/{doc_id}")
def document_page(
    request: Request, doc_id: str, principal: Who, backend: Backend, store: StoreDep, q: str = ""
) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    found = links(record, backend, visible=deps.visible(principal))
    extraction = store.load_extraction(sha)
    ctx = {
        "record": record,
        "links": found,
        "pages": extraction.pages,
        "highlighted": [present.highlight(p.text, q) for p in extraction.pages],
        "q": q,
        "files": documents.files(store, sha, record),
        "low": set(record.low_confidence_pages),
        # Renditions (RENDITIONS helper): every archived file of this document, the primary first.
        "renditions": present.renditions_json(renditions_of(backend, store, record, deps.visible(principal))),
    }
    return render(request, "document.html", ctx)


@router.get("/so/{number:path}")
def by_number_page(request: Request, number: str, principal: Who, backend: Backend, q: str = "") -> Response:
    hits = by_number(backend, number, principal)
    if len(hits) == 1:
        keep = f"?{urlencode({'q': q})}" if q else ""
        return RedirectResponse(f"/documents/{hits[0].id}{keep}", status_code=303)
    return render(request, "choose.html", {"number": number, "hits": hits})


@router.get("/documents/{doc_id}/original")
def original(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.original(store, sha, record)


@router.get("/documents/{doc_id}/searchable.pdf")
def searchable(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.searchable(store, sha, record)


@router.get("/documents/{doc_id}/text")
def text(doc_id: str, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.text(store, sha, record)


@router.get("/documents/{doc_id}/pages/{number}.png")
def page_image(doc_id: str, number: int, principal: Who, store: StoreDep) -> Response:
    sha, record = load_visible(store, doc_id, principal)
    return documents.page_image(store, sha, record, number)
