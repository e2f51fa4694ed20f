"""Login, logout, the user's own account page, and the admin pages (users, audit log, secret register).

``install(app)`` is the one line ``create_app`` calls: it adds these routes, the CSRF and audit
middleware (:mod:`doithoai.web.csrf`), the ``csrf_field()`` template global, the login redirect,
and the refusal to serve an installation that has no administrator.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from archive import open_store
from archive.access import CLEARANCE_LABELS, CLEARANCES, ROLE_LABELS, ROLES, Principal, may_see
from archive.accounts import Accounts, LoginRefused, LoginThrottled
from archive.errors import DoithoaiError
from archive.settings import Settings
from doithoai.web import csrf
from doithoai.web.auth import (
    SESSION_COOKIE,
    LoginRequired,
    Unauthorized,
    accounts_of,
    audit_of,
    client_address,
    current_principal,
    require_role,
)
from doithoai.web.errors import WebError
from doithoai.web.render import render, templates
from doithoai.web.service import load_visible
from flows import secrets as secret_policy

__all__ = ["FIRST_ADMIN_COMMAND", "install", "router"]

FIRST_ADMIN_COMMAND = "doithoai users add TÊN --role admin --clearance none --password-stdin"

router = APIRouter(include_in_schema=False)

Who = Annotated[Principal, Depends(current_principal)]
Admin = Annotated[Principal, Depends(require_role("admin"))]


def _safe_next(value: str) -> str:
    """Only a path on this site: never ``//other.site`` or ``https://…`` (open redirect)."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _set_session(response: Response, request: Request, sid: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        sid,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


# -- login / logout ---------------------------------------------------------------------


@router.get("/dang-nhap")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "account_login.html", {"next": _safe_next(next), "error": None, "name": ""})


@router.post("/dang-nhap")
async def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    accounts, audit = accounts_of(request), audit_of(request)
    client = client_address(request)
    try:
        principal = await run_in_threadpool(accounts.authenticate, name, password, client=client)
    except LoginRefused as exc:
        throttled = isinstance(exc, LoginThrottled)
        detail = {"lý do": "bị chặn tạm thời"} if throttled else {}
        await run_in_threadpool(audit.record, name[:64], "login.fail", "web", detail, client)
        ctx = {"next": _safe_next(next), "error": exc.message, "name": name}
        return render(request, "account_login.html", ctx, status_code=429 if throttled else 401)
    sid = await run_in_threadpool(accounts.open_session, principal.name)
    await run_in_threadpool(audit.record, principal.name, "login.ok", "web", {}, client)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session(response, request, sid)
    return response


@router.post("/dang-xuat")
async def logout(request: Request) -> Response:
    sid = request.cookies.get(SESSION_COOKIE, "")
    accounts = accounts_of(request)
    principal = await run_in_threadpool(accounts.session_principal, sid) if sid else None
    if sid:
        await run_in_threadpool(accounts.close_session, sid)
    if principal is not None:
        await run_in_threadpool(audit_of(request).record, principal.name, "logout", "web", {}, client_address(request))
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- the user's own account ---------------------------------------------------------------


@router.get("/tai-khoan")
def account_page(request: Request, principal: Who, msg: str = "") -> Response:
    return render(request, "account_me.html", {"me": principal, "msg": msg, "error": None})


@router.post("/tai-khoan/mat-khau")
async def change_password(
    request: Request,
    principal: Who,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    again: Annotated[str, Form()],
) -> Response:
    accounts = accounts_of(request)
    try:
        if new != again:
            raise WebError(400, "bad_request", "Hai lần nhập mật khẩu mới không khớp.")
        await run_in_threadpool(accounts.authenticate, principal.name, current, client=client_address(request))
        await run_in_threadpool(accounts.set_password, principal.name, new)
    except (DoithoaiError, WebError) as exc:
        message = exc.message
        return render(request, "account_me.html", {"me": principal, "msg": "", "error": message}, status_code=400)
    await run_in_threadpool(audit_of(request).record, principal.name, "user.passwd", principal.name, {},
                            client_address(request))  # fmt: skip
    # Every session ended with the change; this one starts afresh.
    sid = await run_in_threadpool(accounts.open_session, principal.name)
    response = RedirectResponse("/tai-khoan?msg=Đã đổi mật khẩu.", status_code=303)
    _set_session(response, request, sid)
    return response


# -- admin: users -----------------------------------------------------------------------


def _users_ctx(accounts: Accounts, **extra: Any) -> dict[str, Any]:
    return {
        "users": accounts.all(),
        "roles": ROLES,
        "clearances": CLEARANCES,
        "role_labels": ROLE_LABELS,
        "clearance_labels": CLEARANCE_LABELS,
        "msg": "",
        "error": None,
        **extra,
    }


@router.get("/quan-tri/nguoi-dung")
async def users_page(request: Request, admin: Admin, msg: str = "") -> Response:
    ctx = await run_in_threadpool(_users_ctx, accounts_of(request), msg=msg)
    return render(request, "admin_users.html", ctx)


async def _admin_change(request: Request, admin: Principal, action: str, target: str, detail: dict[str, Any],
                        change: Any, done: str) -> Response:  # fmt: skip
    accounts = accounts_of(request)
    try:
        await run_in_threadpool(change)
    except DoithoaiError as exc:
        ctx = await run_in_threadpool(_users_ctx, accounts, error=exc.message)
        return render(request, "admin_users.html", ctx, status_code=400)
    await run_in_threadpool(audit_of(request).record, admin.name, action, target, detail, client_address(request))
    return RedirectResponse(f"/quan-tri/nguoi-dung?msg={done}", status_code=303)


@router.post("/quan-tri/nguoi-dung")
async def add_user(
    request: Request,
    admin: Admin,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    clearance: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    accounts = accounts_of(request)
    return await _admin_change(request, admin, "user.add", name, {"role": role, "clearance": clearance},
                               lambda: accounts.add(name, role, clearance, password), f"Đã thêm {name}.")  # fmt: skip


@router.post("/quan-tri/nguoi-dung/{name}")
async def set_user(
    request: Request,
    admin: Admin,
    name: str,
    role: Annotated[str, Form()],
    clearance: Annotated[str, Form()],
    enabled: Annotated[str, Form()] = "",
) -> Response:
    accounts = accounts_of(request)
    on = enabled == "1"
    detail = {"role": role, "clearance": clearance, "enabled": on}
    action = "user.set" if on else "user.disable"
    return await _admin_change(request, admin, action, name, detail,
                               lambda: accounts.set(name, role=role, clearance=clearance, enabled=on),
                               f"Đã cập nhật {name}.")  # fmt: skip


# -- admin: audit log, secret register ----------------------------------------------------


@router.get("/quan-tri/nhat-ky")
async def audit_page(request: Request, admin: Admin, user: str = "", action: str = "") -> Response:
    entries = await run_in_threadpool(audit_of(request).entries, actor=user or None, action=action or None, limit=500)
    verification = await run_in_threadpool(audit_of(request).verify)
    ctx = {"entries": entries, "user": user, "action": action, "verification": verification}
    return render(request, "admin_audit.html", ctx)


@router.get("/quan-tri/van-ban-mat")
async def secrets_page(request: Request, principal: Annotated[Principal, Depends(require_role("clerk"))]) -> Response:
    settings: Settings = request.app.state.settings
    entries = await run_in_threadpool(secret_policy.SecretRegister(settings).entries)
    # A user without the clearance learns that a file is held (someone must act), not what it is.
    entries = [
        e if may_see(principal, e.confidentiality) else replace(e, number_symbol=None, issue_date=None, issuer=None,
                                                                title=None, doc_type=None, file_name="")
        for e in entries
    ]  # fmt: skip
    ctx = {"entries": entries, "policy": settings.secrets, "hold": settings.secrets_hold_dir,
           "held": [e for e in entries if e.held_path], "warning": secret_policy.warning_text}  # fmt: skip
    return render(request, "admin_secrets.html", ctx)


@router.post("/quan-tri/van-ban-mat/{entry_id}/xoa")
async def purge_secret(request: Request, admin: Admin, entry_id: str) -> Response:
    settings: Settings = request.app.state.settings
    entry = await run_in_threadpool(secret_policy.purge, settings, entry_id)
    await run_in_threadpool(audit_of(request).record, admin.name, "secret.purge", entry.id,
                            {"độ mật": entry.confidentiality}, client_address(request))  # fmt: skip
    return RedirectResponse("/quan-tri/van-ban-mat", status_code=303)


# -- a clerk's correction of a document's độ mật --------------------------------------------

Clerk = Annotated[Principal, Depends(require_role("clerk"))]
_LEVELS = {"none": None, "mat": "mat", "toi_mat": "toi_mat", "tuyet_mat": "tuyet_mat"}


@router.get("/documents/{doc_id}/do-mat")
async def confidentiality_page(request: Request, doc_id: str, principal: Clerk) -> Response:
    settings: Settings = request.app.state.settings
    _sha, record = await run_in_threadpool(load_visible, open_store(settings), doc_id, principal)
    ctx = {"record": record, "levels": CLEARANCES, "labels": CLEARANCE_LABELS, "policy": settings.secrets}
    return render(request, "admin_confidentiality.html", ctx)


@router.post("/documents/{doc_id}/do-mat")
async def correct_confidentiality(
    request: Request, doc_id: str, principal: Clerk, level: Annotated[str, Form()]
) -> Response:
    settings: Settings = request.app.state.settings
    store = open_store(settings)
    if level not in _LEVELS:
        raise WebError(400, "bad_request", f"Độ mật không hợp lệ: {level}")
    sha, _ = await run_in_threadpool(load_visible, store, doc_id, principal)
    backend = request.app.state.backends.get()
    done = await run_in_threadpool(secret_policy.correct_confidentiality, settings, store, backend, sha, _LEVELS[level])
    detail = {"trước": done.before or "none", "sau": level, "giữ lại": done.held is None}
    await run_in_threadpool(audit_of(request).record, principal.name, "document.confidentiality", sha, detail,
                            client_address(request))  # fmt: skip
    if done.held is not None:
        return RedirectResponse("/quan-tri/van-ban-mat", status_code=303)
    return RedirectResponse(f"/documents/{sha}", status_code=303)


# -- installation -------------------------------------------------------------------------


def refuse_if_open(settings: Settings) -> None:
    """No active administrator: the app would run open to anyone; say how to create one."""
    if Accounts(settings).count_active_admins() == 0:
        message = (
            "Chưa có tài khoản quản trị nào: ứng dụng web không chạy khi ai cũng vào được.\n"
            f"Tạo quản trị viên đầu tiên (nhập mật khẩu ở dòng đầu stdin):\n  {FIRST_ADMIN_COMMAND}\n"
            "rồi chạy lại 'doithoai serve'."
        )
        print(message, file=sys.stderr, flush=True)
        raise RuntimeError("no administrator account (doithoai users add NAME --role admin --password-stdin)")


def install(app: FastAPI) -> None:
    """Everything accounts add to the app; called once by ``create_app``."""
    templates.env.globals["csrf_field"] = csrf.csrf_field
    app.include_router(router)
    csrf.install(app)

    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(exc.location, status_code=303)

    app.add_exception_handler(LoginRequired, to_login)

    async def challenge(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Unauthorized)
        from doithoai.web.errors import _respond

        response = _respond(request, exc)
        response.headers["WWW-Authenticate"] = exc.challenge
        return response

    app.add_exception_handler(Unauthorized, challenge)

    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        await run_in_threadpool(refuse_if_open, app.state.settings)
        async with previous(application) as state:
            yield state

    app.router.lifespan_context = lifespan
