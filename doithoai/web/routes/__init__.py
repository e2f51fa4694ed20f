"""The app's routers, one module per area; a new area = one module + one line here."""

from __future__ import annotations

from fastapi import APIRouter

from doithoai.web.routes import api, pages

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (pages.router, api.router)
