"""SQLite for the small ledgers under DOITHOAI_HOME (run log, outgoing register).

Several processes and threads write these files at once (a nightly run, a clerk's ``retry``,
two officers generating). SQLite's busy timeout covers most of it, but not everything: a
schema statement that reads and then writes, or the switch to WAL, can get "database is
locked" at once, without waiting. So the schema is created inside ``BEGIN IMMEDIATE`` (which
does wait), every write transaction starts with ``BEGIN IMMEDIATE``, and the few steps that
cannot wait are retried until the timeout.

A file can also be damaged (a disk or a copy that lost pages). ``is_damaged`` tells such an
error from an infrastructure one (locked, disk full, I/O): what to do with a damaged file is the
ledger's own choice. A report (the run log) is moved aside with ``set_aside`` and started anew;
a ledger of record (accounts, audit, registers) is never recreated: ``session`` names the file
and stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from archive.errors import StoreError

__all__ = ["Corrupt", "connect", "is_damaged", "ledger_error", "quick_check", "session", "set_aside", "write"]

_T = TypeVar("_T")
_ready: set[Path] = set()
_ready_lock = threading.Lock()


# Primary result codes (the low byte of an extended code) that mean the file itself is damaged.
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
# ... and those that mean the machine failed, never the file: busy, locked, out of memory,
# read-only, interrupted, I/O, disk full, cannot open, locking protocol, permission.
_INFRASTRUCTURE_CODES = {3, 5, 6, 7, 8, 9, 10, 13, 14, 15}
_CORRUPT_WORDS = ("malformed", "file is not a database", "database corruption")


class Corrupt(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found damage that no statement has hit yet."""


def quick_check(db: sqlite3.Connection) -> None:
    """Raise ``Corrupt`` when SQLite's quick check of the file finds damage (reads every page once)."""
    rows = [str(r[0]) for r in db.execute("PRAGMA quick_check(3)")]
    if rows != ["ok"]:
        lines = [line.strip() for row in rows for line in row.splitlines()]
        found = "; ".join(line for line in lines if line and not line.startswith("***"))
        raise Corrupt(f"database disk image is malformed (quick_check: {found})")


def is_damaged(exc: BaseException, path: Path | None = None) -> bool:
    """Whether this SQLite error means the file is damaged (not locked, full, unreadable or misused).

    An error of no telling kind (e.g. a table gone missing) is decided by a quick check of ``path``.
    """
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if isinstance(exc, Corrupt):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _CORRUPT_CODES or any(w in str(exc).lower() for w in _CORRUPT_WORDS):
        return True
    if primary in _INFRASTRUCTURE_CODES or isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return False
    if path is None or not path.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)) as db:
            quick_check(db)
    except Corrupt:
        return True
    except sqlite3.Error as again:
        return is_damaged(again)  # the check's own error tells (never asks the file again)
    return False


def set_aside(path: Path, *, expect_inode: int | None = None) -> Path | None:
    """Move a damaged database file (and its -wal, -shm) aside as ``<name>.hong-<time>-<pid>``.

    Returns where it went; None when the file at ``path`` is no longer the one that was found
    damaged (``expect_inode``: another process or thread already moved it). Raises OSError.
    """
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(dir_fd, fcntl.LOCK_EX)  # two finders of the same damage: one moves it
        try:
            inode = path.stat().st_ino
        except FileNotFoundError:
            return None
        if expect_inode is not None and inode != expect_inode:
            return None
        stem = f"{path.name}.hong-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}"
        aside = path.with_name(stem)
        n = 1
        while os.path.lexists(aside):
            n += 1
            aside = path.with_name(f"{stem}-{n}")
        for suffix in ("", "-wal", "-shm"):
            part = path.with_name(path.name + suffix)
            if os.path.lexists(part):
                os.replace(part, aside.with_name(aside.name + suffix))
        with _ready_lock:
            _ready.discard(path.resolve())  # the next connect creates the schema again
        return aside
    finally:
        os.close(dir_fd)


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
        # The first error is the one to report: a damaged file may already have ended the transaction.
        with contextlib.suppress(sqlite3.Error):
            if db.in_transaction:
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
    """``connect`` for one block, closed after it, for a ledger of record. An SQLite error, on
    opening or inside the block, is a StoreError naming ``what`` the file holds (``kho tài
    khoản``, ``nhật ký kiểm tra`` …) and where; a damaged file is said to be damaged, and is
    left where it is: a record is restored from a backup by a person, never started anew."""
    try:
        db = connect(path, schema, mode=mode)
    except sqlite3.Error as exc:
        raise ledger_error(exc, what, path, opening=True) from exc
    try:
        yield db
    except sqlite3.Error as exc:
        raise ledger_error(exc, what, path) from exc
    finally:
        db.close()


def ledger_error(exc: sqlite3.Error, what: str, path: Path, *, opening: bool = False) -> StoreError:
    """The StoreError of an SQLite error of a ledger of record (never recreated when damaged)."""
    from archive.errors import StoreError

    if is_damaged(exc, path):
        return StoreError(
            f"{what} {path} bị hỏng ({exc}); đây là sổ gốc nên không được tự tạo lại: "
            f"dừng các dịch vụ, giữ nguyên tệp hỏng và khôi phục {path.name} từ bản sao lưu"
        )
    return StoreError(f"không {'mở' if opening else 'đọc/ghi'} được {what} {path}: {exc}")
