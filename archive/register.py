"""The outgoing-document register (sổ văn bản đi): the next free number per issuer, type and term,
and what became of every number taken.

Party documents are numbered per document type within a term of the committee (nhiệm kỳ);
State documents per year. ``BEGIN IMMEDIATE`` makes taking a number one atomic step, so two
officers issuing at the same moment never get the same number.

A number is ``taken`` when issuing starts, ``issued`` once the document is written and
archived (the register then says which file and which archived document hold it), and if the
write fails it is given back (when no later number was taken since) or recorded ``void`` with
the reason: the register never has a silent gap. If the register file is lost, a new one is
seeded from what the archive holds (every issued document is archived with its number), so the
numbering never starts again at 1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from archive import sqlite
from archive.errors import StoreError, UsageError

__all__ = ["IssuedEntry", "NumberRegister", "RegisterRow"]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS register (
    issuer TEXT NOT NULL, doc_type TEXT NOT NULL, term TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (issuer, doc_type, term))""",
    """CREATE TABLE IF NOT EXISTS issued (
    issuer TEXT NOT NULL, doc_type TEXT NOT NULL, term TEXT NOT NULL, number INTEGER NOT NULL,
    at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (issuer, doc_type, term, number))""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_COLUMNS = {"status": "TEXT NOT NULL DEFAULT 'issued'", "file": "TEXT", "record_id": "TEXT", "reason": "TEXT"}


@dataclass(frozen=True)
class IssuedEntry:
    """A number known to be used (from the archive, when the register is rebuilt)."""

    issuer: str
    doc_type: str
    term: str
    number: int
    file: str | None = None
    record_id: str | None = None


@dataclass(frozen=True)
class RegisterRow:
    issuer: str
    doc_type: str
    term: str
    number: int
    status: str  # taken, issued, void
    file: str | None
    record_id: str | None
    reason: str | None
    at: str


class NumberRegister:
    def __init__(self, path: Path, seed: Callable[[], Iterable[IssuedEntry]] | None = None) -> None:
        """``seed`` lists what the archive holds; it is read once, when the register file is new."""
        self.path = path
        self.seed = seed

    def _connect(self) -> sqlite3.Connection:
        db = sqlite.connect(self.path, _SCHEMA)
        have = {row[1] for row in db.execute("PRAGMA table_info(issued)")}
        missing = [c for c in _COLUMNS if c not in have]
        if missing:
            with sqlite.write(db):
                for statement in _SCHEMA:  # the file was deleted under a running process: start it again
                    db.execute(statement)
                have = {row[1] for row in db.execute("PRAGMA table_info(issued)")}
                for c in missing:
                    if c not in have:
                        db.execute(f"ALTER TABLE issued ADD COLUMN {c} {_COLUMNS[c]}")
        return db

    def _failed(self, exc: sqlite3.Error, verb: str) -> StoreError:
        """A damaged register is said to be damaged and never started anew: its numbers are records."""
        if sqlite.is_damaged(exc, self.path):
            return sqlite.ledger_error(exc, "sổ văn bản đi", self.path)
        return StoreError(f"không {verb} được sổ văn bản đi {self.path}: {exc}")

    def _seed_once(self, db: sqlite3.Connection) -> None:
        """Inside the write transaction: a new register takes every number the archive holds."""
        if db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone():
            return
        count = 0
        for e in self.seed() if self.seed else ():
            db.execute(
                "INSERT OR IGNORE INTO issued (issuer, doc_type, term, number, status, file, record_id, reason) "
                "VALUES (?, ?, ?, ?, 'issued', ?, ?, 'dựng lại từ kho')",
                (e.issuer, e.doc_type, e.term, e.number, e.file, e.record_id),
            )
            self._raise_last(db, e.issuer, e.doc_type, e.term, e.number)
            count += 1
        db.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (str(count),))

    @staticmethod
    def _raise_last(db: sqlite3.Connection, issuer: str, doc_type: str, term: str, number: int) -> None:
        db.execute(
            "INSERT INTO register (issuer, doc_type, term, last) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (issuer, doc_type, term) DO UPDATE SET last = max(last, excluded.last)",
            (issuer, doc_type, term, number),
        )

    def take(self, issuer: str, doc_type: str, term: str, number: int | None = None) -> int:
        """The next free number, or ``number`` itself when the officer gives one that is still free."""
        try:
            with closing(self._connect()) as db, sqlite.write(db):
                self._seed_once(db)
                row = db.execute(
                    "SELECT last FROM register WHERE issuer = ? AND doc_type = ? AND term = ?",
                    (issuer, doc_type, term),
                ).fetchone()
                last = row[0] if row else 0
                if number is None:
                    number = last + 1
                elif db.execute(
                    "SELECT 1 FROM issued WHERE issuer = ? AND doc_type = ? AND term = ? AND number = ?",
                    (issuer, doc_type, term, number),
                ).fetchone():
                    raise UsageError(
                        f"số {number} của {issuer} ({doc_type}, {term}) đã được cấp; để trống để lấy số kế tiếp"
                    )
                db.execute(
                    "INSERT INTO issued (issuer, doc_type, term, number, status) VALUES (?, ?, ?, ?, 'taken')",
                    (issuer, doc_type, term, number),
                )
                self._raise_last(db, issuer, doc_type, term, number)
        except sqlite3.Error as exc:
            raise self._failed(exc, "ghi") from exc
        return number

    def issued(self, issuer: str, doc_type: str, term: str, number: int, *, file: str, record_id: str | None) -> None:
        """The number is used: ``file`` (and the archived document ``record_id``) holds it."""
        self._update(
            "UPDATE issued SET status = 'issued', file = ?, record_id = ?, reason = NULL "
            "WHERE issuer = ? AND doc_type = ? AND term = ? AND number = ?",
            (file, record_id, issuer, doc_type, term, number),
        )

    def release(self, issuer: str, doc_type: str, term: str, number: int, reason: str) -> str:
        """Issuing failed: give the number back if it is still the last taken, else void it.

        Returns ``returned`` or ``void``."""
        try:
            with closing(self._connect()) as db, sqlite.write(db):
                key = (issuer, doc_type, term)
                last = db.execute(
                    "SELECT last FROM register WHERE issuer = ? AND doc_type = ? AND term = ?", key
                ).fetchone()
                if last is not None and last[0] == number:
                    db.execute(
                        "DELETE FROM issued WHERE issuer = ? AND doc_type = ? AND term = ? AND number = ?",
                        (*key, number),
                    )
                    below = db.execute(
                        "SELECT max(number) FROM issued WHERE issuer = ? AND doc_type = ? AND term = ?", key
                    ).fetchone()[0]
                    db.execute(
                        "UPDATE register SET last = ? WHERE issuer = ? AND doc_type = ? AND term = ?",
                        (below or 0, *key),
                    )
                    return "returned"
                db.execute(
                    "UPDATE issued SET status = 'void', reason = ? "
                    "WHERE issuer = ? AND doc_type = ? AND term = ? AND number = ?",
                    (reason, *key, number),
                )
                return "void"
        except sqlite3.Error as exc:
            raise self._failed(exc, "ghi") from exc

    def rows(self) -> list[RegisterRow]:
        """Every number taken, in order: the register as a clerk reads it."""
        try:
            with closing(self._connect()) as db:
                with sqlite.write(db):
                    self._seed_once(db)
                found = db.execute(
                    "SELECT issuer, doc_type, term, number, status, file, record_id, reason, at FROM issued "
                    "ORDER BY issuer, doc_type, term, number"
                ).fetchall()
        except sqlite3.Error as exc:
            raise self._failed(exc, "đọc") from exc
        return [RegisterRow(*r) for r in found]

    def _update(self, sql: str, params: tuple[object, ...]) -> None:
        try:
            with closing(self._connect()) as db, sqlite.write(db):
                db.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._failed(exc, "ghi") from exc
