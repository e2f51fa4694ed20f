"""Accounts of the web app and the API: users, passwords, sessions, API tokens, login limits.

Everything lives in one SQLite file, ``<home>/accounts.db`` (mode 0600), written through
:mod:`archive.sqlite` so several server workers and a ``doithoai users`` command can use it at
once. What is kept, and what is not:

- passwords as argon2id hashes (argon2-cffi's RFC 9106 parameters); a login for a name that
  does not exist verifies against a dummy hash, so it takes as long as a wrong password;
- sessions by the SHA-256 of their id: the cookie holds only the random id, and a copy of
  this file does not let anyone in. A session ends after ``session_hours``, after
  ``session_idle_minutes`` unused, at logout, and when its user's password changes or the
  user is disabled;
- personal API tokens by their SHA-256 (they are 256-bit random, so a fast hash is enough);
- failed logins per user and per client address, so guessing is refused after
  ``login_max_failures`` (per user) or ``login_max_failures_ip`` (per address) failures within
  ``login_window_minutes``.

The role and clearance of a request's user are read from here on every request
(:meth:`Accounts.session_principal`, :meth:`Accounts.token_principal`): a change takes effect at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from archive import sqlite
from archive.access import CLEARANCE_LABELS, CLEARANCES, ROLE_LABELS, ROLES, Clearance, Principal, Role
from archive.errors import NotFound, UsageError
from archive.settings import Settings

__all__ = [
    "TOKEN_PREFIX",
    "Account",
    "Accounts",
    "LoginRefused",
    "LoginThrottled",
    "normalize_name",
    "normalize_password",
]

TOKEN_PREFIX = "dt_"
MIN_PASSWORD_CHARS = 10
_NAME = re.compile(r"^[^\s:/\\\x00-\x1f\x7f]{2,64}$")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    clearance TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name),
    created REAL NOT NULL,
    expires REAL NOT NULL,
    last_seen REAL NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user)",
    """CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at REAL NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures(key, at)",
    """CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)""",
)


class LoginRefused(UsageError):
    """Wrong name or password, or a disabled account (the message never says which)."""


class LoginThrottled(LoginRefused):
    """Too many failed logins for this user or from this address: wait."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    clearance: Clearance
    disabled: bool
    created_at: str
    updated_at: str

    @property
    def principal(self) -> Principal:
        return Principal(name=self.name, role=self.role, clearance=self.clearance)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "role_label": ROLE_LABELS[self.role],
            "clearance": self.clearance,
            "clearance_label": CLEARANCE_LABELS[self.clearance],
            "disabled": self.disabled,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def normalize_name(name: str) -> str:
    """Account names are NFC and lower case, so ``Thư`` typed in NFD or in capitals is one account."""
    value = unicodedata.normalize("NFC", name).strip().lower()
    if not _NAME.match(value):
        raise UsageError(f"tên tài khoản không hợp lệ: '{name}' (2–64 ký tự, không có khoảng trắng, dấu ':' hay '/')")
    return value


def normalize_password(password: str) -> str:
    """NFC: a Vietnamese password typed on a machine that sends NFD (macOS) still matches."""
    return unicodedata.normalize("NFC", password)


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise UsageError(f"vai trò không hợp lệ: '{role}' (chọn một trong {', '.join(ROLES)})")
    return role


def _check_clearance(clearance: str) -> Clearance:
    if clearance not in CLEARANCES:
        raise UsageError(f"mức được tiếp cận không hợp lệ: '{clearance}' (chọn một trong {', '.join(CLEARANCES)})")
    return clearance


def _check_password(password: str) -> str:
    password = normalize_password(password)
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError(f"mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_CHARS} ký tự")
    if password.strip() != password or "\n" in password:
        raise UsageError("mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng, không có xuống dòng")
    return password


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Accounts:
    """The account store of one DOITHOAI_HOME."""

    def __init__(self, settings: Settings, *, hasher: PasswordHasher | None = None) -> None:
        self.settings = settings
        self.path = settings.home / "accounts.db"
        self._hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self._dummy_hash: str | None = None
        self._server_key: bytes | None = None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with sqlite.session(self.path, _SCHEMA, "kho tài khoản", mode=0o600) as db:
            yield db

    # -- users ---------------------------------------------------------------------

    def add(self, name: str, role: str, clearance: str, password: str) -> Account:
        name = normalize_name(name)
        role_, clearance_ = _check_role(role), _check_clearance(clearance)
        digest = self._hasher.hash(_check_password(password))
        now = _now_iso()
        with self._db() as db, sqlite.write(db):
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"đã có tài khoản '{name}' (đổi bằng 'doithoai users set')")
            db.execute(
                "INSERT INTO users(name, role, clearance, password_hash, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                (name, role_, clearance_, digest, now, now),
            )
        return self.get(name)

    def get(self, name: str) -> Account:
        key = normalize_name(name)
        with self._db() as db:
            row = db.execute(
                "SELECT name, role, clearance, disabled, created_at, updated_at FROM users WHERE name = ?", (key,)
            ).fetchone()
        if row is None:
            raise NotFound(f"không có tài khoản '{key}'")
        return Account(row[0], row[1], row[2], bool(row[3]), row[4], row[5])

    def all(self) -> list[Account]:
        with self._db() as db:
            rows = db.execute(
                "SELECT name, role, clearance, disabled, created_at, updated_at FROM users ORDER BY name"
            ).fetchall()
        return [Account(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def count_active_admins(self) -> int:
        with self._db() as db:
            row = db.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").fetchone()
        return int(row[0])

    def set(
        self, name: str, *, role: str | None = None, clearance: str | None = None, enabled: bool | None = None
    ) -> Account:
        """Change role, clearance or enabled state; disabling ends the user's sessions at once."""
        account = self.get(name)
        new_role = _check_role(role) if role is not None else account.role
        new_clearance = _check_clearance(clearance) if clearance is not None else account.clearance
        disabled = account.disabled if enabled is None else not enabled
        with self._db() as db, sqlite.write(db):
            if account.role == "admin" and not account.disabled and (new_role != "admin" or disabled):
                others = db.execute(
                    "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name != ?", (account.name,)
                ).fetchone()[0]
                if not others:
                    raise UsageError("đây là quản trị viên cuối cùng còn hoạt động: tạo quản trị viên khác trước")
            db.execute(
                "UPDATE users SET role = ?, clearance = ?, disabled = ?, updated_at = ? WHERE name = ?",
                (new_role, new_clearance, int(disabled), _now_iso(), account.name),
            )
            if disabled:
                db.execute("DELETE FROM sessions WHERE user = ?", (account.name,))
        return self.get(account.name)

    def disable(self, name: str) -> Account:
        return self.set(name, enabled=False)

    def set_password(self, name: str, password: str) -> Account:
        """New password; every session of the user ends (API tokens stay: they are revoked by themselves)."""
        account = self.get(name)
        digest = self._hasher.hash(_check_password(password))
        with self._db() as db, sqlite.write(db):
            db.execute(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?", (digest, _now_iso(), account.name)
            )
            db.execute("DELETE FROM sessions WHERE user = ?", (account.name,))
        return self.get(account.name)

    # -- login ---------------------------------------------------------------------

    def authenticate(self, name: str, password: str, *, client: str = "") -> Principal:
        """The user's principal if name and password match an enabled account.

        Raises LoginThrottled before checking anything when this user or this address has failed
        too often lately, LoginRefused otherwise. Unknown names cost the same time as known ones.
        """
        try:
            key = normalize_name(name)
        except UsageError:
            key = ""
        password = normalize_password(password)
        now = time.time()
        keys = [k for k in (f"user:{key}" if key else "", f"ip:{client}" if client else "") if k]
        self._refuse_if_throttled(keys, now)
        with self._db() as db:
            row = db.execute(
                "SELECT name, role, clearance, password_hash, disabled FROM users WHERE name = ?", (key,)
            ).fetchone()
        ok = self._verify(row[3] if row else self._dummy(), password)
        if not ok or row is None or row[4]:
            with self._db() as db, sqlite.write(db):
                db.executemany("INSERT INTO login_failures(key, at) VALUES (?, ?)", [(k, now) for k in keys])
                db.execute("DELETE FROM login_failures WHERE at < ?", (now - self._window(),))
            raise LoginRefused("sai tên đăng nhập hoặc mật khẩu (hoặc tài khoản đã bị khóa)")
        if self._hasher.check_needs_rehash(row[3]):
            with self._db() as db, sqlite.write(db):
                db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (self._hasher.hash(password), row[0]))
        with self._db() as db, sqlite.write(db):
            db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{key}",))
        return Principal(name=row[0], role=row[1], clearance=row[2])

    def _window(self) -> float:
        return self.settings.login_window_minutes * 60

    def _refuse_if_throttled(self, keys: list[str], now: float) -> None:
        limits = {"user": self.settings.login_max_failures, "ip": self.settings.login_max_failures_ip}
        with self._db() as db:
            for key in keys:
                n, first = db.execute(
                    "SELECT count(*), min(at) FROM login_failures WHERE key = ? AND at >= ?",
                    (key, now - self._window()),
                ).fetchone()
                if n >= limits[key.split(":", 1)[0]]:
                    wait = max(1, round((first + self._window() - now) / 60))
                    raise LoginThrottled(f"đăng nhập sai quá nhiều lần; thử lại sau khoảng {wait} phút")

    def _verify(self, digest: str, password: str) -> bool:
        try:
            return self._hasher.verify(digest, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    # -- sessions ------------------------------------------------------------------

    def open_session(self, name: str) -> str:
        """A new session for an authenticated user; returns the id for the cookie (kept only hashed)."""
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db, sqlite.write(db):
            db.execute(
                "INSERT INTO sessions(id_hash, user, created, expires, last_seen) VALUES (?,?,?,?,?)",
                (_sha256(sid), normalize_name(name), now, now + self.settings.session_hours * 3600, now),
            )
            db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        return sid

    def session_principal(self, sid: str) -> Principal | None:
        """The user of a live session, read afresh (role, clearance, disabled); None when it ended."""
        if not sid or len(sid) > 200:
            return None
        now = time.time()
        idle = self.settings.session_idle_minutes * 60
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.clearance, s.last_seen FROM sessions s JOIN users u ON u.name = s.user "
                "WHERE s.id_hash = ? AND s.expires > ? AND s.last_seen > ? AND u.disabled = 0",
                (_sha256(sid), now, now - idle),
            ).fetchone()
            if row is None:
                return None
            if now - row[3] > 60:  # touch at most once a minute: reads stay reads
                with sqlite.write(db):
                    db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, _sha256(sid)))
        return Principal(name=row[0], role=row[1], clearance=row[2])

    def close_session(self, sid: str) -> None:
        with self._db() as db, sqlite.write(db):
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (_sha256(sid),))

    def session_count(self, name: str) -> int:
        with self._db() as db:
            return int(
                db.execute("SELECT count(*) FROM sessions WHERE user = ?", (normalize_name(name),)).fetchone()[0]
            )

    # -- API tokens ----------------------------------------------------------------

    def new_token(self, name: str, label: str = "") -> str:
        """A personal API token for ``Authorization: Bearer``; shown once, kept only hashed."""
        account = self.get(name)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._db() as db, sqlite.write(db):
            db.execute(
                "INSERT INTO tokens(user, token_hash, label, created_at) VALUES (?,?,?,?)",
                (account.name, _sha256(token), label or "API", _now_iso()),
            )
        return token

    def revoke_tokens(self, name: str) -> int:
        account = self.get(name)
        with self._db() as db, sqlite.write(db):
            cur = db.execute("UPDATE tokens SET revoked = 1 WHERE user = ? AND revoked = 0", (account.name,))
            return cur.rowcount

    def token_principal(self, token: str) -> Principal | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.clearance, t.id FROM tokens t JOIN users u ON u.name = t.user "
                "WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0",
                (_sha256(token),),
            ).fetchone()
            if row is None:
                return None
            with sqlite.write(db):
                db.execute("UPDATE tokens SET last_used = ? WHERE id = ?", (_now_iso(), row[3]))
        return Principal(name=row[0], role=row[1], clearance=row[2])

    # -- secrets of the web app -----------------------------------------------------

    def server_key(self) -> bytes:
        """A random key made once per installation (CSRF tokens are HMACs under it)."""
        if self._server_key is not None:
            return self._server_key
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'server_key'").fetchone()
            if row is None:
                with sqlite.write(db):
                    db.execute(
                        "INSERT OR IGNORE INTO meta(key, value) VALUES ('server_key', ?)", (secrets.token_hex(32),)
                    )
                row = db.execute("SELECT value FROM meta WHERE key = 'server_key'").fetchone()
        self._server_key = bytes.fromhex(row[0])
        return self._server_key

    def csrf_token(self, binding: str) -> str:
        """The CSRF token for a session (or a not-yet-logged-in browser): HMAC of its cookie."""
        return hmac.new(self.server_key(), b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()
