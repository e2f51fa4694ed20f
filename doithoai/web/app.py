"""The clerks' web app and the REST API: a thin shell over the same library calls as the CLI.

``create_app(settings)`` builds one FastAPI application. Every page and endpoint learns who
is asking only from :func:`doithoai.web.auth.current_principal` (or ``require_role``) and
passes the principal's visibility down to search, links and the calendar.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from archive.settings import Settings
from doithoai.web import account_routes
from doithoai.web.deps import Backends
from doithoai.web.errors import RequestIdMiddleware, install_error_handlers
from doithoai.web.jobs import Jobs

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    from doithoai.web.routes import ROUTERS

    logging.getLogger("doithoai.web").setLevel(logging.INFO)
    app = FastAPI(
        title="doithoai",
        summary="Lưu trữ, tìm kiếm và soạn thảo văn bản tiếp xúc, đối thoại — API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.backends = Backends(settings)
    app.state.jobs = Jobs(settings)
    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    account_routes.install(app)  # accounts: login, CSRF + audit middleware, admin pages

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI from the vendored copy (the office network may have no internet)."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="doithoai — API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    return app
