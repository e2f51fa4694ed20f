"""Figures a document reports, by level: meetings, participants, opinions and how they were settled.

The text is read clause by clause. A level marker (``Cấp huyện:``, ``toàn tỉnh``,
``Thường trực Tỉnh ủy … tổ chức``) sets the level of the figures that follow it in the
same paragraph; without one, a notice of conclusions reports at its issuer's level and
other documents report totals. A verb before a number (``đã giải quyết 589``) or a unit
after it (``05 cuộc``, ``1.030 lượt người``) gives the metric. Norms (``ít nhất 02 cuộc``,
``02 cuộc/năm``), coverage ratios (``13/13``) and populations are not statistics.
Vietnamese numbers: ``174.862`` = 174862, ``99,94%`` = 99.94; a ratio's value is its first number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from archive.records import StatRow

__all__ = ["find_statistics", "vn_number"]

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUM_RE = re.compile(rf"(?<![\d.,/])(?P<num>{NUM})(?:/(?P<den>{NUM}))?(?![\d/]|[.,]\d)")


def vn_number(raw: str) -> float:
    """``174.862`` → 174862, ``99,94`` → 99.94, ``1.275,5`` → 1275.5."""
    return float(raw.replace(".", "").replace(",", "."))


# -- levels ---------------------------------------------------------------------------

_DOES = r"(?=(?:[^.;]|TP\.){0,80}(?:tổ chức|chủ trì|đối thoại))"  # … names the heads who held the dialogues
_CENTRAL = r"(?:Hà Nội|Hải Phòng|Đà Nẵng|Cần Thơ|Huế|TP\. Hồ Chí Minh|Thành phố Hồ Chí Minh|Hồ Chí Minh)\b"
_NOT_TARGET = r"(?<!chuyển )(?<!lên )(?<!đến )(?<!về )(?<!của )(?<!cho )"  # "chuyển cấp tỉnh" is no level
_HELD = r"(?![^.;()]{0,50}\b(?:dự|tham dự)\b)"  # heads who only attended did not hold it


def _alt(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


# A figure's level is the level of the heads who held the dialogues it counts: a level word
# ("cấp huyện"), or the heads themselves ("Chủ tịch UBND tỉnh", "UBND huyện Tân Phú tổ chức",
# "Đảng ủy, UBND xã Long Mỹ"); "tong" only for sums over the levels ("toàn tỉnh", "các cấp").
_LEVEL_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("tong", _alt(
        r"\b(?:toàn (?:tỉnh|thành phố|huyện|quận|thị xã|Đảng bộ|quốc)|cả nước|tính chung|tổng cộng|tổng số)\b",
        r"\b(?:các cấp ủy đảng, chính quyền|cấp ủy, chính quyền|người đứng đầu cấp ủy, chính quyền) các cấp\b",
        r"\bcác cấp(?: trong (?:tỉnh|huyện|thành phố|thị xã))? (?:đã )?(?:tổ chức|giải quyết)\b",
        r"\btừ (?:tỉnh|thành phố|huyện|thị xã|quận) đến (?:cơ sở|các xã)",
    )),
    ("tinh", _alt(
        _NOT_TARGET + r"\bcấp tỉnh\b",
        r"\bChủ tịch (?:UBND|Ủy ban nhân dân) tỉnh\b" + _HELD,
        r"\b(?:Thường trực|Ban Thường vụ) (?:Tỉnh|Thành) ủy\b(?=[^.;]{0,60}tổ chức)",
        r"\bChủ tịch UBND (?:tỉnh|thành phố)\b(?=[^.;]{0,60}tổ chức)",
        r"(?:^|[:;,\[\]]\s*)Tỉnh ủy tổ chức",
        r"\b(?:UBND|Ủy ban nhân dân) tỉnh\b" + _HELD + _DOES,
        r"\blãnh đạo tỉnh\b" + _HELD,
        r"\b(?:UBND|Ủy ban nhân dân|Chủ tịch UBND) thành phố " + _CENTRAL + _HELD,
        r"\bBí thư Tỉnh ủy\b(?! và)" + _HELD,
        r"\b(?:Bí thư |Thường trực |Ban Thường vụ )?Thành ủy " + _CENTRAL + _HELD,
    )),
    ("huyen", _alt(
        _NOT_TARGET + r"\bcấp (?:huyện|thị xã|quận)\b",
        r"\bchính quyền (?:huyện|quận|thị xã)\b(?=[^.;]{0,40}tổ chức)",
        r"\b(?:UBND|Ủy ban nhân dân|Chủ tịch UBND) (?:huyện|quận|thị xã)" + _HELD + _DOES,
        r"(?<!vận )(?<!giáo )(?<!phòng )(?<!chức )"
        r"\b(?:Bí thư )?(?:Huyện|Thị|Quận) ủy\b(?=[^.;]{0,60}(?:tổ chức|chủ trì))",
        r"\blãnh đạo (?:huyện|thị xã|quận)\b",
        r"\bChủ tịch UBND (?:huyện|quận|thị xã|cấp huyện|các huyện)\b" + _HELD,
        r"\b(?:Bí thư|bí thư) các (?:huyện ủy|quận ủy|thị ủy)",
    )),
    ("xa", _alt(
        _NOT_TARGET + r"\bcấp (?:xã|cơ sở)\b",
        r"\bchính quyền (?:xã|phường|thị trấn)\b(?=[^.;]{0,40}tổ chức)",
        r"\b(?:Đảng ủy, )?(?:UBND|Ủy ban nhân dân) (?:xã|phường|thị trấn)" + _HELD + _DOES,
        r"\bĐảng ủy (?:xã|phường|thị trấn)\b" + _HELD + _DOES,
        r"\bChủ tịch UBND (?:cấp xã|xã|phường|thị trấn)\b" + _HELD,
        r"\b(?:bí thư )?đảng ủy (?:phường|xã)",
        r"\b(?:\d+ |các )?xã, (?:phường, )?thị trấn\b" + _DOES,
        r"\bcấp xã, (?:phường|thị trấn)",
    )),
]  # fmt: skip

# "cấp thành phố", the Thành ủy or UBND of a city not named as centrally-run: the level depends on the city
_CITY = _alt(
    _NOT_TARGET + r"\bcấp thành phố\b",
    r"\bBí thư Thành ủy\b(?! " + _CENTRAL + ")" + _HELD,
    r"(?:^|[:;,\[\]]\s*)Thành ủy tổ chức",
    r"\b(?:UBND|Ủy ban nhân dân|Chủ tịch UBND) thành phố\b(?! " + _CENTRAL + ")" + _HELD + _DOES,
)

# -- metrics --------------------------------------------------------------------------

_Y = r"(?:lượt\s+)?(?:ý kiến|kiến nghị|phản ánh|vụ việc|câu hỏi)"
# Verb phrases that come before the number they qualify.
_PREFIX_METRICS: list[tuple[str, re.Pattern[str]]] = [
    ("so_y_kien_chua_giai_quyet", re.compile(
        r"(?:chưa (?:được )?giải quyết|giải quyết chưa xong|còn tồn đọng)(?: được)?\s*:?\s*$", re.I)),
    ("so_y_kien_dang_giai_quyet", re.compile(
        r"(?:đang (?:xem xét,? )?(?:giải quyết|thực hiện|xử lý))(?: được)?\s*:?\s*$", re.I)),
    ("so_y_kien_chuyen_cap_tren", re.compile(
        r"(?:chuyển(?: lên)? cấp (?:trên|tỉnh|huyện|thị xã)|chuyển (?:đến )?cơ quan có thẩm quyền(?: cấp trên)?|"
        r"thuộc thẩm quyền (?:của )?cấp trên|đề nghị cấp trên(?: giải quyết)?)(?: giải quyết)?\s*:?\s*$", re.I)),
    ("so_y_kien_tra_loi_tai_hoi_nghi", re.compile(
        r"(?<!nội dung )(?<!dự thảo )(?:trả lời|giải đáp|giải trình|giải thích|đáp)"
        r"(?:,? (?:giải thích|làm rõ|giải đáp|giải quyết))?"
        r"(?: trực tiếp| ngay| thỏa đáng| cụ thể)*"
        r"(?: (?:tại|ngay tại) (?:hội nghị|buổi đối thoại|buổi tiếp xúc|chỗ))?(?: được)?\s*:?\s*$", re.I)),
    ("so_y_kien_da_giai_quyet", re.compile(r"(?:đã|được) (?:xem xét,? )?giải quyết(?: xong| dứt điểm)?"
                                           r"(?: được)?\s*:?\s*$|"
                                           r"(?:^|[\s,;:])giải quyết(?: xong)?(?: được)?\s*:?\s*$", re.I)),
    ("so_y_kien", re.compile(r"(?:tiếp nhận|nhận được|thu nhận|tổng hợp)(?: được)?\s*:?\s*$", re.I)),
]  # fmt: skip
# Units that come after the number.
_UNIT_METRICS: list[tuple[str, re.Pattern[str]]] = [
    ("so_cuoc", re.compile(r"^\s*(?:cuộc|hội nghị|buổi)\b", re.I)),
    ("luot_nguoi", re.compile(r"^\s*(?:lượt (?:người|nhân dân|cán bộ|đại biểu|công dân|đoàn viên|hội viên|cử tri)|"
                              r"lượt(?=\s*(?:tham|dự|[,;.)]|$))|người dân|người|đại biểu|công dân)\b", re.I)),
    ("so_y_kien", re.compile(rf"^\s*{_Y}\b", re.I)),
]  # fmt: skip
_PERCENT = re.compile(rf"(?<![\d.,])(?P<num>{NUM})\s?%")
_FORWARDED_AFTER = re.compile(
    r"^[^;.]{0,120}?(?:thuộc thẩm quyền|vượt thẩm quyền|chuyển (?:lên |đến )?cấp trên|"
    r"chuyển đến cơ quan có thẩm quyền)",
    re.IGNORECASE,
)
_RATE_CONTEXT = {
    "so_y_kien_da_giai_quyet": "ty_le_giai_quyet",
    "so_y_kien_tra_loi_tai_hoi_nghi": "ty_le_tra_loi_tai_hoi_nghi",
}
# A rate that names itself: "tỷ lệ giải quyết đạt 81,48%", "tỷ lệ trả lời tại hội nghị 70%".
_NAMED_RATES: list[tuple[str, re.Pattern[str]]] = [
    ("ty_le_tra_loi_tai_hoi_nghi", re.compile(
        r"tỷ lệ (?:(?:số )?ý kiến,? (?:kiến nghị )?)?(?:được )?(?:trả lời|giải đáp)[^;%\d]{0,40}$", re.I)),
    ("ty_le_giai_quyet", re.compile(
        r"tỷ lệ (?:(?:số )?ý kiến,? (?:kiến nghị )?)?(?:đã |được )*giải quyết(?: xong| dứt điểm)?"
        r"(?: (?:đạt|là|chiếm))?\s*:?\s*$", re.I)),
]  # fmt: skip
# Words that make a figure a target, not a result: "phấn đấu tỷ lệ giải quyết đạt 90%".
_TARGET_BEFORE = re.compile(r"phấn đấu|chỉ tiêu|mục tiêu|bảo đảm|đảm bảo|yêu cầu|ít nhất|tối thiểu", re.I)
_NORM_BEFORE = re.compile(
    r"(?:ít nhất|tối thiểu|tối đa|không quá|không ít hơn|mỗi|từ|trên|hơn|khoảng|gần|dưới)\s*$|"
    r"(?:định kỳ|thường xuyên|mỗi năm|hằng năm|hàng năm|một năm|trong năm)\s+(?:ít nhất\s+)?$",
    re.I,
)
_APPROX_BEFORE = re.compile(r"(?:trên|hơn|khoảng|gần)\s*$", re.I)
_NORM_AFTER = re.compile(
    r"^\s*(?:cuộc|hội nghị|buổi|lần|ngày)?\s*(?:/\s*(?:năm|tháng|quý)|mỗi năm|một năm|trong năm|mỗi)", re.I
)
_NOT_PEOPLE = re.compile(r"(?:dân số|có|gồm|với)\s+$", re.I)


@dataclass(frozen=True)
class _Clause:
    text: str
    paragraph: int  # clauses of one paragraph share a level; bullet items continue their heading's
    planned: bool = False  # the paragraph describes what is to be done ("Thành phần mỗi cuộc: … khoảng 120")


_PLANNED = re.compile(r"\b(?:mỗi cuộc|thành phần|dự kiến|sẽ tổ chức)\b", re.IGNORECASE)


_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|[IVX]+\.\s|[-+•]\s))")
_BULLET = re.compile(r"^\s*[-+•]\s")


def _clauses(text: str) -> Iterator[_Clause]:
    """Paragraphs split at sentence ends and semicolons (a dot inside 1.030 is not a sentence end)."""
    paragraph = 0
    for i, para in enumerate(_BREAK.split(text)):
        if i and not _BULLET.match(para):
            paragraph += 1
        flat = " ".join(para.split())
        planned = bool(_PLANNED.search(flat))
        for part in re.split(r"(?<=[;.:])\s+(?=\S)(?<!\d\.\s)|(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", flat):
            if part.strip():
                yield _Clause(part, paragraph, planned)


_HEAD_AFTER = re.compile(r"^[^;.]{0,40}?\bcủa (?:đồng chí )?(?:Chủ tịch|Bí thư)[^;.,]{0,40}")


def find_statistics(
    text: str, *, default_level: str = "tong", city_level: str = "huyen", notes: list[str] | None = None
) -> list[StatRow]:
    """``city_level``: what "cấp thành phố" means for this issuer (huyện, or tỉnh in a centrally-run city).
    ``notes`` receives a warning for each count whose metric the text does not decide (left out)."""
    markers = [*_LEVEL_MARKERS, (city_level, _CITY)]
    rows: list[StatRow] = list(_table_stats(text, city_level))
    seen: set[tuple[str, str, float]] = {(r.level, r.metric, r.value) for r in rows}
    level = default_level
    paragraph = -1
    heading: str | None = None  # "Số ý kiến đã giải quyết theo từng cấp:" names the metric of a list
    label: str | None = None  # "- Đã giải quyết: 24 ý kiến": a label names the metric of what follows it
    for clause in _clauses(text):
        if clause.paragraph != paragraph:
            paragraph, level, heading = clause.paragraph, default_level, None
        bare = re.sub(r"^\s*(?:\[\d+\]|[-+•])\s*", "", clause.text)  # a footnote's mark, a bullet
        this_label, label = label, None
        if bare.rstrip().endswith(":") and not _NUM_RE.search(bare):
            names_list = re.search(r"\b(?:từng cấp|các cấp|theo cấp)\b", bare, re.I) and re.search(_Y, bare, re.I)
            if names_list:
                heading = _after_metric(bare)
            label = (
                None
                if names_list
                else _prefix_metric(bare)
                or ("so_y_kien" if re.search(rf"^(?:tổng )?số (?:lượt )?{_Y}", bare, re.I) else None)
            )
        for value, metric, raw, pos in _clause_stats(clause.text, this_label or heading, notes, planned=clause.planned):
            level = _level_at(clause.text, pos, level, markers)
            if level == default_level and (head := _HEAD_AFTER.match(clause.text[pos:])):
                level = _level_at(head[0], len(head[0]), level, markers)  # "9 buổi đối thoại của Chủ tịch UBND tỉnh"
            key = (level, metric, value)
            if key not in seen:
                seen.add(key)
                rows.append(StatRow(level=level, metric=metric, value=value, raw=raw))
        level = _level_at(clause.text, len(clause.text), level, markers)
    return rows


# -- tables ---------------------------------------------------------------------------

_COLUMN_METRICS: list[tuple[str, re.Pattern[str]]] = [
    ("ty_le_tra_loi_tai_hoi_nghi", re.compile(r"tỷ lệ.*trả lời|trả lời.*tỷ lệ|trả lời.*%", re.I)),
    ("ty_le_giai_quyet", re.compile(r"tỷ lệ|%", re.I)),
    ("so_y_kien_tra_loi_tai_hoi_nghi", re.compile(r"trả lời|giải đáp", re.I)),
    ("so_y_kien_chua_giai_quyet", re.compile(r"chưa giải quyết|chưa xong", re.I)),
    ("so_y_kien_dang_giai_quyet", re.compile(r"đang giải quyết|đang thực hiện", re.I)),
    ("so_y_kien_chuyen_cap_tren", re.compile(r"chuyển|thẩm quyền", re.I)),
    ("so_y_kien_da_giai_quyet", re.compile(r"đã giải quyết|giải quyết", re.I)),
    ("so_cuoc", re.compile(r"số cuộc|cuộc|hội nghị", re.I)),
    ("luot_nguoi", re.compile(r"lượt|người", re.I)),
    ("so_y_kien", re.compile(r"ý kiến|kiến nghị", re.I)),
]
_ROW_LEVELS: list[tuple[str, re.Pattern[str]]] = [
    ("tong", re.compile(r"^(?:tổng(?: cộng| số)?|cộng|toàn (?:tỉnh|huyện|thành phố))\b", re.I)),
    ("tinh", re.compile(r"^(?:cấp )?tỉnh\b", re.I)),
    ("huyen", re.compile(r"^(?:cấp )?(?:huyện|quận)\b", re.I)),
    ("xa", re.compile(r"^(?:cấp )?(?:xã|cơ sở)\b", re.I)),
]
_CELLS = re.compile(r"\t+|\s*\|\s*")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELLS.split(line.strip().strip("|"))]


def _table_stats(text: str, city_level: str) -> Iterator[StatRow]:
    """Figures in a table whose header names the metrics and whose rows name the levels."""
    columns: list[str | None] | None = None
    header_cells: list[str] = []
    for line in text.splitlines():
        cells = _cells(line)
        if len(cells) < 3:
            columns = None
            continue
        if columns is None or not any(c for c in columns):
            header = [next((m for m, rx in _COLUMN_METRICS if rx.search(c)), None) for c in cells]
            columns = header if sum(1 for m in header if m) >= 2 else None
            header_cells = cells
            continue
        if len(cells) > len(columns):
            columns = _split_header(header_cells, len(cells)) or columns
        label = next((c for c in cells if c and not c.isdigit()), "")
        level = next((lv for lv, rx in _ROW_LEVELS if rx.search(label)), None)
        if level is None and re.match(r"^cấp (?:thành phố|thị xã)\b", label, re.I):
            level = city_level
        if level is None:
            continue
        for cell, metric in zip(cells, columns, strict=False):
            m = re.fullmatch(rf"({NUM})\s*%?", cell)
            if metric and m:
                yield StatRow(level=level, metric=metric, value=vn_number(m[1]), raw=cell)


_HEADER_PARTS = re.compile(r"(?=\b(?:Số|Lượt|Đã|Đang|Chưa|Chuyển|Tỷ lệ|Trả lời|Tổng)\b)")


def _split_header(cells: list[str], width: int) -> list[str | None] | None:
    """A table whose heading cells ran together when read from a scan ("Đã giải quyết Tỷ lệ (%)"):
    split the cells at the words that open a column's name until there are as many as in the rows."""
    parts = [p.strip() for c in cells for p in _HEADER_PARTS.split(c) if p.strip()]
    if len(parts) != width:
        return None
    return [next((m for m, rx in _COLUMN_METRICS if rx.search(c)), None) for c in parts]


def _level_at(clause: str, pos: int, current: str, markers: list[tuple[str, re.Pattern[str]]]) -> str:
    """The level of the last marker before ``pos`` in the clause, else the current level."""
    best: tuple[int, str] | None = None
    for name, rx in markers:
        for m in rx.finditer(clause, 0, pos):
            if best is None or m.start() >= best[0]:
                best = (m.start(), name)
    return best[1] if best else current


# What a count of opinions became, said after it: "3 ý kiến thuộc thẩm quyền của tỉnh", "5 ý kiến đang
# được các phòng xem xét", "2 kiến nghị chưa giải quyết được". The earliest phrase in the clause decides.
_AFTER_METRICS: list[tuple[str, re.Pattern[str]]] = [
    ("so_y_kien_chua_giai_quyet", re.compile(
        r"\bchưa (?:được )?giải quyết|\bgiải quyết chưa xong|\b(?:còn )?tồn đọng", re.I)),
    ("so_y_kien_dang_giai_quyet", re.compile(
        r"\bđang (?:được )?(?:[^;.]{0,40}? )?(?:xem xét|giải quyết|thực hiện|xử lý|kiểm tra)|\bđang chờ\b", re.I)),
    ("so_y_kien_chuyen_cap_tren", re.compile(
        r"\b(?:thuộc|vượt) thẩm quyền|\bgửi (?:lên )?cấp trên|"
        r"\bchuyển (?:lên |đến )?(?:cấp (?:trên|tỉnh|huyện|thị xã)|cơ quan có thẩm quyền|"
        r"(?:UBND|Ủy ban nhân dân|Sở|các sở|Thường trực|Ban Thường vụ) )|\blên cấp trên|"
        r"\b(?:báo cáo|đề nghị|kiến nghị) (?:lên )?"
        r"(?:UBND|Ủy ban nhân dân|Thường trực|Ban Thường vụ|cấp trên|cấp (?:tỉnh|huyện))"
        r"[^;.]{0,60}?(?:xem xét|giải quyết|theo thẩm quyền)|"
        r"\bghi nhận(?:,| để)? (?:để )?báo cáo (?:UBND|Ủy ban nhân dân|cấp trên|Ban Thường vụ|Thường trực)", re.I)),
    ("so_y_kien_tra_loi_tai_hoi_nghi", re.compile(
        r"\b(?:được )?(?:trả lời|giải đáp|giải thích)(?:,? (?:giải thích|làm rõ|giải đáp))?(?: trực tiếp| ngay)",
        re.I)),
    ("so_y_kien_da_giai_quyet", re.compile(
        r"\b(?:đã (?:được )?|được )(?:[^;.,]{0,20}? )?giải quyết(?: xong| dứt điểm)?\b|\bgiải quyết xong", re.I)),
]  # fmt: skip
# A count of opinions is their number in all when a verb of raising them comes before it ("nêu 35 ý
# kiến", "có 16 ý kiến phát biểu", "tiếp nhận …") or it closes a list of results ("4 cuộc, 820 lượt
# người, 52 ý kiến"); one part of a breakdown ("trong đó 21 ý kiến liên quan đến …") has no metric.
_TOTAL_BEFORE = re.compile(
    r"(?:nêu(?: lên)?|phát biểu|phản ánh|kiến nghị|đề xuất|đề đạt|đặt ra|tiếp nhận|nhận được|thu nhận|"
    r"tổng hợp(?: được)?|gửi|có|với|gồm|trình bày|bày toả|bày tỏ|đưa ra|ghi nhận|lắng nghe|số ý kiến|tổng số|:)"
    r"\s*(?:được\s+|tổng cộng\s+|tất cả\s+)?$",
    re.I,
)
_TOTAL_AFTER = re.compile(
    rf"^\s*{_Y}(?:,\s*kiến nghị)?\s+(?:phát biểu|được nêu|được gửi|được tiếp nhận|được tổng hợp)", re.I
)
_TAIL_CUT = re.compile(r"\b(?:trong đó|bao gồm|gồm)\b|,\s*tất cả\b", re.I)
_STRONG_TOTAL = re.compile(
    r"(?:nêu(?: lên)?|phát biểu|tiếp nhận|nhận được|thu nhận|đề đạt|đặt(?: ra)?|bày tỏ)\s*(?:được\s+|tổng cộng\s+)?$",
    re.I,
)
_OTHER_THINGS = re.compile(r"^\s*(?:trường hợp|đơn\b|đơn thư|hồ sơ|lượt đơn)", re.I)
_LIST_BEFORE = re.compile(r"(?:,|và|với)\s*$")
_PARTS = re.compile(r"\b(?:trong đó|gồm|bao gồm|còn lại|riêng|tất cả)\b", re.I)


def _after_metric(tail: str) -> str | None:
    best: tuple[int, str] | None = None
    for metric, rx in _AFTER_METRICS:
        m = rx.search(tail)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), metric)
    return best[1] if best else None


def _clause_stats(
    clause: str, heading: str | None = None, notes: list[str] | None = None, *, planned: bool = False
) -> Iterator[tuple[float, str, str, int]]:
    """``heading``: the metric a list's heading gave ("Số ý kiến đã giải quyết theo từng cấp:")."""
    last_metric: str | None = None
    last_end, last_unit = 0, None
    for m in _NUM_RE.finditer(clause):
        before, after = clause[: m.start()], clause[m.end() :]
        segment = clause[last_end : m.start()]  # since the previous number
        raw_num = m.group(0)
        if (
            m["den"]
            and vn_number(m["num"]) == vn_number(m["den"])
            and vn_number(m["num"]) < 1000
            and not re.match(rf"\s*{_Y}", after)
        ):
            continue  # "13/13 huyện": coverage, not a count ("52/52 ý kiến" is a result)
        if _NORM_AFTER.match(after) or (_NORM_BEFORE.search(before) and not _APPROX_BEFORE.search(before)):
            continue
        if re.search(r"\b(?:tăng|giảm|nhiều hơn|ít hơn|hơn)\s*$", before, re.I) and re.match(
            r"[^;.]{0,20}?\bso với\b", after
        ):
            continue  # "tăng 12 cuộc so với năm 2021": a difference, not a count
        if re.search(r"\bmỗi (?:cuộc|hội nghị|buổi)\b[^;.,]{0,40}$", before, re.I):
            continue  # "mỗi cuộc đối thoại thu hút gần 300 người": per meeting, not a count
        if planned and re.search(r"(?:khoảng|dự kiến)\s*$", before, re.I):
            continue  # a planned attendance, not a result
        if re.search(r"(?<!trực )(?<!Tiếp )\b(?:đã )?tiếp\s*$", before) or _OTHER_THINGS.match(after):
            continue  # citizens received at the reception office, petitions, files: not dialogue figures
        pct = re.match(r"\s?%", after)
        if pct:
            rate = _RATE_CONTEXT.get(last_metric or "")
            if rate and not m["den"] and re.search(r"(?:đạt|tỷ lệ|chiếm|\()\s*(?:tỷ lệ\s*)?$", before, re.I):
                yield vn_number(m["num"]), rate, raw_num + pct.group(0).strip(), m.start()
            elif not m["den"] and not _TARGET_BEFORE.search(before):
                named = next((metric for metric, rx in _NAMED_RATES if rx.search(before[-90:])), None)
                if named:
                    yield vn_number(m["num"]), named, raw_num + pct.group(0).strip(), m.start()
            continue
        metric = _prefix_metric(segment)
        unit = _unit_metric(after, before)
        if metric is None:
            if unit is None:
                continue
            metric = unit[0]
            if metric == "luot_nguoi" and _NOT_PEOPLE.search(before[-10:]) and "dân số" in before[-12:]:
                continue
        if metric == "so_y_kien" and unit is None and not m["den"] and not re.match(rf"\s*{_Y}", after):
            continue
        if metric in ("so_cuoc", "luot_nguoi") and unit is None:
            continue
        if "dân số" in before[-12:].lower():
            continue
        if metric == "so_y_kien" and unit and _prefix_metric(segment) is None:
            rest = after[len(unit[1]) :]
            nxt = _NUM_RE.search(rest)
            tail = rest[: nxt.start() if nxt else 160][:160]
            tail = _TAIL_CUT.split(tail, 1)[0]  # "…, trong đó đã trả lời 10 ý kiến": that phrase is the next figure's
            found = None if _STRONG_TOTAL.search(segment) or _TOTAL_AFTER.match(after) else _after_metric(tail)
            if found:
                metric = found
            elif heading:
                metric = heading
            elif not (
                _STRONG_TOTAL.search(segment)
                or (_TOTAL_BEFORE.search(segment) and not _PARTS.search(segment))
                or _TOTAL_AFTER.match(after)
                or (last_unit in ("so_cuoc", "luot_nguoi") and _LIST_BEFORE.search(segment))
            ):
                if notes is not None:
                    notes.append(f"số liệu không rõ chỉ tiêu, bỏ qua: “{raw_num}{unit[1]}{tail[:40].rstrip()}”")
                last_end = m.end()
                continue
        raw = raw_num + (unit[1] if unit and not m["den"] else "")
        if metric.startswith("so_y_kien") and unit and unit[0] != "so_y_kien":
            continue  # "đã giải quyết 12 cuộc"? a verb with the wrong unit
        last_metric = metric
        last_end, last_unit = m.end(), unit[0] if unit else None
        yield vn_number(m["num"]), metric, raw.strip(), m.start()
        if m["den"] and metric in _RATE_CONTEXT and re.match(rf"\s*{_Y}[^;.]{{0,40}}?(?:đạt|\(\s*{NUM}\s?%)", after):
            # "đã giải quyết 176.277/176.386 ý kiến, đạt 99,94%": the second number is the total
            yield vn_number(m["den"]), "so_y_kien", raw.strip(), m.start()


def _prefix_metric(before: str) -> str | None:
    tail = before[-80:]
    for metric, rx in _PREFIX_METRICS:
        if rx.search(tail):
            return metric
    return None


# People named by what they are, counted as participants only when they attend: "với 74 tiểu thương",
# "Dự hội nghị có 68 hộ dân", "187 hội viên nông dân tham dự" (not "318 hộ" compensated).
_PEOPLE = re.compile(
    r"^\s*(?:hộ dân|hộ gia đình|tiểu thương|hội viên(?: nông dân| phụ nữ| cựu chiến binh)?|đoàn viên(?:, thanh niên)?|"
    r"cử tri|ngư dân|nông dân|công nhân|người lao động|thanh niên|chức sắc|già làng)\b",
    re.I,
)
_ATTEND_BEFORE = re.compile(
    r"(?:với(?: sự tham gia của)?(?: đại diện)?|(?:dự|tham dự)(?: hội nghị| buổi đối thoại)? có|có)\s*$", re.I
)
_ATTEND_AFTER = re.compile(r"^[^;.]{0,40}?\b(?:tham dự|dự|tham gia)\b", re.I)


def _unit_metric(after: str, before: str = "") -> tuple[str, str] | None:
    for metric, rx in _UNIT_METRICS:
        m = rx.match(after)
        if m:
            return metric, after[: m.end()]
    people = _PEOPLE.match(after)
    if people and (_ATTEND_BEFORE.search(before) or _ATTEND_AFTER.match(after[people.end() :])):
        return "luot_nguoi", after[: people.end()]
    return None


def level_of_heads(text: str) -> str | None:
    """The level of the first heads (or sum over levels) the text names: a news article's figures."""
    best: tuple[int, str] | None = None
    for name, rx in _LEVEL_MARKERS:
        m = rx.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None
