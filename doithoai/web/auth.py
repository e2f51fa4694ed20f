"""Who is asking: the only way a page or endpoint learns its principal.

Contract (names every route relies on):

- ``current_principal(request) -> Principal``: a FastAPI dependency;
- ``require_role(role)``: a dependency factory answering 403 when the principal lacks the role.

A request proves who it is in one of three ways, checked in this order:

1. ``Authorization: Bearer dt_…`` — a personal API token (``doithoai users token NAME``);
2. ``Authorization: Basic …`` — name and password, decoded as UTF-8 (FastAPI's own HTTPBasic
   decodes ASCII only, so Vietnamese passwords would fail); rate-limited like the login form;
3. the session cookie set by the login page (``doithoai_session``: a random id, HttpOnly,
   SameSite=Strict, Secure when the request came over https).

The user's role and clearance are read from the account store on every request, so a change
(or disabling the user) applies to the very next request. Without proof: 401 for the API, a
redirect to the login page for pages. CSRF protection for cookie requests lives in
:mod:`doithoai.web.csrf`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from archive.access import Principal, Role
from archive.accounts import Accounts, LoginRefused, LoginThrottled
from archive.audit import AuditLog
from doithoai.web.errors import WebError, wants_json

__all__ = [
    "SESSION_COOKIE",
    "LoginRequired",
    "Unauthorized",
    "accounts_of",
    "audit_of",
    "client_address",
    "current_principal",
    "require_role",
]

SESSION_COOKIE = "doithoai_session"


class LoginRequired(Exception):
    """A page asked for without a session: answered with a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.location = "/dang-nhap?next=" + quote(next_url, safe="/")


def accounts_of(request: Request) -> Accounts:
    """One account store per app (it caches the server key and the dummy hash)."""
    state = request.app.state
    if getattr(state, "accounts", None) is None:
        state.accounts = Accounts(state.settings)
    accounts: Accounts = state.accounts
    return accounts


def audit_of(request: Request) -> AuditLog:
    return AuditLog(request.app.state.settings.home)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


class Unauthorized(WebError):
    """401, answered with a ``WWW-Authenticate`` challenge (see ``account_routes.install``)."""

    def __init__(self, message: str, *, basic: bool = False) -> None:
        super().__init__(401, "unauthorized", message)
        self.challenge = 'Basic realm="doithoai", charset="UTF-8"' if basic else 'Bearer realm="doithoai"'


def _unauthorized(message: str, *, basic: bool = False) -> WebError:
    return Unauthorized(message, basic=basic)


async def _from_authorization(request: Request, header: str) -> Principal:
    scheme, _, value = header.partition(" ")
    value = value.strip()
    accounts = accounts_of(request)
    if scheme.lower() == "bearer":
        principal = await run_in_threadpool(accounts.token_principal, value)
        if principal is None:
            raise _unauthorized("Mã API không hợp lệ, đã bị thu hồi, hoặc tài khoản đã bị khóa.")
        return principal
    if scheme.lower() == "basic":
        try:
            name, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise _unauthorized(
                "Thông tin đăng nhập (HTTP Basic) không đọc được; cần mã hóa UTF-8.", basic=True
            ) from exc
        if not sep:
            raise _unauthorized("Thông tin đăng nhập (HTTP Basic) thiếu dấu ':' giữa tên và mật khẩu.", basic=True)
        client = client_address(request)
        try:
            principal = await run_in_threadpool(accounts.authenticate, name, password, client=client)
        except LoginThrottled as exc:
            await run_in_threadpool(audit_of(request).record, name, "login.fail", "basic", {"lý do": "bị chặn"}, client)
            raise WebError(429, "too_many_attempts", exc.message) from exc
        except LoginRefused as exc:
            await run_in_threadpool(audit_of(request).record, name, "login.fail", "basic", {}, client)
            raise _unauthorized(exc.message, basic=True) from exc
        return principal
    raise _unauthorized("Kiểu xác thực không được hỗ trợ: dùng Bearer (mã API) hoặc Basic.")


async def current_principal(request: Request) -> Principal:
    """The principal of this request, re-read from the account store; 401 or login redirect otherwise."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    header = request.headers.get("authorization")
    if header:
        principal = await _from_authorization(request, header)
    else:
        sid = request.cookies.get(SESSION_COOKIE, "")
        found = await run_in_threadpool(accounts_of(request).session_principal, sid) if sid else None
        if found is None:
            if wants_json(request):
                raise _unauthorized("Cần đăng nhập: gửi mã API (Authorization: Bearer) hoặc HTTP Basic.")
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        principal = found
    request.state.principal = principal
    return principal


def require_role(role: Role) -> Callable[..., Awaitable[Principal]]:
    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has_role(role):
            raise WebError(403, "forbidden", "Tài khoản của bạn không có quyền làm việc này.")
        return principal

    return dependency
