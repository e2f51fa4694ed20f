"""What a careful reviewer checks before a document is signed, on data that already has the
right types: dates in order (dialogue → notice → deadlines), figures that add up (parts ≤ total,
resolved ≤ received, rates within 100% and equal to the rate the counts give).

Impossible things are errors (nothing is rendered); things that may be intended are warnings.
Every problem names its field as the form does (``assignments[1].due``). No I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from templates.schemas import (
    LEVEL_NAMES,
    BaoCaoKetQua,
    BaoCaoTongHop,
    KeHoach,
    LevelStats,
    Problem,
    ThongBaoKetLuan,
)
from templates.workdays import add_working_days

__all__ = ["RATE_TOLERANCE", "review", "review_stats"]

RATE_TOLERANCE = 0.5  # percentage points between a stated rate and the rate its counts give


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _n(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")


def review(model: Any) -> list[Problem]:
    """Every problem a reviewer would raise about ``model`` (a validated template model)."""
    if isinstance(model, ThongBaoKetLuan):
        return _notice(model)
    if isinstance(model, KeHoach):
        return _plan(model)
    if isinstance(model, BaoCaoKetQua):
        out = _period(model)
        for i, s in enumerate(model.statistics):
            out += review_stats(s, f"statistics[{i}]")
        return out + _levels_vs_total(model.statistics)
    if isinstance(model, BaoCaoTongHop):
        out = _period(model)
        for i, u in enumerate(model.units):
            out += review_stats(u.stats, f"units[{i}].stats")
        return out
    return []


def _notice(m: ThongBaoKetLuan) -> list[Problem]:
    out: list[Problem] = []
    issued = m.header.issue_date
    if issued < m.dialogue_date:
        out.append(Problem("header.issue_date", f"ngày ban hành {_d(issued)} trước ngày tiếp xúc, đối thoại "
                           f"{_d(m.dialogue_date)}: thông báo kết luận ban hành sau cuộc đối thoại"))  # fmt: skip
    else:
        due = add_working_days(m.dialogue_date, 7)
        if issued > due:
            out.append(Problem("header.issue_date", f"ngày ban hành {_d(issued)} quá hạn 07 ngày làm việc sau "
                               f"đối thoại (hạn {_d(due)})", "warning"))  # fmt: skip
    total = m.opinions_total
    if m.answered_at_meeting is not None and m.opinions_by_field and m.answered_at_meeting > total:
        out.append(Problem("answered_at_meeting", f"{m.answered_at_meeting} ý kiến trả lời tại hội nghị, nhiều hơn "
                           f"tổng số {total} ý kiến (cộng các lĩnh vực)"))  # fmt: skip
    for i, a in enumerate(m.assignments):
        if a.due is None:
            continue
        where = f"assignments[{i}].due"
        if a.due <= m.dialogue_date:
            out.append(Problem(where, f"thời hạn {_d(a.due)} không sau ngày tiếp xúc, đối thoại {_d(m.dialogue_date)}"))
        elif a.due < issued:
            out.append(Problem(where, f"thời hạn {_d(a.due)} trước ngày ban hành thông báo {_d(issued)}"))
        elif (a.due - issued).days < 3:
            out.append(Problem(where, f"thời hạn {_d(a.due)} chỉ {(a.due - issued).days} ngày sau ngày ban hành "
                               f"{_d(issued)}: có đúng ý không?", "warning"))  # fmt: skip
    return out


def _plan(m: KeHoach) -> list[Problem]:
    out: list[Problem] = []
    issued = m.header.issue_date
    if issued.year > m.year:
        out.append(Problem("header.issue_date", f"kế hoạch năm {m.year} ban hành năm {issued.year}, sau năm kế hoạch"))
    elif issued.year == m.year and issued > date(m.year, 2, 1):
        out.append(Problem("header.issue_date", f"kế hoạch ban hành sau hạn 01/02/{m.year}", "warning"))
    elif issued.year < m.year - 1:
        out.append(Problem("year", f"kế hoạch năm {m.year} ban hành từ năm {issued.year}: có đúng năm không?",
                           "warning"))  # fmt: skip
    return out


def _period(m: BaoCaoKetQua | BaoCaoTongHop) -> list[Problem]:
    out: list[Problem] = []
    if m.period_to < m.period_from:
        out.append(Problem("period_to", f"kỳ báo cáo đến ngày {_d(m.period_to)} trước từ ngày {_d(m.period_from)}"))
    elif m.header.issue_date < m.period_to:
        out.append(Problem("header.issue_date", f"ngày ban hành {_d(m.header.issue_date)} trước khi kỳ báo cáo kết "
                           f"thúc ({_d(m.period_to)})", "warning"))  # fmt: skip
    return out


def review_stats(s: LevelStats, where: str) -> list[Problem]:
    """One row of figures: parts within the total, resolved within received, the rate right."""
    out: list[Problem] = []
    received = s.so_y_kien
    parts = {
        "so_y_kien_da_giai_quyet": (s.so_y_kien_da_giai_quyet, "đã giải quyết"),
        "so_y_kien_dang_giai_quyet": (s.so_y_kien_dang_giai_quyet, "đang giải quyết"),
        "so_y_kien_chuyen_cap_tren": (s.so_y_kien_chuyen_cap_tren, "chuyển cấp trên"),
    }
    if received is not None:
        for key, (value, label) in parts.items():
            if value is not None and value > received:
                out.append(Problem(f"{where}.{key}", f"{label} {_n(value)} ý kiến, nhiều hơn số ý kiến tiếp nhận "
                                   f"{_n(received)}"))  # fmt: skip
        known = [v for v, _ in parts.values() if v is not None]
        if len(known) > 1 and sum(known) > received and not out:
            out.append(Problem(f"{where}.so_y_kien", f"đã giải quyết, đang giải quyết và chuyển cấp trên cộng lại "
                               f"{_n(sum(known))}, nhiều hơn số ý kiến tiếp nhận {_n(received)}"))  # fmt: skip
    stated = s.ty_le_giai_quyet
    if stated is not None:
        if stated > 100:
            out.append(Problem(f"{where}.ty_le_giai_quyet", f"tỷ lệ {_n(stated)}% lớn hơn 100%"))
        elif received and s.so_y_kien_da_giai_quyet is not None:
            computed = s.so_y_kien_da_giai_quyet / received * 100
            if abs(computed - stated) > RATE_TOLERANCE:
                counts = f"{_n(s.so_y_kien_da_giai_quyet)}/{_n(received)}"
                message = (f"tỷ lệ ghi {_n(stated)}% nhưng {counts} ý kiến là {_n(round(computed, 2))}%; "
                           "văn bản in tỷ lệ tính từ số liệu")  # fmt: skip
                out.append(Problem(f"{where}.ty_le_giai_quyet", message, "warning"))
    return out


_SUMMED = ("so_cuoc", "luot_nguoi", "so_y_kien", "so_y_kien_da_giai_quyet", "so_y_kien_dang_giai_quyet",
           "so_y_kien_chuyen_cap_tren")  # fmt: skip


def _levels_vs_total(rows: list[LevelStats]) -> list[Problem]:
    """A 'tổng cộng' row that the levels do not add up to."""
    out: list[Problem] = []
    totals = [(i, s) for i, s in enumerate(rows) if s.level == "tong"]
    levels = [s for s in rows if s.level != "tong"]
    if not totals or not levels:
        return out
    i, total = totals[0]
    for key in _SUMMED:
        given = getattr(total, key)
        values = [getattr(s, key) for s in levels]
        if given is None or any(v is None for v in values):
            continue
        if sum(values) != given:
            names = ", ".join(LEVEL_NAMES[s.level].lower() for s in levels)
            out.append(Problem(f"statistics[{i}].{key}", f"tổng cộng {_n(given)} khác tổng các cấp ({names}) "
                               f"{_n(sum(values))}"))  # fmt: skip
    return out
