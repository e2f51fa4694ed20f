"""The app's routers, one module per area; a new area = one module + one line here."""

from __future__ import annotations

from fastapi import APIRouter

from doithoai.web.routes import api, archive, calendar, drafting, pages

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    pages.router,
    archive.pages,
    calendar.pages,
    drafting.pages,
    api.router,
    archive.api,
    calendar.api,
    drafting.api,
)
