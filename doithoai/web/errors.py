"""Errors as a clerk reads them: a Vietnamese page, or ``{"error": {"code", "message"}}`` under /api.

Every response carries an ``X-Request-ID``; an unexpected error is logged with it and the
page shows it, so the operator can find the traceback (which never reaches the browser).
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive.errors import (
    DoithoaiError,
    InfrastructureError,
    InputError,
    NotFound,
    SearchError,
    TemplateError,
    UsageError,
)

__all__ = ["RequestIdMiddleware", "WebError", "install_error_handlers", "wants_json"]

log = logging.getLogger("doithoai.web")

_TITLES = {
    400: "Yêu cầu chưa đúng",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Không làm được theo cách này",
    413: "Tệp quá lớn",
    422: "Dữ liệu chưa hợp lệ",
    500: "Có lỗi ngoài dự kiến",
    503: "Dịch vụ tạm thời không dùng được",
}
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 422: "invalid_data", 500: "internal", 503: "unavailable"}  # fmt: skip


class WebError(Exception):
    """An answer other than success, with its HTTP status, a stable code and a Vietnamese message."""

    def __init__(self, status: int, code: str, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class RequestIdMiddleware:
    """Gives every request an id (``request.state.request_id``) and returns it as ``X-Request-ID``,
    with the time the app took (``Server-Timing: app;dur=…``, milliseconds)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = secrets.token_hex(6)
        scope.setdefault("state", {})["request_id"] = rid
        t0 = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - t0) * 1000  # until the first byte: what bench/web.py reports
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", rid.encode()),
                    (b"server-timing", f"app;dur={took:.1f}".encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_id)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _classify(exc: Exception) -> WebError:
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, NotFound):
        return WebError(404, "not_found", exc.message)
    if isinstance(exc, UsageError):
        return WebError(400, "bad_request", exc.message)
    if isinstance(exc, SearchError):
        return WebError(503, "search_unavailable", f"Máy chủ tìm kiếm không trả lời: {exc.message}")
    if isinstance(exc, InfrastructureError):
        return WebError(503, "unavailable", exc.message)
    if isinstance(exc, TemplateError):
        return WebError(422, "invalid_data", exc.message)
    if isinstance(exc, InputError):
        return WebError(422, "bad_input", exc.message)
    if isinstance(exc, DoithoaiError):
        return WebError(400, "bad_request", exc.message)
    if isinstance(exc, RequestValidationError):
        errors = exc.errors()
        in_body = any(e.get("loc", ("",))[0] == "body" for e in errors)
        parts = []
        for e in errors:
            where = ".".join(str(p) for p in e.get("loc", ())[1:]) or "yêu cầu"
            parts.append(f"{where}: giá trị không hợp lệ")
        message = "Dữ liệu chưa hợp lệ — " + "; ".join(parts) if in_body else "Tham số chưa đúng — " + "; ".join(parts)
        return WebError(422 if in_body else 400, "invalid_data" if in_body else "bad_query", message)
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii() else None
        return WebError(status, _CODES.get(status, "error"), detail or _TITLES.get(status, "Có lỗi"))
    return WebError(500, "internal", "Có lỗi ngoài dự kiến; hãy báo cho quản trị viên kèm mã yêu cầu.")


def _respond(request: Request, err: WebError) -> Response:
    rid = getattr(request.state, "request_id", "")
    if wants_json(request):
        body: dict[str, Any] = {"code": err.code, "message": err.message}
        if err.details is not None:
            body["details"] = err.details
        if err.status >= 500:
            body["request_id"] = rid
        return JSONResponse({"error": body}, status_code=err.status)
    from doithoai.web.render import render

    return render(
        request,
        "error.html",
        {"status": err.status, "title": _TITLES.get(err.status, "Có lỗi"), "message": err.message, "request_id": rid},
        status_code=err.status,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def known(request: Request, exc: Exception) -> Response:
        err = _classify(exc)
        if err.status >= 500:
            log.warning("request %s %s: %s", getattr(request.state, "request_id", ""), request.url.path, err.message)
        return _respond(request, err)

    async def unexpected(request: Request, exc: Exception) -> Response:
        rid = getattr(request.state, "request_id", "")
        log.error("request %s %s %s failed", rid, request.method, request.url.path, exc_info=exc)
        return _respond(request, _classify(exc))

    for kind in (WebError, DoithoaiError, RequestValidationError, StarletteHTTPException):
        app.add_exception_handler(kind, known)
    app.add_exception_handler(Exception, unexpected)
