"""The whole record from a scan: real tesseract on pages laid out like the documents (two-column
headers, centred titles over two lines, "Nơi nhận" lists), then the parser on what it read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive import Settings
from extractors import extract, parse
from extractors.scan import fix_ocr_text
from tests.makers import page_image

PARTY_NOTICE = [
    "HUYỆN ỦY PHÙ CÁT\tĐẢNG CỘNG SẢN VIỆT NAM",
    "*",
    "Số 318-TB/HU\tPhù Cát, ngày 12 tháng 10 năm 2023",
    "",
    "THÔNG BÁO",
    "kết luận của đồng chí Bí thư Huyện ủy tại buổi tiếp xúc, đối thoại",
    "với nhân dân xã Cát Hanh",
    "Ngày 04/10/2023, đồng chí Bí thư Huyện ủy chủ trì buổi đối thoại với 185 đại biểu.",
    "Đồng chí Bí thư Huyện ủy kết luận như sau:",
    "1. Giao UBND huyện chỉ đạo cấp giấy chứng nhận, hoàn thành trước ngày 30/11/2023.",
    "2. Ban Quản lý dự án đầu tư xây dựng huyện sửa chữa đường trong quý IV/2023.",
    "Nơi nhận:",
    "- Thường trực Huyện ủy,",
    "- UBND huyện,",
    "- Lưu Văn phòng Huyện ủy.",
    "T/L BAN THƯỜNG VỤ",
    "CHÁNH VĂN PHÒNG",
    "Đặng Văn Thành",
]
STATE_LETTER = [
    "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "HUYỆN CHÂU THÀNH\tĐộc lập - Tự do - Hạnh phúc",
    "Số: 1532/UBND-VP\tChâu Thành, ngày 09 tháng 8 năm 2022",
    "V/v chuẩn bị nội dung đối thoại",
    "với nhân dân năm 2022",
    "Kính gửi: UBND các xã, thị trấn.",
    "Chủ tịch UBND huyện yêu cầu các đơn vị chuẩn bị nội dung trả lời kiến nghị.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Lê Văn Bé",
]


@pytest.fixture
def scan(tmp_path: Path, settings: Settings):  # type: ignore[no-untyped-def]
    def read(lines: list[str]):  # type: ignore[no-untyped-def]
        f = tmp_path / "scan.png"
        page_image(lines, dpi=200, size_pt=12).save(f, dpi=(200, 200))
        return parse(extract(f, settings))

    return read


def test_a_party_notice_read_from_a_scan(scan) -> None:  # type: ignore[no-untyped-def]
    r = scan(PARTY_NOTICE)
    assert (r.doc_type, r.number_symbol, r.issue_date, r.place) == (
        "thong_bao", "318-TB/HU", date(2023, 10, 12), "Phù Cát"
    )  # fmt: skip
    assert r.issuer == "Huyện ủy Phù Cát"
    assert r.title == "kết luận của đồng chí Bí thư Huyện ủy tại buổi tiếp xúc, đối thoại với nhân dân xã Cát Hanh"
    assert list(r.recipients) == ["Thường trực Huyện ủy", "UBND huyện", "Lưu Văn phòng Huyện ủy"]
    assert (r.signer.authority, r.signer.position, r.signer.name) == (
        "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Đặng Văn Thành"
    )  # fmt: skip
    assert [(d.agency, d.due) for d in r.deadlines] == [
        ("UBND huyện", date(2023, 11, 30)),
        ("Ban Quản lý dự án đầu tư xây dựng huyện", date(2023, 12, 31)),
    ]


def test_a_state_letter_read_from_a_scan_keeps_the_motto_out_of_the_issuer(scan) -> None:  # type: ignore[no-untyped-def]
    r = scan(STATE_LETTER)
    assert (r.doc_type, r.number_symbol, r.issue_date) == ("cong_van", "1532/UBND-VP", date(2022, 8, 9))
    assert r.issuer == "Ủy ban nhân dân huyện Châu Thành"
    assert r.title == "V/v chuẩn bị nội dung đối thoại với nhân dân năm 2022"
    assert list(r.recipients) == ["Như trên", "Lưu: VT"]


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Số 23 -CT/TU", "Số 23-CT/TU"),
        ("trong quý TV/2023.", "trong quý IV/2023."),
        ("quý Il năm 2024", "quý II năm 2024"),
        ("tống hợp ý kiến", "tổng hợp ý kiến"),
        ("Ðảng ủy", "Đảng ủy"),
        ("Các chỉ bộ trực thuộc", "Các chi bộ trực thuộc"),
        ("Công an tỉnh năm chắc tình hình", "Công an tỉnh nắm chắc tình hình"),
        ("Kế hoạch số 41-KH/ĐĐU ngày", "Kế hoạch số 41-KH/ĐU ngày"),
    ],
)
def test_ocr_confusions_are_repaired(read: str, meant: str) -> None:
    assert fix_ocr_text(read) == meant


@pytest.mark.parametrize(
    "right",
    ["quý 1/2023", "quý III/2023", "tống đạt giấy mời", "23-CT/TU", "Quý T.", "chỉ đạo", "năm 2024", "Đoàn ĐBQH tỉnh"],
)
def test_correct_text_is_left_as_it_is(right: str) -> None:
    assert fix_ocr_text(right) == right
