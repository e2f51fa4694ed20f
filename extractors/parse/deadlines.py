"""The numbered assignments of a notice of conclusions: who does what, by when.

``2.1. Sở Giao thông vận tải khảo sát …; hoàn thành trước ngày 31/8/2019.`` →
Deadline(agency="Sở Giao thông vận tải", task="khảo sát …", due=2019-08-31).
"trong tháng 9/2018" is the last day of that month, "trong quý III năm 2019" of that quarter.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from itertools import pairwise

from archive.records import Deadline

__all__ = ["find_deadlines"]

_ITEM_START = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|-)\s+(?P<body>\S.*)$")
_SECTION = re.compile(r"kết luận như sau|kết luận\s*:|giao nhiệm vụ|yêu cầu\s*:|đề nghị\s*:", re.IGNORECASE)
_AGENCY = (
    r"(?:Ban cán sự đảng|Đảng đoàn|Ban Thường vụ|Thường trực|Ban Dân vận|Ban Tuyên giáo|Ban Tổ chức|"
    r"Ban Nội chính|Ban Quản lý|Ban quản trị|Văn phòng|UBND|HĐND|Ủy ban|Uỷ ban|Sở|Phòng|Thanh tra|Công an|"
    r"Huyện ủy|Huyện uỷ|Thành ủy|Thị ủy|Quận ủy|Đảng ủy|Đảng uỷ|Chi bộ|Mặt trận|MTTQ|Trung tâm|Hội|Đoàn|"
    r"Bộ Chỉ huy|Ban Chỉ huy|Cục|Chi cục|Đài|Báo|Kho bạc|Ngân hàng|Bảo hiểm|Trường|Bệnh viện|Tòa án|Viện kiểm sát|"
    r"công chức|cán bộ)"
    r"(?:[^;:,.]|,\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s+[A-ZĐÀ-Ỹ]))*?"  # "Đảng ủy các xã Triệu Hải, Triệu Dương, Triệu An"
)
_VERBS = (
    "chủ trì|chỉ đạo|phối hợp|khảo sát|hướng dẫn|rà soát|lãnh đạo|kiểm tra|theo dõi|tổ chức|xem xét|nắm|tiếp tục|"
    "khẩn trương|thực hiện|giải quyết|trả lời|tuyên truyền|vận động|đôn đốc|tham mưu|xây dựng|bố trí|triển khai|"
    "chịu trách nhiệm|có trách nhiệm|báo cáo|xác định|đề xuất|cân đối|quan tâm|tập trung|làm việc|hoàn thành|sớm|"
    "ban hành|chuẩn bị|xử lý|công khai|tăng cường|nghiên cứu|bảo đảm|đảm bảo|cung cấp|hỗ trợ|vận hành|đối thoại|"
    "sửa chữa|nâng cấp|cải tạo|khắc phục|hoàn thiện|điều chỉnh|thẩm định|phê duyệt|thu hồi|bồi thường|giải ngân|"
    "đẩy nhanh|tiếp thu|di dời|thi công|nạo vét|cấp phép|cấp giấy|quản lý chặt|giao|giúp|đưa|có văn bản|"
    "thường xuyên|kịp thời"
)
_AGENCIES = re.compile(rf"{_AGENCY}(?:,\s+{_AGENCY})*\s+")
_VERB_AT = re.compile(rf"(?<!\w)(?:{_VERBS})\b")
# Verbs that also stand inside agency names ("Ban Quản lý dự án đầu tư xây dựng huyện"): a
# split before one of them is passed over when the name visibly goes on after it (a place
# word, "và", a capital) and another verb follows.
_NAME_WORDS = {"xây dựng", "hỗ trợ", "vận hành", "đối thoại", "tổ chức", "kiểm tra", "tuyên truyền", "bảo đảm"}
_NAME_GOES_ON = re.compile(r"\s+(?:huyện|tỉnh|thành phố|thị xã|xã|quận|phường|khu vực|và|[A-ZĐÀ-Ỹ])")
_ASSIGNING = re.compile(r"^(?:Giao(?: cho)?|Đề nghị|Yêu cầu)\s+(?=[A-ZĐÀ-Ỹ]|công chức|cán bộ)")
_D = re.compile(
    r"(?:trước|đến|chậm nhất|xong trước|hoàn thành trước|trong)\s+ngày\s+"
    r"(?P<d>[0-3]?\d)\s*[/.-]\s*(?P<m>[01]?\d)\s*[/.-]\s*(?P<y>(?:19|20)\d{2})",
    re.I,
)
_MONTH = re.compile(r"(?:trong|cuối|hết)\s+tháng\s+(?P<m>[01]?\d)\s*(?:/|năm)\s*(?P<y>(?:19|20)\d{2})", re.I)
_QUARTER = re.compile(r"(?:trong|cuối|hết)\s+quý\s+(?P<q>I{1,3}V?|IV|[1-4])\s*(?:/|năm)\s*(?P<y>(?:19|20)\d{2})", re.I)
_D_WORDS = re.compile(
    r"(?:trước|đến|chậm nhất|xong trước|hoàn thành trước|trong)\s+ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)"
    r"\s+năm\s+(?P<y>(?:19|20)\d{2})",
    re.I,
)
_YEAR = re.compile(r"(?:trong|cuối|hết)\s+năm\s+(?P<y>(?:19|20)\d{2})\b(?!\s*[-–])", re.I)
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def find_deadlines(text: str) -> list[Deadline]:
    """Assignments in the numbered items after a "Giao nhiệm vụ"-like heading."""
    items = _items(text)
    out: list[Deadline] = []
    for body in items:
        split = _agency_split(_ASSIGNING.sub("", body))
        if split is None:
            continue
        agency, task = split
        out.append(Deadline(agency=agency, task=_shorten(task.rstrip(".")), due=_due(body)))
    return out


def _agency_split(body: str) -> tuple[str, str] | None:
    """The agency that opens an item and the task after it: the name runs up to a verb."""
    head = re.split(r"[;:.]", body, maxsplit=1)[0]
    splits = [
        m
        for m in _VERB_AT.finditer(head)
        if m.start()
        and _AGENCIES.fullmatch(head[: m.start()])
        and not head[: m.start()].rstrip().endswith("-")  # "công chức địa chính - xây dựng": a name goes on
    ]
    if not splits:
        return None
    best = splits[0]
    for m, following in pairwise(splits):
        if not (m.group(0).lower() in _NAME_WORDS and _NAME_GOES_ON.match(head, m.end())):
            break
        best = following
    return body[: best.start()].strip(), body[best.start() :].strip()


def _items(text: str) -> list[str]:
    """Numbered or lettered items after the conclusions begin, hard-wrapped lines joined."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _SECTION.search(line)), 0)
    items: list[str] = []
    current: list[str] = []
    gap = False
    for line in lines[start:]:
        stripped = line.strip()
        m = _ITEM_START.match(line)
        if m:
            if current:
                items.append(" ".join(current))
            current, gap = [m["body"]], False
        elif not stripped:
            gap = True  # a blank line, or a page break inside an item: the next line decides
        elif stripped.startswith("Nơi nhận") or stripped.isupper() or (gap and _ends_item(current, stripped)):
            if current:
                items.append(" ".join(current))
                current = []
        elif current:
            current.append(stripped)  # a hard-wrapped item continues
            gap = False
    if current:
        items.append(" ".join(current))
    return [" ".join(i.split()) for i in items]


def _ends_item(current: list[str], next_line: str) -> bool:
    """After a blank line: the item ended unless its sentence runs on into a lower-case line."""
    return not current or current[-1].rstrip().endswith((".", ":", "!", "?")) or not next_line[0].islower()


def _due(body: str) -> date | None:
    found: list[tuple[int, date]] = []
    for m in [*_D.finditer(body), *_D_WORDS.finditer(body)]:
        try:
            found.append((m.start(), date(int(m["y"]), int(m["m"]), int(m["d"]))))
        except ValueError:
            continue
    for m in _MONTH.finditer(body):
        y, mo = int(m["y"]), int(m["m"])
        if 1 <= mo <= 12:
            found.append((m.start(), date(y, mo, calendar.monthrange(y, mo)[1])))
    for m in _QUARTER.finditer(body):
        q, y = _QUARTERS[m["q"].upper()], int(m["y"])
        found.append((m.start(), date(y, q * 3, calendar.monthrange(y, q * 3)[1])))
    if not found:
        for m in _YEAR.finditer(body):  # "hoàn thành trong năm 2021": the year's last day
            found.append((m.start(), date(int(m["y"]), 12, 31)))
    return max(found)[1] if found else None


def _shorten(task: str, limit: int = 300) -> str:
    return task if len(task) <= limit else task[: limit - 1].rsplit(" ", 1)[0] + "…"
