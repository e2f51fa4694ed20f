"""The calendar of documents due (/lich, /api/due): what each unit must issue, and by when."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from archive.access import Principal
from archive.settings import Settings
from doithoai import present
from doithoai.web import deps
from doithoai.web.auth import current_principal
from doithoai.web.render import render
from flows.due import due_items

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

Who = Annotated[Principal, Depends(current_principal)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
Year = Annotated[int | None, Query(ge=1990, le=2100, description="Năm (mặc định: năm nay)")]


@pages.get("/lich")
def calendar_page(request: Request, principal: Who, settings: SettingsDep, year: Year = None) -> Response:
    year = year or date.today().year
    items = due_items(settings, year, visible=deps.visible(principal))
    units: dict[str, list[Any]] = {}
    for i in items:
        units.setdefault(i.unit, []).append(i)
    counts = {s: sum(1 for i in items if i.status == s) for s in ("overdue", "pending", "late", "done")}
    return render(request, "calendar.html", {"year": year, "units": units, "counts": counts})


@api.get("/due", summary="Lịch văn bản phải có trong năm: đã có, muộn, quá hạn, chưa đến hạn")
def api_due(principal: Who, settings: SettingsDep, year: Year = None) -> dict[str, Any]:
    year = year or date.today().year
    return present.due_json(due_items(settings, year, visible=deps.visible(principal)), year)
