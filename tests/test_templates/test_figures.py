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
