"""One ingest run, whatever orchestrates it (Prefect or in-process): the frame around the files.

lock          one run at a time per archive (an flock: released by the kernel if its holder dies)
log           the run and each file's outcome in the run log (SQLite)
recover       clear a crashed run's staging leftovers, index what it archived but did not index
collect       the files, except inbox files still being written (left for the next run)
... the orchestrator ingests each file with steps.ingest_one ...
finish        flush the index, then take each done file out of the inbox, then log the run
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from archive.errors import DoithoaiError, InputError, NotReady, StoreError
from archive.runs import SOLO_TAG, FileRow, RunLog
from archive.settings import Settings
from archive.store import FILE_MODE, Store, file_signature, make_dirs
from archive.vntext import printable
from flows import steps

__all__ = ["IngestRun", "ingest_run", "run_lock"]


@contextmanager
def run_lock(home: Path) -> Iterator[None]:
    """Wait for any other ingest run on this archive to finish; hold the lock for this one."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "ingest.lock").open("a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@dataclass
class IngestRun:
    settings: Settings
    ctx: steps.IngestContext
    files: list[Path]
    waiting: list[steps.Outcome] = field(default_factory=list)
    solo: list[Path] = field(default_factory=list)  # process these one at a time, before the others
    culprits: list[steps.Outcome] = field(default_factory=list)  # quarantined: they killed the last run
    outcomes: list[steps.Outcome] = field(default_factory=list)

    def finish(self, outcomes: list[steps.Outcome]) -> list[steps.Outcome]:
        """Index what is queued, then release done inbox files; returns every file's outcome."""
        settled = self.ctx.queue.settle(self.culprits + outcomes)
        self.outcomes = [release(o, self.settings, self.ctx.store) for o in settled] + self.waiting
        return self.outcomes


def _real(path: Path) -> Path:
    """The path with its folders resolved but not the file itself (it may be a symlink, even a loop)."""
    return path.parent.resolve() / path.name


def _inbox_file(path: Path, settings: Settings) -> bool:
    try:
        return _real(path).is_relative_to(settings.inbox_dir.resolve())
    except (OSError, RuntimeError):
        return False


def _settled(path: Path, settle_s: float) -> bool:
    try:
        return time.time() - path.lstat().st_mtime >= settle_s
    except OSError:
        return True  # gone or unreadable: ingest_one reports it


_BEING_WRITTEN = "tệp vừa thay đổi, có thể đang được chép vào"
CULPRIT = "lần trước làm dừng tiến trình (có thể do hết bộ nhớ); xử lý lại bằng 'doithoai retry MÃ' khi đã khắc phục"


@contextmanager
def ingest_run(settings: Settings, paths: list[Path], trigger: str) -> Iterator[IngestRun]:
    with run_lock(settings.home):
        log = RunLog(settings.home / "state.db")
        run_id = log.start(trigger, os.getpid())
        t0 = time.monotonic()
        ctx = steps.open_context(settings)

        solo_paths: set[str] = set()

        def track(path: Path, begin: bool) -> None:
            if begin:
                tag = SOLO_TAG if printable(str(path)) in solo_paths else ""
                log.begin_file(run_id, printable(str(path)), tag + _signature(path))
            else:
                log.end_file(run_id, printable(str(path)))

        ctx = replace(ctx, tracker=track)
        try:
            steps.start_run(ctx)
            suspects = {s.path: s for s in log.suspects()}
            files: list[Path] = []
            solo: list[Path] = []
            waiting: list[steps.Outcome] = []
            culprits: list[steps.Outcome] = []
            for p in steps.collect_inputs(paths):
                suspect = suspects.get(printable(str(p)))
                if suspect and suspect.sig == _signature(p):
                    # The file a killed run was processing: read alone (before the others) this
                    # time, so that a second death names it; read alone at that death, it is the
                    # culprit and is quarantined instead of killing every run.
                    if suspect.alone:
                        culprits.append(_quarantine_culprit(p, ctx))
                    else:
                        solo.append(p)
                        solo_paths.add(printable(str(p)))
                elif _inbox_file(p, settings) and not _settled(p, settings.inbox_settle_seconds):
                    waiting.append(steps.Outcome(str(p), "waiting", reason=_BEING_WRITTEN))
                else:
                    files.append(p)
            log.clear_suspects(list(suspects))
            run = IngestRun(settings=settings, ctx=ctx, files=files, waiting=waiting, solo=solo, culprits=culprits)
            yield run
        except BaseException:
            log.abort(run_id)
            raise
        rows = [FileRow(printable(o.path), o.status, o.id, o.reason, o.seconds) for o in run.outcomes]
        log.finish(
            run_id,
            rows,
            pages_ocr=sum(o.ocr_pages or 0 for o in run.outcomes),
            seconds=time.monotonic() - t0,
            not_indexed=sum(1 for o in run.outcomes if o.status == "archived" and o.indexed is False),
        )


def _signature(path: Path) -> str:
    try:
        return file_signature(path.lstat())
    except OSError:
        return ""


def _quarantine_culprit(path: Path, ctx: steps.IngestContext) -> steps.Outcome:
    """Keep the file that killed the last run in quarantine (a copy: staging reads, never decodes)."""
    store = ctx.store
    try:
        staged = store.stage(path, max_bytes=ctx.settings.max_file_bytes)
    except (InputError, NotReady):
        entry = store.quarantine_unread(path, CULPRIT)
        return steps.Outcome(str(path), "quarantined", id=entry.path.name, reason=CULPRIT)
    entry = store.quarantine(staged, CULPRIT)
    return steps.Outcome(str(path), "quarantined", id=entry.sha256, reason=CULPRIT, source_sig=staged.signature)


def release(outcome: steps.Outcome, settings: Settings, store: Store) -> steps.Outcome:
    """Take a done inbox file out of the inbox, only when nothing can be lost by it.

    A file leaves the inbox only once a complete copy of it is in the archive (archived and
    indexed, or a duplicate of an intact entry) or in the quarantine, and only if it is still
    the file that was read, and has not changed for DOITHOAI_INBOX_RELEASE_SECONDS (a writer
    that paused leaves a beginning that may read as a whole file; the next run reads the complete
    one). A file quarantined as broken stays until it has not changed for
    DOITHOAI_INBOX_QUARANTINE_SETTLE_SECONDS (a writer may have paused mid-copy; its complete
    version replaces the broken entry). A quarantined file of which no copy could be made (too
    large, unreadable) is never deleted: ``move`` moves the file itself, ``delete`` leaves it.
    Names never collide in processed/.
    """
    path = Path(outcome.path)
    done = outcome.status in ("duplicate", "quarantined") or (outcome.status == "archived" and outcome.indexed)
    if not done or settings.inbox_after == "keep" or not _inbox_file(path, settings):
        return outcome
    try:
        st = path.lstat()
    except OSError:
        return outcome
    if outcome.source_sig and outcome.source_sig != file_signature(st):
        if outcome.status == "archived" and outcome.id:  # what was read may be a beginning of it
            store.note_pending(outcome.id, printable(os.path.abspath(path)))
        return _kept(outcome, "tệp đã đổi sau khi đọc, để lại trong hộp thư")
    copied = _copy_kept(outcome, store, st.st_size)
    age = time.time() - st.st_mtime
    quarantined_recently = outcome.status == "quarantined" and age < settings.inbox_quarantine_settle_seconds
    if quarantined_recently and copied and outcome.reason != CULPRIT:
        return _kept(outcome, "để lại trong hộp thư đến khi tệp thôi thay đổi: có thể đang chép dở")
    if outcome.status != "quarantined" and age < settings.inbox_release_seconds:
        # Archived, but changed a short while ago: a paused writer may not be done. Read again
        # next run; a complete version then replaces this entry (flows/steps.py).
        if outcome.status == "archived" and outcome.id:
            store.note_pending(outcome.id, printable(os.path.abspath(path)))
        return _kept(outcome, "đã lưu; tệp mới thay đổi nên để lại trong hộp thư đến lượt sau")
    if not copied and settings.inbox_after == "delete":
        return _kept(outcome, "không có bản sao trong kho, tệp để lại trong hộp thư")
    try:
        if settings.inbox_after == "delete":
            path.unlink()
        else:
            rel = _real(path).relative_to(settings.inbox_dir.resolve())
            target = _free_name(settings.home / "processed" / date.today().isoformat() / rel, outcome.id)
            make_dirs(target.parent)
            shutil.move(str(path), target)
            if stat.S_ISREG(st.st_mode):
                target.chmod(FILE_MODE)  # the source may have been 0644 (never follow a symlink here)
            if not copied and outcome.id:
                store.note_kept(outcome.id, target)
    except OSError as exc:
        raise StoreError(f"không chuyển được {path.name} ra khỏi hộp thư: {exc.strerror}") from exc
    if outcome.status in ("archived", "duplicate") and outcome.id:
        store.clear_pending(outcome.id)  # out of the inbox: nothing will complete it any more
    return outcome


def _copy_kept(outcome: steps.Outcome, store: Store, size: int) -> bool:
    """Whether a complete copy of this file (``size`` bytes) is in the archive or the quarantine."""
    if not outcome.id:
        return False
    if outcome.status == "quarantined":
        return store.has_copy(outcome.id, size)
    try:
        return store.original_path(outcome.id).stat().st_size == size
    except (OSError, DoithoaiError):
        return False


def _kept(outcome: steps.Outcome, why: str) -> steps.Outcome:
    return replace(outcome, reason=f"{outcome.reason} ({why})" if outcome.reason else why)


def _free_name(target: Path, tag: str | None) -> Path:
    """``target``, or a name beside it that no file has yet (same stem, the id, a counter)."""
    if not os.path.lexists(target):
        return target
    stem = f"{target.stem}.{(tag or 'tep')[:12]}"[:200]
    for n in range(1, 10_000):
        candidate = target.with_name(f"{stem}{'' if n == 1 else f'-{n}'}{target.suffix}")
        if not os.path.lexists(candidate):
            return candidate
    raise StoreError(f"quá nhiều tệp cùng tên {target.name} trong {target.parent}")
