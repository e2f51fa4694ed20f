"""Consistency checks a careful clerk would make, as warnings on the record (in Vietnamese)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from archive.records import StatRow

__all__ = ["check"]

_LABEL = {
    "so_cuoc": "số cuộc",
    "luot_nguoi": "lượt người",
    "so_y_kien": "số ý kiến",
    "so_y_kien_da_giai_quyet": "số ý kiến đã giải quyết",
    "so_y_kien_dang_giai_quyet": "số ý kiến đang giải quyết",
    "so_y_kien_chua_giai_quyet": "số ý kiến chưa giải quyết",
    "so_y_kien_chuyen_cap_tren": "số ý kiến chuyển cấp trên",
    "so_y_kien_tra_loi_tai_hoi_nghi": "số ý kiến trả lời tại hội nghị",
}
_LEVEL = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã", "tong": "toàn bộ"}
_RATES = [
    ("ty_le_giai_quyet", "so_y_kien_da_giai_quyet", "tỷ lệ giải quyết"),
    ("ty_le_tra_loi_tai_hoi_nghi", "so_y_kien_tra_loi_tai_hoi_nghi", "tỷ lệ trả lời tại hội nghị"),
]
_OUTCOMES = (
    "so_y_kien_da_giai_quyet",
    "so_y_kien_dang_giai_quyet",
    "so_y_kien_chua_giai_quyet",
    "so_y_kien_chuyen_cap_tren",
)


def _n(v: float) -> str:
    """Vietnamese number: 2.794, 99,94."""
    if v == int(v):
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def check(
    *,
    statistics: tuple[StatRow, ...],
    doc_type: str | None,
    number_symbol: str | None,
    issue_date: date | None,
    has_header: bool,
    today: date,
) -> tuple[str, ...]:
    warnings: list[str] = []
    if issue_date and issue_date > today:
        warnings.append(f"ngày ban hành {issue_date:%d/%m/%Y} ở tương lai")
    if has_header and doc_type not in (None, "tin_bai") and not number_symbol:
        warnings.append("văn bản có tiêu đề nhưng không đọc được số, ký hiệu")
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for s in statistics:
        values[(s.level, s.metric)].append(s.value)
    warnings += _totals(values)
    warnings += _outcomes(values)
    warnings += _rates(values)
    return tuple(warnings)


def _totals(values: dict[tuple[str, str], list[float]]) -> list[str]:
    out = []
    for metric, label in _LABEL.items():
        total = values.get(("tong", metric))
        levels = {lv: sum(values[(lv, metric)]) for lv in ("tinh", "huyen", "xa") if (lv, metric) in values}
        if not total or len(levels) < 2 or len(total) != 1:
            continue
        s = sum(levels.values())
        if abs(s - total[0]) > 0.5:
            parts = ", ".join(f"{_LEVEL[lv]} {_n(v)}" for lv, v in levels.items())
            out.append(f"{label}: tổng {_n(total[0])} khác tổng các cấp {_n(s)} ({parts})")
    return out


def _outcomes(values: dict[tuple[str, str], list[float]]) -> list[str]:
    out = []
    for level in ("tinh", "huyen", "xa", "tong"):
        received = values.get((level, "so_y_kien"))
        parts = {m: values[(level, m)][0] for m in _OUTCOMES if (level, m) in values}
        if not received or len(received) != 1 or len(parts) < 2:
            continue
        s = sum(parts.values())
        if abs(s - received[0]) > 0.5:
            detail = " + ".join(f"{_LABEL[m].removeprefix('số ý kiến ')} {_n(v)}" for m, v in parts.items())
            out.append(f"{_LEVEL[level]}: {detail} = {_n(s)}, khác số ý kiến tiếp nhận {_n(received[0])}")
    return out


def _rates(values: dict[tuple[str, str], list[float]]) -> list[str]:
    out = []
    for level in ("tinh", "huyen", "xa", "tong"):
        received = values.get((level, "so_y_kien"))
        for rate_metric, count_metric, label in _RATES:
            rate, count = values.get((level, rate_metric)), values.get((level, count_metric))
            if not (rate and count and received) or len(received) != 1 or received[0] == 0:
                continue
            actual = count[0] / received[0] * 100
            if abs(actual - rate[0]) > 0.051 + 0.5 * (rate[0] == int(rate[0])):
                out.append(
                    f"{_LEVEL[level]}: {label} ghi {_n(rate[0])}% nhưng {_n(count[0])}/{_n(received[0])} = "
                    f"{_n(round(actual, 2))}%"
                )
    return out
