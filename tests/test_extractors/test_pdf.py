"""PDF text layers: Vietnamese read exactly per page; corrupt and encrypted files refused with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from archive import ExtractionError, InputRejected, Settings
from extractors import extract
from tests.makers import make_pdf

PAGE1 = "TỈNH ỦY HẬU GIANG\nSố 23-CT/TU\nCHỈ THỊ\nvề nâng cao chất lượng tiếp xúc, đối thoại trực tiếp với nhân dân"
PAGE2 = "Các cấp ủy đảng tập trung giải quyết đất đai, giải phóng mặt bằng và ô nhiễm môi trường ở cơ sở."


def test_text_layer_is_read_per_page_in_nfc(tmp_path: Path, settings: Settings) -> None:
    f = make_pdf(tmp_path / "ct.pdf", [PAGE1, PAGE2])
    extraction = extract(f, settings)
    assert extraction.media_type == "application/pdf"
    assert [p.number for p in extraction.pages] == [1, 2]
    assert all(p.method == "text" for p in extraction.pages)
    assert "Số 23-CT/TU" in extraction.pages[0].text
    assert "giải phóng mặt bằng" in extraction.pages[1].text
    assert extraction.pages[1].flags == ()


def test_a_page_without_text_is_flagged(tmp_path: Path, settings: Settings) -> None:
    f = make_pdf(tmp_path / "mixed.pdf", [PAGE1, "", PAGE2], blank_pages=(2,))
    pages = extract(f, settings).pages
    assert pages[1].flags == ("no_text",)
    assert pages[0].flags == ()


def test_truncated_pdf_is_an_extraction_error(tmp_path: Path, settings: Settings) -> None:
    good = make_pdf(tmp_path / "good.pdf", [PAGE1])
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ExtractionError, match="PDF"):
        extract(bad, settings)


def test_garbage_after_the_pdf_magic_is_an_extraction_error(tmp_path: Path, settings: Settings) -> None:
    bad = tmp_path / "rac.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(ExtractionError):
        extract(bad, settings)


def _encrypt(src: Path, dst: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="AES-128")
    with dst.open("wb") as f:
        writer.write(f)
    return dst


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path: Path, settings: Settings) -> None:
    f = _encrypt(make_pdf(tmp_path / "p.pdf", [PAGE1]), tmp_path / "open.pdf", "")
    assert "23-CT/TU" in extract(f, settings).text


def test_password_protected_pdf_is_refused(tmp_path: Path, settings: Settings) -> None:
    f = _encrypt(make_pdf(tmp_path / "p.pdf", [PAGE1]), tmp_path / "locked.pdf", "matkhau")
    with pytest.raises(InputRejected, match="mật khẩu"):
        extract(f, settings)


def test_page_limit(tmp_path: Path) -> None:
    f = make_pdf(tmp_path / "dai.pdf", [PAGE1] * 5)
    with pytest.raises(InputRejected, match="5 trang"):
        extract(f, Settings(home=tmp_path / "h", max_pages=3))


def test_extension_does_not_decide_the_kind(tmp_path: Path, settings: Settings) -> None:
    f = make_pdf(tmp_path / "real.pdf", [PAGE1])
    liar = tmp_path / "thong-bao.docx"
    liar.write_bytes(f.read_bytes())
    assert extract(liar, settings).media_type == "application/pdf"
