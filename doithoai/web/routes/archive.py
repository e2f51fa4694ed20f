"""The ingest page (/luu-tru) and its API: runs, quarantine (retry, dismiss), upload, "lưu ngay"."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from archive import open_store
from archive.access import CLEARANCES, Principal, visible_levels
from archive.errors import NotFound
from archive.runs import RunLog, RunRow
from archive.settings import Settings
from doithoai import present
from doithoai.web import deps
from doithoai.web.auth import current_principal, require_role
from doithoai.web.jobs import Jobs
from doithoai.web.render import render
from doithoai.web.uploads import save_upload
from search import Filters, SearchRequest, get_backend

__all__ = ["api", "pages"]

log = logging.getLogger("doithoai.web")

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

Who = Annotated[Principal, Depends(current_principal)]
Clerk = Annotated[Principal, Depends(require_role("clerk"))]
SettingsDep = Annotated[Settings, Depends(deps.settings)]


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def _runs(settings: Settings, principal: Principal, limit: int = 20) -> list[RunRow]:
    """Recent runs, their counts over what ``principal`` may see: a run that archived a MẬT
    document does not count it for a reader without the clearance (the search index knows which
    archived documents those are: one query with the invisible levels as its filter)."""
    log = RunLog(settings.home / "state.db")
    rows = log.recent(limit)
    hidden_levels = tuple(c for c in CLEARANCES if c not in visible_levels(principal.clearance))
    if not hidden_levels or not rows:
        return rows
    found = get_backend(settings).search(
        SearchRequest(filters=Filters(confidentiality=hidden_levels, all_renditions=True), limit=10_000)
    )
    hidden = {h.id for h in found.hits}
    if not hidden:
        return rows
    out = []
    for r in rows:
        n = len(log.archived_ids(r.id) & hidden)
        out.append(replace(r, counts={**r.counts, "archived": r.counts.get("archived", 0) - n}) if n else r)
    return out


def _retry(key: str, settings: Settings, principal: Principal) -> dict[str, Any]:
    from flows.retry import retry_quarantined

    name = open_store(settings).quarantined(key).name
    outcome = retry_quarantined(key, settings)
    log.info("quarantine %s retried by %s: %s", key, principal.name, outcome.status)
    return outcome.to_json() | {"name": name, "status_label": present.status_label(outcome.status)}


def _dismiss(key: str, settings: Settings, principal: Principal) -> None:
    store = open_store(settings)
    entry = store.quarantined(key)
    store.release_quarantine(entry)
    log.info("quarantine %s (%s) dismissed by %s", key, entry.name, principal.name)


# -- pages -------------------------------------------------------------------------------


@pages.get("/luu-tru")
def archive_page(request: Request, principal: Who, settings: SettingsDep, job: str = "", msg: str = "") -> Response:
    current = _jobs(request).get(job) if job else None
    ctx = {
        "runs": _runs(settings, principal),
        "quarantine": list(open_store(settings).iter_quarantine()),
        "job": current.to_json() if current else None,
        "msg": msg,
        "max_bytes": settings.max_file_bytes,
        "inbox": settings.inbox_dir,
    }
    return render(request, "archive.html", ctx)


@pages.post("/luu-tru/tai-len")
async def upload_form(principal: Clerk, settings: SettingsDep, files: Annotated[list[UploadFile], File()]) -> Response:
    saved = [await save_upload(f, settings) for f in files if f.filename]
    names = ", ".join(present.file_name(p) for p in saved)
    return RedirectResponse(f"/luu-tru?msg=Đã tải lên: {names}", status_code=303)


@pages.post("/luu-tru/luu-ngay")
def ingest_now_form(request: Request, principal: Clerk) -> Response:
    job = _jobs(request).start()
    return RedirectResponse(f"/luu-tru?job={job.id}", status_code=303)


@pages.post("/luu-tru/cach-ly/{key}/thu-lai")
def retry_form(key: str, principal: Clerk, settings: SettingsDep) -> Response:
    out = _retry(key, settings, principal)
    text = f"Xử lý lại {present.file_name(out['name'])}: {out['status_label']}" + (
        f" — {out['reason']}" if out.get("reason") else ""
    )
    return RedirectResponse(f"/luu-tru?msg={text}", status_code=303)


@pages.post("/luu-tru/cach-ly/{key}/bo-qua")
def dismiss_form(key: str, principal: Clerk, settings: SettingsDep) -> Response:
    _dismiss(key, settings, principal)
    return RedirectResponse("/luu-tru?msg=Đã bỏ tệp khỏi khu cách ly.", status_code=303)


# -- API ---------------------------------------------------------------------------------


@api.get("/runs", summary="Các lượt lưu trữ gần đây")
def api_runs(principal: Who, settings: SettingsDep, limit: int = 20) -> dict[str, Any]:
    return {"runs": [present.run_json(r) for r in _runs(settings, principal, max(1, min(limit, 200)))]}


@api.get("/runs/{run_id}", summary="Một lượt lưu trữ (kể cả lượt 'lưu ngay' đang chạy, theo từng tệp)")
def api_run(run_id: str, request: Request, principal: Who, settings: SettingsDep) -> dict[str, Any]:
    job = _jobs(request).get(run_id)
    if job is not None:
        return job.to_json()
    if run_id.isdigit():
        for r in _runs(settings, principal, 1000):
            if r.id == int(run_id):
                return present.run_json(r)
    raise NotFound(f"không có lượt lưu trữ {run_id}")


@api.get("/quarantine", summary="Tệp đang bị cách ly, kèm lý do")
def api_quarantine(principal: Who, settings: SettingsDep) -> dict[str, Any]:
    return {"files": [present.quarantine_json(q) for q in open_store(settings).iter_quarantine()]}


@api.post("/quarantine/{key}/retry", summary="Xử lý lại một tệp bị cách ly")
def api_retry(key: str, principal: Clerk, settings: SettingsDep) -> dict[str, Any]:
    return _retry(key, settings, principal)


@api.post("/quarantine/{key}/dismiss", summary="Bỏ một tệp khỏi khu cách ly (xoá bản sao cách ly)")
def api_dismiss(key: str, principal: Clerk, settings: SettingsDep) -> dict[str, Any]:
    _dismiss(key, settings, principal)
    return {"dismissed": key}


@api.post("/inbox", summary="Tải tệp vào hộp thư đến (nhiều tệp một lần)", status_code=201)
async def api_inbox(
    principal: Clerk, settings: SettingsDep, files: Annotated[list[UploadFile], File()]
) -> dict[str, Any]:
    saved = [await save_upload(f, settings) for f in files]
    return {"files": [{"name": p.name, "path": str(p)} for p in saved]}


@api.post("/ingest", summary="Lưu ngay: bắt đầu một lượt lưu trữ hộp thư đến; trả về mã lượt", status_code=202)
def api_ingest(request: Request, principal: Clerk) -> dict[str, Any]:
    job = _jobs(request).start()
    return {"id": job.id, "status": job.status, "total": job.total, "url": f"/api/runs/{job.id}"}
