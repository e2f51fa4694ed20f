"""Where a draft may be written: never over a file without --force, never through a link or into
the archive, never as a Word file named .pdf, through a temporary file no one can predict; and the
Prefect flow takes only a template and its data and writes only into the service's drafts folder."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest

from archive import Settings, UsageError, open_store
from flows.generate import draft, issue
from templates.schemas import TEMPLATES

TB = TEMPLATES["thong_bao_ket_luan"].example


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / "tb.docx"
    out.write_bytes(b"the officer's own edits")
    with pytest.raises(UsageError, match="đã có; thêm --force để ghi đè"):
        draft("thong_bao_ket_luan", TB, settings, out)
    assert out.read_bytes() == b"the officer's own edits"
    draft("thong_bao_ket_luan", TB, settings, out, force=True)
    assert out.read_bytes()[:2] == b"PK" and oct(out.stat().st_mode & 0o777) == "0o640"


def test_a_link_at_the_target_is_never_followed(tmp_path: Path, settings: Settings) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "tb.docx"
    out.symlink_to(victim)
    with pytest.raises(UsageError, match="liên kết, thư mục hoặc thiết bị"):
        draft("thong_bao_ket_luan", TB, settings, out, force=True)
    assert victim.read_text() == "keep me" and out.is_symlink()


def test_the_temporary_file_is_not_predictable(tmp_path: Path, settings: Settings) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # the old fixed name: .NAME.PID.tmp
        (tmp_path / f".tb.docx.{pid}.tmp").symlink_to(victim)
    draft("thong_bao_ket_luan", TB, settings, tmp_path / "tb.docx")
    assert victim.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()] == []


def test_nothing_is_written_into_the_archive(tmp_path: Path, settings: Settings) -> None:
    first = issue("thong_bao_ket_luan", TB, settings, tmp_path / "tb.docx")
    original = open_store(settings).original_path(first.id or "")
    before = original.read_bytes()
    for target in (original.with_suffix(".docx"), settings.home / "x.docx", settings.inbox_dir / "x.docx"):
        with pytest.raises(UsageError, match="không ghi vào thư mục của kho"):
            draft("thong_bao_ket_luan", TB, settings, target, force=True)
    assert original.read_bytes() == before


def test_a_pdf_name_without_pdf_is_refused(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(UsageError, match=r"phải có đuôi \.docx.*thêm --pdf"):
        draft("thong_bao_ket_luan", TB, settings, tmp_path / "tb.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_generate_flow_takes_no_paths_or_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.generate_flow import generate_flow

    assert list(inspect.signature(generate_flow.fn).parameters) == ["template", "data"]
    home = tmp_path / "service-home"
    monkeypatch.setenv("DOITHOAI_HOME", str(home))
    done = generate_flow.fn("thong_bao_ket_luan", TB)
    path = Path(done["path"])
    assert path.parent == home / "drafts" and path.is_file() and done["number_symbol"] is None
    second = Path(generate_flow.fn("thong_bao_ket_luan", TB)["path"])
    assert second != path and second.is_file()  # a fresh name every time, nothing replaced
