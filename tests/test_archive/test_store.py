"""The store is the system of record: byte-exact originals, one copy per content, atomic documents."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive import DocumentRecord, Extraction, InputRejected, Page, Source
from archive.store import Store, sha256_file


def _record(sha: str, name: str = "a.txt") -> DocumentRecord:
    source = Source(path=f"/inbox/{name}", name=name, size=3, media_type="text/plain", ingested_at=datetime.now(UTC))
    return DocumentRecord(id=sha, title="thử", source=source, pages=1)


def _extraction(text: str = "nội dung") -> Extraction:
    return Extraction(media_type="text/plain", pages=(Page(number=1, text=text, method="plain"),))


def test_stage_and_commit_keep_the_original_byte_for_byte(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "Thông báo 12.txt"
    src.write_bytes("Tỉnh ủy\r\n".encode())
    staged = store.stage(src, max_bytes=1000)
    assert staged.sha256 == sha256_file(src)
    final = store.commit(staged, _record(staged.sha256), _extraction())
    assert (final / "original.txt").read_bytes() == src.read_bytes()
    assert store.has(staged.sha256)
    assert store.load_record(staged.sha256).title == "thử"
    assert store.load_extraction(staged.sha256).text == "nội dung"
    assert list(store.iter_ids()) == [staged.sha256]


def test_same_bytes_under_another_name_are_the_same_document(store: Store, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "khác tên.txt"
    a.write_text("giống nhau")
    b.write_text("giống nhau")
    first = store.stage(a, max_bytes=1000)
    store.commit(first, _record(first.sha256), _extraction())
    second = store.stage(b, max_bytes=1000)
    assert store.has(second.sha256)
    with pytest.raises(FileExistsError):
        store.commit(second, _record(second.sha256), _extraction())
    assert store.count() == 1
    assert not any(store.staging.iterdir())


def test_empty_files_symlinks_and_fifos_are_rejected_before_reading(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "rong.txt"
    empty.touch()
    link = tmp_path / "lien-ket.txt"
    link.symlink_to("/etc/hostname")
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    for path, words in [(empty, "rỗng"), (link, "symlink"), (fifo, "không phải tệp thông thường")]:
        with pytest.raises(InputRejected, match=words):
            store.stage(path, max_bytes=1000)


def test_too_big_files_are_rejected(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "to.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(InputRejected, match="quá lớn"):
        store.stage(big, max_bytes=1000)


def test_quarantine_keeps_the_file_and_its_reason(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    staged = store.stage(bad, max_bytes=1000)
    entry = store.quarantine(staged, "PDF hỏng")
    assert (entry.path / "original.pdf").read_bytes() == bad.read_bytes()
    reason = json.loads((entry.path / "reason.json").read_text())
    assert reason["reason"] == "PDF hỏng"
    assert reason["name"] == "hong.pdf"
    assert [q.reason for q in store.iter_quarantine()] == ["PDF hỏng"]
    assert not store.has(staged.sha256)


_CRASHER = textwrap.dedent(
    """
    import os
    import sys
    from datetime import datetime, UTC
    from pathlib import Path
    from archive import DocumentRecord, Extraction, Page, Source
    from archive.store import Store

    root, inbox = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store(root / "store", root / "quarantine")
    page_text = "đối thoại " * 200_000   # ~2 MB of pages.json per document: writes take time
    i = 0
    while True:
        f = inbox / f"{i}.txt"
        f.write_text(f"văn bản {i} của tiến trình {os.getpid()}")
        staged = store.stage(f, max_bytes=10**9)
        src = Source(path=str(f), name=f.name, size=1, media_type="text/plain", ingested_at=datetime.now(UTC))
        rec = DocumentRecord(id=staged.sha256, title=f"số {i}", source=src)
        ext = Extraction(media_type="text/plain", pages=(Page(number=1, text=page_text, method="plain"),))
        store.commit(staged, rec, ext)
        print(i, flush=True)
        i += 1
    """
)


def test_a_crash_mid_write_never_leaves_a_complete_looking_record(tmp_path: Path) -> None:
    """kill -9 a process that is writing documents, at several moments; every document that
    looks complete is complete, and cleaning up leaves no staging garbage."""
    root, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    for delay in (0.0, 0.05, 0.13, 0.29):
        proc = subprocess.Popen(
            [sys.executable, "-c", _CRASHER, str(root), str(inbox)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert proc.stdout is not None
        proc.stdout.readline()  # one document is through; the next is being written
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    store = Store(root / "store", root / "quarantine")
    ids = list(store.iter_ids())
    assert ids, "the writer should have finished at least one document"
    for sha in ids:
        record = store.load_record(sha)
        assert record.id == sha
        assert store.load_extraction(sha).pages[0].text.startswith("đối thoại")
        assert sha256_file(store.original_path(sha)) == sha
    assert len(ids) >= 4  # every run got at least one document through before its kill
    store.clean_staging()
    assert not store.staging.exists() or not any(store.staging.iterdir())


def test_stored_files_are_0640_in_0750_folders_whatever_the_umask_and_the_source(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "rieng.txt"
    src.write_bytes("Tỉnh ủy".encode())
    src.chmod(0o644)
    old = os.umask(0o022)
    try:
        staged = store.stage(src, max_bytes=1000)
        final = store.commit(staged, _record(staged.sha256), _extraction())
        bad = store.stage(src, max_bytes=1000)
        entry = store.quarantine(bad, "thử")
    finally:
        os.umask(old)
    for path in (final / "original.txt", final / "pages.json", final / "record.json", *entry.path.iterdir()):
        assert path.stat().st_mode & 0o777 == 0o640, path
    for folder in (final, final.parent, store.root, entry.path, store.quarantine_root):
        assert folder.stat().st_mode & 0o777 == 0o750, folder
