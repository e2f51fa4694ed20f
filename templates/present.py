"""Validated data -> what the .docx templates print: the Party or State header, Vietnamese
numbers and dates, computed totals and rates. No I/O."""

from __future__ import annotations

from datetime import date
from typing import Any

from templates.schemas import (
    LEVEL_NAMES,
    LEVELS,
    BaoCaoKetQua,
    BaoCaoTongHop,
    DocHeader,
    KeHoach,
    LevelStats,
    TemplateSpec,
    ThongBaoKetLuan,
)

__all__ = ["number_symbol", "present", "summary_sentence", "vn_date", "vn_date_short", "vn_number", "vn_percent"]

_STAT_FIELDS = ("so_cuoc", "luot_nguoi", "so_y_kien", "so_y_kien_da_giai_quyet", "so_y_kien_dang_giai_quyet",
                "so_y_kien_chuyen_cap_tren")  # fmt: skip


def vn_number(value: float | int | None) -> str:
    """174862 → ``174.862``; 99.5 → ``99,5``; None → ``-``."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{abs(value):.2f}".rstrip("0").split(".")
    return ("-" if value < 0 else "") + f"{int(whole):,}".replace(",", ".") + "," + frac


def vn_percent(value: float | None) -> str:
    return "-" if value is None else f"{vn_number(round(value, 2))}%"


def vn_date(d: date) -> str:
    """``ngày 05 tháng 02 năm 2025``: day below 10 and months 1-2 zero-padded (HD 36, NĐ 30)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def vn_date_short(d: date | None) -> str:
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


DRAFT_BLANK = " " * 5  # where the clerk writes the number by hand on the signed draft


def number_symbol(h: DocHeader, number: int | None, abbrev: str) -> str:
    """``12-TB/TU`` (Party) or ``12/TB-UBND`` (State); a draft has a blank where the number goes."""
    n = DRAFT_BLANK if number is None else f"{number:02d}"
    return f"{n}-{abbrev}/{h.issuer_code}" if h.format == "party" else f"{n}/{abbrev}-{h.issuer_code}"


HEADER_TEXT_PT = 74 / 25.4 * 72  # the header's left column (76 mm) less its cell margins


def header_lines(name: str, size_pt: float, *, bold: bool) -> list[str]:
    """A name as the lines it is printed on: as typed (a line break in the data), and a line too
    long for the column split where the two halves are most even ("ỦY BAN NHÂN DÂN" /
    "TỈNH QUẢNG NGÃI"), never in the middle of a place name by the renderer's chance."""
    from templates.layout import text_width

    lines: list[str] = []
    for line in (part.strip() for part in name.splitlines()):
        words = line.split()
        if not words:
            continue
        if text_width(line, size_pt, bold=bold) <= HEADER_TEXT_PT or len(words) < 2:
            lines.append(line)
            continue

        def longer(i: int, words: list[str] = words) -> float:
            head, tail = " ".join(words[:i]), " ".join(words[i:])
            return max(text_width(head, size_pt, bold=bold), text_width(tail, size_pt, bold=bold))

        best = min(range(1, len(words)), key=longer)
        lines += [" ".join(words[:best]), " ".join(words[best:])]
    return lines


def _header(h: DocHeader, symbol: str, number: int | None) -> dict[str, Any]:
    party = h.format == "party"
    items = list(h.recipients)
    end, last = (",", ".") if party else (";", ".")
    recipients = [f"- {r}{last if i == len(items) - 1 else end}" for i, r in enumerate(items)]
    return {
        "format": h.format,
        "superior": h.superior,
        "issuer": h.issuer,
        "superior_lines": header_lines(h.superior, 14 if party else 12, bold=False) if h.superior else [],
        "issuer_lines": header_lines(h.issuer, 14 if party else 12, bold=True),
        "sep": "*" if party else "-------",
        "national": "ĐẢNG CỘNG SẢN VIỆT NAM" if party else "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": None if party else "Độc lập - Tự do - Hạnh phúc",
        "number_line": f"Số {symbol}" if party else f"Số: {symbol}",
        "number_symbol": symbol,
        "draft": number is None,
        "date_line": f"{h.place}, {vn_date(h.issue_date)}",
        "signer": h.signer.model_dump(),
        "recipients": recipients,
    }


def summary_sentence(s: LevelStats, opening: str) -> str:
    """One sentence of the figures that exist: a missing figure leaves its clause out."""
    meetings: list[str] = []
    if s.so_cuoc is not None:
        people = f" với {vn_number(s.luot_nguoi)} lượt người tham dự" if s.luot_nguoi is not None else ""
        meetings.append(f"đã tổ chức {vn_number(s.so_cuoc)} cuộc tiếp xúc, đối thoại{people}")
    elif s.luot_nguoi is not None:
        meetings.append(f"có {vn_number(s.luot_nguoi)} lượt người tham dự tiếp xúc, đối thoại")
    if s.so_y_kien is not None:
        meetings.append(f"tiếp nhận {vn_number(s.so_y_kien)} ý kiến, kiến nghị")
    outcome: list[str] = []
    if s.so_y_kien_da_giai_quyet is not None:
        rate = _rate(s)
        reached = f", đạt {vn_percent(rate)}" if rate is not None else ""
        outcome.append(f"đã giải quyết {vn_number(s.so_y_kien_da_giai_quyet)} ý kiến{reached}")
    if s.so_y_kien_dang_giai_quyet is not None:
        outcome.append(f"đang giải quyết {vn_number(s.so_y_kien_dang_giai_quyet)} ý kiến")
    if s.so_y_kien_chuyen_cap_tren is not None:
        outcome.append(f"chuyển cấp trên {vn_number(s.so_y_kien_chuyen_cap_tren)} ý kiến")
    parts = [", ".join(meetings)] if meetings else []
    parts += outcome
    return f"{opening}{'; '.join(parts)}." if parts else ""


def _rate(s: LevelStats) -> float | None:
    if s.so_y_kien and s.so_y_kien_da_giai_quyet is not None:
        return s.so_y_kien_da_giai_quyet / s.so_y_kien * 100
    return None


def _row(name: str, s: LevelStats) -> dict[str, Any]:
    return {"name": name, **{f: getattr(s, f) for f in _STAT_FIELDS}, "rate": _rate(s)}


def total_of(rows: list[LevelStats]) -> LevelStats:
    """The sum of the levels, field by field (a field missing everywhere stays missing)."""
    values: dict[str, Any] = {"level": "tong"}
    for f in _STAT_FIELDS:
        present = [getattr(s, f) for s in rows if getattr(s, f) is not None]
        values[f] = sum(present) if present else None
    return LevelStats(**values)


def regulatory_deadlines(year: int) -> list[str]:
    return [
        f"Ban hành kế hoạch trước ngày 01/02/{year}.",
        f"Hoàn thành tiếp xúc, đối thoại trước ngày 15/11/{year}.",
        "Ban hành thông báo kết luận trong 07 ngày làm việc sau mỗi cuộc đối thoại.",
        f"Báo cáo kết quả trước ngày 30/11/{year}; Ban Dân vận tổng hợp trước ngày 15/12/{year}.",
    ]


def present(spec: TemplateSpec, data: Any, number: int | None, sources: list[str] | None = None) -> dict[str, Any]:
    """The template context; ``number`` None makes a draft (the number left blank)."""
    h = data.header
    symbol = number_symbol(h, number, spec.type_abbrev)
    ctx: dict[str, Any] = {"h": _header(h, symbol, number), **data.model_dump()}
    if isinstance(data, ThongBaoKetLuan):
        opinions = data.opinions_total
        ctx["opinions_total"] = opinions
        answered = data.answered_at_meeting
        ctx["answered_rate"] = answered / opinions * 100 if answered is not None and opinions else None
    elif isinstance(data, KeHoach):
        ctx["title"] = data.title or (
            f"tổ chức tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy, chính quyền với nhân dân năm {data.year}"
        )
        ctx["deadlines"] = regulatory_deadlines(data.year)
    elif isinstance(data, BaoCaoKetQua):
        by_level = {s.level: s for s in data.statistics}
        levels = [by_level[lv] for lv in LEVELS[:3] if lv in by_level]
        total = by_level.get("tong") or (total_of(levels) if levels else None)
        ctx["stats_rows"] = [_row(LEVEL_NAMES[s.level], s) for s in levels] + (
            [_row(LEVEL_NAMES["tong"], total)] if total else []
        )
        ctx["total"] = _row("", total) if total else None
        ctx["total_sentence"] = summary_sentence(total, "Toàn bộ ") if total else ""
        ctx["sources"] = sources or []
        ctx["title"] = data.title or (
            "kết quả tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy, chính quyền với nhân dân "
            f"năm {data.period_to.year}"
        )
    elif isinstance(data, BaoCaoTongHop):
        ctx["unit_rows"] = [{"unit": u.unit, "source": u.source or "", **_row("", u.stats)} for u in data.units]
        ctx["total"] = _row("", total_of([u.stats for u in data.units]))
        ctx["total_sentence"] = summary_sentence(total_of([u.stats for u in data.units]), "Tổng cộng: ")
        ctx["title"] = data.title or (
            f"tổng hợp kết quả tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy, chính quyền với nhân dân "
            f"năm {data.period_to.year}"
        )
    return ctx
