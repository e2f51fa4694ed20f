"""The audit log: append-only and hash-chained, in ``<home>/audit.db``.

Each row carries the SHA-256 of its own content and of the row before it, so
:meth:`AuditLog.verify` finds a row that was edited (its hash no longer matches), a row that
was deleted from the middle (a gap in the sequence, and the next row's link breaks) and rows
cut from the end (the chain's head is also written to ``audit.head`` after every append).
SQLite triggers refuse UPDATE and DELETE, so the application itself can only append; someone
with write access to the file can still drop the triggers — which ``verify`` then detects.

What is recorded (``action``): ``login.ok``, ``login.fail``, ``logout``, ``document.view`` and
``document.download`` (marked documents), ``original.download`` (any document),
``draft.issue``, ``quarantine.retry``, ``quarantine.dismiss``, ``user.add``, ``user.set``,
``user.disable``, ``user.passwd``, ``user.token``, ``document.confidentiality``,
``secret.register``, ``secret.purge``. The details never hold a document's text.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import sqlite

__all__ = ["AuditEntry", "AuditLog", "Verification"]

_GENESIS = "0" * 64

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    client TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, seq)",
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str  # ISO 8601, UTC
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    client: str
    prev: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)


def _digest(seq: int, at: str, actor: str, action: str, target: str, detail: str, client: str, prev: str) -> str:
    payload = json.dumps([seq, at, actor, action, target, detail, client, prev], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class AuditLog:
    """The audit log of one DOITHOAI_HOME."""

    def __init__(self, home: Path) -> None:
        self.path = home / "audit.db"
        self.head_path = home / "audit.head"

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with sqlite.session(self.path, _SCHEMA, "nhật ký kiểm tra") as db:
            yield db

    def record(
        self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None, client: str = ""
    ) -> AuditEntry:
        """Append one event; the chain link is computed under the database's write lock."""
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
        with self._db() as db:
            with sqlite.write(db):
                last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (last[0] + 1, last[1]) if last else (1, _GENESIS)
                digest = _digest(seq, at, actor, action, target, detail_json, client, prev)
                db.execute(
                    "INSERT INTO audit(seq, at, actor, action, target, detail, client, prev, hash) "
                    "VALUES (?,?,?,?,?,?,?,?,?)",
                    (seq, at, actor, action, target, detail_json, client, prev, digest),
                )
            self._write_head(db)
        return AuditEntry(seq, at, actor, action, target, detail or {}, client, prev, digest)

    def _write_head(self, db: sqlite3.Connection) -> None:
        """The newest link, outside the database: rows cut from the end are then detected too."""
        last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        if last is None:
            return
        tmp = self.head_path.with_name(f".audit.head.{os.getpid()}.tmp")
        tmp.write_text(f"{last[0]} {last[1]}\n", encoding="ascii")
        os.replace(tmp, self.head_path)

    def entries(
        self, *, actor: str | None = None, since: datetime | None = None, action: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        """Newest first."""
        where, args = [], []
        if actor:
            where.append("actor = ?")
            args.append(actor)
        if since:
            where.append("at >= ?")
            args.append(since.astimezone(UTC).isoformat(timespec="microseconds"))
        if action:
            where.append("action LIKE ?")
            args.append(action.replace("*", "%"))
        sql = "SELECT seq, at, actor, action, target, detail, client, prev, hash FROM audit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC LIMIT ?"
        with self._db() as db:
            rows = db.execute(sql, (*args, limit)).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], r[8]) for r in rows]

    def verify(self) -> Verification:
        """Walk the chain from the first row: every hash, every link, no gap, the head file."""
        problems: list[str] = []
        prev, expected, checked = _GENESIS, 1, 0
        with self._db() as db:
            rows = db.execute(
                "SELECT seq, at, actor, action, target, detail, client, prev, hash FROM audit ORDER BY seq"
            )
            for seq, at, actor, action, target, detail, client, link, digest in rows:
                checked += 1
                if seq != expected:
                    problems.append(f"thiếu dòng {expected}–{seq - 1} (đã bị xóa)")
                if link != prev:
                    problems.append(f"dòng {seq}: không nối với dòng trước (dòng trước đã bị xóa hoặc sửa)")
                if _digest(seq, at, actor, action, target, detail, client, link) != digest:
                    problems.append(f"dòng {seq}: nội dung không khớp mã băm (đã bị sửa)")
                prev, expected = digest, seq + 1
        head = self._read_head()
        if head is not None:
            head_seq, head_hash = head
            if head_seq >= expected:
                problems.append(f"thiếu các dòng cuối: nhật ký dừng ở dòng {expected - 1}, đã ghi tới dòng {head_seq}")
            elif head_seq == expected - 1 and head_hash != prev:
                problems.append(f"dòng cuối {head_seq} không khớp với bản ghi đầu chuỗi (audit.head)")
        elif checked:
            problems.append("thiếu tệp audit.head (đầu chuỗi)")
        return Verification(ok=not problems, checked=checked, problems=problems)

    def _read_head(self) -> tuple[int, str] | None:
        try:
            seq, digest = self.head_path.read_text(encoding="ascii").split()
            return int(seq), digest
        except (OSError, ValueError):
            return None
