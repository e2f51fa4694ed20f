#!/usr/bin/env python3
"""Write the .docx templates in templates/ (python-docx, Jinja tags for docxtpl).

    python scripts/make_templates.py

The files are committed: offices edit them in Word or LibreOffice afterwards (keep the
{{ … }} and {%p … %} tags intact). Page and fonts follow HD 36-HD/VPTW and NĐ 30/2020:
A4, margins 20/20/30/15 mm, Times New Roman, body 14 pt, type name 15 pt bold.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates"
FONT = "Times New Roman"


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
):  # type: ignore[no-untyped-def]
    p = container.add_paragraph()
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
    table._tbl.tblPr.append(borders)


def _header(doc, type_name: str) -> None:  # type: ignore[no-untyped-def]
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(t)
    left, right = t.cell(0, 0), t.cell(0, 1)
    left.paragraphs[0].text = "{%p if h.superior %}"
    _p(left, "{{ h.superior }}", size=14, align="center")
    _p(left, "{%p endif %}")
    _p(left, "{{ h.issuer }}", bold=True, size=14, align="center")
    _p(left, "{{ h.sep }}", size=14, align="center")
    _p(left, "{{ h.number_line }}", size=14, align="center")
    right.paragraphs[0].text = ""
    _p(right, "{{ h.national }}", bold=True, size=15 if True else 13, align="center", underline=True)
    _p(right, "{%p if h.motto %}")
    _p(right, "{{ h.motto }}", bold=True, size=14, align="center", underline=True)
    _p(right, "{%p endif %}")
    _p(right, "{{ h.date_line }}", italic=True, size=14, align="center")
    _p(doc)
    _p(doc, type_name, bold=True, size=15, align="center")
    _p(doc, "{{ title }}", bold=True, size=14, align="center")
    _p(doc, "-----", align="center")
    _p(doc)


def _closing(doc) -> None:  # type: ignore[no-untyped-def]
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.cell(0, 0), t.cell(0, 1)
    left.paragraphs[0].text = ""
    _p(left, "Nơi nhận:", bold=True, italic=True, size=12)
    _p(left, "{%p for r in h.recipients %}")
    _p(left, "{{ r }}", size=11)
    _p(left, "{%p endfor %}")
    right.paragraphs[0].text = ""
    _p(right, "{%p if h.signer.authority %}")
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
    _p(doc, "{{ closing }}", align="justify")
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


def _loop_table(doc, heads: list[str], loop: str, cells: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A bordered table: a header row, then one row per item (docxtpl row loop)."""
    t = doc.add_table(rows=3, cols=len(heads))
    t.style = "Table Grid"
    for i, head in enumerate(heads):
        t.cell(0, i).text = head
    t.cell(1, 0).text = f"{{%tr {loop} %}}"
    for i, cell in enumerate(cells):
        t.cell(2, i).text = cell
    t.add_row().cells[0].text = "{%tr endfor %}"


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
    _loop_table(doc, heads, "for s in stats_rows", cells)


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
    _loop_table(doc, heads, "for u in unit_rows", cells)
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
