#!/usr/bin/env python3
"""Write the .docx templates in templates/ (python-docx, Jinja tags for docxtpl).

    python scripts/make_templates.py

The files are committed: offices edit them in Word or LibreOffice afterwards (keep the
{{ … }} and {%p … %} tags intact). Page and fonts follow HD 36-HD/VPTW and NĐ 30/2020:
A4, margins 20/20/30/15 mm, Times New Roman, body 14 pt, type name 15 pt bold.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from templates.layout import RULE_FULL, RULE_PART  # noqa: E402

OUT = ROOT / "templates"
FONT = "Times New Roman"
# Header: two fixed columns wide enough that the Quốc hiệu (12 pt bold, 88 mm), the Party title
# (15 pt bold, 73 mm) and a place-and-date line with a two-digit month (14 pt italic, ~80 mm)
# never wrap; the table reaches 11 mm into the 30 mm left margin (text width is 165 mm).
HEADER_LEFT_MM, HEADER_RIGHT_MM, HEADER_SHIFT_MM = 76.0, 100.0, -11.0
SIGN_LEFT_MM, SIGN_RIGHT_MM = 75.0, 90.0
CELL_MARGIN_MM = 1.0


def _doc() -> Document:  # type: ignore[valid-type]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    return doc


def _p(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int | None = None,
    align: str | None = None,
    underline: bool = False,
    keep_with_next: bool = False,
):  # type: ignore[no-untyped-def]
    p = container.add_paragraph()
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.name = FONT
        if size:
            run.font.size = Pt(size)
    if align:
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
    p.paragraph_format.space_after = Pt(0) if align == "center" else Pt(6)
    return p


def _no_borders(table) -> None:  # type: ignore[no-untyped-def]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _tbl_pr(table, borders)


_TBL_PR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
           "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
           "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")  # fmt: skip


def _tbl_pr(table, el) -> None:  # type: ignore[no-untyped-def]
    """Put ``el`` into the table's properties in schema order (Word is strict about it)."""
    pr = table._tbl.tblPr
    for old in pr.findall(el.tag):
        pr.remove(old)
    tag = el.tag.split("}")[1]
    later = _TBL_PR[_TBL_PR.index(f"w:{tag}") + 1 :]
    pr.insert_element_before(el, *later)


def _dxa(tag: str, value: int, **attrs: str):  # type: ignore[no-untyped-def]
    el = OxmlElement(tag)
    el.set(qn("w:w"), str(value))
    el.set(qn("w:type"), "dxa")
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _fixed(table, widths_mm: list[float], *, shift_mm: float = 0) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths (so Word and LibreOffice never re-flow the header), 1 mm cell margins."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _tbl_pr(table, layout)
    _tbl_pr(table, _dxa("w:tblW", sum(_twips(w) for w in widths_mm)))
    if shift_mm:
        _tbl_pr(table, _dxa("w:tblInd", _twips(shift_mm)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_dxa(f"w:{side}", _twips(CELL_MARGIN_MM)))
    _tbl_pr(table, margins)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(_twips(w)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def _rule(p, style: str) -> None:  # type: ignore[no-untyped-def]
    """A drawn solid line under the paragraph (its bottom border); layout.finish sets its length."""
    p.style = style
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{k}"), v)
    borders.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(borders, *_P_PR_AFTER_BDR)


_P_PR_AFTER_BDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                   "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                   "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip


def _styles(doc) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.style import WD_STYLE_TYPE

    for name in (RULE_FULL, RULE_PART):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles[RULE_PART].font.size = Pt(2)  # an empty line that only carries the border
    doc.styles[RULE_PART].paragraph_format.space_before = Pt(3)  # a line of its own, not an underline


def _page_numbers(doc) -> None:  # type: ignore[no-untyped-def]
    """Page numbers from page 2, top centre (HD 36, NĐ 30): the first page has its own, empty header."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    props.append(size)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)


def _header(doc, type_name: str) -> None:  # type: ignore[no-untyped-def]
    """The header table: Party (HD 36) or State (NĐ 30) by ``h.format``, chosen when rendering.

    First row, left: [superior], issuer, "*" (Party) or a drawn line of 2/5 of the name (State);
    right: "ĐẢNG CỘNG SẢN VIỆT NAM" with a line under it (Party) or the Quốc hiệu and the Tiêu
    ngữ with a line under it (State). Each cell starts with its first printed line, so the two
    columns start level. Second row: the number and the place-and-date line, level.
    """
    _styles(doc)
    _page_numbers(doc)
    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    _no_borders(t)
    _fixed(t, [HEADER_LEFT_MM, HEADER_RIGHT_MM], shift_mm=HEADER_SHIFT_MM)
    left, right = t.cell(0, 0), t.cell(0, 1)
    left.paragraphs[0].text = '{%p if h.format == "party" %}'
    _p(left, "{%p for line in h.superior_lines %}")
    _p(left, "{{ line }}", size=14, align="center")
    _p(left, "{%p endfor %}")
    _p(left, "{%p for line in h.issuer_lines %}")
    _p(left, "{{ line }}", bold=True, size=14, align="center")
    _p(left, "{%p endfor %}")
    _p(left, "*", size=14, align="center")
    _p(left, "{%p else %}")
    _p(left, "{%p for line in h.superior_lines %}")
    _p(left, "{{ line }}", size=12, align="center")
    _p(left, "{%p endfor %}")
    _p(left, "{%p for line in h.issuer_lines %}")
    _p(left, "{{ line }}", bold=True, size=12, align="center")
    _p(left, "{%p endfor %}")
    _rule(_p(left, "", align="center"), RULE_PART)
    _p(left, "{%p endif %}")
    right.paragraphs[0].text = '{%p if h.format == "party" %}'
    _rule(_p(right, "{{ h.national }}", bold=True, size=15, align="center"), RULE_FULL)
    _p(right, "{%p else %}")
    _p(right, "{{ h.national }}", bold=True, size=12, align="center")
    _rule(_p(right, "{{ h.motto }}", bold=True, size=13, align="center"), RULE_FULL)
    _p(right, "{%p endif %}")
    # the second row: the number and the place-and-date line, always level with each other
    number, date_cell = t.cell(1, 0), t.cell(1, 1)
    number.paragraphs[0].text = '{%p if h.format == "party" %}'
    _p(number, "{{ h.number_line }}", size=14, align="center").paragraph_format.space_before = Pt(6)
    _p(number, "{%p else %}")
    _p(number, "{{ h.number_line }}", size=13, align="center").paragraph_format.space_before = Pt(6)
    _p(number, "{%p endif %}")
    date_cell.paragraphs[0].text = '{%p if h.format == "party" %}'
    _p(date_cell, "{{ h.date_line }}", italic=True, size=14, align="center").paragraph_format.space_before = Pt(6)
    _p(date_cell, "{%p else %}")
    _p(date_cell, "{{ h.date_line }}", italic=True, size=13, align="center").paragraph_format.space_before = Pt(6)
    _p(date_cell, "{%p endif %}")
    _p(doc)
    # the type name: 15 pt bold (HD 36), 14 pt bold (NĐ 30); under the trích yếu "-----" (HD 36)
    # or a drawn line of 1/3-1/2 its length (NĐ 30)
    _p(doc, '{%p if h.format == "party" %}')
    _p(doc, type_name, bold=True, size=15, align="center")
    _p(doc, "{{ title }}", bold=True, size=14, align="center")
    _p(doc, "-----", align="center")
    _p(doc, "{%p else %}")
    _p(doc, type_name, bold=True, size=14, align="center")
    _p(doc, "{{ title }}", bold=True, size=14, align="center")
    _rule(_p(doc, "", align="center"), RULE_PART)
    _p(doc, "{%p endif %}")
    _p(doc)


def _closing(doc) -> None:  # type: ignore[no-untyped-def]
    """ "Nơi nhận" and the signature block: one row that never splits across pages."""
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _fixed(t, [SIGN_LEFT_MM, SIGN_RIGHT_MM])
    row_pr = t.rows[0]._tr.get_or_add_trPr()
    row_pr.append(OxmlElement("w:cantSplit"))
    left, right = t.cell(0, 0), t.cell(0, 1)
    # "Nơi nhận": 14 pt underlined, recipients 12 pt (HD 36); 12 pt bold italic, recipients 11 pt (NĐ 30)
    left.paragraphs[0].text = '{%p if h.format == "party" %}'
    _p(left, "Nơi nhận:", size=14, underline=True)
    _p(left, "{%p for r in h.recipients %}")
    _p(left, "{{ r }}", size=12)
    _p(left, "{%p endfor %}")
    _p(left, "{%p else %}")
    _p(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _p(left, "{%p for r in h.recipients %}")
    _p(left, "{{ r }}", size=11)
    _p(left, "{%p endfor %}")
    _p(left, "{%p endif %}")
    right.paragraphs[0].text = "{%p if h.signer.authority %}"  # the first printed line level with "Nơi nhận"
    _p(right, "{{ h.signer.authority }}", bold=True, size=14, align="center")
    _p(right, "{%p endif %}")
    _p(right, "{{ h.signer.position }}", bold=True, size=14, align="center")
    for _ in range(3):
        _p(right)
    _p(right, "{{ h.signer.name }}", bold=True, size=14, align="center")


def thong_bao() -> None:
    doc = _doc()
    _header(doc, "THÔNG BÁO")
    _p(
        doc,
        "Ngày {{ dialogue_date|vn_date_short }}, tại {{ location }}, {{ chair }} chủ trì hội nghị tiếp xúc, "
        "đối thoại trực tiếp với nhân dân. Dự hội nghị có {{ participants }}"
        "{% if attendance %} ({{ attendance|vn_number }} người){% endif %}.",
        align="justify",
    )
    _p(doc, "{%p if opinions_by_field %}")
    _p(
        doc,
        "Tại hội nghị có {{ opinions_total|vn_number }} ý kiến, kiến nghị, gồm: "
        "{% for o in opinions_by_field %}{{ o.field }} {{ o.count|vn_number }} ý kiến"
        "{% if not loop.last %}; {% endif %}{% endfor %}"
        "{% if answered_at_meeting is not none %}; đã trả lời ngay tại hội nghị "
        "{{ answered_at_meeting|vn_number }} ý kiến ({{ answered_rate|vn_percent }}){% endif %}.",
        align="justify",
    )
    _p(doc, "{%p endif %}")
    _p(
        doc,
        "Sau khi nghe ý kiến của nhân dân và giải trình của các cơ quan, {{ chair }} kết luận như sau:",
        align="justify",
    )
    _each(doc, "c", "conclusions", "{{ loop.index }}. {{ c }}")
    _p(doc, "{%p if assignments %}")
    _p(doc, "{{ conclusions|length + 1 }}. Giao nhiệm vụ:", align="justify")
    _p(doc, "{%p for a in assignments %}")
    _p(
        doc,
        "{{ conclusions|length + 1 }}.{{ loop.index }}. {{ a.agency }} {{ a.task }}"
        "{% if a.due %}; hoàn thành trước ngày {{ a.due|vn_date_short }}{% endif %}.",
        align="justify",
    )
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _p(doc, "{{ closing }}", align="justify", keep_with_next=True)
    _closing(doc)
    doc.save(OUT / "thong_bao_ket_luan.docx")


def ke_hoach() -> None:
    doc = _doc()
    _header(doc, "KẾ HOẠCH")
    _p(doc, "{%p if grounds %}")
    _p(doc, "Căn cứ {% for g in grounds %}{{ g }}{% if not loop.last %}; {% endif %}{% endfor %},", align="justify")
    _p(doc, "{%p endif %}")
    _p(doc, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    _p(doc, "1. Mục đích", bold=True)
    _each(doc, "x", "purposes", "- {{ x }}")
    _p(doc, "2. Yêu cầu", bold=True)
    _each(doc, "x", "requirements", "- {{ x }}")
    _p(doc, "II. NỘI DUNG", bold=True)
    _p(doc, "1. Nội dung, chủ đề: {{ topics|join('; ') }}.", align="justify")
    _p(doc, "2. Lịch tiếp xúc, đối thoại năm {{ year }}", bold=True)
    _loop_table(
        doc,
        ["STT", "Thời gian", "Địa điểm", "Thành phần", "Chủ trì", "Nội dung"],
        "for d in schedule",
        ["{{ loop.index }}", "{{ d.time }}", "{{ d.place }}", "{{ d.participants }}", "{{ d.chair }}",
         "{{ d.content }}"],
        [11, 24, 32, 32, 30, 36],
    )  # fmt: skip
    _p(doc)
    _p(doc, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    _each(doc, "r", "responsibilities", "{{ loop.index }}. {{ r.agency }}: {{ r.tasks }}.")
    _p(doc, "IV. THỜI HẠN", bold=True)
    _each(doc, "d", "deadlines", "- {{ d }}")
    _closing(doc)
    doc.save(OUT / "ke_hoach.docx")


def _each(doc, var: str, items: str, line: str) -> None:  # type: ignore[no-untyped-def]
    """One justified paragraph per item (docxtpl paragraph loop)."""
    _p(doc, f"{{%p for {var} in {items} %}}")
    _p(doc, line, align="justify")
    _p(doc, "{%p endfor %}")


def _loop_table(doc, heads: list[str], loop: str, cells: list[str], widths_mm: list[float]) -> None:  # type: ignore[no-untyped-def]
    """A bordered table in 12 pt with fixed column widths: a header row, then one row per item
    (docxtpl row loop). Widths are chosen so figures and symbols (``123-BC/ThU``) fit a line."""
    t = doc.add_table(rows=3, cols=len(heads))
    t.style = "Table Grid"
    for i, head in enumerate(heads):
        t.cell(0, i).text = head
    t.cell(1, 0).text = f"{{%tr {loop} %}}"
    for i, cell in enumerate(cells):
        t.cell(2, i).text = cell
    t.add_row().cells[0].text = "{%tr endfor %}"
    _fixed(t, widths_mm)
    for row_index, row in enumerate(t.rows):
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else None
                for run in p.runs:
                    run.font.size = Pt(12)
                    run.bold = row_index == 0


def _stats_table(doc) -> None:  # type: ignore[no-untyped-def]
    heads = [
        "Cấp",
        "Số cuộc",
        "Lượt người",
        "Ý kiến",
        "Đã giải quyết",
        "Đang giải quyết",
        "Chuyển cấp trên",
        "Tỷ lệ giải quyết",
    ]
    cells = [
        "{{ s.name }}",
        "{{ s.so_cuoc|vn_number }}",
        "{{ s.luot_nguoi|vn_number }}",
        "{{ s.so_y_kien|vn_number }}",
        "{{ s.so_y_kien_da_giai_quyet|vn_number }}",
        "{{ s.so_y_kien_dang_giai_quyet|vn_number }}",
        "{{ s.so_y_kien_chuyen_cap_tren|vn_number }}",
        "{{ s.rate|vn_percent }}",
    ]
    _loop_table(doc, heads, "for s in stats_rows", cells, [24, 16, 22, 20, 22, 22, 19, 20])


def bao_cao() -> None:
    doc = _doc()
    _header(doc, "BÁO CÁO")
    _p(doc, "I. ĐẶC ĐIỂM TÌNH HÌNH, CÔNG TÁC TRIỂN KHAI", bold=True)
    _p(doc, "{{ situation }}", align="justify")
    _p(doc, "II. KẾT QUẢ (từ ngày {{ period_from|vn_date_short }} đến ngày {{ period_to|vn_date_short }})", bold=True)
    _p(doc, "{%p if total_sentence %}")
    _p(doc, "{{ total_sentence }}", align="justify")
    _p(doc, "{%p endif %}")
    _stats_table(doc)
    _p(doc, "{%p if sources %}")
    _p(doc, "Nguồn số liệu: {{ sources|join('; ') }}.", italic=True, size=12)
    _p(doc, "{%p endif %}")
    _p(doc, "III. ĐÁNH GIÁ CHUNG", bold=True)
    _p(doc, "1. Ưu điểm", bold=True)
    _each(doc, "x", "strengths", "- {{ x }}")
    _p(doc, "{%p if limitations %}")
    _p(doc, "2. Hạn chế, nguyên nhân", bold=True)
    _p(doc, "{%p endif %}")
    _each(doc, "x", "limitations", "- {{ x }}")
    _p(doc, "IV. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    _each(doc, "x", "tasks", "{{ loop.index }}. {{ x }}")
    _closing(doc)
    doc.save(OUT / "bao_cao_ket_qua.docx")


def tong_hop() -> None:
    doc = _doc()
    _header(doc, "BÁO CÁO")
    _p(
        doc,
        "I. KẾT QUẢ CỦA CÁC ĐƠN VỊ (từ ngày {{ period_from|vn_date_short }} đến ngày {{ period_to|vn_date_short }})",
        bold=True,
    )
    heads = ["STT", "Đơn vị", "Số cuộc", "Lượt người", "Ý kiến", "Đã giải quyết", "Tỷ lệ", "Nguồn"]
    cells = ["{{ loop.index }}", "{{ u.unit }}", "{{ u.so_cuoc|vn_number }}", "{{ u.luot_nguoi|vn_number }}",
             "{{ u.so_y_kien|vn_number }}", "{{ u.so_y_kien_da_giai_quyet|vn_number }}", "{{ u.rate|vn_percent }}",
             "{{ u.source }}"]  # fmt: skip
    _loop_table(doc, heads, "for u in unit_rows", cells, [11, 38, 16, 21, 17, 21, 16, 25])
    _p(doc)
    _p(doc, "{%p if total_sentence %}")
    _p(doc, "{{ total_sentence }}", bold=True, align="justify")
    _p(doc, "{%p endif %}")
    _p(doc, "II. ĐÁNH GIÁ CHUNG", bold=True)
    _p(doc, "{{ assessment }}", align="justify")
    _p(doc, "III. NHIỆM VỤ THỜI GIAN TỚI", bold=True)
    _each(doc, "x", "tasks", "{{ loop.index }}. {{ x }}")
    _closing(doc)
    doc.save(OUT / "bao_cao_tong_hop.docx")


if __name__ == "__main__":
    for make in (thong_bao, ke_hoach, bao_cao, tong_hop):
        make()
    print("templates written to", OUT)
