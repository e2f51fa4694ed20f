"""CSRF protection and the audit of reads and actions, as one ASGI middleware around the app.

Unsafe methods (POST, PUT, PATCH, DELETE):

- with ``Authorization: Bearer`` or ``Basic`` the browser did not add the credentials by itself,
  so no token is needed; an ``Origin`` header, when a browser sent one, must still be this site;
- otherwise (session cookie, or the login form) the request must come from this site (``Origin``,
  else ``Referer``, equal to the request's own origin) **and** carry the CSRF token: the form
  field ``_csrf`` (``{{ csrf_field() }}`` in every form; for multipart forms it must come
  within the first 64 KiB, i.e. before the files), or the ``X-CSRF-Token`` header. Scripts of the
  app's own pages that post to ``/api`` with the session cookie are accepted without a token when
  the browser itself vouches for them with ``Sec-Fetch-Site: same-origin`` (which no other site
  can forge) and ``Origin`` matches.

The token is an HMAC (server key in accounts.db) of the session cookie, or, before login, of a
random browser cookie (``doithoai_browser``); templates get it from ``csrf_field()``.

After each request, the audit middleware records what the issue asks for: views and downloads
of marked documents, downloads of originals, retries and dismissals from quarantine, issued drafts.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jinja2
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive import open_store
from archive.access import Principal
from archive.accounts import Accounts
from archive.audit import AuditLog
from archive.errors import DoithoaiError

__all__ = ["BROWSER_COOKIE", "CSRF_FIELD", "CsrfAuditMiddleware", "csrf_field"]

BROWSER_COOKIE = "doithoai_browser"
_SESSION_COOKIE = "doithoai_session"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_FORM_LIMIT = 1 << 20
_MULTIPART_PEEK = 64 * 1024
CSRF_FIELD = "_csrf"  # a leading "_": form readers skip it as a control field, never data
_MULTIPART_TOKEN = re.compile(rb'name="_csrf"\r\n(?:[^\r\n]*\r\n)*\r\n([0-9a-f]{64})\r\n')

# Route templates whose successful answers are audited: action, and whether only marked documents count.
_AUDITED: dict[tuple[str, str], tuple[str, bool]] = {
    ("GET", "/documents/{doc_id}"): ("document.view", True),
    ("GET", "/api/documents/{doc_id}"): ("document.view", True),
    ("GET", "/documents/{doc_id}/original"): ("original.download", False),
    ("GET", "/api/documents/{doc_id}/original"): ("original.download", False),
    ("GET", "/documents/{doc_id}/searchable.pdf"): ("document.download", True),
    ("GET", "/api/documents/{doc_id}/searchable.pdf"): ("document.download", True),
    ("GET", "/documents/{doc_id}/text"): ("document.download", True),
    ("GET", "/api/documents/{doc_id}/text"): ("document.download", True),
    ("GET", "/documents/{doc_id}/pages/{number}.png"): ("document.download", True),
    ("POST", "/luu-tru/cach-ly/{key}/thu-lai"): ("quarantine.retry", False),
    ("POST", "/api/quarantine/{key}/retry"): ("quarantine.retry", False),
    ("POST", "/luu-tru/cach-ly/{key}/bo-qua"): ("quarantine.dismiss", False),
    ("POST", "/api/quarantine/{key}/dismiss"): ("quarantine.dismiss", False),
}


def _own_origin(scope: Scope, headers: dict[str, str]) -> str:
    host = headers.get("host", "")
    return f"{scope.get('scheme', 'http')}://{host}".lower()


def _origin_ok(scope: Scope, headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin.lower() == _own_origin(scope, headers)


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is as good as none
        return {}
    return {k: v.value for k, v in jar.items()}


@jinja2.pass_context
def csrf_field(context: Any) -> Markup:
    """``{{ csrf_field() }}``: the hidden input every form of the app carries."""
    request = context.get("request")
    token = getattr(getattr(request, "state", None), "csrf_token", "") if request is not None else ""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


class CsrfAuditMiddleware:
    """See the module docstring. ``accounts`` is shared with the app (``app.state.accounts``)."""

    def __init__(self, app: ASGIApp, accounts_factory: Callable[[], Accounts], audit_factory: Callable[[], AuditLog],
                 store_factory: Callable[[], Any]) -> None:  # fmt: skip
        self.app = app
        self.accounts_factory = accounts_factory
        self.audit_factory = audit_factory
        self.store_factory = store_factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = _cookies(headers)
        accounts = self.accounts_factory()
        browser = cookies.get(BROWSER_COOKIE)
        new_browser = None
        if not browser or len(browser) > 100:
            browser = new_browser = secrets.token_urlsafe(24)
        binding = cookies.get(_SESSION_COOKIE) or browser
        token = await run_in_threadpool(accounts.csrf_token, binding)
        state = scope.setdefault("state", {})
        state["csrf_token"] = token

        if scope["method"] in _UNSAFE:
            refusal, receive = await self._check(scope, headers, cookies, receive, token)
            if refusal is not None:
                await refusal(scope, receive, send)
                return

        status = 0
        location = ""

        async def send_wrapped(message: Message) -> None:
            nonlocal status, location
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    if key.lower() == b"location":
                        location = value.decode("latin-1")
                if new_browser:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    cookie = f"{BROWSER_COOKIE}={new_browser}; Path=/; HttpOnly; SameSite=Strict{secure}"
                    message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_wrapped)
        if 200 <= status < 400:
            await self._audit(scope, headers, location)

    async def _check(
        self, scope: Scope, headers: dict[str, str], cookies: dict[str, str], receive: Receive, token: str
    ) -> tuple[Callable[[Scope, Receive, Send], Awaitable[None]] | None, Receive]:
        auth = headers.get("authorization", "").split(" ", 1)[0].lower()
        if auth in ("bearer", "basic"):
            if "origin" in headers and not _origin_ok(scope, headers):
                return self._refuse(scope, "Yêu cầu đến từ trang web khác: bị từ chối."), receive
            return None, receive
        if not _origin_ok(scope, headers):
            return self._refuse(scope, "Yêu cầu không đến từ chính trang này (Origin/Referer): bị từ chối."), receive
        sent = headers.get("x-csrf-token")
        if sent is None and scope["path"].startswith("/api/") and headers.get("sec-fetch-site") == "same-origin":
            return None, receive  # the app's own scripts; the browser vouches (see the module docstring)
        if sent is None:
            sent, receive = await self._token_from_body(headers, receive)
        if not sent or not hmac.compare_digest(sent, token):
            return self._refuse(
                scope, "Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại."
            ), receive
        return None, receive

    async def _token_from_body(self, headers: dict[str, str], receive: Receive) -> tuple[str | None, Receive]:
        """Read just enough of the body to find the token, then replay what was read."""
        kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None, receive
        limit = _FORM_LIMIT if kind.startswith("application/") else _MULTIPART_PEEK
        chunks: list[Message] = []
        seen = b""
        more = True
        while more and len(seen) < limit:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            seen += message.get("body", b"")
            more = message.get("more_body", False)
        found: str | None = None
        if kind.startswith("application/"):
            if not more:
                values = parse_qs(seen.decode("latin-1")).get(CSRF_FIELD)
                found = values[0] if values else None
        else:
            match = _MULTIPART_TOKEN.search(seen)
            found = match.group(1).decode() if match else None

        async def replay() -> Message:
            if chunks:
                return chunks.pop(0)
            return await receive()

        return found, replay

    def _refuse(self, scope: Scope, message: str) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        if scope["path"].startswith("/api"):
            return JSONResponse({"error": {"code": "csrf", "message": message}}, status_code=403)

        async def page(scope: Scope, receive: Receive, send: Send) -> None:
            from doithoai.web.render import render

            request = Request(scope, receive)
            ctx = {"status": 403, "title": "Không có quyền", "message": message, "request_id": ""}
            response: Response = render(request, "error.html", ctx, status_code=403)
            await response(scope, receive, send)

        return page

    async def _audit(self, scope: Scope, headers: dict[str, str], location: str = "") -> None:
        route = scope.get("route")
        template = getattr(route, "path", None)
        if template is None:
            return
        action_marked = _AUDITED.get((scope["method"], template))
        path = template.lower()
        if action_marked is None and scope["method"] in _UNSAFE and ("phat-hanh" in path or "/issue" in path):
            action_marked = ("draft.issue", False)
        issued = re.match(r"/documents/([0-9a-f]{64})\?phat_hanh=", location)
        if action_marked is None and issued:  # the drafting page answers an issue with the new document
            action_marked = ("draft.issue", False)
            scope.setdefault("path_params", {})["doc_id"] = issued.group(1)
        if action_marked is None:
            return
        action, marked_only = action_marked
        principal = scope.get("state", {}).get("principal")
        actor = principal.name if isinstance(principal, Principal) else "?"
        params = scope.get("path_params", {})
        target = str(params.get("doc_id") or params.get("key") or scope["path"])
        detail: dict[str, Any] = {}
        if "doc_id" in params:
            try:
                store = self.store_factory()
                record = await run_in_threadpool(store.load_record, store.resolve_id(target))
            except DoithoaiError:
                record = None
            level = record.confidentiality if record is not None else None
            if marked_only and not level:
                return
            if level:
                detail["độ mật"] = level
            if record is not None:
                target = record.id
                detail["số ký hiệu"] = record.number_symbol
        client = scope["client"][0] if scope.get("client") else ""
        await run_in_threadpool(self.audit_factory().record, actor, action, target, detail, client)


def install(app: Any) -> None:
    """Put the middleware around ``app`` (it needs ``app.state.settings``)."""

    def accounts() -> Accounts:
        if getattr(app.state, "accounts", None) is None:
            app.state.accounts = Accounts(app.state.settings)
        acc: Accounts = app.state.accounts
        return acc

    app.add_middleware(
        CsrfAuditMiddleware,
        accounts_factory=accounts,
        audit_factory=lambda: AuditLog(app.state.settings.home),
        store_factory=lambda: open_store(app.state.settings),
    )
