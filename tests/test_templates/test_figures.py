"""A report's figures taken from the archive count each dialogue once, from issued notices only,
and a notice's opinions per field as parts of its total; a figure that is missing leaves its
clause out of the sentence instead of printing "-"."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document

from archive import Settings
from flows.generate import draft, issue
from flows.local import ingest_direct
from templates.schemas import TEMPLATES


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _report_data() -> dict:
    data = copy.deepcopy(TEMPLATES["bao_cao_ket_qua"].example)
    data["statistics"] = []
    return data


def test_one_dialogue_counts_once_with_its_parts_not_added_to_its_total(tmp_path: Path, settings: Settings) -> None:
    tb = TEMPLATES["thong_bao_ket_luan"].example  # 320 people; 9 + 4 + 5 = 18 opinions
    issue("thong_bao_ket_luan", tb, settings, tmp_path / "tb.docx")
    issue("thong_bao_ket_luan", tb, settings, tmp_path / "tb-lan-2.docx")  # re-issued: same dialogue
    drafts = tmp_path / "drafts"
    draft("thong_bao_ket_luan", tb, settings, drafts / "du-thao.docx")
    ingest_direct([drafts], settings)  # someone archived the draft too
    out = tmp_path / "bc.docx"
    result = draft("bao_cao_ket_qua", _report_data(), settings, out)
    assert result.sources == ["02-TB/TU"]
    assert any("chưa có số" in n for n in result.notes) and any("tính một lần" in n for n in result.notes)
    text = _text(out)
    assert "Toàn bộ đã tổ chức 1 cuộc tiếp xúc, đối thoại với 320 lượt người tham dự, tiếp nhận 18 ý kiến" in text
    assert "36 ý kiến" not in text


def test_a_missing_figure_leaves_its_clause_out(tmp_path: Path, settings: Settings) -> None:
    data = _report_data()
    data["statistics"] = [{"level": "tinh", "so_cuoc": 2, "luot_nguoi": 596, "so_y_kien": 21}]
    out = tmp_path / "bc.docx"
    draft("bao_cao_ket_qua", data, settings, out)
    text = _text(out)
    assert (
        "Toàn bộ đã tổ chức 2 cuộc tiếp xúc, đối thoại với 596 lượt người tham dự, tiếp nhận 21 ý kiến, kiến nghị."
        in text
    )
    assert "đã giải quyết -" not in text and "đạt -" not in text


def test_the_summary_takes_each_units_latest_issued_report_and_warns_of_its_wrong_rate(
    tmp_path: Path, settings: Settings
) -> None:
    from tests.makers import make_docx

    inbox = tmp_path / "reports"
    inbox.mkdir()

    def report(name: str, number: str, day: int, cuoc: int, y_kien: int, da: int, rate: str) -> None:
        make_docx(
            inbox / name,
            ["BÁO CÁO", "kết quả tiếp xúc, đối thoại năm 2025", "-----",
             f"Năm 2025, toàn huyện tổ chức {cuoc} cuộc, tiếp nhận {y_kien} ý kiến; đã giải quyết {da} ý kiến, "
             f"đạt tỷ lệ {rate}%."],
            header_cells=(["HUYỆN ỦY PHỤNG HIỆP", "*", f"Số {number}-BC/HU" if number else "Số      -BC/HU"],
                          ["ĐẢNG CỘNG SẢN VIỆT NAM", f"Hậu Giang, ngày {day} tháng 11 năm 2025"]),
        )  # fmt: skip

    report("bc-6-thang.docx", "30", 5, 5, 100, 90, "90")  # an earlier report of the same unit
    report("bc-du-thao.docx", "", 9, 99, 999, 990, "99")  # its draft, archived by mistake
    report("bc-ca-nam.docx", "45", 10, 12, 236, 220, "95")  # 220 / 236 = 93,22%, not 95%
    ingest_direct([inbox], settings)
    data = copy.deepcopy(TEMPLATES["bao_cao_tong_hop"].example)
    data["units"] = []
    result = draft("bao_cao_tong_hop", data, settings, tmp_path / "th.docx")
    assert result.sources == ["45-BC/HU"]
    [problem] = result.problems
    assert (problem.path, problem.severity) == ("units", "warning")
    assert problem.message == "45-BC/HU: toàn bộ: tỷ lệ giải quyết ghi 95% nhưng 220/236 = 93,22%"
    assert any("bản dự thảo" in n for n in result.notes) and any(
        "báo cáo mới hơn (45-BC/HU)" in n for n in result.notes
    )
    assert "Tổng cộng: đã tổ chức 12 cuộc tiếp xúc, đối thoại, tiếp nhận 236 ý kiến" in _text(tmp_path / "th.docx")
