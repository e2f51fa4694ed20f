"""The content-addressed store: the system of record.

Layout under ``<home>/store``::

    ab/abcdef…/original.pdf   the bytes as received, never rewritten
    ab/abcdef…/pages.json     extracted text per page, with how each page was read
    ab/abcdef…/record.json    the parsed DocumentRecord
    ab/abcdef…/searchable.pdf scanned pages with an invisible text layer (only when OCR ran)
    .staging/                 work in progress; never looks like a document
    .damaged/                 entries found damaged, set aside when a good copy took their place
    .pending/<id>             archived files still in the inbox (changed shortly before they were read)
    .superseded/              entries that were a beginning of a later complete copy (a paused writer)

A document directory appears by one ``rename`` of a fully written staging directory,
so it exists complete or not at all: a crash at any moment leaves at most garbage in
``.staging`` (removed by :meth:`Store.clean_staging`), never a half-written record.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.errors import Damaged, DoithoaiError, InputRejected, NotFound, NotReady, StoreError
from archive.records import DocumentRecord, Extraction
from archive.vntext import printable

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "SEARCHABLE_PDF",
    "QuarantineEntry",
    "StagedFile",
    "Store",
    "file_signature",
    "make_dirs",
    "pid_alive",
    "private_umask",
    "sha256_file",
]

SEARCHABLE_PDF = "searchable.pdf"  # written beside the original when pages were OCR'd
# The archive holds documents that are not public: the service and the web app share a group,
# nobody else reads anything (whatever the source file's own mode was).
FILE_MODE = 0o640
DIR_MODE = 0o750


def private_umask() -> None:
    """Make everything this process creates at most 0640/0750 (tantivy, SQLite, Prefect included).

    Only tightens: an operator's stricter umask (0077) stays.
    """
    old = os.umask(0o027)
    os.umask(old | 0o027)


def make_dirs(path: Path) -> None:
    """``mkdir -p`` with every new folder 0750."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=DIR_MODE)


_CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
_PENDING_DAYS = 7  # a note of a file still in the inbox is forgotten after this long


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def file_signature(st: os.stat_result) -> str:
    """What tells that a file is still the one that was read: size, modification time, inode."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _safe_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)


def _write_file(path: Path, data: bytes) -> None:
    with os.fdopen(_create(path), "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@dataclass(frozen=True)
class StagedFile:
    """A private, immutable copy of an input, hashed while it was copied."""

    sha256: str
    path: Path  # the copy inside the staging directory
    source: Path  # where it came from
    size: int
    signature: str  # size:mtime:inode of the source when it was read

    @property
    def directory(self) -> Path:
        return self.path.parent


@dataclass(frozen=True)
class QuarantineEntry:
    sha256: str
    name: str
    source: str
    reason: str
    at: str
    path: Path
    kept: str = ""  # where the file itself was kept when no copy could be made (processed/…)

    def copy(self) -> Path | None:
        """The kept copy of the file inside the entry, if one was made."""
        return next((p for p in sorted(self.path.glob("original*")) if p.is_file()), None)


class Store:
    """Content-addressed archive under one root directory."""

    def __init__(self, root: Path, quarantine_root: Path) -> None:
        self.root = root
        self.quarantine_root = quarantine_root
        self.staging = root / ".staging"

    # -- staging -----------------------------------------------------------------

    def stage(self, source: Path, *, max_bytes: int, origin: Path | None = None) -> StagedFile:
        """Copy ``source`` into staging while hashing it; reject what is not a plain, sane file.

        Reading the private copy afterwards means a file that changes in the inbox
        cannot change what gets archived. ``origin`` is the path the clerk knows when
        ``source`` is a kept copy (a retry): a file quarantined again keeps its own name.
        """
        try:
            st = source.lstat()
        except OSError as exc:
            raise InputRejected(f"không đọc được tệp ({exc.strerror})", path=source) from exc
        if stat.S_ISLNK(st.st_mode):
            raise InputRejected("là liên kết tượng trưng (symlink), không đi theo", path=source)
        if not stat.S_ISREG(st.st_mode):
            raise InputRejected("không phải tệp thông thường (thư mục, FIFO, thiết bị…)", path=source)
        if st.st_size == 0:
            raise InputRejected("tệp rỗng (0 byte)", path=source)
        if st.st_size > max_bytes:
            raise InputRejected(
                f"tệp quá lớn ({st.st_size:,} byte, giới hạn {max_bytes:,}; DOITHOAI_MAX_FILE_BYTES)",
                path=source,
            )
        work = self._new_staging_dir()
        target = work / ("original" + _safe_suffix(source.name))
        h = hashlib.sha256()
        size = 0
        try:
            fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as src, os.fdopen(_create(target), "wb") as dst:
                while chunk := src.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise InputRejected("tệp lớn dần trong khi đọc, vượt giới hạn", path=source)
                    h.update(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
                after = os.fstat(src.fileno())
            if after.st_size != size or after.st_mtime_ns != st.st_mtime_ns:
                raise NotReady(f"tệp thay đổi trong khi đọc ({st.st_size:,} → {after.st_size:,} byte)", path=source)
        except NotReady:
            shutil.rmtree(work, ignore_errors=True)
            raise
        except InputRejected:
            shutil.rmtree(work, ignore_errors=True)
            raise
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            if exc.errno in (28, 122):  # ENOSPC, EDQUOT
                raise StoreError(f"hết chỗ trống trên đĩa lưu trữ {self.root}") from exc
            raise InputRejected(f"không đọc được tệp ({exc.strerror})", path=source) from exc
        return StagedFile(
            sha256=h.hexdigest(), path=target, source=origin or source, size=size, signature=file_signature(st)
        )

    def _new_staging_dir(self) -> Path:
        try:
            make_dirs(self.staging)
            work = self.staging / f"{os.getpid()}-{secrets.token_hex(6)}"
            work.mkdir(mode=DIR_MODE)
        except OSError as exc:
            raise StoreError(f"không ghi được vào kho lưu trữ {self.root}: {exc.strerror}") from exc
        return work

    def discard(self, staged: StagedFile) -> None:
        shutil.rmtree(staged.directory, ignore_errors=True)

    def clean_staging(self, older_than_s: float = 0.0) -> int:
        """Remove leftovers of crashed runs; returns how many were removed."""
        if not self.staging.is_dir():
            return 0
        removed = 0
        now = time.time()
        for entry in self.staging.iterdir():
            pid = entry.name.split("-", 1)[0]
            alive = pid.isdigit() and pid_alive(int(pid)) and int(pid) != os.getpid()
            if alive or now - entry.stat().st_mtime < older_than_s:
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        return removed

    # -- documents ---------------------------------------------------------------

    def doc_dir(self, sha: str) -> Path:
        if not _SHA.match(sha):
            raise NotFound(f"'{sha}' không phải mã tài liệu hợp lệ (64 ký tự hex)")
        return self.root / sha[:2] / sha

    def has(self, sha: str) -> bool:
        return (self.doc_dir(sha) / "record.json").is_file()

    def exists(self, sha: str) -> bool:
        """Whether anything is stored under this id (complete or damaged)."""
        return self.doc_dir(sha).is_dir()

    def check(self, sha: str, *, full: bool = True) -> list[str]:
        """What is wrong with one archived entry (empty: nothing). ``full`` re-hashes the original."""
        d = self.doc_dir(sha)
        if not d.is_dir():
            return [f"thiếu thư mục {printable(str(d))}"]
        problems = []
        originals = [p for p in d.glob("original*") if p.is_file()]
        if not originals:
            problems.append(f"thiếu bản gốc trong {printable(str(d))}")
        elif full:
            try:
                actual = sha256_file(originals[0])
            except OSError as exc:
                problems.append(f"không đọc được bản gốc {printable(str(originals[0]))} ({exc.strerror})")
            else:
                if actual != sha:
                    problems.append(f"bản gốc {printable(str(originals[0]))} đã bị thay đổi (SHA-256 {actual[:12]}…)")
        for load in (self.load_record, self.load_extraction):
            try:
                load(sha)
            except (Damaged, NotFound) as exc:
                problems.append(exc.reason)
        return problems

    def set_aside(self, sha: str) -> Path:
        """Move a damaged entry out of the store (to ``.damaged/``), so a good copy can take its place."""
        return self._move_aside(sha, ".damaged", "bản lưu hỏng")

    def _move_aside(self, sha: str, folder: str, what: str) -> Path:
        aside = self.root / folder / f"{sha}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        try:
            make_dirs(aside.parent)
            os.rename(self.doc_dir(sha), aside)
        except OSError as exc:
            raise StoreError(f"không chuyển được {what} {sha} sang {aside}: {exc.strerror}") from exc
        return aside

    def commit(self, staged: StagedFile, record: DocumentRecord, extraction: Extraction) -> Path:
        """Write pages and record beside the staged original and move it into place atomically.

        Returns the document directory. Raises FileExistsError when another process
        archived the same bytes first (the caller reports a duplicate).
        """
        work = staged.directory
        try:
            _write_file(work / "pages.json", extraction.model_dump_json(indent=1).encode())
            _write_file(work / "record.json", record.model_dump_json(indent=2).encode())
            _fsync_dir(work)
            final = self.doc_dir(staged.sha256)
            make_dirs(final.parent)
            os.rename(work, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            if exc.errno in (17, 39):  # EEXIST, ENOTEMPTY: same bytes archived concurrently
                self.discard(staged)
                raise FileExistsError(staged.sha256) from exc
            if exc.errno in (28, 122):
                raise StoreError(f"hết chỗ trống trên đĩa lưu trữ {self.root}") from exc
            raise StoreError(f"không ghi được tài liệu vào {self.root}: {exc.strerror}") from exc
        return final

    def replace_record(self, record: DocumentRecord) -> None:
        """Rewrite one record.json atomically (temp file + rename), e.g. after re-parsing."""
        path = self.doc_dir(record.id) / "record.json"
        if not path.is_file():
            raise NotFound(f"không có tài liệu {record.id}")
        tmp = path.with_name(f".record.{secrets.token_hex(4)}.tmp")
        _write_file(tmp, record.model_dump_json(indent=2).encode())
        os.replace(tmp, path)

    def load_record(self, sha: str) -> DocumentRecord:
        path = self.doc_dir(sha) / "record.json"
        try:
            return DocumentRecord.model_validate_json(path.read_bytes())
        except FileNotFoundError as exc:
            if self.doc_dir(sha).is_dir():
                raise Damaged(f"bản lưu {sha} hỏng: thiếu {printable(str(path))}", doc_id=sha) from exc
            raise NotFound(f"không có tài liệu nào mang mã {sha} trong kho") from exc
        except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            raise Damaged(_unreadable(sha, path, exc), doc_id=sha) from exc

    def load_extraction(self, sha: str) -> Extraction:
        path = self.doc_dir(sha) / "pages.json"
        try:
            return Extraction.model_validate_json(path.read_bytes())
        except FileNotFoundError as exc:
            if self.doc_dir(sha).is_dir():
                raise Damaged(f"bản lưu {sha} hỏng: thiếu {printable(str(path))}", doc_id=sha) from exc
            raise NotFound(f"không có tài liệu nào mang mã {sha} trong kho") from exc
        except (OSError, ValueError) as exc:
            raise Damaged(_unreadable(sha, path, exc), doc_id=sha) from exc

    def original_path(self, sha: str) -> Path:
        for p in self.doc_dir(sha).glob("original*"):
            return p
        raise NotFound(f"không có tài liệu nào mang mã {sha} trong kho")

    def attach(self, sha: str, name: str, data: bytes) -> Path:
        """Keep a small file beside an archived document (e.g. the data a generated one was made from)."""
        if not re.fullmatch(r"[a-z0-9_.-]{1,40}", name) or name.startswith(("original", "record", "pages")):
            raise StoreError(f"tên tệp đính kèm không hợp lệ: {name}")
        target = self.doc_dir(sha) / name
        tmp = target.with_name(f".{name}.{secrets.token_hex(4)}.tmp")
        _write_file(tmp, data)
        os.replace(tmp, target)
        return target

    def searchable_path(self, sha: str) -> Path | None:
        """The searchable PDF of a scanned document; None when the original is already searchable."""
        path = self.doc_dir(sha) / SEARCHABLE_PDF
        return path if path.is_file() else None

    def resolve_id(self, prefix: str) -> str:
        """Full id from a unique prefix of at least 6 hex digits (like git)."""
        prefix = prefix.lower()
        if _SHA.match(prefix):
            return prefix
        if not re.fullmatch(r"[0-9a-f]{6,63}", prefix):
            raise NotFound(f"'{prefix}' không phải mã tài liệu (ít nhất 6 ký tự hex)")
        bucket = self.root / prefix[:2]
        matches = [p.name for p in bucket.glob(prefix + "*")] if bucket.is_dir() else []
        if not matches:
            raise NotFound(f"không có tài liệu nào có mã bắt đầu bằng {prefix}")
        if len(matches) > 1:
            raise NotFound(f"mã {prefix} trùng với {len(matches)} tài liệu; gõ thêm ký tự")
        return matches[0]

    def iter_ids(self) -> Iterator[str]:
        """Every archived id: an entry with its record."""
        for sha in self.iter_entries():
            if (self.root / sha[:2] / sha / "record.json").is_file():
                yield sha

    def iter_entries(self) -> Iterator[str]:
        """Every id that has a directory in the store, complete or damaged (verify walks these)."""
        if not self.root.is_dir():
            return
        for bucket in sorted(self.root.iterdir()):
            if len(bucket.name) != 2 or not bucket.is_dir():
                continue
            for doc in sorted(bucket.iterdir()):
                if _SHA.match(doc.name) and doc.is_dir():
                    yield doc.name

    def entry_signature(self, sha: str) -> str:
        """Size and time of each file of an entry: what tells that it has not changed since last checked."""
        parts = []
        for p in sorted(self.doc_dir(sha).iterdir()):
            st = p.stat()
            parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
        return "|".join(parts)

    def iter_records(self) -> Iterator[DocumentRecord]:
        for sha in self.iter_ids():
            yield self.load_record(sha)

    def count(self) -> int:
        return sum(1 for _ in self.iter_ids())

    # -- quarantine --------------------------------------------------------------

    def quarantine(self, staged: StagedFile, reason: str) -> QuarantineEntry:
        """Keep a bad file with its reason; the same bytes twice are one entry."""
        target = self.quarantine_root / staged.sha256
        info = {
            "sha256": staged.sha256,
            "name": printable(staged.source.name),
            "source": printable(str(staged.source)),
            "reason": reason,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            make_dirs(target)
            original = target / staged.path.name
            if not original.exists():
                os.replace(staged.path, original)
            tmp = target / ".reason.json.tmp"
            _write_file(tmp, json.dumps(info, ensure_ascii=False, indent=2).encode())
            os.replace(tmp, target / "reason.json")
        except OSError as exc:
            raise StoreError(f"không ghi được vào khu cách ly {self.quarantine_root}: {exc.strerror}") from exc
        finally:
            self.discard(staged)
        return QuarantineEntry(path=target, **info)

    def quarantine_unread(self, source: Path, reason: str) -> QuarantineEntry:
        """Record a file that could not even be copied (too large, unreadable, a FIFO) by name only.

        The entry is keyed by the path and what the file is (size, time, inode), so two different
        files that had the same name are two entries.
        """
        try:
            what = file_signature(source.lstat())
        except OSError:
            what = ""
        key = hashlib.sha256(os.fsencode(str(source)) + b"\0" + what.encode()).hexdigest()
        target = self.quarantine_root / f"unread-{key[:32]}"
        info = {
            "sha256": "",
            "name": printable(source.name),
            "source": printable(str(source)),
            "reason": reason,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            make_dirs(target)
            _write_file(target / "reason.json", json.dumps(info, ensure_ascii=False, indent=2).encode())
        except OSError as exc:
            raise StoreError(f"không ghi được vào khu cách ly {self.quarantine_root}: {exc.strerror}") from exc
        return QuarantineEntry(path=target, **info)

    def note_kept(self, entry_id: str, kept: Path) -> None:
        """Write down where a quarantined file that has no copy was moved (so retry can find it)."""
        path = self.quarantine_root / entry_id / "reason.json"
        with contextlib.suppress(OSError, ValueError):
            info = json.loads(path.read_text(encoding="utf-8"))
            info["kept"] = printable(str(kept))
            tmp = path.with_name(".reason.json.tmp")
            _write_file(tmp, json.dumps(info, ensure_ascii=False, indent=2).encode())
            os.replace(tmp, path)

    def has_copy(self, entry_id: str, size: int) -> bool:
        """Whether quarantine entry ``entry_id`` holds a complete copy (``size`` bytes) of the file."""
        if not _SHA.match(entry_id):
            return False
        copies = [p for p in (self.quarantine_root / entry_id).glob("original*") if p.is_file()]
        return any(p.stat().st_size == size for p in copies)

    # --- archived files still in the inbox ---------------------------------------------------
    # An archived file that changed shortly before it was read stays in the inbox until a later
    # run (a writer may only have paused: half a text file is a valid text file). It is noted
    # here, so that when its complete version is archived the partial entry is set aside.

    def note_pending(self, sha: str, source: str) -> None:
        """Note that archived ``sha`` was read from inbox file ``source``, which is still there."""
        folder = self.root / ".pending"
        with contextlib.suppress(OSError):
            make_dirs(folder)
            tmp = folder / f".{sha}.tmp"
            _write_file(tmp, json.dumps({"source": source}, ensure_ascii=False).encode())
            os.replace(tmp, folder / sha)

    def confirm_pending(self, sha: str, source: str) -> None:
        """The bytes of pending ``sha`` came again from ``source``: from elsewhere, they are a
        document of their own, and a later longer file at the first path must not set them aside."""
        note = self.root / ".pending" / sha
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if json.loads(note.read_text(encoding="utf-8")).get("source") != source:
                note.unlink()

    def clear_pending(self, sha: str) -> None:
        with contextlib.suppress(OSError):
            (self.root / ".pending" / sha).unlink()

    def pending_from(self, source: str) -> list[str]:
        """Archived ids read from inbox file ``source`` that is still in the inbox."""
        folder = self.root / ".pending"
        found = []
        for note in sorted(folder.iterdir()) if folder.is_dir() else []:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                if time.time() - note.stat().st_mtime > _PENDING_DAYS * 86400:
                    note.unlink()  # the file was taken out of the inbox by hand long ago
                elif _SHA.match(note.name) and json.loads(note.read_text(encoding="utf-8")).get("source") == source:
                    found.append(note.name)
        return found

    def supersede_partial(self, sha: str, complete: Path) -> Path | None:
        """Set archived ``sha`` aside (to ``.superseded/``) if its original is a strict beginning
        of ``complete``: it was a copy caught half-way. Returns where it went, or None."""
        try:
            if not _begins_with(complete, self.original_path(sha).stat().st_size, sha):
                return None
        except (OSError, DoithoaiError):
            return None
        aside = self._move_aside(sha, ".superseded", "bản chép dở")
        self.clear_pending(sha)
        return aside

    def drop_partial_copies(self, source: str, complete: Path) -> list[QuarantineEntry]:
        """Release quarantine entries of ``source`` that hold only a beginning of ``complete``.

        A writer that paused mid-copy leaves a truncated file that is quarantined as broken; when
        the complete file is archived, that entry was never a document of its own.
        """
        dropped = []
        for entry in list(self.iter_quarantine()):
            copy = entry.copy()
            if entry.source != source or copy is None or not entry.sha256:
                continue
            if _begins_with(complete, copy.stat().st_size, entry.sha256):
                self.release_quarantine(entry)
                dropped.append(entry)
        return dropped

    def quarantined(self, key: str) -> QuarantineEntry:
        """A quarantine entry by its id (the sha256, or a unique prefix of 6+ characters)."""
        matches = [q for q in self.iter_quarantine() if q.path.name.startswith(key.lower())] if len(key) >= 6 else []
        if len(matches) != 1:
            raise NotFound(f"không có (hoặc có nhiều hơn một) tệp cách ly mang mã {key}")
        return matches[0]

    def release_quarantine(self, entry: QuarantineEntry) -> None:
        shutil.rmtree(entry.path, ignore_errors=True)

    def iter_quarantine(self) -> Iterator[QuarantineEntry]:
        if not self.quarantine_root.is_dir():
            return
        for entry in sorted(self.quarantine_root.iterdir()):
            with contextlib.suppress(OSError, ValueError):
                info = json.loads((entry / "reason.json").read_text(encoding="utf-8"))
                yield QuarantineEntry(path=entry, **info)


def _begins_with(whole: Path, n: int, sha: str) -> bool:
    """Whether ``whole`` is longer than ``n`` bytes and its first ``n`` are the content ``sha``
    names (a strict beginning of it: a copy caught half-way)."""
    if n >= whole.stat().st_size:
        return False
    h = hashlib.sha256()
    with whole.open("rb") as f:
        left = n
        while left and (chunk := f.read(min(_CHUNK, left))):
            h.update(chunk)
            left -= len(chunk)
    return h.hexdigest() == sha


def _unreadable(sha: str, path: Path, exc: BaseException) -> str:
    return f"bản lưu {sha} hỏng: {printable(str(path))} không đọc được ({_short(exc)})"


def _short(exc: BaseException) -> str:
    """The first line of an error, short enough for one report line."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts: it may not be signalled)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
