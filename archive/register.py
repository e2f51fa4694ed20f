"""The outgoing-document register (sổ văn bản đi): the next free number per issuer, type and term.

Party documents are numbered per document type within a term of the committee (nhiệm kỳ);
State documents per year. ``BEGIN IMMEDIATE`` makes taking a number one atomic step, so two
officers generating at the same moment never get the same number.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from archive import sqlite
from archive.errors import StoreError, UsageError

__all__ = ["NumberRegister"]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS register (
    issuer TEXT NOT NULL, doc_type TEXT NOT NULL, term TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (issuer, doc_type, term))""",
    """CREATE TABLE IF NOT EXISTS issued (
    issuer TEXT NOT NULL, doc_type TEXT NOT NULL, term TEXT NOT NULL, number INTEGER NOT NULL,
    at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (issuer, doc_type, term, number))""",
)


class NumberRegister:
    def __init__(self, path: Path) -> None:
        self.path = path

    def take(self, issuer: str, doc_type: str, term: str, number: int | None = None) -> int:
        """The next free number, or ``number`` itself when the officer gives one that is still free."""
        try:
            with closing(sqlite.connect(self.path, _SCHEMA)) as db, sqlite.write(db):
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
                    "INSERT INTO issued (issuer, doc_type, term, number) VALUES (?, ?, ?, ?)",
                    (issuer, doc_type, term, number),
                )
                db.execute(
                    "INSERT INTO register (issuer, doc_type, term, last) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (issuer, doc_type, term) DO UPDATE SET last = max(last, excluded.last)",
                    (issuer, doc_type, term, number),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"không ghi được sổ văn bản đi {self.path}: {exc}") from exc
        return number
