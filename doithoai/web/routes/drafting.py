"""The drafting page (/soan-thao) and the templates API: form, checks, preview, DOCX/PDF, issue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import RedirectResponse, Response

from archive.access import Principal
from archive.errors import NotFound
from archive.settings import Settings
from archive.store import Store
from doithoai.web import deps, drafting
from doithoai.web.auth import current_principal, require_role
from doithoai.web.documents import content_disposition
from doithoai.web.errors import WebError
from doithoai.web.forms import form_nodes, problem_key, read_form
from doithoai.web.render import render
from doithoai.web.service import load_visible
from templates.schemas import TEMPLATES

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

Who = Annotated[Principal, Depends(current_principal)]
Clerk = Annotated[Principal, Depends(require_role("clerk"))]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
StoreDep = Annotated[Store, Depends(deps.store)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _spec(name: str) -> Any:
    spec = TEMPLATES.get(name)
    if spec is None:
        raise NotFound(f"không có mẫu '{name}'")
    return spec


def _choices() -> dict[str, Any]:
    import templates.schemas as schemas

    return dict(getattr(schemas, "CHOICE_LABELS", {}))


def _form(request: Request, name: str, data: dict[str, Any], outcome: drafting.Outcome | None = None,
          preview: list[Any] | None = None, status_code: int = 200) -> Response:  # fmt: skip
    spec = _spec(name)
    problems: dict[str, list[str]] = {}
    general: list[drafting.Problem] = []
    nodes = form_nodes(spec.model, _choices())
    for p in outcome.problems if outcome else []:
        key = problem_key(p.path)
        (problems.setdefault(key, []).append(p.message) if key else general.append(p))
    ctx = {"spec": spec, "nodes": nodes, "data": data, "problems": problems, "general": general,
           "outcome": outcome, "preview": preview}  # fmt: skip
    return render(request, "draft.html", ctx, status_code=status_code)


def _file(data: bytes, name: str, media: str) -> Response:
    return Response(data, media_type=media, headers={"Content-Disposition": content_disposition(name)})


@pages.get("/soan-thao")
def drafting_page(request: Request, principal: Who, store: StoreDep, template: str = "", from_: str = "") -> Response:
    if not template:
        return render(request, "draft_choose.html", {"templates": TEMPLATES.values()})
    record = None
    source = request.query_params.get("from") or from_
    if source:
        _sha, record = load_visible(store, source, principal)
    _spec(template)
    return _form(request, template, drafting.prefill(template, record))


@pages.post("/soan-thao/{name}")
async def drafting_post(request: Request, name: str, principal: Who, settings: SettingsDep) -> Response:
    spec = _spec(name)
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    action = str(form.get("_action") or "check")
    data = read_form(items, form_nodes(spec.model, _choices()))
    if action == "issue":
        if not principal.has_role("clerk"):
            raise WebError(403, "forbidden", "Chỉ văn thư được phát hành văn bản.")
        outcome = drafting.make(name, data, settings, pdf=False, issue=True)
        if not outcome.errors and outcome.id:
            return RedirectResponse(f"/documents/{outcome.id}?phat_hanh={outcome.number_symbol or ''}", status_code=303)
    elif action in ("docx", "pdf"):
        outcome = drafting.make(name, data, settings, pdf=action == "pdf", issue=False)
        if not outcome.errors:
            if action == "pdf" and outcome.pdf:
                return _file(outcome.pdf, f"du-thao-{name}.pdf", "application/pdf")
            if outcome.docx:
                return _file(outcome.docx, f"du-thao-{name}.docx", DOCX)
    else:
        outcome = drafting.make(name, data, settings, pdf=False, issue=False)
    if outcome.errors:
        return _form(request, name, data, outcome, status_code=422)
    preview = drafting.preview(outcome.docx) if outcome.docx else None
    return _form(request, name, data, outcome, preview)


@api.get("/templates", summary="Các mẫu văn bản, trường dữ liệu và dữ liệu mẫu")
def api_templates(principal: Who) -> dict[str, Any]:
    return {
        "templates": [
            {
                "name": s.name,
                "title": s.title,
                "doc_type": s.doc_type,
                "schema": s.model.model_json_schema(),
                "example": s.example,
            }
            for s in TEMPLATES.values()
        ]
    }


@api.post(
    "/templates/{name}/draft",
    summary="Soạn bản dự thảo (không lấy số, không lưu): JSON → DOCX, hoặc 422 kèm lỗi từng trường",
    responses={200: {"content": {DOCX: {}}}, 422: {"description": "Dữ liệu chưa hợp lệ (error.details: từng lỗi)"}},
)
def api_draft(
    name: str, principal: Who, settings: SettingsDep, data: Annotated[dict[str, Any], Body()], pdf: bool = False
) -> Response:
    _spec(name)
    outcome = drafting.make(name, data, settings, pdf=pdf, issue=False)
    if outcome.errors:
        details = [{"path": p.path, "message": p.message, "severity": p.severity} for p in outcome.problems]
        message = "Dữ liệu chưa hợp lệ: " + "; ".join(f"{p.path}: {p.message}" for p in outcome.errors)
        raise WebError(422, "invalid_data", message, details=details)
    if pdf and outcome.pdf:
        return _file(outcome.pdf, f"du-thao-{name}.pdf", "application/pdf")
    assert outcome.docx is not None
    return _file(outcome.docx, f"du-thao-{name}.docx", DOCX)
