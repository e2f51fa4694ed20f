"""Plain text: the encoding is detected, never guessed; a file we cannot read is refused with a reason."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from archive import ExtractionError, InputError, Settings
from extractors import extract
from tests.makers import to_cp1258

TEXT = "THÔNG BÁO\nkết luận của đồng chí Bí thư Tỉnh ủy về giải phóng mặt bằng, Đảng bộ huyện"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8", b"\xef\xbb\xbf" + TEXT.encode("utf-8")),
        ("utf-16", TEXT.encode("utf-16")),  # with BOM
        ("utf-16", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("cp1258", to_cp1258(TEXT)),
    ],
)
def test_known_encodings_are_read_as_nfc(tmp_path: Path, settings: Settings, encoding: str, data: bytes) -> None:
    f = tmp_path / "vb.txt"
    f.write_bytes(data)
    extraction = extract(f, settings)
    assert extraction.encoding == encoding
    assert extraction.text == TEXT
    assert unicodedata.is_normalized("NFC", extraction.text)


def test_windows_1258_with_precomposed_letters(tmp_path: Path, settings: Settings) -> None:
    # cp1258 has some letters precomposed (ê, ô, ư, đ) and tones as combining marks.
    text = "Đảng ủy xã Vũ Hội đối thoại với nhân dân về dồn điền, đổi thửa"
    f = tmp_path / "cu.txt"
    f.write_bytes(to_cp1258(text))
    assert extract(f, settings).text == text


def test_tcvn3_text_is_refused_not_guessed(tmp_path: Path, settings: Settings) -> None:
    # "Tỉnh ủy Hậu Giang tổ chức đối thoại" typed in the legacy TCVN3 (ABC) encoding.
    tcvn3 = bytes.fromhex("54b6 6e68 20ad 7920 48c9 7520 4769 616e 6720 74de 2063 68f8 6320 ae e8 6920 7468 6f b9 69")
    f = tmp_path / "tcvn3.txt"
    f.write_bytes(tcvn3 * 20)
    with pytest.raises(ExtractionError, match="bảng mã"):
        extract(f, settings)


def test_utf16_without_bom_is_refused(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 không có dấu BOM"):
        extract(f, settings)


def test_form_feeds_split_pages(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "trang.txt"
    f.write_text("trang một\fTrang hai\r\ndòng hai")
    pages = extract(f, settings).pages
    assert [p.text for p in pages] == ["trang một", "Trang hai\ndòng hai"]
    assert {p.method for p in pages} == {"plain"}
