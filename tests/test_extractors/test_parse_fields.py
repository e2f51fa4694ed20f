"""Each part of the parser on realistic snippets, including the noise extraction produces."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.parse import parse_text
from extractors.parse.citations import find_citations
from extractors.parse.deadlines import find_deadlines
from extractors.parse.signature import parse_closing
from extractors.parse.statistics import find_statistics, vn_number


def stats(text: str, **kw: str) -> set[tuple[str, str, float]]:
    return {(s.level, s.metric, s.value) for s in find_statistics(text, **kw)}


# -- numbers and statistics -------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [("174.862", 174862), ("99,94", 99.94), ("1.100", 1100), ("08", 8)])
def test_vietnamese_numbers(raw: str, value: float) -> None:
    assert vn_number(raw) == value


def test_levels_metrics_and_rates() -> None:
    text = (
        "1. Cấp tỉnh: tổ chức 05 cuộc với 1.030 lượt người tham dự; tiếp nhận 58 ý kiến, trả lời trực tiếp tại "
        "hội nghị 41 ý kiến.\n2. Cấp huyện: tổ chức 41 cuộc; tiếp nhận 634 ý kiến; đã giải quyết 589 ý kiến, "
        "đạt 92,9%; đang giải quyết 31 ý kiến; chuyển cấp trên 14 ý kiến.\n"
        "Tính chung toàn tỉnh tổ chức 46 cuộc."
    )
    assert stats(text) == {
        ("tinh", "so_cuoc", 5),
        ("tinh", "luot_nguoi", 1030),
        ("tinh", "so_y_kien", 58),
        ("tinh", "so_y_kien_tra_loi_tai_hoi_nghi", 41),
        ("huyen", "so_cuoc", 41),
        ("huyen", "so_y_kien", 634),
        ("huyen", "so_y_kien_da_giai_quyet", 589),
        ("huyen", "ty_le_giai_quyet", 92.9),
        ("huyen", "so_y_kien_dang_giai_quyet", 31),
        ("huyen", "so_y_kien_chuyen_cap_tren", 14),
        ("tong", "so_cuoc", 46),
    }


def test_a_ratio_with_its_rate_gives_resolved_total_and_rate() -> None:
    """ "X/Y ý kiến, đạt Z%": X resolved of Y in all, at rate Z; a bare "46/122.159" counts its first number."""
    text = "Kết quả đã giải quyết được 176.277/176.386 ý kiến, đạt tỷ lệ 99,94%; Đang thực hiện 46/122.159 ý kiến."
    assert stats(text) == {
        ("tong", "so_y_kien_da_giai_quyet", 176277),
        ("tong", "so_y_kien", 176386),
        ("tong", "ty_le_giai_quyet", 99.94),
        ("tong", "so_y_kien_dang_giai_quyet", 46),
    }


def test_a_rate_that_names_itself_stands_in_its_own_clause() -> None:
    text = (
        "Đã giải quyết 22 ý kiến, chuyển cấp trên 03 ý kiến; tỷ lệ giải quyết đạt 81,48%. "
        "Tỷ lệ ý kiến được trả lời tại hội nghị là 70,4%."
    )
    assert stats(text, default_level="xa") == {
        ("xa", "so_y_kien_da_giai_quyet", 22),
        ("xa", "so_y_kien_chuyen_cap_tren", 3),
        ("xa", "ty_le_giai_quyet", 81.48),
        ("xa", "ty_le_tra_loi_tai_hoi_nghi", 70.4),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Phấn đấu tỷ lệ giải quyết đạt trên 90%.",
        "Chỉ tiêu: tỷ lệ giải quyết ý kiến đạt 95%.",
        "Mỗi năm tổ chức ít nhất 02 cuộc đối thoại.",
        "Định kỳ 02 cuộc/năm ở cấp xã.",
        "13/13 huyện, thành, thị ủy xây dựng kế hoạch.",
        "Tỉnh có dân số 729.888 người.",
        "Tỷ lệ cán bộ được quán triệt đạt 98,6%.",
        "Thông báo kết luận ban hành chậm nhất 07 ngày làm việc sau hội nghị.",
        "Ban Dân vận thực hiện 10 lượt kiểm tra đối với 8 huyện.",
    ],
)
def test_norms_coverage_populations_and_other_rates_are_not_statistics(text: str) -> None:
    assert stats(text) == set()


def test_opinions_forwarded_and_pending_written_after_the_number() -> None:
    text = (
        "Tại hội nghị có 11 ý kiến; đã trả lời trực tiếp 08 ý kiến; 02 ý kiến thuộc thẩm quyền của tỉnh được ghi nhận."
    )
    assert stats(text, default_level="huyen") == {
        ("huyen", "so_y_kien", 11),
        ("huyen", "so_y_kien_tra_loi_tai_hoi_nghi", 8),
        ("huyen", "so_y_kien_chuyen_cap_tren", 2),
    }
    assert stats("Tập trung giải quyết dứt điểm 183 ý kiến đang giải quyết.") == {
        ("tong", "so_y_kien_dang_giai_quyet", 183)
    }


def test_bullets_under_a_level_heading_keep_its_level() -> None:
    text = (
        "2.2. Cấp huyện\n- Đã giải quyết 122.050/122.159 ý kiến, đạt tỷ lệ 99,91%\n"
        "- Chuyển lên cấp trên 13/122.159 ý kiến"
    )
    assert stats(text) == {
        ("huyen", "so_y_kien_da_giai_quyet", 122050),
        ("huyen", "so_y_kien", 122159),
        ("huyen", "ty_le_giai_quyet", 99.91),
        ("huyen", "so_y_kien_chuyen_cap_tren", 13),
    }


def test_city_level_depends_on_the_city() -> None:
    text = "Cấp thành phố tổ chức 11 cuộc."
    assert stats(text) == {("huyen", "so_cuoc", 11)}
    assert stats(text, city_level="tinh") == {("tinh", "so_cuoc", 11)}


# -- citations --------------------------------------------------------------------------


def test_citation_with_kind_date_and_issuer() -> None:
    [c] = find_citations("Theo Quyết định số 1681-QĐ/TU ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy về quy chế.")
    assert (c.doc_type, c.number_symbol, c.issue_date, c.issuer) == (
        "quyet_dinh",
        "1681-QĐ/TU",
        date(2019, 1, 23),
        "Ban Thường vụ Tỉnh ủy",
    )
    assert c.raw == "Quyết định số 1681-QĐ/TU ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy"


@pytest.mark.parametrize(
    ("text", "symbol", "doc_type"),
    [
        ("Kết luận số 114 - KL/TW, ngày 14/7/2015", "114-KL/TW", "ket_luan"),
        ("Chỉ thị số 30-\nCT/TW của Bộ Chính trị", "30-CT/TW", "chi_thi"),
        ("Quy định số 11-QÐi/TW, ngày 18/02/2019", "11-QĐi/TW", "quy_dinh"),
        ("Quy định số 307-QĐ/TU ngày 19/7/2017", "307-QĐ/TU", "quy_dinh"),
        ("Quyết định 221 – QĐ/TW ngày 27/4/2009", "221-QĐ/TW", "quyet_dinh"),
        ("Thông báo số 130/-TB-TW ngày 10/01/2008", "130-TB/TW", "thong_bao"),  # a typo of the Party form
        ("theo Quy định 11/QĐi-TW của Bộ Chính trị", "11-QĐi/TW", "quy_dinh"),
        ("Nghị định số 157/2007/NĐ-CP ngày 27 tháng 10 năm 2007", "157/2007/NĐ-CP", None),
        ("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15", "10/2022/QH15", None),
        ("Công văn số 2231/SNV-CCHC&PC ngày 09/5/2023", "2231/SNV-CCHC&PC", "cong_van"),
    ],
)
def test_citation_forms(text: str, symbol: str, doc_type: str | None) -> None:
    [c] = find_citations(text)
    assert (c.number_symbol, c.doc_type) == (symbol, doc_type)


def test_own_number_dates_and_ratios_are_not_citations_and_repeats_are_listed_once() -> None:
    text = (
        "Số 215-BC/TU. Ngày 23/01/2019 ban hành Quyết định số 1681-QĐ/TU; đã giải quyết 176.277/176.386 ý kiến; "
        "thực hiện Quyết định số 1681-QĐ/TU, ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy."
    )
    [c] = find_citations(text, own="215-BC/TU")
    assert c.number_symbol == "1681-QĐ/TU"
    assert c.issue_date == date(2019, 1, 23)  # completed from the later, fuller mention


def test_a_dashed_date_after_a_symbol() -> None:
    [c] = find_citations("Quyết định 23-QĐ/TW, ngày 30-7-2021 của Bộ Chính trị")
    assert (c.issue_date, c.issuer) == (date(2021, 7, 30), "Bộ Chính trị")


# -- deadlines --------------------------------------------------------------------------


def test_deadlines_with_days_months_quarters_and_none() -> None:
    text = (
        "Đồng chí Bí thư kết luận như sau:\n2. Giao nhiệm vụ:\n"
        "2.1. Sở Giao thông vận tải khảo sát tuyến đường, hoàn thành trước ngày 31/8/2019.\n"
        "2.2. Huyện ủy Quỳnh Lưu lãnh đạo giải quyết hồ sơ; hoàn thành trong\ntháng 9/2018.\n"
        "2.3. Sở Nông nghiệp và Phát triển nông thôn hướng dẫn liên kết; thực hiện trong quý III năm 2019.\n"
        "2.4. Công an tỉnh nắm chắc tình hình, bảo đảm an ninh.\n"
    )
    got = [(d.agency, d.due) for d in find_deadlines(text)]
    assert got == [
        ("Sở Giao thông vận tải", date(2019, 8, 31)),
        ("Huyện ủy Quỳnh Lưu", date(2018, 9, 30)),
        ("Sở Nông nghiệp và Phát triển nông thôn", date(2019, 9, 30)),
        ("Công an tỉnh", None),
    ]


def test_an_assignment_opening_with_giao_and_an_agency_whose_name_holds_a_verb() -> None:
    text = (
        "Đồng chí Bí thư Huyện ủy kết luận như sau:\n"
        "1. Giao UBND huyện chỉ đạo giải quyết dứt điểm hồ sơ, hoàn thành trước ngày 30/11/2023.\n"
        "2. Ban Quản lý dự án đầu tư xây dựng huyện khẩn trương sửa chữa tuyến đường trong quý IV/2023.\n"
        "3. Đề nghị Sở Xây dựng hướng dẫn thủ tục cấp phép.\n"
        "4. Trung tâm Hỗ trợ phát triển doanh nghiệp xây dựng kế hoạch hỗ trợ hộ kinh doanh.\n"
    )
    got = [(d.agency, d.task[:12], d.due) for d in find_deadlines(text)]
    assert got == [
        ("UBND huyện", "chỉ đạo giải", date(2023, 11, 30)),
        ("Ban Quản lý dự án đầu tư xây dựng huyện", "khẩn trương ", date(2023, 12, 31)),
        ("Sở Xây dựng", "hướng dẫn th", None),
        ("Trung tâm Hỗ trợ phát triển doanh nghiệp", "xây dựng kế ", None),
    ]


# -- closing ------------------------------------------------------------------------------


def test_signer_and_recipients_interleaved_on_the_same_lines() -> None:
    lines = [
        "Nơi nhận:                                              T/L BAN THƯỜNG VỤ",
        "- Thường trực Tỉnh ủy (để b/c),                        CHÁNH VĂN PHÒNG",
        "- Các sở: TN&MT, NN&PTNT,",
        "- Lưu Văn phòng Tỉnh ủy.                               Hoàng Văn Tuấn",
    ]
    closing = parse_closing(lines)
    assert (closing.signer.authority, closing.signer.position, closing.signer.name) == (
        "T/L BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
        "Hoàng Văn Tuấn",
    )
    assert closing.recipients == ("Thường trực Tỉnh ủy (để b/c)", "Các sở: TN&MT, NN&PTNT", "Lưu Văn phòng Tỉnh ủy")


def test_state_signature_after_recipients_with_semicolons() -> None:
    lines = [
        "Nơi nhận:",
        "- CT, các PCT UBND tỉnh;",
        "- Lưu: VT, KTN.",
        "",
        "TL. CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
        "",
        "Nguyễn Văn Phước",
    ]
    closing = parse_closing(lines)
    assert closing.signer.authority == "TL. CHỦ TỊCH" and closing.signer.name == "Nguyễn Văn Phước"
    assert closing.recipients == ("CT, các PCT UBND tỉnh", "Lưu: VT, KTN")


# -- whole record ----------------------------------------------------------------------------

HEADER = (
    "TỈNH ỦY HẬU GIANG        ĐẢNG CỘNG SẢN VIỆT NAM\n*\n{number}        Hậu Giang, ngày {day}\n{mark}\n"
    "THÔNG BÁO\nkết luận\n-----\n"
)


def test_secret_marks_are_read() -> None:
    r = parse_text(
        HEADER.format(number="Số 12-TB/TU", day="05 tháng 02 năm 2025", mark="TỐI MẬT"), today=date(2025, 3, 1)
    )
    assert r.confidentiality == "toi_mat"
    assert r.warnings == ()


def test_a_future_date_and_a_missing_number_are_flagged() -> None:
    r = parse_text(HEADER.format(number="Số", day="05 tháng 02 năm 2031", mark=""), today=date(2026, 11, 21))
    assert "ngày ban hành 05/02/2031 ở tương lai" in r.warnings
    assert "văn bản có tiêu đề nhưng không đọc được số, ký hiệu" in r.warnings


def test_topics_come_from_the_vocabulary() -> None:
    r = parse_text("Nhân dân phản ánh về bồi thường, giải phóng mặt bằng và ô nhiễm môi trường.")
    assert set(r.topics) == {"giải phóng mặt bằng", "môi trường"}


def test_a_statistics_table_by_level() -> None:
    text = (
        "Cấp\tSố cuộc\tLượt người\tÝ kiến\tĐã giải quyết\tChuyển cấp trên\tTỷ lệ giải quyết\n"
        "Cấp tỉnh\t4\t1.120\t96\t90\t-\t93,75%\n"
        "Cấp huyện\t38\t4.870\t512\t480\t7\t93,75%\n"
        "Tổng cộng\t42\t5.990\t608\t570\t7\t93,75%\n"
    )
    got = stats(text)
    assert ("tinh", "luot_nguoi", 1120) in got and ("huyen", "so_y_kien_chuyen_cap_tren", 7) in got
    assert ("tong", "ty_le_giai_quyet", 93.75) in got and ("tong", "so_cuoc", 42) in got
    assert not any(level == "tinh" and metric == "so_y_kien_chuyen_cap_tren" for level, metric, _ in got)


def test_a_schedule_table_is_not_statistics() -> None:
    text = "TT | Thời gian | Người chủ trì | Đối tượng\n1 | Tháng 3/2021 | Bí thư Tỉnh ủy | Nhân dân huyện Yên Dũng\n"
    assert stats(text) == set()


# -- statistics on unseen phrasings (issue 12) ----------------------------------------------


def test_the_level_is_that_of_the_heads_who_held_the_dialogue() -> None:
    text = (
        "UBND huyện Tân Phú tổ chức 4 hội nghị đối thoại; người dân nêu 35 ý kiến.\n\n"
        "Đảng ủy, UBND xã Long Mỹ tổ chức hội nghị với 112 lượt người tham dự.\n\n"
        "Chủ tịch UBND tỉnh đối thoại 6 cuộc với 210 công dân."
    )
    assert stats(text) == {
        ("huyen", "so_cuoc", 4),
        ("huyen", "so_y_kien", 35),
        ("xa", "luot_nguoi", 112),
        ("tinh", "so_cuoc", 6),
        ("tinh", "luot_nguoi", 210),
    }


def test_heads_who_only_attended_do_not_set_the_level() -> None:
    text = (
        "Hội nghị do Chủ tịch UBND phường chủ trì; ông Huỳnh Văn Tâm, Phó Chủ tịch UBND quận dự và phát biểu. "
        "Tại hội nghị, 94 đại biểu đã nêu 26 ý kiến."
    )
    assert stats(text) == {("xa", "luot_nguoi", 94), ("xa", "so_y_kien", 26)}


def test_a_footnote_runs_through_the_levels_and_a_transfer_target_is_no_level() -> None:
    text = (
        "[2] Cấp tỉnh đã giải quyết 52/52 ý kiến (100%); cấp huyện đã giải quyết 310/326 ý kiến (95,09%), "
        "chuyển cấp tỉnh 03 ý kiến; cấp xã còn tồn đọng 4 ý kiến."
    )
    assert stats(text) == {
        ("tinh", "so_y_kien_da_giai_quyet", 52),
        ("tinh", "so_y_kien", 52),
        ("tinh", "ty_le_giai_quyet", 100),
        ("huyen", "so_y_kien_da_giai_quyet", 310),
        ("huyen", "so_y_kien", 326),
        ("huyen", "ty_le_giai_quyet", 95.09),
        ("huyen", "so_y_kien_chuyen_cap_tren", 3),
        ("xa", "so_y_kien_chua_giai_quyet", 4),
    }


@pytest.mark.parametrize(
    ("phrase", "metric"),
    [
        ("lãnh đạo các phòng giải đáp ngay tại hội nghị 28 ý kiến", "so_y_kien_tra_loi_tai_hoi_nghi"),
        ("chủ trì hội nghị trả lời, giải thích ngay 28 ý kiến", "so_y_kien_tra_loi_tai_hoi_nghi"),
        ("28 ý kiến được giải đáp ngay", "so_y_kien_tra_loi_tai_hoi_nghi"),
        ("28 ý kiến được chuyển cơ quan có thẩm quyền cấp trên", "so_y_kien_chuyen_cap_tren"),
        ("28 ý kiến thuộc thẩm quyền cấp trên", "so_y_kien_chuyen_cap_tren"),
        ("28 ý kiến đề nghị chuyển cấp huyện xem xét", "so_y_kien_chuyen_cap_tren"),
        ("28 kiến nghị chưa giải quyết được", "so_y_kien_chua_giai_quyet"),
        ("còn tồn đọng 28 ý kiến", "so_y_kien_chua_giai_quyet"),
        ("28 ý kiến còn lại đang xem xét, giải quyết", "so_y_kien_dang_giai_quyet"),
        ("28 ý kiến đang được các sở, ngành giải quyết theo lộ trình", "so_y_kien_dang_giai_quyet"),
    ],
)
def test_the_phrase_next_to_the_number_decides_the_metric(phrase: str, metric: str) -> None:
    assert stats(f"Năm 2023, {phrase}.", default_level="huyen") == {("huyen", metric, 28)}


def test_a_count_whose_metric_is_undecided_is_left_out_with_a_warning() -> None:
    text = (
        "Người dân nêu 35 ý kiến, trong đó 21 ý kiến liên quan đến đất đai; "
        "11 kiến nghị giao các sở, ngành kiểm tra, xử lý theo thẩm quyền."
    )
    notes: list[str] = []
    rows = find_statistics(text, default_level="huyen", notes=notes)
    assert {(s.level, s.metric, s.value) for s in rows} == {("huyen", "so_y_kien", 35)}
    assert len(notes) == 2 and all("không rõ chỉ tiêu" in n for n in notes)
    record = parse_text("Tin bài\n20/06/2023\n\n" + text)
    assert any("21 ý kiến" in w for w in record.warnings)


def test_households_and_traders_count_as_participants_only_when_they_attend() -> None:
    assert stats("UBND thị trấn tổ chức đối thoại với 74 tiểu thương chợ.", default_level="xa") == {
        ("xa", "luot_nguoi", 74)
    }
    assert stats("Đã chi trả bồi thường cho 318 hộ dân.", default_level="xa") == set()


def test_a_city_is_provincial_only_when_it_is_centrally_run() -> None:
    text = (
        "UBND thành phố Cần Thơ tổ chức 3 hội nghị đối thoại.\n\n"
        "UBND thành phố Bảo Lộc tổ chức 5 hội nghị đối thoại.\n\n"
        "Thường trực Thành ủy Đà Nẵng tổ chức 2 cuộc đối thoại.\n\n"
        "UBND tỉnh Lâm Đồng tổ chức 4 cuộc đối thoại."
    )
    assert stats(text) == {
        ("tinh", "so_cuoc", 3),
        ("huyen", "so_cuoc", 5),
        ("tinh", "so_cuoc", 2),
        ("tinh", "so_cuoc", 4),
    }


def test_news_take_the_dateline_and_the_province_the_text_names() -> None:
    r = parse_text(
        "Xã Mỹ Hòa đối thoại với nhân dân\nĐăng ngày 05 tháng 3 năm 2024\n\n"
        "Đảng ủy, UBND xã Mỹ Hòa (huyện Tháp Mười, tỉnh Đồng Tháp) tổ chức đối thoại với 50 người dân."
    )
    assert (r.doc_type, str(r.issue_date), r.province, r.issuer) == ("tin_bai", "2024-03-05", "Đồng Tháp", None)
    assert [(s.level, s.metric, s.value) for s in r.statistics] == [("xa", "luot_nguoi", 50)]


def test_a_number_line_whose_separator_ocr_lost_still_gives_the_symbol() -> None:
    r = parse_text(
        "ỦY BAN NHÂN DÂN HUYỆN THẠNH LỢI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM\nHUYỆN THẠNH LỢI\n\n"
        "Số: 05QCPH-UBND-UBMTTQ\tThạnh Lợi, ngày 18 tháng 4 năm 2019\n\nQUY CHẾ\nPHỐI HỢP\n"
    )
    assert r.number_symbol == "05/QCPH-UBND-UBMTTQ"
    assert r.issuers == ("Ủy ban nhân dân huyện Thạnh Lợi", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Thạnh Lợi")


def test_a_headline_wrapped_on_the_page_is_joined() -> None:
    r = parse_text("Huyện Đông Hương đối thoại về dự án đường ven\nbiển\nThứ Tư, 11/10/2023 - 16:20\n\nNội dung.")
    assert (r.title, str(r.issue_date)) == ("Huyện Đông Hương đối thoại về dự án đường ven biển", "2023-10-11")


@pytest.mark.parametrize(
    ("line", "symbol", "place"),
    [
        ("Số:\t/KH-UBND Đức Trọng, ngày tháng 02 năm 2024", None, "Đức Trọng"),
        ("Số\t-BC/ĐU Kim Chung, ngày 25 tháng 6 năm 2024", None, "Kim Chung"),
        ("Số:\t12-TB/TU\tHà Nội, ngày 25 tháng 6 năm 2024", "12-TB/TU", "Hà Nội"),
    ],
)
def test_a_number_line_split_into_cells_by_ocr(line: str, symbol: str | None, place: str) -> None:
    r = parse_text(f"TỈNH ỦY HÀ NAM\tĐẢNG CỘNG SẢN VIỆT NAM\n{line}\n\nBÁO CÁO\nkết quả\n")
    assert (r.number_symbol, r.place) == (symbol, place)


def test_a_colon_list_of_results_takes_its_metrics_from_the_labels() -> None:
    text = (
        "Kết quả cụ thể:\n- Số cuộc đối thoại: 03 cuộc.\n- Số lượt người tham dự: 265 lượt người.\n"
        "- Số ý kiến, kiến nghị: 27 ý kiến.\n- Đã giải quyết: 24 ý kiến, đạt 88,9%.\n- Đang giải quyết: 3 ý kiến."
    )
    assert stats(text, default_level="xa") == {
        ("xa", "so_cuoc", 3),
        ("xa", "luot_nguoi", 265),
        ("xa", "so_y_kien", 27),
        ("xa", "so_y_kien_da_giai_quyet", 24),
        ("xa", "ty_le_giai_quyet", 88.9),
        ("xa", "so_y_kien_dang_giai_quyet", 3),
    }


def test_a_central_advisory_body_is_named_as_such_and_has_no_province() -> None:
    r = parse_text(
        "BAN CHẤP HÀNH TRUNG ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |\nVĂN PHÒNG | |\n* | |\n"
        "Số 12-HD/VPTW | Hà Nội, ngày 15 tháng 6 năm 2021 |\n\nHƯỚNG DẪN\nthống kê, báo cáo\n"
    )
    assert (r.issuer, r.province, r.place) == ("Văn phòng Trung ương Đảng", None, "Hà Nội")


def test_a_table_whose_heading_cells_ran_together_in_a_scan() -> None:
    text = (
        "Cấp\tSố cuộc\tLượt người\tSố ý kiến\tĐã giải quyết Tỷ lệ (%)\n"
        "Cấp tỉnh\t3\t540\t29\t29\t100\nCấp huyện\t22\t3.180\t214\t201\t93,9\n"
    )
    assert stats(text) == {
        ("tinh", "so_cuoc", 3),
        ("tinh", "luot_nguoi", 540),
        ("tinh", "so_y_kien", 29),
        ("tinh", "so_y_kien_da_giai_quyet", 29),
        ("tinh", "ty_le_giai_quyet", 100),
        ("huyen", "so_cuoc", 22),
        ("huyen", "luot_nguoi", 3180),
        ("huyen", "so_y_kien", 214),
        ("huyen", "so_y_kien_da_giai_quyet", 201),
        ("huyen", "ty_le_giai_quyet", 93.9),
    }


def test_a_place_date_in_figures_and_a_signer_of_an_ethnic_minority_name() -> None:
    r = parse_text(
        "HUYỆN ỦY CƯ M'GAR\tĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-TB/HU\tCư M'gar, ngày 09/10/2018\n\n"
        "THÔNG BÁO\nkết luận của đồng chí Bí thư Huyện ủy\n-----\n\nNội dung.\n\n"
        "T/L BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG\nY Khăp Niê\n"
    )
    assert (str(r.issue_date), r.place, r.signer.name) == ("2018-10-09", "Cư M'gar", "Y Khăp Niê")
    news = parse_text("Xã A đối thoại\nThứ Ba, 14/11/2023 - 08:30\n\nUBND xã A tổ chức đối thoại.")
    assert (news.place, str(news.issue_date)) == (None, "2023-11-14")


_WRAPPED = """TỈNH ỦY NGHỆ AN{sep}ĐẢNG CỘNG SẢN VIỆT NAM
*{sep}Nghệ An, {date_line}
Số 1876-TB/TU{sep}{rest}

THÔNG BÁO
kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại
-----

Thực hiện Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị.
"""


@pytest.mark.parametrize(
    ("sep", "date_line", "rest"),
    [
        ("\t", "ngày 29 tháng 5 năm", "2019"),  # the year wrapped under the date, beside the number
        ("      ", "ngày 29 tháng 5 năm", "2019"),  # the same read by OCR (spaces, not a tab)
        ("\t", "ngày 29 tháng 5 năm\n\t2019", ""),  # the year on a line of its own
        ("\t", "ngày 29 tháng\n\t5 năm 2019", ""),
        ("\t", "ngày\n\t29 tháng 5 năm 2019", ""),
    ],
)
def test_a_date_line_cut_by_the_page_width_still_dates_the_document(sep: str, date_line: str, rest: str) -> None:
    record = parse_text(_WRAPPED.format(sep=sep, date_line=date_line, rest=rest))
    assert record.issue_date == date(2019, 5, 29)
    assert record.number_symbol == "1876-TB/TU" and record.issuer == "Tỉnh ủy Nghệ An"


def test_a_draft_with_its_day_left_blank_has_a_place_and_no_date() -> None:
    record = parse_text(_WRAPPED.format(sep="\t", date_line="ngày      tháng 5 năm 2019", rest=""))
    assert record.issue_date is None and record.place == "Nghệ An"
