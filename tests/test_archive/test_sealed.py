"""A sealed file is noise on disk, the same bytes again with its key, and noise with any other."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import pytest

from archive import sealed

TEXT = "Nội dung riêng của hội nghị đối thoại: giải phóng mặt bằng đường liên xã. ".encode() * 2000


def _write(path: Path, key: bytes | None, chunks: list[bytes]) -> list[int]:
    sink = sealed.open_sink(path, key)
    where = []
    for chunk in chunks:
        where.append(sink.tell())
        sink.write(chunk)
    sink.close()
    return where


def test_sealed_bytes_read_back_only_with_their_key(tmp_path: Path) -> None:
    key, other = sealed.new_key(), sealed.new_key()
    path = tmp_path / "x.sealed"
    chunks = [TEXT[:7], TEXT[7:70_000], TEXT[70_000:]]
    where = _write(path, key, chunks)
    assert where == [0, 7, 70_000]  # as a plain file would say: offsets inside the PDF stay true
    on_disk = path.read_bytes()
    assert len(on_disk) == len(TEXT)
    assert "giải phóng".encode() not in on_disk
    assert len(zlib.compress(on_disk)) > 0.99 * len(on_disk)  # noise: nothing left to compress
    back = io.BytesIO()
    assert sealed.unseal(path, key, back) == len(TEXT)
    assert back.getvalue() == TEXT
    wrong = io.BytesIO()
    sealed.unseal(path, other, wrong)
    assert "giải phóng".encode() not in wrong.getvalue()


def test_without_a_key_the_file_is_plain(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    _write(path, None, [b"%PDF-1.7\n", TEXT])
    assert path.read_bytes() == b"%PDF-1.7\n" + TEXT


def test_every_file_gets_its_own_key_stream(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a, sealed.new_key(), [TEXT])
    _write(b, sealed.new_key(), [TEXT])
    assert a.read_bytes() != b.read_bytes()
    with pytest.raises(ValueError, match="48 bytes"):
        sealed.open_sink(tmp_path / "c", os.urandom(16))
