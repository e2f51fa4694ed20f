"""The run log: one row per ingest run and one per file, in SQLite under DOITHOAI_HOME.

A run that dies (power cut, ``kill -9``) stays ``running`` with no end; the next run marks
it ``interrupted``. The store, not this log, says what is archived: the log is the report, and
a damaged log never stops a run (it is moved aside and started anew, see ``RunLog``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from archive import sqlite
from archive.errors import StoreError

__all__ = ["FileRow", "RunLog", "RunRow", "Suspect"]

log = logging.getLogger("doithoai.runs")
_T = TypeVar("_T")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,            -- running | finished | interrupted
    trigger TEXT NOT NULL,           -- cli | schedule | retry
    pid INTEGER NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    pages_ocr INTEGER NOT NULL DEFAULT 0,
    seconds REAL
)""",
    """CREATE TABLE IF NOT EXISTS run_files (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    status TEXT NOT NULL,
    doc_id TEXT,
    reason TEXT,
    seconds REAL
)""",
    """CREATE INDEX IF NOT EXISTS run_files_run ON run_files(run_id)""",
    # The files a run is processing right now: what a run killed by the kernel (OOM) was doing.
    """CREATE TABLE IF NOT EXISTS in_progress (
    run_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    sig TEXT NOT NULL
)""",
    # Files that were in progress when their run died; alone = the only one in progress then,
    # and already read alone as a suspect of an earlier death (the second strike).
    """CREATE TABLE IF NOT EXISTS suspects (
    path TEXT NOT NULL,
    sig TEXT NOT NULL,
    alone INTEGER NOT NULL
)""",
)


# Marks, in in_progress.sig, a file read alone because an earlier run died while reading it.
SOLO_TAG = "solo:"


@dataclass(frozen=True)
class Suspect:
    path: str
    sig: str
    alone: bool


@dataclass(frozen=True)
class FileRow:
    path: str
    status: str
    doc_id: str | None
    reason: str | None
    seconds: float | None


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    trigger: str
    counts: dict[str, int]
    pages_ocr: int
    seconds: float | None
    quarantined: tuple[FileRow, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "trigger": self.trigger,
            "counts": self.counts,
            "pages_ocr": self.pages_ocr,
            "seconds": self.seconds,
            "quarantined": [{"path": f.path, "id": f.doc_id, "reason": f.reason} for f in self.quarantined],
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunLog:
    """The run log of one archive. Every call opens the file, does its part and closes it.

    The log is only the report: a damaged log (a damaged page met by any read or write, or found
    by the quick check at the start of each run) is moved aside as ``state.db.hong-<time>-<pid>``
    with a warning naming it, and a new log is started; the call is then done on the new log,
    and a run this object started is written into it again, so the run goes on and is reported.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mine: dict[int, tuple[str, str, int]] = {}  # runs started here: started_at, trigger, pid

    def _do(self, op: Callable[[sqlite3.Connection], _T], *, write: bool = True, check: bool = False) -> _T:
        """``op`` on the log, in one write transaction (``write``) or in autocommit reads, which see
        one consistent WAL snapshot per statement; ``check``: quick-check the whole file first."""
        for attempt in (1, 2):
            inode = _inode(self.path)
            try:
                with closing(sqlite.connect(self.path, _SCHEMA, timeout=30)) as db:
                    inode = inode or _inode(self.path)
                    if check:
                        sqlite.quick_check(db)
                    if not write:
                        return op(db)
                    with sqlite.write(db):
                        return op(db)
            except sqlite3.Error as exc:
                damaged = sqlite.is_damaged(exc, self.path)
                if damaged and attempt == 1:
                    self._start_anew(exc, inode)
                    continue
                verb = "ghi" if write else "đọc"
                what = "nhật ký lượt chạy mới tạo vẫn hỏng" if damaged else f"không {verb} được nhật ký lượt chạy"
                raise StoreError(f"{what} {self.path}: {exc}") from exc
        raise AssertionError("unreachable")

    def _start_anew(self, exc: sqlite3.Error, inode: int | None) -> None:
        try:
            aside = sqlite.set_aside(self.path, expect_inode=inode)
        except OSError as move_exc:
            raise StoreError(
                f"nhật ký lượt chạy {self.path} hỏng ({exc}) và không chuyển sang bên được: "
                f"{move_exc.strerror or move_exc}"
            ) from move_exc
        if aside is None:  # another process or thread found the same damage and moved it first
            log.info("nhật ký lượt chạy %s hỏng (%s) đã được chuyển sang bên và tạo mới", self.path, exc)
            return
        log.warning(
            "nhật ký lượt chạy %s hỏng (%s): đã chuyển tệp hỏng sang %s và tạo nhật ký mới "
            "(các lượt cũ chỉ còn trong tệp đó); việc lưu trữ vẫn tiếp tục, kho lưu trữ không bị ảnh hưởng",
            self.path,
            exc,
            aside,
        )

    def _ensure_run(self, db: sqlite3.Connection, run_id: int) -> None:
        """A run started here is in the log, even in a log started anew since (same id, same start)."""
        if run_id in self._mine:
            started_at, trigger, pid = self._mine[run_id]
            db.execute(
                "INSERT OR IGNORE INTO runs (id, started_at, status, trigger, pid) VALUES (?, ?, 'running', ?, ?)",
                (run_id, started_at, trigger, pid),
            )

    def start(self, trigger: str, pid: int) -> int:
        started_at = _now()

        def op(db: sqlite3.Connection) -> int:
            dead = [r[0] for r in db.execute("SELECT id FROM runs WHERE status = 'running' AND pid != ?", (pid,))]
            for run_id in dead:  # what a dead run was processing becomes a suspect
                rows = db.execute("SELECT path, sig FROM in_progress WHERE run_id = ?", (run_id,)).fetchall()
                # Two strikes: a file is blamed only when it was being read alone, already as a
                # suspect (SOLO_TAG), when a second run died; a first death may be the
                # operator's kill -9 or a power cut, and the file is read again, alone.
                db.executemany(
                    "INSERT INTO suspects (path, sig, alone) VALUES (?, ?, ?)",
                    [
                        (path, sig.removeprefix(SOLO_TAG), int(len(rows) == 1 and sig.startswith(SOLO_TAG)))
                        for path, sig in rows
                    ],
                )
                db.execute("DELETE FROM in_progress WHERE run_id = ?", (run_id,))
            db.execute(
                "UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND pid != ?", (pid,)
            )  # a run of a process that died never finished
            cur = db.execute(
                "INSERT INTO runs (started_at, status, trigger, pid) VALUES (?, 'running', ?, ?)",
                (started_at, trigger, pid),
            )
            return int(cur.lastrowid or 0)

        # Once a run (~10 ms for 3,000 runs of 20 files, 150 ms from a cold disk): damage in a
        # page no statement of this run would read is found now, before the run's first row.
        run_id = self._do(op, check=True)
        self._mine[run_id] = (started_at, trigger, pid)
        return run_id

    def finish(
        self, run_id: int, files: Sequence[FileRow], pages_ocr: int, seconds: float, not_indexed: int = 0
    ) -> None:
        counts: dict[str, int] = {}
        for f in files:
            counts[f.status] = counts.get(f.status, 0) + 1
        if not_indexed:
            counts["not_indexed"] = not_indexed  # archived, waiting for the index (the next run adds them)
        finished_at = _now()

        def op(db: sqlite3.Connection) -> None:
            self._ensure_run(db, run_id)
            db.executemany(
                "INSERT INTO run_files (run_id, path, status, doc_id, reason, seconds) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, f.path, f.status, f.doc_id, f.reason, f.seconds) for f in files],
            )
            db.execute(
                "UPDATE runs SET finished_at = ?, status = 'finished', counts = ?, pages_ocr = ?, seconds = ? "
                "WHERE id = ?",
                (finished_at, json.dumps(counts), pages_ocr, round(seconds, 3), run_id),
            )

        self._do(op)

    def begin_file(self, run_id: int, path: str, sig: str) -> None:
        def op(db: sqlite3.Connection) -> None:
            self._ensure_run(db, run_id)  # what a killed run was doing is read by its run's id
            db.execute("INSERT INTO in_progress (run_id, path, sig) VALUES (?, ?, ?)", (run_id, path, sig))

        self._do(op)

    def end_file(self, run_id: int, path: str) -> None:
        self._do(lambda db: db.execute("DELETE FROM in_progress WHERE run_id = ? AND path = ?", (run_id, path)))

    def abort(self, run_id: int) -> None:
        """A run stopped by an exception (Ctrl+C included): it was not killed by a file."""
        finished_at = _now()

        def op(db: sqlite3.Connection) -> None:
            self._ensure_run(db, run_id)
            db.execute("DELETE FROM in_progress WHERE run_id = ?", (run_id,))
            db.execute("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?", (finished_at, run_id))

        self._do(op)

    def in_progress(self, pid: int | None = None) -> list[str]:
        """The files runs are processing right now (or were, when their process died); ``pid``: that process's."""

        def op(db: sqlite3.Connection) -> list[str]:
            if pid is None:
                return [r[0] for r in db.execute("SELECT path FROM in_progress ORDER BY rowid")]
            sql = "SELECT i.path FROM in_progress i JOIN runs r ON r.id = i.run_id WHERE r.pid = ? ORDER BY i.rowid"
            return [r[0] for r in db.execute(sql, (pid,))]

        return self._do(op, write=False)

    def suspects(self) -> list[Suspect]:
        return self._do(
            lambda db: [Suspect(p, s, bool(a)) for p, s, a in db.execute("SELECT path, sig, alone FROM suspects")],
            write=False,
        )

    def clear_suspects(self, paths: Sequence[str]) -> None:
        self._do(lambda db: db.executemany("DELETE FROM suspects WHERE path = ?", [(p,) for p in paths]))

    def files_of(self, trigger: str) -> list[FileRow]:
        """Every file of the last run started with this trigger (e.g. ``prefect:<flow run id>``)."""
        sql = (
            "SELECT path, status, doc_id, reason, seconds FROM run_files WHERE run_id = "
            "(SELECT max(id) FROM runs WHERE trigger = ?) ORDER BY rowid"
        )
        return self._do(lambda db: [FileRow(*f) for f in db.execute(sql, (trigger,))], write=False)

    def archived_ids(self, run_id: int) -> set[str]:
        """The ids of the documents a run archived (for counts a user may see)."""
        sql = "SELECT doc_id FROM run_files WHERE run_id = ? AND status = 'archived' AND doc_id IS NOT NULL"
        return self._do(lambda db: {r[0] for r in db.execute(sql, (run_id,))}, write=False)

    def recent(self, limit: int = 20) -> list[RunRow]:
        def op(db: sqlite3.Connection) -> list[RunRow]:
            rows = db.execute(
                "SELECT id, started_at, finished_at, status, trigger, counts, pages_ocr, seconds "
                "FROM runs ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
            out = []
            for r in rows:
                quarantined = tuple(
                    FileRow(*f)
                    for f in db.execute(
                        "SELECT path, status, doc_id, reason, seconds FROM run_files "
                        "WHERE run_id = ? AND status IN ('quarantined', 'failed') ORDER BY rowid",
                        (r[0],),
                    )
                )
                out.append(RunRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], quarantined))
            return out

        return self._do(op, write=False)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None
