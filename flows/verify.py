"""Check the archive against itself: every original against its id, every record and extraction
readable, and the index holding exactly the store's ids.

``full`` re-hashes every original (``doithoai verify``). The nightly run checks incrementally:
an entry whose files have the size and time they had when last verified is only stat'ed,
except for a rotating slice (1/``slice_days`` of the archive each night, so every original is
re-hashed every ``slice_days`` nights); new or changed entries are always checked in full.
What was verified is remembered in ``<home>/verify.json``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from archive import open_store
from archive.errors import SearchError
from archive.settings import Settings
from flows.steps import request_index_check
from search import get_backend

__all__ = ["Problem", "VerifyReport", "verify_archive"]

log = logging.getLogger("doithoai.verify")


@dataclass(frozen=True)
class Problem:
    id: str
    path: str
    problem: str


@dataclass
class VerifyReport:
    entries: int = 0
    hashed: int = 0
    problems: list[Problem] = field(default_factory=list)
    not_indexed: list[str] = field(default_factory=list)  # in the store, not in the index
    not_stored: list[str] = field(default_factory=list)  # in the index, no entry in the store (damaged: problems)
    index_error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.problems or self.not_indexed or self.not_stored or self.index_error)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "hashed": self.hashed,
            "problems": [{"id": p.id, "path": p.path, "problem": p.problem} for p in self.problems],
            "not_indexed": self.not_indexed,
            "not_stored": self.not_stored,
            "index_error": self.index_error,
        }


def verify_archive(settings: Settings, *, full: bool = True, slice_days: int = 30) -> VerifyReport:
    store = open_store(settings)
    state_path = settings.home / "verify.json"
    remembered = {} if full else _load(state_path)
    today = date.today().toordinal() % slice_days
    report = VerifyReport()
    verified: dict[str, str] = {}
    good: set[str] = set()
    entries: set[str] = set()
    for sha in store.iter_entries():
        report.entries += 1
        entries.add(sha)
        try:
            sig = store.entry_signature(sha)
        except OSError as exc:
            report.problems.append(Problem(sha, str(store.doc_dir(sha)), f"không đọc được thư mục ({exc.strerror})"))
            continue
        in_slice = int(sha[:8], 16) % slice_days == today
        if not full and remembered.get(sha) == sig and not in_slice:
            verified[sha] = sig
            good.add(sha)
            continue
        problems = store.check(sha, full=True)
        report.hashed += 1
        if problems:
            report.problems += [Problem(sha, str(store.doc_dir(sha)), p) for p in problems]
        else:
            verified[sha] = sig
            good.add(sha)
    if (store.root / ".damaged").is_dir():
        log.info("bản lưu hỏng đã thay bằng bản tốt nằm ở %s", store.root / ".damaged")
    try:
        backend = get_backend(settings)
        indexed = backend.ids()
        backend.close()
    except SearchError as exc:
        report.index_error = exc.message
    else:
        stored = set(store.iter_ids())
        report.not_indexed = sorted((good & stored) - indexed)
        # A damaged entry the index still holds is named once, among the problems, not here too.
        report.not_stored = sorted(indexed - entries)
        if report.not_indexed:  # the next run's index_missing compares ids (counts may agree)
            request_index_check(settings.home, f"kiểm tra kho: {len(report.not_indexed)} văn bản thiếu trong chỉ mục")
    _save(state_path, verified)
    for p in report.problems:
        log.warning("bản lưu %s hỏng: %s", p.id, p.problem.removeprefix(f"bản lưu {p.id} hỏng: "))
    return report


def _load(path: Path) -> dict[str, str]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k): str(v) for k, v in data.items()}
    return {}


def _save(path: Path, verified: dict[str, str]) -> None:
    tmp = path.with_name(f".verify.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(verified, f)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("không ghi được %s (%s); lần sau kiểm tra lại toàn bộ", path, exc.strerror)
        with contextlib.suppress(OSError):
            tmp.unlink()
