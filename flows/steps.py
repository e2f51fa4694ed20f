"""The ingest pipeline as plain functions: no Prefect here, so each step is testable alone.

One file ends as exactly one Outcome: archived, duplicate or quarantined (with a reason).
Input errors quarantine the file and never raise; infrastructure errors raise, so the
orchestrator can retry them.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from archive import open_store
from archive.errors import DoithoaiError, InputError, SearchError
from archive.records import DocumentRecord, Source
from archive.settings import Settings
from archive.store import Store
from extractors import extract, parse
from search import SearchBackend, get_backend

__all__ = [
    "IngestContext",
    "Outcome",
    "collect_inputs",
    "failed",
    "index_missing",
    "ingest_one",
    "open_context",
    "reindex_all",
]

log = logging.getLogger("doithoai.ingest")
# "failed" = the machine failed (disk, index), not the file: it stays where it is for the next run.
Status = Literal["archived", "duplicate", "quarantined", "failed"]


@dataclass(frozen=True)
class Outcome:
    path: str
    status: Status
    id: str | None = None
    reason: str | None = None
    doc_type: str | None = None
    number_symbol: str | None = None
    pages: int | None = None
    indexed: bool | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IngestContext:
    settings: Settings
    store: Store
    backend: SearchBackend


def open_context(settings: Settings) -> IngestContext:
    return IngestContext(settings=settings, store=open_store(settings), backend=get_backend(settings))


def collect_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files under ``paths`` in a stable order; folders are walked without following symlinks.

    Symlinks, FIFOs and other special files are yielded too: ingest_one quarantines them
    with a reason instead of silently skipping them.
    """
    for p in paths:
        try:
            st = p.lstat()
        except OSError:
            yield p
            continue
        if stat.S_ISDIR(st.st_mode):
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files + [d for d in dirs if (Path(root) / d).is_symlink()]):
                    yield Path(root) / name
        else:
            yield p


def ingest_one(path: Path, ctx: IngestContext) -> Outcome:
    """Archive one file: stage (copy + hash), skip duplicates, extract, parse, commit, index."""
    t0 = time.monotonic()
    store, settings = ctx.store, ctx.settings
    shown = str(path)
    try:
        staged = store.stage(path, max_bytes=settings.max_file_bytes)
    except InputError as exc:
        store.quarantine_unread(path, exc.reason)
        return _done(Outcome(shown, "quarantined", reason=exc.reason), t0)
    if store.has(staged.sha256):
        store.discard(staged)
        return _done(Outcome(shown, "duplicate", id=staged.sha256), t0)
    try:
        extraction = extract(staged.path, settings)
        source = Source(
            path=os.path.abspath(path),
            name=path.name,
            size=staged.size,
            media_type=extraction.media_type,
            ingested_at=datetime.now(UTC),
        )
        record = parse(extraction, doc_id=staged.sha256, source=source)
    except InputError as exc:
        entry = store.quarantine(staged, exc.reason)
        return _done(Outcome(shown, "quarantined", id=entry.sha256, reason=exc.reason), t0)
    except BaseException:
        store.discard(staged)
        raise
    try:
        store.commit(staged, record, extraction)
    except FileExistsError:
        return _done(Outcome(shown, "duplicate", id=staged.sha256), t0)
    indexed = _index(ctx, record, extraction.text)
    return _done(
        Outcome(
            shown,
            "archived",
            id=record.id,
            doc_type=record.doc_type,
            number_symbol=record.number_symbol,
            pages=record.pages,
            indexed=indexed,
        ),
        t0,
    )


def _index(ctx: IngestContext, record: DocumentRecord, text: str) -> bool:
    """Index one archived record; a failing index never loses the archived document."""
    try:
        ctx.backend.add(record, text)
    except SearchError as exc:
        log.warning("%s: archived but not indexed yet (%s); 'doithoai reindex' will index it", record.id, exc)
        return False
    return True


def index_missing(ctx: IngestContext) -> int:
    """Index archived documents the index does not have (after a search outage or a crash)."""
    have = ctx.backend.ids()
    missing = [sha for sha in ctx.store.iter_ids() if sha not in have]
    items = ((ctx.store.load_record(s), ctx.store.load_extraction(s).text) for s in missing)
    return ctx.backend.add_many(items) if missing else 0


def reindex_all(ctx: IngestContext) -> int:
    """Rebuild the index from the store: the store is the system of record."""
    store = ctx.store
    return ctx.backend.rebuild((store.load_record(s), store.load_extraction(s).text) for s in store.iter_ids())


def failed(path: Path | str, exc: BaseException) -> Outcome:
    reason = exc.message if isinstance(exc, DoithoaiError) else f"{type(exc).__name__}: {exc}"
    return Outcome(str(path), "failed", reason=reason)


def _done(outcome: Outcome, t0: float) -> Outcome:
    seconds = round(time.monotonic() - t0, 3)
    out = Outcome(**{**asdict(outcome), "seconds": seconds})
    log.info("%s %s %s %.2fs", out.status, out.path, out.reason or out.id or "", seconds)
    return out
