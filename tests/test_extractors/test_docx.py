"""DOCX: paragraphs and tables in order, page headers/footers, footnotes; zip bombs refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from archive import InputRejected, Settings
from extractors import extract
from tests.makers import add_footnotes, make_docx


def test_body_tables_headers_footers_and_footnotes_are_read(tmp_path: Path, settings: Settings) -> None:
    f = make_docx(
        tmp_path / "tb.docx",
        ["THÔNG BÁO", "kết luận của đồng chí Bí thư Tỉnh ủy", "Nội dung về giải phóng mặt bằng."],
        header_cells=(
            ["TỈNH ỦY NGHỆ AN", "*", "Số 1876-TB/TU"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Nghệ An, ngày 29 tháng 5 năm 2019"],
        ),
        table=[["Cấp", "Số cuộc"], ["Cấp huyện", "265"]],
        page_header="Văn phòng Tỉnh ủy",
        page_footer="Trang 1",
    )
    add_footnotes(f, ["Tỉnh ủy tổ chức 22 cuộc, có 7.408 lượt nhân dân tham dự"])
    extraction = extract(f, settings)
    text = extraction.text
    assert extraction.pages[0].method == "docx"
    assert "TỈNH ỦY NGHỆ AN\tĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert text.index("Số 1876-TB/TU") < text.index("THÔNG BÁO") < text.index("giải phóng mặt bằng")
    assert "Cấp huyện\t265" in text
    assert "Văn phòng Tỉnh ủy" in text and "Trang 1" in text
    assert "7.408 lượt nhân dân" in text


def test_zip_bomb_docx_is_refused(tmp_path: Path, settings: Settings) -> None:
    f = make_docx(tmp_path / "bom.docx", ["vô hại"])
    with zipfile.ZipFile(f, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/bomb.bin", b"\0" * (300 * 1024 * 1024))
    assert f.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputRejected, match="bom nén"):
        extract(f, settings)


def test_entities_in_docx_xml_are_not_expanded(tmp_path: Path, settings: Settings) -> None:
    f = make_docx(tmp_path / "xxe.docx", ["bình thường"])
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:id="1"><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    with zipfile.ZipFile(f, "a") as z:
        z.writestr("word/footnotes.xml", lol)
    text = extract(f, settings).text
    assert "lollol" not in text
    assert "bình thường" in text
