"""Drafting: every template renders from its example, reads back with python-docx in the
Party or State format, parses back to the same record, and refuses bad data and bad templates."""

from __future__ import annotations

import copy
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from archive import Settings, TemplateError, open_store
from archive.register import NumberRegister
from extractors import extract, parse
from flows.generate import draft, issue
from templates.render import TEMPLATE_DIR, render_docx, undeclared_variables
from templates.schemas import TEMPLATES
from templates.workdays import add_working_days, is_working_day

ALLOWED_EXTRA = {"h", "total_sentence", "opinions_total", "answered_rate", "deadlines", "stats_rows", "total",
                 "sources", "unit_rows", "title"}  # fmt: skip


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_every_template_uses_only_fields_its_schema_declares(name: str) -> None:
    used = undeclared_variables(TEMPLATE_DIR / f"{name}.docx")
    declared = set(TEMPLATES[name].model.model_fields) | ALLOWED_EXTRA
    assert used <= declared, used - declared


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_each_template_renders_its_example_in_the_party_format(name: str, tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / f"{name}.docx"
    result = issue(name, TEMPLATES[name].example, settings, out)
    doc = Document(str(out))
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]  # HD 36 front page (mm)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    text = _text(out)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert f"Số {result.number_symbol}" in text
    assert "ngày" in text and "tháng" in text
    assert "{{" not in text and "{%" not in text
    record = parse(extract(out, settings))
    spec = TEMPLATES[name]
    example = spec.model.model_validate(spec.example)
    assert record.doc_type == spec.doc_type
    assert record.number_symbol == result.number_symbol
    assert record.issue_date == example.header.issue_date
    assert record.signer.name == example.header.signer.name
    assert result.id is not None and open_store(settings).load_record(result.id).number_symbol == result.number_symbol


def test_notice_numbers_and_dates_are_written_the_vietnamese_way(tmp_path: Path, settings: Settings) -> None:
    data = copy.deepcopy(TEMPLATES["thong_bao_ket_luan"].example)
    data["attendance"] = 174862
    out = tmp_path / "tb.docx"
    result = draft("thong_bao_ket_luan", data, settings, out)
    text = _text(out)
    assert "Hậu Giang, ngày 05 tháng 02 năm 2025" in text
    assert "(174.862 người)" in text
    assert "đã trả lời ngay tại hội nghị 12 ý kiến (66,67%)" in text
    assert (
        "3.1. Ban cán sự đảng UBND tỉnh chỉ đạo giải quyết hồ sơ đất đai tồn đọng; hoàn thành trước ngày 31/03/2025."
        in text
    )
    assert "nhân dân & các đại biểu" in text  # autoescape keeps & and <
    assert any("11/02/2025" in n for n in result.notes)  # 7 working days after 24/01/2025, across Tết


def test_state_format_header(tmp_path: Path, settings: Settings) -> None:
    data = copy.deepcopy(TEMPLATES["thong_bao_ket_luan"].example)
    data["header"].update(format="state", issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", issuer_code="UBND", number=27,
                          place="Quảng Ngãi", signer={"authority": "TL. CHỦ TỊCH", "position": "CHÁNH VĂN PHÒNG",
                                                      "name": "Nguyễn Văn Phước"})  # fmt: skip
    out = tmp_path / "state.docx"
    issue("thong_bao_ket_luan", data, settings, out)
    text = _text(out)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 27/TB-UBND" in text
    record = parse(extract(out, settings))
    assert (record.number_symbol, record.signer.authority) == ("27/TB-UBND", "TL. CHỦ TỊCH")


def test_invalid_data_lists_every_problem_with_its_path(tmp_path: Path, settings: Settings) -> None:
    data: dict[str, Any] = copy.deepcopy(TEMPLATES["thong_bao_ket_luan"].example)
    data["header"]["issue_date"] = "05/02/2025x"
    data["header"]["signer"].pop("name")
    data["conclusions"] = []
    data["assignments"][0]["due"] = "mai"
    data["bi_danh"] = 1
    with pytest.raises(TemplateError) as err:
        draft("thong_bao_ket_luan", data, settings, tmp_path / "x.docx")
    message = err.value.message
    for expected in (
        "header.issue_date: ngày không hợp lệ",
        "header.signer.name: thiếu trường bắt buộc",
        "conclusions: cần ít nhất 1 mục",
        "assignments[0].due: ngày không hợp lệ",
        "bi_danh: trường không có trong mẫu",
    ):
        assert expected in message
    assert not (tmp_path / "x.docx").exists()


def test_a_template_reaching_for_python_internals_is_refused(tmp_path: Path) -> None:
    from docx import Document as New

    evil = tmp_path / "evil.docx"
    doc = New()
    doc.add_paragraph("{{ h.__class__.__mro__[1].__subclasses__() }}")
    doc.save(str(evil))
    with pytest.raises(TemplateError, match="từ chối"):
        render_docx(evil, {"h": {}})


def test_the_register_never_hands_out_a_number_twice(tmp_path: Path) -> None:
    register = NumberRegister(tmp_path / "register.db")
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def officer() -> None:
        try:
            for _ in range(20):
                n = register.take("TỈNH ỦY HẬU GIANG (TU)", "thong_bao", "2025-2030")
                with lock:
                    taken.append(n)
        except BaseException as exc:  # a thread's exception would otherwise only be printed
            errors.append(exc)

    # a fresh register file: the first numbers race to create the schema too
    threads = [threading.Thread(target=officer) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 241))
    assert register.take("TỈNH ỦY HẬU GIANG (TU)", "ke_hoach", "2025-2030") == 1  # per type
    with pytest.raises(Exception, match="đã được cấp"):
        register.take("TỈNH ỦY HẬU GIANG (TU)", "thong_bao", "2025-2030", number=7)


def test_working_days_skip_the_lunar_new_year_and_weekends() -> None:
    assert not is_working_day(date(2026, 2, 17))  # Tết Bính Ngọ
    assert not is_working_day(date(2026, 2, 14))  # a Saturday
    assert add_working_days(date(2026, 2, 12), 7) == date(2026, 3, 2)
    assert add_working_days(date(2025, 4, 25), 3) == date(2025, 5, 5)  # Mon 28, Tue 29, then 30/4-2/5 off


def test_summary_figures_equal_the_sum_of_the_archived_reports(tmp_path: Path, settings: Settings) -> None:
    from flows.local import ingest_direct
    from tests.makers import make_docx

    inbox = tmp_path / "reports"
    inbox.mkdir()
    figures = [("PHỤNG HIỆP", 12, 1540, 236, 220), ("VỊ THỦY", 9, 1210, 175, 168), ("LONG MỸ", 7, 860, 98, 90)]
    for i, (district, cuoc, nguoi, y_kien, da) in enumerate(figures, 1):
        make_docx(
            inbox / f"bc-{i}.docx",
            ["BÁO CÁO", "kết quả tiếp xúc, đối thoại năm 2025", "-----",
             f"Năm 2025, toàn huyện tổ chức {cuoc} cuộc với {nguoi:,} lượt người tham dự, tiếp nhận {y_kien} ý kiến; "
             f"đã giải quyết {da} ý kiến.".replace(",", ".")],
            header_cells=([f"HUYỆN ỦY {district}", "*", f"Số {40 + i}-BC/HU"],
                          ["ĐẢNG CỘNG SẢN VIỆT NAM", f"Hậu Giang, ngày {10 + i} tháng 11 năm 2025"]),
        )  # fmt: skip
    ingest_direct([inbox], settings)
    data = copy.deepcopy(TEMPLATES["bao_cao_tong_hop"].example)
    data["units"] = []
    out = tmp_path / "th.docx"
    result = draft("bao_cao_tong_hop", data, settings, out)
    assert sorted(result.sources) == ["41-BC/HU", "42-BC/HU", "43-BC/HU"]
    text = _text(out)
    total = [sum(f[k] for f in figures) for k in range(1, 5)]
    assert (
        f"Tổng cộng: đã tổ chức {total[0]} cuộc tiếp xúc, đối thoại với 3.610 lượt người tham dự, tiếp nhận "
        f"{total[2]} ý kiến, kiến nghị; đã giải quyết {total[3]} ý kiến" in text
    )


def test_report_reports_inconsistent_sources_before_rendering(tmp_path: Path, settings: Settings) -> None:
    from flows.local import ingest_direct

    inbox = tmp_path / "tb"
    inbox.mkdir()
    (inbox / "tb.txt").write_text(
        "TỈNH ỦY HẬU GIANG        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 30-TB/TU        Hậu Giang, ngày 10 tháng 3 năm 2025\n\n"
        "THÔNG BÁO\nkết luận tại hội nghị đối thoại\n-----\n"
        "Tại hội nghị có 20 ý kiến; đã trả lời trực tiếp 12 ý kiến; đã giải quyết 15 ý kiến; "
        "đang giải quyết 2 ý kiến.\n"
    )
    ingest_direct([inbox], settings)
    data = copy.deepcopy(TEMPLATES["bao_cao_ket_qua"].example)
    data["statistics"] = []
    result = draft("bao_cao_ket_qua", data, settings, tmp_path / "bc.docx")
    assert result.sources == ["30-TB/TU"]
    assert any("30-TB/TU" in w and "khác số ý kiến tiếp nhận 20" in w for w in result.warnings)
    assert "Cấp tỉnh" in _text(tmp_path / "bc.docx")


def test_pdf_through_libreoffice(tmp_path: Path, settings: Settings) -> None:
    from pypdf import PdfReader

    out = tmp_path / "kh.docx"
    result = draft("ke_hoach", TEMPLATES["ke_hoach"].example, settings, out, pdf=True)
    assert result.pdf is not None
    assert "KẾ HOẠCH" in PdfReader(str(result.pdf)).pages[0].extract_text()


def test_a_generated_report_reads_back_with_its_figures_by_level(tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / "bc.docx"
    draft("bao_cao_ket_qua", TEMPLATES["bao_cao_ket_qua"].example, settings, out)
    got = {(s.level, s.metric): s.value for s in parse(extract(out, settings)).statistics}
    assert got[("huyen", "so_cuoc")] == 38 and got[("xa", "luot_nguoi")] == 30115
    assert got[("tong", "so_y_kien")] == 96 + 512 + 2744
