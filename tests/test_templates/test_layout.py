"""The header, page numbers and signature block as the formats prescribe, read back twice: from
the DOCX (sizes, bold, underline, drawn lines, column widths) and from the PDF LibreOffice makes
(what is on which line and page, read with pypdfium2). Two conversions in all (~2 s each).

NĐ 30/2020 Phụ lục I: Quốc hiệu in capitals 12-13 pt upright bold on one line; Tiêu ngữ 13-14 pt
bold with a drawn solid line under it as long as the text; issuer 12-13 pt; page numbers from
page 2, top centre. HD 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM" level with the first line of the
issuing body; the place-and-date line on one line.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from archive import Settings
from flows.generate import draft
from templates.layout import text_width
from templates.schemas import TEMPLATES

STATE_ISSUER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"


def _state_notice(conclusions: int) -> dict[str, Any]:
    data = copy.deepcopy(TEMPLATES["thong_bao_ket_luan"].example)
    data["header"].update(format="state", issuer=STATE_ISSUER, issuer_code="UBND", place="Quảng Ngãi",
                          issue_date="12/12/2025", signer={"authority": "TL. CHỦ TỊCH",
                          "position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn Phước"})  # fmt: skip
    data["dialogue_date"] = "05/12/2025"
    data["assignments"][0]["due"] = "31/03/2026"
    data["conclusions"] = [
        f"Nội dung kết luận số {i}: các kiến nghị có cơ sở phải được giải quyết dứt điểm, không để kéo dài, "
        "báo cáo kết quả."
        for i in range(conclusions)
    ]
    return data


def _party_summary() -> dict[str, Any]:
    data = copy.deepcopy(TEMPLATES["bao_cao_tong_hop"].example)  # superior + issuer; units' symbols
    data["header"]["issue_date"] = "12/12/2025"  # a two-digit month
    return data


@pytest.fixture(scope="module")
def state_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # 22 conclusions: three pages, the closing at the foot of page 2 (21-23 all are; with
    # cantSplit/keepNext stripped from the same DOCX the signature block splits there)
    tmp = tmp_path_factory.mktemp("state")
    result = draft("thong_bao_ket_luan", _state_notice(22), Settings(home=tmp / "home"), tmp / "tb.docx", pdf=True)
    assert result.pdf is not None
    return result.path, result.pdf


@pytest.fixture(scope="module")
def party_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("party")
    result = draft("bao_cao_tong_hop", _party_summary(), Settings(home=tmp / "home"), tmp / "th.docx", pdf=True)
    assert result.pdf is not None
    return result.path, result.pdf


# -- reading back ---------------------------------------------------------------------------


def _paragraph(doc: Any, text: str) -> Any:
    cells = [c for row in doc.tables[0].rows for c in row.cells]
    return next(p for c in cells for p in c.paragraphs if p.text.strip() == text)


def _run(p: Any) -> Any:
    [run] = [r for r in p.runs if r.text.strip()]
    return run


def _bottom_border(p: Any) -> Any:
    return p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")


def _line_length_pt(doc: Any, p: Any) -> float:
    """A drawn line is the paragraph's bottom border: as long as the cell less the indents."""
    cell_width = int(p._p.getparent().find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) / 20
    pf = p.paragraph_format
    return cell_width - 2 * 2.835 - (pf.left_indent or 0) / 12700 - (pf.right_indent or 0) / 12700


Line = tuple[float, float, float, str]  # top, left, right, text


def _lines(page: Any) -> list[Line]:
    """The page's text as lines: pieces on one baseline joined left to right."""
    tp = page.get_textpage()
    pieces = [(tp.get_rect(i), tp.get_text_bounded(*tp.get_rect(i))) for i in range(tp.count_rects())]
    pieces.sort(key=lambda x: (-round(x[0][1]), x[0][0]))
    lines: list[list[Any]] = []
    for rect, text in pieces:
        if lines and abs(lines[-1][0][1] - rect[1]) < 3.5:
            lines[-1][1].append((rect, text))
        else:
            lines.append([rect, [(rect, text)]])
    out: list[Line] = []
    for _, parts in lines:
        parts.sort(key=lambda x: x[0][0])
        text = re.sub(r"\s+", " ", " ".join(t for _, t in parts)).replace("\u2011", "-").replace(" - ", "-")
        out.append((max(r[3] for r, _ in parts), parts[0][0][0], parts[-1][0][2], text.strip()))
    return out


def _pieces(page: Any) -> list[tuple[tuple[float, float, float, float], str]]:
    tp = page.get_textpage()
    return [(tp.get_rect(i), tp.get_text_bounded(*tp.get_rect(i)).strip()) for i in range(tp.count_rects())]


def _piece(page: Any, text: str) -> tuple[float, float, float, float]:
    return next(rect for rect, t in _pieces(page) if t == text)


def _paths(page: Any) -> list[tuple[float, float, float, float]]:
    """Bounds of the drawn lines (each once, rounded to 0.1 pt)."""
    found = {tuple(round(v, 1) for v in obj.get_bounds()) for obj in page.get_objects()
             if obj.type == pdfium_raw.FPDF_PAGEOBJ_PATH}  # fmt: skip
    return sorted(found)  # type: ignore[arg-type]


# -- the State header -----------------------------------------------------------------------


def test_state_header_sizes_bold_and_drawn_lines_in_the_docx(state_pdf: tuple[Path, Path]) -> None:
    doc = Document(str(state_pdf[0]))
    national = _run(_paragraph(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert (national.font.size.pt, national.bold, national.italic, national.underline) == (12, True, False, False)
    motto_p = _paragraph(doc, "Độc lập - Tự do - Hạnh phúc")
    motto = _run(motto_p)
    assert (motto.font.size.pt, motto.bold, motto.underline) == (13, True, False)  # a drawn line, not underlining
    border = _bottom_border(motto_p)
    assert border is not None and border.get(qn("w:val")) == "single"
    text = text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    assert text <= _line_length_pt(doc, motto_p) <= text * 1.03  # as long as the line of text
    first, second = _paragraph(doc, "ỦY BAN NHÂN DÂN"), _paragraph(doc, "TỈNH QUẢNG NGÃI")  # split evenly
    for line in (first, second):
        assert (_run(line).font.size.pt, _run(line).bold) == (12, True)
    rule = second._p.getnext()
    assert rule is not None and rule.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None
    type_name = next(p for p in doc.paragraphs if p.text == "THÔNG BÁO")
    assert (_run(type_name).font.size.pt, _run(type_name).bold) == (14, True)  # NĐ 30: 13-14 pt
    body = list(doc.paragraphs)
    title_rule = body[[p.text for p in body].index("THÔNG BÁO") + 2]
    assert title_rule.text == "" and _bottom_border(title_rule) is not None  # a drawn line, not "-----"
    assert "-----" not in [p.text for p in body]
    signature_left = doc.tables[-1].rows[0].cells[0].paragraphs
    assert (signature_left[0].text, _run(signature_left[0]).font.size.pt, _run(signature_left[0]).italic) == (
        "Nơi nhận:", 12, True,
    )  # fmt: skip
    cells = doc.tables[0].rows[0].cells
    assert [round(c.width / Mm(1)) for c in cells] == [76, 100]
    layout = doc.tables[0]._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    right_width_pt = cells[1].width / 12700 - 2 * 2.835
    assert text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True) < right_width_pt
    assert text_width("Quảng Ngãi, ngày 12 tháng 12 năm 2025", 13, italic=True) < right_width_pt


def test_state_header_lines_do_not_wrap_in_the_pdf(state_pdf: tuple[Path, Path]) -> None:
    page = pdfium.PdfDocument(str(state_pdf[1]))[0]
    texts = [t for _, t in _pieces(page)]
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Quảng Ngãi, ngày 12 tháng 12 năm 2025"):  # fmt: skip
        assert line in texts, (line, texts[:10])
    assert "ỦY BAN NHÂN DÂN" in texts and "TỈNH QUẢNG NGÃI" in texts  # never "… QUẢNG / NGÃI"
    name_left, name_bottom, name_right, _ = _piece(page, "ỦY BAN NHÂN DÂN")
    [issuer_rule] = {b for b in _paths(page) if b[3] < name_bottom - 10 and name_bottom - b[3] < 40 and b[2] < 280}
    assert 1 / 3 <= (issuer_rule[2] - issuer_rule[0]) / (name_right - name_left) <= 1 / 2
    left, bottom, right, _ = _piece(page, "Độc lập - Tự do - Hạnh phúc")
    under = [
        b
        for b in _paths(page)
        if b[3] < bottom and bottom - b[3] < 8 and b[3] - b[1] < 3 and b[0] < right and b[2] > left
    ]
    assert under, "no drawn line under the Tiêu ngữ"
    line_left, _, line_right, _ = under[0]
    assert abs((line_right - line_left) - (right - left)) <= 0.04 * (right - left)
    assert abs((line_left + line_right) / 2 - (left + right) / 2) < 2  # centred under the text


def test_page_numbers_from_page_two_and_the_signature_block_kept_together(state_pdf: tuple[Path, Path]) -> None:
    pdf = pdfium.PdfDocument(str(state_pdf[1]))
    assert len(pdf) == 3
    pages = [_lines(pdf[i]) for i in range(3)]
    width = pdf[0].get_width()
    assert not re.fullmatch(r"\d+", pages[0][0][3])  # page 1: no number, the header first
    for number in (2, 3):
        top, left, right, text = pages[number - 1][0]
        assert text == str(number)
        assert top > pdf[number - 1].get_height() - 60  # at the top
        assert abs((left + right) / 2 - (85 + width - 42.5) / 2) < 6  # centred on the text area
    where = {
        key: [i + 1 for i, lines in enumerate(pages) if any(key in t for *_, t in lines)]
        for key in ("Văn phòng thông báo", "Nơi nhận", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Nguyễn Văn Phước")
    }
    assert where == {key: [3] for key in where}, where
    # the closing opens page 3: it went over with the block (so this document tests the page break)
    assert pages[2][1][3].startswith("Văn phòng thông báo")


# -- the Party header -----------------------------------------------------------------------


def test_party_header_in_the_docx(party_pdf: tuple[Path, Path]) -> None:
    doc = Document(str(party_pdf[0]))
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs][:2] == ["TỈNH ỦY HẬU GIANG", "BAN DÂN VẬN"]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"  # its first line, level with the left's
    title = _run(right.paragraphs[0])
    assert (title.font.size.pt, title.bold) == (15, True) and _bottom_border(right.paragraphs[0]) is not None
    date_line = _run(_paragraph(doc, "Hậu Giang, ngày 12 tháng 12 năm 2025"))
    assert (date_line.font.size.pt, date_line.italic) == (14, True)
    type_name = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert _run(type_name).font.size.pt == 15 and "-----" in [p.text for p in doc.paragraphs]
    recipients_head = _run(doc.tables[-1].rows[0].cells[0].paragraphs[0])
    assert (recipients_head.text, recipients_head.font.size.pt, recipients_head.underline) == ("Nơi nhận:", 14, True)


def test_party_header_and_table_symbols_in_the_pdf(party_pdf: tuple[Path, Path]) -> None:
    page = pdfium.PdfDocument(str(party_pdf[1]))[0]
    texts = [t for _, t in _pieces(page)]
    assert "Hậu Giang, ngày 12 tháng 12 năm 2025" in texts  # one line, even with a two-digit month
    assert abs(_piece(page, "ĐẢNG CỘNG SẢN VIỆT NAM")[3] - _piece(page, "TỈNH ỦY HẬU GIANG")[3]) < 2
    number = next(rect for rect, t in _pieces(page) if t.startswith("Số"))
    assert abs(number[1] - _piece(page, "Hậu Giang, ngày 12 tháng 12 năm 2025")[1]) < 5  # level (a line is 16)
    lines = [t for *_, t in _lines(page)]
    for symbol in ("45-BC/HU", "31-BC/ThU"):
        assert any(symbol in t for t in lines), (symbol, lines)


def test_long_names_are_split_evenly_or_where_the_officer_breaks_them() -> None:
    from templates.present import header_lines

    assert header_lines("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", 12, bold=True) == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]
    assert header_lines("TỈNH ỦY HẬU GIANG", 14, bold=True) == ["TỈNH ỦY HẬU GIANG"]
    assert header_lines("BAN CÁN SỰ ĐẢNG\nỦY BAN NHÂN DÂN TỈNH", 14, bold=True) == [
        "BAN CÁN SỰ ĐẢNG", "ỦY BAN NHÂN DÂN TỈNH",
    ]  # fmt: skip
