"""The run log: one row per ingest run and one per file, in SQLite under DOITHOAI_HOME.

A run that dies (power cut, ``kill -9``) stays ``running`` with no end; the next run marks
it ``interrupted``. The store, not this log, says what is archived: the log is the report.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import sqlite
from archive.errors import StoreError

__all__ = ["FileRow", "RunLog", "RunRow", "Suspect"]

log = logging.getLogger("doithoai.runs")

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
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _db(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            with closing(self._connect()) as db:
                if write:
                    with sqlite.write(db):
                        yield db
                else:
                    yield db  # autocommit reads see one consistent WAL snapshot per statement
        except sqlite3.Error as exc:
            raise StoreError(f"không ghi được nhật ký lượt chạy {self.path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        """The log, schema in place. A damaged log is only a report: it is moved aside and started anew."""
        try:
            db = sqlite.connect(self.path, _SCHEMA, timeout=30)
            try:
                db.execute("SELECT count(*) FROM runs").fetchone()
            except BaseException:
                db.close()
                raise
            return db
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked, read-only, cannot open: not a damaged file
                raise
            aside = self.path.with_name(f"{self.path.name}.hong-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}")
            try:
                for suffix in ("", "-wal", "-shm"):
                    part = self.path.with_name(self.path.name + suffix)
                    if part.exists():
                        os.replace(part, aside.with_name(aside.name + suffix))
            except OSError as move_exc:
                raise StoreError(
                    f"nhật ký lượt chạy {self.path} hỏng ({exc}) và không chuyển sang bên được: {move_exc.strerror}"
                ) from move_exc
            log.warning(
                "nhật ký lượt chạy %s hỏng (%s): đã chuyển sang %s và tạo nhật ký mới; kho lưu trữ không bị ảnh hưởng",
                self.path,
                exc,
                aside,
            )
            return sqlite.connect(self.path, _SCHEMA, timeout=30)

    def start(self, trigger: str, pid: int) -> int:
        with self._db() as db:
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
                (_now(), trigger, pid),
            )
            return int(cur.lastrowid or 0)

    def finish(
        self, run_id: int, files: Sequence[FileRow], pages_ocr: int, seconds: float, not_indexed: int = 0
    ) -> None:
        counts: dict[str, int] = {}
        for f in files:
            counts[f.status] = counts.get(f.status, 0) + 1
        if not_indexed:
            counts["not_indexed"] = not_indexed  # archived, waiting for the index (the next run adds them)
        with self._db() as db:
            db.executemany(
                "INSERT INTO run_files (run_id, path, status, doc_id, reason, seconds) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, f.path, f.status, f.doc_id, f.reason, f.seconds) for f in files],
            )
            db.execute(
                "UPDATE runs SET finished_at = ?, status = 'finished', counts = ?, pages_ocr = ?, seconds = ? "
                "WHERE id = ?",
                (_now(), json.dumps(counts), pages_ocr, round(seconds, 3), run_id),
            )

    def begin_file(self, run_id: int, path: str, sig: str) -> None:
        with self._db() as db:
            db.execute("INSERT INTO in_progress (run_id, path, sig) VALUES (?, ?, ?)", (run_id, path, sig))

    def end_file(self, run_id: int, path: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM in_progress WHERE run_id = ? AND path = ?", (run_id, path))

    def abort(self, run_id: int) -> None:
        """A run stopped by an exception (Ctrl+C included): it was not killed by a file."""
        with self._db() as db:
            db.execute("DELETE FROM in_progress WHERE run_id = ?", (run_id,))
            db.execute("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?", (_now(), run_id))

    def in_progress(self, pid: int | None = None) -> list[str]:
        """The files runs are processing right now (or were, when their process died); ``pid``: that process's."""
        with self._db(write=False) as db:
            if pid is None:
                return [r[0] for r in db.execute("SELECT path FROM in_progress ORDER BY rowid")]
            sql = "SELECT i.path FROM in_progress i JOIN runs r ON r.id = i.run_id WHERE r.pid = ? ORDER BY i.rowid"
            return [r[0] for r in db.execute(sql, (pid,))]

    def suspects(self) -> list[Suspect]:
        with self._db(write=False) as db:
            return [Suspect(p, s, bool(a)) for p, s, a in db.execute("SELECT path, sig, alone FROM suspects")]

    def clear_suspects(self, paths: Sequence[str]) -> None:
        with self._db() as db:
            db.executemany("DELETE FROM suspects WHERE path = ?", [(p,) for p in paths])

    def files_of(self, trigger: str) -> list[FileRow]:
        """Every file of the last run started with this trigger (e.g. ``prefect:<flow run id>``)."""
        with self._db(write=False) as db:
            return [
                FileRow(*f)
                for f in db.execute(
                    "SELECT path, status, doc_id, reason, seconds FROM run_files WHERE run_id = "
                    "(SELECT max(id) FROM runs WHERE trigger = ?) ORDER BY rowid",
                    (trigger,),
                )
            ]

    def archived_ids(self, run_id: int) -> set[str]:
        """The ids of the documents a run archived (for counts a user may see)."""
        with self._db(write=False) as db:
            sql = "SELECT doc_id FROM run_files WHERE run_id = ? AND status = 'archived' AND doc_id IS NOT NULL"
            return {r[0] for r in db.execute(sql, (run_id,))}

    def recent(self, limit: int = 20) -> list[RunRow]:
        with self._db(write=False) as db:
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
