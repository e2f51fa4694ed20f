"""The ingest pipeline as plain functions: no Prefect here, so each step is testable alone.

One file ends as exactly one Outcome: archived, duplicate or quarantined (with a reason).
Input errors quarantine the file and never raise; infrastructure errors raise, so the
orchestrator can retry them.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from archive import open_store
from archive.errors import Damaged, DoithoaiError, InputError, NotFound, NotReady, SearchError
from archive.records import DocumentRecord, Source
from archive.settings import Settings
from archive.store import SEARCHABLE_PDF, Store, pid_alive
from archive.vntext import printable
from extractors import extract, parse
from extractors.scratch import clean_scratch
from flows import renditions, secrets
from search import SearchBackend, get_backend

__all__ = [
    "IndexQueue",
    "IngestContext",
    "Outcome",
    "collect_inputs",
    "failed",
    "index_lock",
    "index_missing",
    "ingest_one",
    "ingest_tracked",
    "open_context",
    "reindex_all",
    "request_index_check",
    "start_run",
]

log = logging.getLogger("doithoai.ingest")
# Asks the next index_missing to compare the index's ids with the store's, not only their counts.
INDEX_CHECK = "index.check"
# "failed" = the machine failed (disk, index), not the file: it stays where it is for the next run.
# "waiting" = the file was still being written: it stays in the inbox for the next run.
Status = Literal["archived", "duplicate", "quarantined", "failed", "waiting"]


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
    ocr_pages: int | None = None
    source_sig: str | None = None  # the source as it was read (size:mtime:inode), for inbox hygiene

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source_sig")
        data["path"] = printable(self.path)
        return data


@contextlib.contextmanager
def index_lock(home: Path, *, wait: bool = True) -> Iterator[bool]:
    """The one writer lock of the search index (an flock on ``<home>/index.lock``).

    Every write to the index (ingest batches, index_missing, reindex) holds it, and reopens the
    index under it: a reindex swaps the generation (or the alias) an ingest had open, so the
    ingest's next batch goes to the new one instead of a deleted folder. With ``wait=False``
    yields False at once when another process holds it.
    """
    home.mkdir(parents=True, exist_ok=True)
    with (home / "index.lock").open("a") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


class IndexQueue:
    """Indexes archived documents in batches: one index commit costs ~40 ms, whatever its size.

    A crash between archiving and indexing loses nothing: the next run's index_missing
    finds archived documents the index lacks. While a reindex holds the index lock, full
    batches wait in memory (the file's worker goes on); ``flush`` waits for the lock.
    """

    def __init__(self, backend: SearchBackend, home: Path, batch: int = 32, store: Store | None = None) -> None:
        self.backend = backend
        self.home = home
        self.store = store  # with it, a file's renditions already indexed are regrouped (flows/renditions.py)
        self.batch = batch
        self.failed: set[str] = set()
        self._expected: set[str] = set()  # ids this run archives or indexes: not to be checked in the index
        self._items: list[tuple[DocumentRecord, str]] = []
        self._removals: list[str] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()

    def expect(self, doc_id: str) -> None:
        """This run is archiving ``doc_id``: a copy of the file met meanwhile is a plain duplicate."""
        with self._lock:
            self._expected.add(doc_id)

    def expected(self, doc_id: str) -> bool:
        with self._lock:
            return doc_id in self._expected

    def put(self, record: DocumentRecord, text: str) -> None:
        with self._lock:
            self._expected.add(record.id)
            self._items.append((record, text))
            if len(self._items) < self.batch:
                return
        self._write(wait=False)

    def remove(self, doc_id: str) -> None:
        """Take a document out of the index with the next batch (before that batch is added)."""
        with self._lock:
            self._removals.append(doc_id)

    def flush(self) -> None:
        self._write(wait=True)

    def _write(self, *, wait: bool) -> None:
        with self._writing, index_lock(self.home, wait=wait) as locked:
            if not locked:
                return  # a reindex is running: these go with a later batch, into its new index
            with self._lock:
                items, self._items = self._items, []
                removals, self._removals = self._removals, []
            for doc_id in removals:
                try:
                    self.backend.remove(doc_id)
                except SearchError as exc:  # verify and the next reindex see it: in the index, not in the store
                    log.warning("chưa bỏ được %s khỏi chỉ mục (%s)", doc_id[:12], exc)
            if items:
                self._add(items)

    def _add(self, items: list[tuple[DocumentRecord, str]]) -> None:
        try:
            self.backend.close()  # reopen: a reindex may have swapped the index since the last batch
            if self.store is not None:
                renditions.index(self.backend, self.store, items)
            else:
                self.backend.add_many(items)
        except SearchError as exc:
            log.warning("%d archived documents not indexed yet (%s); the next run indexes them", len(items), exc)
            request_index_check(self.home, f"{len(items)} văn bản chưa vào được chỉ mục: {exc}")
            with self._lock:
                self.failed.update(r.id for r, _ in items)

    def settle(self, outcomes: list[Outcome]) -> list[Outcome]:
        """Flush, then say of every outcome that was queued (archived, or a duplicate indexed
        again) whether its index entry was written."""
        self.flush()
        return [
            replace(o, indexed=o.id not in self.failed) if o.status == "archived" or o.indexed is False else o
            for o in outcomes
        ]


@dataclass(frozen=True)
class IngestContext:
    settings: Settings
    store: Store
    backend: SearchBackend
    queue: IndexQueue
    damaged: list[Damaged] = field(default_factory=list)  # entries skipped while reading the store
    # Told when a file starts (True) and ends (False): the run log's record of what is in progress.
    tracker: Callable[[Path, bool], None] | None = None


def open_context(settings: Settings) -> IngestContext:
    backend = get_backend(settings)
    store = open_store(settings)
    return IngestContext(
        settings=settings, store=store, backend=backend, queue=IndexQueue(backend, settings.home, store=store)
    )


def start_run(ctx: IngestContext) -> None:
    """Before a run: clear what a crashed run left in staging and in the temporary folder (page
    images), index what it archived but did not index."""
    ctx.store.clean_staging()
    clean_scratch()
    try:
        n = index_missing(ctx, compare_ids=False)
    except SearchError as exc:
        log.warning("search index unavailable (%s); documents will be archived and indexed later", exc)
        return
    if n:
        log.warning("indexed %d archived documents that a previous run had not indexed", n)


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


def ingest_one(path: Path, ctx: IngestContext, *, source_path: Path | None = None) -> Outcome:
    """Archive one file: stage (copy + hash), skip duplicates, extract, parse, commit, index.

    ``source_path`` is the path to record as the origin when ``path`` is a copy (a retry).
    """
    t0 = time.monotonic()
    store, settings = ctx.store, ctx.settings
    shown = str(path)
    try:
        staged = store.stage(path, max_bytes=settings.max_file_bytes, origin=source_path)
    except NotReady as exc:
        return _done(Outcome(shown, "waiting", reason=exc.reason), t0)
    except InputError as exc:
        unread = store.quarantine_unread(path, exc.reason)
        return _done(Outcome(shown, "quarantined", id=unread.path.name, reason=exc.reason), t0)
    sig = staged.signature
    repaired = ""
    if store.exists(staged.sha256):
        problems = store.check(staged.sha256, full=True)
        if not problems:
            store.discard(staged)
            # The same bytes from another place: a document of its own, not a copy caught half-way.
            store.confirm_pending(staged.sha256, printable(os.path.abspath(source_path or path)))
            again = _index_if_missing(ctx, staged.sha256)
            return _done(Outcome(shown, "duplicate", id=staged.sha256, reason=again,
                                 indexed=False if again else None, source_sig=sig), t0)  # fmt: skip
        # A damaged entry and a good copy of its bytes: the good copy takes its place.
        aside = store.set_aside(staged.sha256)
        repaired = f"đã sửa bản lưu hỏng ({'; '.join(problems)}; bản hỏng để ở {printable(str(aside))})"
        log.warning("%s: %s", staged.sha256, repaired)
    # State secrets (flows/secrets.py): until the mark is known, OCR'd text is written only sealed;
    # a marked file (DOITHOAI_SECRETS=register-only) is registered and held, never archived.
    screen = secrets.Screen(settings, staged, staged.directory / SEARCHABLE_PDF)
    try:
        extraction = extract(staged.path, settings, searchable_pdf=screen.searchable_pdf, seal=screen.seal)
        origin = source_path or path
        source = Source(
            path=printable(os.path.abspath(origin)),
            name=printable(origin.name),
            size=staged.size,
            media_type=extraction.media_type,
            ingested_at=datetime.now(UTC),
        )
        record = parse(extraction, doc_id=staged.sha256, source=source)
        held = screen.hold_if_marked(record, extraction, read_from=path)
    except InputError as exc:
        entry = store.quarantine(staged, exc.reason)
        return _done(Outcome(shown, "quarantined", id=entry.sha256, reason=exc.reason, source_sig=sig), t0)
    except BaseException:
        store.discard(staged)
        raise
    finally:
        screen.close()
    if held is not None:  # only the register fields leave this function
        return _done(Outcome(shown, "quarantined", id=held.id, reason=held.reason, doc_type=record.doc_type,
                             number_symbol=record.number_symbol, source_sig=sig), t0)  # fmt: skip
    ctx.queue.expect(record.id)  # before the entry appears: a copy met meanwhile must not index it again
    try:
        store.commit(staged, record, extraction)
    except FileExistsError:
        return _done(Outcome(shown, "duplicate", id=staged.sha256, source_sig=sig), t0)
    complete = store.original_path(record.id)
    for earlier in store.pending_from(source.path):  # archived from this inbox file, which then grew
        if earlier != record.id and (moved := store.supersede_partial(earlier, complete)) is not None:
            request_index_check(settings.home, f"bản chép dở {earlier[:12]} được thay")  # if killed before the batch
            ctx.queue.remove(earlier)
            log.warning("%s: bản hoàn chỉnh đã lưu, bỏ bản chép dở %s (để ở %s)", shown, earlier[:12], moved.name)
    ctx.queue.put(record, extraction.text)
    for entry in store.drop_partial_copies(printable(str(path)), complete):
        log.warning("%s: bản hoàn chỉnh đã lưu, bỏ bản chép dở đang cách ly %s", shown, entry.path.name)
    return _done(
        Outcome(
            shown,
            "archived",
            id=record.id,
            reason=repaired or None,
            doc_type=record.doc_type,
            number_symbol=record.number_symbol,
            pages=record.pages,
            ocr_pages=sum(1 for p in extraction.pages if p.method == "ocr"),
            source_sig=sig,
        ),
        t0,
    )


def ingest_tracked(path: Path, ctx: IngestContext, *, source_path: Path | None = None) -> Outcome:
    """ingest_one, with the file noted as in progress in the run log while it runs.

    If the kernel kills the process (out of memory) the note stays, and the next run knows
    which file did it (flows/run.py).
    """
    if ctx.tracker is None:
        return ingest_one(path, ctx, source_path=source_path)
    ctx.tracker(path, True)
    try:
        return ingest_one(path, ctx, source_path=source_path)
    finally:
        ctx.tracker(path, False)


def _index_if_missing(ctx: IngestContext, sha: str) -> str | None:
    """A file brought again whose archived document the index lacks is indexed again (the
    clerk's natural repair of a document search does not find); the reason to report, if so.

    One term lookup (~0.1 ms on 100,000 documents); an index that cannot answer is left to
    the run's own index checks.
    """
    if ctx.queue.expected(sha):
        return None  # archived (or indexed again) by this very run: its batch may not be written yet
    try:
        if ctx.backend.has(sha):
            return None
        record, text = ctx.store.load_record(sha), ctx.store.load_extraction(sha).text
    except (SearchError, Damaged, NotFound, OSError, ValueError) as exc:
        log.warning("%s: không kiểm tra được chỉ mục của bản đã lưu (%s)", sha, exc)
        return None
    ctx.queue.put(record, text)
    log.warning("%s: đã có trong kho nhưng thiếu trong chỉ mục tìm kiếm: đánh chỉ mục lại", sha)
    return "đã có trong kho nhưng thiếu trong chỉ mục tìm kiếm: đã đánh chỉ mục lại"


def request_index_check(home: Path, why: str) -> None:
    """Have the next index_missing compare ids, not counts (a check found the index short, or a
    batch failed): a damaged store entry the index still holds can make the counts agree."""
    try:
        fd = os.open(home / INDEX_CHECK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {why}\n")
    except OSError as exc:
        log.warning("không ghi được %s (%s)", home / INDEX_CHECK, exc.strerror)


def index_missing(ctx: IngestContext, *, compare_ids: bool = True) -> int:
    """Index archived documents the index does not have (after a search outage, a crash, a lost entry).

    Compares the index's ids with the store's. With ``compare_ids=False`` (the start of every
    run) equal counts are taken for a match (listing 100,000 ids takes ~0.2-0.5 s on tantivy),
    unless a check asked for ids (``request_index_check``: the nightly verify found the index
    short, or an index batch failed).
    """
    home = ctx.settings.home
    with index_lock(home):
        ctx.backend.close()
        remove_stale_generations(ctx.settings)
        archived = list(ctx.store.iter_ids())
        asked = _stamp(home / INDEX_CHECK)
        if not compare_ids and asked is None and ctx.backend.count() == len(archived):
            return 0  # the usual case, answered without listing the index
        have = ctx.backend.ids()
        missing = [sha for sha in archived if sha not in have]
        # In the index with no entry in the store at all (set aside by a run killed before its
        # index batch): nothing a search may show. A damaged entry keeps its place (verify names it).
        for sha in sorted(set(have) - set(ctx.store.iter_entries())):
            ctx.backend.remove(sha)
        n = 0
        for start in range(0, len(missing), 256):  # with their renditions, a bounded batch at a time
            n += renditions.index(ctx.backend, ctx.store, documents(ctx, missing[start : start + 256]))
        if asked is not None and _stamp(home / INDEX_CHECK) == asked:  # not asked again meanwhile
            (home / INDEX_CHECK).unlink(missing_ok=True)  # compared; what is still wrong is verify's to name
        return n


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def reindex_all(ctx: IngestContext) -> int:
    """Rebuild the index from the store: the store is the system of record.

    Holds the index lock throughout: an ingest's batches wait and then go into the new index.
    Also removes what a killed reindex left (a half-built generation).
    """
    with index_lock(ctx.settings.home):
        ctx.backend.close()
        remove_stale_generations(ctx.settings)
        secondary = renditions.secondary_in_store(ctx.store)  # one pass over the records: who is primary
        n = ctx.backend.rebuild(documents(ctx, ctx.store.iter_ids()), secondary=secondary)
        ctx.backend.close()
        return n


def documents(ctx: IngestContext, ids: Iterable[str]) -> Iterator[tuple[DocumentRecord, str]]:
    """Each archived document with its text; a damaged entry is reported (id and path) and skipped."""
    for sha in ids:
        try:
            yield ctx.store.load_record(sha), ctx.store.load_extraction(sha).text
        except (Damaged, NotFound) as exc:
            log.warning("bỏ qua: %s", exc)
            if isinstance(exc, Damaged):
                ctx.damaged.append(exc)


def remove_stale_generations(settings: Settings) -> int:
    """Remove tantivy index generations nothing serves (left by a reindex killed mid-way).

    Call only under the index lock: then no reindex is building one. A generation is named
    ``gen-<time>-<pid>-<n>`` by the process that made it; one whose process is gone and that
    is not served is garbage.
    """
    root = settings.index_dir / "tantivy"
    current = root / "current"
    if settings.search_backend != "tantivy" or not current.is_symlink():
        return 0
    serving = current.resolve()
    removed = 0
    for gen in root.glob("gen-*"):
        parts = gen.name.split("-")
        pid = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        if gen.is_dir() and not gen.is_symlink() and gen.resolve() != serving and not pid_alive(pid):
            shutil.rmtree(gen, ignore_errors=True)
            removed += 1
    if removed:
        log.warning("đã xóa %d thế hệ chỉ mục dở dang (một lần dựng lại chỉ mục bị dừng giữa chừng)", removed)
    return removed


def failed(path: Path | str, exc: BaseException) -> Outcome:
    reason = exc.message if isinstance(exc, DoithoaiError) else f"{type(exc).__name__}: {exc}"
    return Outcome(str(path), "failed", reason=reason)


def _done(outcome: Outcome, t0: float) -> Outcome:
    seconds = round(time.monotonic() - t0, 3)
    out = Outcome(**{**asdict(outcome), "seconds": seconds})
    log.info("%s %s %s %.2fs", out.status, out.path, out.reason or out.id or "", seconds)
    return out
