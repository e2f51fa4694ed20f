"""SQLite for the small ledgers under DOITHOAI_HOME (run log, outgoing register).

Several processes and threads write these files at once (a nightly run, a clerk's ``retry``,
two officers generating). SQLite's busy timeout covers most of it, but not everything: a
schema statement that reads and then writes, or the switch to WAL, can get "database is
locked" at once, without waiting. So the schema is created inside ``BEGIN IMMEDIATE`` (which
does wait), every write transaction starts with ``BEGIN IMMEDIATE``, and the few steps that
cannot wait are retried until the timeout.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

__all__ = ["connect", "session", "write"]

_T = TypeVar("_T")
_ready: set[Path] = set()
_ready_lock = threading.Lock()


def _retry_locked(step: Callable[[], _T], timeout: float) -> _T:
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


@contextmanager
def write(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that takes the write lock first, so it never fails half-way on a lock."""
    _retry_locked(lambda: db.execute("BEGIN IMMEDIATE"), 60)
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def connect(path: Path, schema: Sequence[str], timeout: float = 60, *, mode: int = 0o640) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit, see ``write``), schema in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # its mode from the start: SQLite gives its WAL the same mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        key = path.resolve()
        with _ready_lock:
            if key not in _ready or not path.exists():
                _retry_locked(lambda: db.execute("PRAGMA journal_mode=WAL").fetchone(), timeout)
                with write(db):
                    for statement in schema:
                        db.execute(statement)
                _ready.add(key)
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def session(path: Path, schema: Sequence[str], what: str, *, mode: int = 0o640) -> Iterator[sqlite3.Connection]:
    """``connect`` for one block, closed after it; a file that cannot be opened is a StoreError
    naming ``what`` it holds (``kho tài khoản``, ``nhật ký kiểm tra`` …) and where."""
    from archive.errors import StoreError

    try:
        db = connect(path, schema, mode=mode)
    except sqlite3.Error as exc:
        raise StoreError(f"không mở được {what} {path}: {exc}") from exc
    try:
        yield db
    finally:
        db.close()
