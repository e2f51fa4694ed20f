"""State secrets: what the archive may hold at all (``DOITHOAI_SECRETS``).

Luật Bảo vệ bí mật nhà nước 2018 (29/2018/QH14), Điều 5 khoản 5, forbids storing documents
with state-secret content on a computer that is or has been connected to a network. So with
``register-only`` (the default) a file marked MẬT, TỐI MẬT or TUYỆT MẬT is **not archived**:

- only a register entry is kept (``<home>/secrets.db``): number and symbol, date, issuer, độ mật,
  type, and the trích yếu — except for TUYỆT MẬT, whose trích yếu is recorded only with approval
  (Nghị định 26/2020/NĐ-CP);
- the file itself is moved out of the inbox into the holding folder (``DOITHOAI_SECRETS_HOLD``,
  default ``<home>/secret-hold``, outside the store, mode 0700), to be taken off this machine and
  handled by the office's secret-document procedure; ``doithoai secrets purge ID`` overwrites it
  with zeros, then deletes it;
- nothing else is written: no text (``pages.json``), no record, no searchable PDF, no index entry,
  and the run report and logs carry only the register fields. The staged copy of the file is
  overwritten before it is deleted.

The searchable PDF of OCR'd pages holds the text: while the mark is unknown it is written beside
the staged copy sealed with a key that lives only in this process's memory (archive/sealed.py),
and only unsealed into place once the record says the document is not marked (:class:`Screen`).
For a marked file the sealed bytes are deleted and the key forgotten, which leaves noise even
where overwriting would not reach (SSDs, snapshots). It used to be held in memory until then:
a 2,000-page scan's searchable PDF is hundreds of megabytes.

``store`` archives marked documents in full (for an installation on no network at all); then
clearance decides who sees them (archive/access.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import sealed, sqlite
from archive.access import CLEARANCE_LABELS
from archive.audit import AuditLog
from archive.errors import NotFound, StoreError, UsageError
from archive.records import DocumentRecord, Extraction
from archive.settings import Settings
from archive.store import StagedFile, Store, file_signature, sha256_file
from archive.vntext import fold, printable
from flows import renditions
from search import SearchBackend

__all__ = [
    "SECRET_LEVELS",
    "Correction",
    "Held",
    "RegisterEntry",
    "Screen",
    "SecretRegister",
    "correct_confidentiality",
    "marked_level",
    "purge",
    "warning_text",
]

SECRET_LEVELS = ("mat", "toi_mat", "tuyet_mat")
_FOLDED_MARKS = {"MAT": "mat", "TOI MAT": "toi_mat", "TUYET MAT": "tuyet_mat"}
_CELL_SPLIT = re.compile(r"\t| {2,}")
_HEADER_LINES = 25

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS register (
    id TEXT PRIMARY KEY,
    confidentiality TEXT NOT NULL,
    doc_type TEXT,
    number_symbol TEXT,
    issue_date TEXT,
    issuer TEXT,
    title TEXT,
    file_name TEXT NOT NULL,
    held_path TEXT,
    registered_at TEXT NOT NULL,
    purged_at TEXT
)""",
)


@dataclass(frozen=True)
class RegisterEntry:
    """One marked document as the register knows it: never its text."""

    id: str
    confidentiality: str
    doc_type: str | None
    number_symbol: str | None
    issue_date: str | None
    issuer: str | None
    title: str | None  # None for TUYỆT MẬT
    file_name: str
    held_path: str | None  # None once purged
    registered_at: str
    purged_at: str | None

    @property
    def label(self) -> str:
        return CLEARANCE_LABELS.get(self.confidentiality, self.confidentiality)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "confidentiality_label": self.label, "warning": warning_text(self)}

    @classmethod
    def of(cls, doc_id: str, record: DocumentRecord, level: str, file_name: str, held: Path) -> RegisterEntry:
        """The register fields of ``record`` and nothing else (no trích yếu for TUYỆT MẬT)."""
        return cls(
            id=doc_id,
            confidentiality=level,
            doc_type=record.doc_type,
            number_symbol=record.number_symbol,
            issue_date=record.issue_date.isoformat() if record.issue_date else None,
            issuer=record.issuer,
            title=None if level == "tuyet_mat" else record.title,
            file_name=file_name,
            held_path=str(held),
            registered_at=datetime.now(UTC).isoformat(timespec="seconds"),
            purged_at=None,
        )


@dataclass(frozen=True)
class Held:
    """What ingest_one reports for a held file (the register fields and the warning, nothing else)."""

    id: str
    reason: str


def warning_text(entry: RegisterEntry) -> str:
    """The loud message of the run report, the CLI and the ingest page."""
    if entry.purged_at:
        return f"Văn bản {entry.label} đã được xóa khỏi máy này lúc {entry.purged_at}."
    return (
        f"⚠ VĂN BẢN {entry.label.upper()} — KHÔNG ĐƯỢC LƯU TRÊN MÁY NÀY (Luật Bảo vệ bí mật nhà nước, Điều 5.5). "
        f"Chỉ ghi vào sổ văn bản mật (mã {entry.id[:12]}); tệp đang tạm giữ trong thư mục "
        f"{Path(entry.held_path).parent if entry.held_path else ''}. "
        "PHẢI gỡ tệp khỏi máy này và xử lý theo quy trình quản lý văn bản mật của cơ quan, "
        f"rồi xóa hẳn bằng: doithoai secrets purge {entry.id[:12]}"
    )


def marked_level(record: DocumentRecord, extraction: Extraction) -> str | None:
    """The document's secrecy level: the parser's, or a mark in the header of the first page.

    The second look catches a mark the parser did not place (an OCR'd ``MẶT`` for ``MẬT``, a mark
    after the type line): holding a public document by mistake costs a clerk a look; archiving a
    secret one breaks the law.
    """
    if record.confidentiality in SECRET_LEVELS:
        return record.confidentiality
    first = extraction.pages[0].text if extraction.pages else ""
    for line in first.splitlines()[:_HEADER_LINES]:
        for cell in [line, *_CELL_SPLIT.split(line)]:  # the whole line first: "TỐI  MẬT" is one mark
            cell = cell.strip(" .:*-–—\u00a0")
            if cell and cell.isupper():
                level = _FOLDED_MARKS.get(re.sub(r"\s+", " ", fold(cell).upper()))
                if level:
                    return level
    return None


class SecretRegister:
    """The register of marked documents that were not archived (``<home>/secrets.db``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = settings.home / "secrets.db"

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with sqlite.session(self.path, _SCHEMA, "sổ văn bản mật") as db:
            yield db

    def add(self, entry: RegisterEntry) -> RegisterEntry:
        """Register (or, for the same bytes again, re-register with the new holding place)."""
        with self._db() as db, sqlite.write(db):
            db.execute(
                "INSERT INTO register VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
                "held_path = excluded.held_path, file_name = excluded.file_name, purged_at = NULL",
                tuple(asdict(entry).values()),
            )
        return self.get(entry.id)

    def entries(self, *, include_purged: bool = True) -> list[RegisterEntry]:
        sql = "SELECT * FROM register"
        if not include_purged:
            sql += " WHERE purged_at IS NULL"
        with self._db() as db:
            rows = db.execute(sql + " ORDER BY registered_at DESC, id").fetchall()
        return [RegisterEntry(*r) for r in rows]

    def get(self, key: str) -> RegisterEntry:
        key = key.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{6,64}", key):
            raise NotFound(f"'{key}' không phải mã trong sổ văn bản mật (ít nhất 6 ký tự hex)")
        with self._db() as db:
            rows = db.execute("SELECT * FROM register WHERE id LIKE ?", (key + "%",)).fetchall()
        if len(rows) != 1:
            raise NotFound(f"không có (hoặc có nhiều hơn một) mục trong sổ văn bản mật mang mã {key}")
        return RegisterEntry(*rows[0])

    def mark_purged(self, entry_id: str) -> RegisterEntry:
        with self._db() as db, sqlite.write(db):
            db.execute(
                "UPDATE register SET purged_at = ?, held_path = NULL WHERE id = ?",
                (datetime.now(UTC).isoformat(timespec="seconds"), entry_id),
            )
        return self.get(entry_id)


class Screen:
    """One file's passage through extraction while its secrecy is not known yet.

    ``searchable_pdf`` is where extraction may write the searchable PDF and ``seal`` the key to
    seal it with: the staged document's own searchable PDF and no key with
    ``DOITHOAI_SECRETS=store``; a sealed file beside the staged copy and a key that lives only
    here otherwise. :meth:`hold_if_marked` then either holds the file (the sealed PDF is deleted
    with its key) or unseals the PDF into place. :meth:`close` always runs.
    """

    def __init__(self, settings: Settings, staged: StagedFile, target: Path) -> None:
        self.settings = settings
        self.staged = staged
        self.target = target
        self.seal: bytes | None = None
        self.searchable_pdf = target
        if settings.secrets == "register-only":
            self.seal = sealed.new_key()
            self.searchable_pdf = staged.directory / ".searchable.pdf.sealed"

    def hold_if_marked(self, record: DocumentRecord, extraction: Extraction, read_from: Path) -> Held | None:
        """Hold and register a marked file (register-only); else put the searchable PDF in place."""
        if self.seal is None:
            return None
        level = marked_level(record, extraction)
        if level is None:
            self._keep_searchable()
            return None
        return _hold(self.settings, self.staged, record, level, read_from)

    def _keep_searchable(self) -> None:
        assert self.seal is not None
        try:
            if not self.searchable_pdf.stat().st_size:
                return
        except FileNotFoundError:
            return  # nothing was OCR'd: the original is its own searchable copy
        with self.target.open("wb") as out:
            sealed.unseal(self.searchable_pdf, self.seal, out)
            out.flush()
            os.fsync(out.fileno())

    def close(self) -> None:
        """Forget the key and delete the sealed file: what is left of it, if anything, is noise."""
        if self.seal is not None:
            self.seal = None
            with contextlib.suppress(FileNotFoundError):
                self.searchable_pdf.unlink()


def _hold(settings: Settings, staged: StagedFile, record: DocumentRecord, level: str, read_from: Path) -> Held:
    """Register the entry, then move the file to the holding folder and shred the staged copy.

    Registered first: a register that cannot be written (a damaged secrets.db) stops here, with
    the file still in the inbox, rather than leaving a held file that no register lists.
    """
    folder = settings.secrets_hold_dir / staged.sha256[:16]
    target = folder / (_safe_name(read_from.name) or "tep" + staged.path.suffix)
    entry = RegisterEntry.of(staged.sha256, record, level, printable(read_from.name), target)
    entry = SecretRegister(settings).add(entry)
    try:
        settings.secrets_hold_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        try:
            unchanged = file_signature(read_from.lstat()) == staged.signature
        except OSError:
            unchanged = False
        if unchanged and not target.exists():
            _move(read_from, target)  # the inbox file itself leaves the inbox
            shred(staged.path)
        elif not target.exists():
            os.replace(staged.path, target)  # the source changed or vanished: hold what was read
        else:
            shred(staged.path)  # the same bytes are already held
            if unchanged:
                shred(read_from)
        target.chmod(0o600)
        shred_tree(staged.directory)
    except OSError as exc:
        raise StoreError(f"không chuyển được tệp mật vào khu tạm giữ {settings.secrets_hold_dir}: {exc}") from exc
    AuditLog(settings.home).record(
        "(lưu trữ tự động)",
        "secret.register",
        staged.sha256,
        {"độ mật": level, "số ký hiệu": entry.number_symbol, "tệp": entry.file_name},
    )
    return Held(id=staged.sha256, reason=warning_text(entry))


def _safe_name(name: str) -> str:
    name = printable(name).replace("/", "_").strip(". ")
    return name[:150]


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: another file system; copy, then overwrite and delete the source
            raise
        with source.open("rb") as src, target.open("wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        shred(source)


def shred(path: Path) -> None:
    """Overwrite a file with zeros (and sync) before deleting it; absent files are fine."""
    try:
        size = path.lstat().st_size
        if path.is_file() and not path.is_symlink():
            with path.open("r+b") as f:
                left = size
                while left > 0:
                    n = min(left, 1 << 20)
                    f.write(b"\0" * n)
                    left -= n
                f.flush()
                os.fsync(f.fileno())
        path.unlink()
    except FileNotFoundError:
        return


def shred_tree(folder: Path) -> None:
    if not folder.exists():
        return
    for p in sorted(folder.rglob("*"), reverse=True):
        if p.is_dir() and not p.is_symlink():
            p.rmdir()
        else:
            shred(p)
    folder.rmdir()


def _shred_copies(folder: Path, sha256: str, size: int) -> None:
    """The done inbox files kept under ``processed/`` (DOITHOAI_INBOX_AFTER=move) with these bytes."""
    if not folder.is_dir():
        return
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink() and p.stat().st_size == size and sha256_file(p) == sha256:
            shred(p)


def purge(settings: Settings, key: str) -> RegisterEntry:
    """Overwrite, then delete, the held file of a register entry; the entry stays, marked purged."""
    register = SecretRegister(settings)
    entry = register.get(key)
    if entry.held_path:
        held = Path(entry.held_path)
        shred(held)
        with contextlib.suppress(OSError):
            held.parent.rmdir()
    return register.mark_purged(entry.id)


@dataclass(frozen=True)
class Correction:
    """What a confidentiality correction did: the updated record, or the register entry it became."""

    record: DocumentRecord | None
    held: RegisterEntry | None
    before: str | None


def correct_confidentiality(
    settings: Settings, store: Store, backend: SearchBackend, doc_id: str, level: str | None
) -> Correction:
    """A clerk's correction of a document's độ mật (the parser missed or misread the mark).

    With ``register-only``, a document corrected to MẬT/TỐI MẬT/TUYỆT MẬT may not stay: its
    original goes to the holding folder, everything else of it is overwritten and deleted, it
    leaves the index, and it becomes a register entry. Otherwise the record is rewritten and
    re-indexed, so the new level filters it at once.
    """
    if level is not None and level not in SECRET_LEVELS:
        raise UsageError(f"độ mật không hợp lệ: '{level}' (mat, toi_mat, tuyet_mat, hoặc để trống)")
    record = store.load_record(doc_id)
    before = record.confidentiality
    if level in SECRET_LEVELS and settings.secrets == "register-only":
        return Correction(record=None, held=_hold_archived(settings, store, backend, record, level), before=before)
    updated = record.model_copy(update={"confidentiality": level})
    store.replace_record(updated)
    renditions.index(backend, store, [(updated, store.load_extraction(doc_id).text)])  # with its new level's files
    renditions.regroup(backend, store, record)  # the files it left keep a primary
    return Correction(record=updated, held=None, before=before)


def _hold_archived(
    settings: Settings, store: Store, backend: SearchBackend, record: DocumentRecord, level: str
) -> RegisterEntry:
    original = store.original_path(record.id)
    folder = settings.secrets_hold_dir / record.id[:16]
    name = _safe_name(record.source.name if record.source else "") or original.name
    try:
        settings.secrets_hold_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        target = folder / name
        os.replace(original, target)
        target.chmod(0o600)
        backend.remove(record.id)
        shred_tree(store.doc_dir(record.id))
        _shred_copies(settings.home / "processed", record.id, target.stat().st_size)
    except OSError as exc:
        raise StoreError(f"không chuyển được văn bản mật vào khu tạm giữ {settings.secrets_hold_dir}: {exc}") from exc
    renditions.regroup(backend, store, record)  # another file of the document, if any, is now the one searches show
    entry = RegisterEntry.of(record.id, record, level, name, target)
    return SecretRegister(settings).add(entry)
