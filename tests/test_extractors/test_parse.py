"""The first DocumentRecord: type, number and symbol, date, issuer and title from the header."""

from __future__ import annotations

import unicodedata
from datetime import date

from extractors import parse_text

PARTY_FLAT = """TỈNH ỦY NGHỆ AN                                        ĐẢNG CỘNG SẢN VIỆT NAM
        *
Số 1876-TB/TU                               Nghệ An, ngày 29 tháng 5 năm 2019

THÔNG BÁO
kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại
với nhân dân huyện Quỳnh Lưu
-----

Thực hiện Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị, ngày 21/5/2019 ...
"""

RIGHT_THEN_LEFT = """ĐẢNG CỘNG SẢN VIỆT NAM
Thọ Xuân, ngày 06 tháng 02 năm 2023

ĐẢNG BỘ TỈNH THANH HÓA
HUYỆN ỦY THỌ XUÂN
*
Số 112-KH/HU

KẾ HOẠCH
tổ chức tiếp xúc, đối thoại của đồng chí Bí thư Huyện ủy với nhân dân năm 2023
-----
Căn cứ Kết luận số 215-KL/TW ngày 23/11/2025 ...
"""

NOISY = """TỈNH ỦY VĨNH LONG                           ÐẢNG CỘNG SẢN VIỆT NAM
BAN DÂN VẬN
      *
Số 15 -HD/BDVTU                      Vĩnh Long, ngày 14 tháng 3 năm 2016

HƯỚNG DẪN
tổ chức hội nghị tiếp xúc, đối thoại giữa người đứng đầu cấp ủy,
chính quyền với nhân dân ở cấp huyện và cấp xã
-----
"""

STATE = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
-------
Số: 27/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Quảng Ngãi, ngày 03 tháng 3 năm 2021

THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh tại buổi đối thoại với các hộ dân xã Bình Trị
---------------
Thực hiện Kế hoạch số 18/KH-UBND ngày 25/01/2021 ...
"""

CONG_VAN = """TỈNH ỦY TÂY NINH                          ĐẢNG CỘNG SẢN VIỆT NAM
BAN DÂN VẬN
*
Số 245-CV/BDVTU                        Tây Ninh, ngày 21 tháng 10 năm 2015
V/v báo cáo kết quả tiếp xúc, đối thoại
với nhân dân năm 2015

Kính gửi: Các huyện ủy, thành ủy
"""

NEWS = """Văn phòng Tỉnh ủy: Phối hợp tổ chức tốt việc đối thoại giữa người đứng đầu cấp ủy với nhân dân

Theo Hướng dẫn số 11-HD/TU, ngày 09/12/2014 của Ban Thường vụ Tỉnh ủy về đối thoại ...
"""


def test_party_header_flattened_on_one_line() -> None:
    r = parse_text(PARTY_FLAT)
    assert r.doc_type == "thong_bao"
    assert r.number_symbol == "1876-TB/TU"
    assert r.issue_date == date(2019, 5, 29)
    assert r.place == "Nghệ An"
    assert r.issuer == "Tỉnh ủy Nghệ An"
    assert r.province == "Nghệ An"
    assert r.title == (
        "kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại với nhân dân huyện Quỳnh Lưu"
    )


def test_right_column_before_left_and_the_header_date_wins_over_body_dates() -> None:
    r = parse_text(RIGHT_THEN_LEFT)
    assert (r.doc_type, r.number_symbol, r.issue_date) == ("ke_hoach", "112-KH/HU", date(2023, 2, 6))
    assert r.issuer == "Huyện ủy Thọ Xuân"
    assert r.province == "Thanh Hóa"


def test_eth_spaced_symbol_and_nfd_are_repaired() -> None:
    r = parse_text(unicodedata.normalize("NFD", NOISY))
    assert r.number_symbol == "15-HD/BDVTU"
    assert r.doc_type == "huong_dan"
    assert r.issuer == "Ban Dân vận Tỉnh ủy Vĩnh Long"
    assert r.title is not None and r.title.startswith("tổ chức hội nghị tiếp xúc")


def test_an_issuing_body_wrapped_in_its_column_and_the_motto_joined_by_ocr() -> None:
    wrapped = (
        "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH\tĐẢNG CỘNG SẢN VIỆT NAM\nQUẢNG BÌNH\n*\n"
        "Số: 1207-QĐ/TU\tQuảng Bình, ngày 5 tháng 3 năm 2020\n\nQUY ĐỊNH\nvề tiếp xúc, đối thoại định kỳ\n"
    )
    r = parse_text(wrapped)
    assert (r.issuer, r.province, r.doc_type) == ("Ban Chấp hành Đảng bộ tỉnh Quảng Bình", "Quảng Bình", "quy_dinh")
    joined = (  # what OCR gives for a State header whose columns it read as one line
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHUYỆN CHÂU THÀNH Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1532/UBND-VP Châu Thành, ngày 09 tháng 8 năm 2022\nV/v chuẩn bị nội dung đối thoại\n\n"
        "Kính gửi: UBND các xã.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Bé\n"
    )
    r = parse_text(joined)
    assert (r.issuer, r.number_symbol) == ("Ủy ban nhân dân huyện Châu Thành", "1532/UBND-VP")


def test_state_format() -> None:
    r = parse_text(STATE)
    assert (r.doc_type, r.number_symbol, r.issue_date) == ("thong_bao", "27/TB-UBND", date(2021, 3, 3))
    assert r.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert r.title == "Kết luận của Chủ tịch UBND tỉnh tại buổi đối thoại với các hộ dân xã Bình Trị"


def test_cong_van_keeps_its_v_v_title() -> None:
    r = parse_text(CONG_VAN)
    assert r.doc_type == "cong_van"
    assert r.title == "V/v báo cáo kết quả tiếp xúc, đối thoại với nhân dân năm 2015"


def test_a_news_article_is_tin_bai_and_its_body_dates_are_not_an_issue_date() -> None:
    r = parse_text(NEWS)
    assert r.doc_type == "tin_bai"
    assert r.number_symbol is None and r.issue_date is None and r.issuer is None
    assert r.title is not None and r.title.startswith("Văn phòng Tỉnh ủy: Phối hợp")


def test_every_field_of_the_record_exists_even_when_unknown() -> None:
    data = parse_text(NEWS).model_dump(mode="json")
    for field in ("signer", "recipients", "confidentiality", "citations", "statistics", "deadlines", "topics"):
        assert field in data
