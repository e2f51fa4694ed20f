"""Archived records (already fetched by the caller) -> the figures a report or summary needs.

Pure aggregation: this package never queries the archive itself. A notice of conclusions is
one dialogue: it counts as one meeting at its level even when it does not say "01 cuộc".
Only issued notices count (a draft has no number), and one per dialogue: two files of one
notice (the Word draft and the signed scan, or two drafts once numbered) count once. Within
one notice, the opinions per field ("đất đai 9 ý kiến; môi trường 4 ý kiến") are parts of the
total ("18 ý kiến"), never added to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from archive.records import DocumentRecord, StatRow
from archive.vntext import fold
from templates.schemas import LEVELS, LevelStats, UnitReport

__all__ = ["Gathered", "one_per_dialogue", "report_statistics", "unit_reports"]

_FIELDS = ("so_cuoc", "luot_nguoi", "so_y_kien", "so_y_kien_da_giai_quyet", "so_y_kien_dang_giai_quyet",
           "so_y_kien_chuyen_cap_tren")  # fmt: skip


class Gathered:
    def __init__(self) -> None:
        self.sources: list[str] = []
        self.warnings: list[str] = []
        self.skipped: list[str] = []  # records left out, with the reason

    def note(self, record: DocumentRecord) -> str:
        label = record.number_symbol or (record.title or record.id[:12])
        self.sources.append(label)
        self.warnings += [f"{label}: {w}" for w in record.warnings]
        return label


def _key(text: str | None) -> str:
    return " ".join(fold(text or "").lower().split())


def _order(record: DocumentRecord) -> tuple[date, int]:
    digits = re.match(r"\d+", record.number_symbol or "")
    return (record.issue_date or date.min, int(digits.group()) if digits else 0)


def one_per_dialogue(notices: Iterable[DocumentRecord], gathered: Gathered) -> list[DocumentRecord]:
    """Issued notices only (with a number), one per dialogue: the same number of the same issuer,
    or the same trích yếu of the same issuer, is the same dialogue (the later issue is kept)."""
    kept: dict[tuple[str, str], DocumentRecord] = {}
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for record in notices:
        label = record.title or (record.source.name if record.source else record.id[:12])
        if not record.number_symbol:
            gathered.skipped.append(f"{label}: chưa có số (bản dự thảo), không tính")
            continue
        issuer = _key(record.issuer)
        keys = [(issuer, _key(record.number_symbol))] + ([(issuer, _key(record.title))] if record.title else [])
        same = next((seen[k] for k in keys if k in seen), None)
        if same is not None:
            gathered.skipped.append(
                f"{record.number_symbol}: cùng cuộc đối thoại với {kept[same].number_symbol}, tính một lần"
            )
            if _order(record) < _order(kept[same]):
                continue
            kept[same] = record
            for k in keys:
                seen[k] = same
            continue
        kept[keys[0]] = record
        for k in keys:
            seen[k] = keys[0]
    return list(kept.values())


def _one_figure(rows: list[StatRow], gathered: Gathered, label: str) -> int:
    """The figure of one metric at one level of one document: the total when one value is the
    sum of the others (parts listed after it), else the largest, with a warning."""
    values = sorted((int(r.value) for r in rows), reverse=True)
    if len(values) == 1 or values[0] == sum(values[1:]):
        return values[0]
    if len(set(values)) > 1:
        gathered.warnings.append(
            f"{label}: {rows[0].metric} ghi nhiều số ({', '.join(map(str, values))}) không cộng thành tổng; "
            f"lấy {values[0]}"
        )
    return values[0]


def report_statistics(notices: Iterable[DocumentRecord], user: list[LevelStats]) -> tuple[list[LevelStats], Gathered]:
    """Figures by level summed over the issued notices of the period, one per dialogue; the
    user's figures replace a level."""
    gathered = Gathered()
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in one_per_dialogue(notices, gathered):
        label = gathered.note(record)
        grouped: dict[tuple[str, str], list[StatRow]] = defaultdict(list)
        for s in record.statistics:
            if s.metric in _FIELDS:
                grouped[(s.level, s.metric)].append(s)
        levels = {level for level, _ in grouped} or {"tinh"}
        for (level, metric), rows in grouped.items():
            sums[level][metric] += _one_figure(rows, gathered, label)
        for level in levels:
            if (level, "so_cuoc") not in grouped:
                sums[level]["so_cuoc"] += 1  # one notice, one dialogue
    archived: dict[str, LevelStats] = {
        lv: LevelStats.model_validate({"level": lv, **values}) for lv, values in sums.items() if lv in LEVELS
    }
    merged: dict[str, LevelStats] = {**archived, **{s.level: s for s in user}}
    return [merged[lv] for lv in LEVELS if lv in merged], gathered


def unit_reports(reports: Iterable[DocumentRecord]) -> tuple[list[UnitReport], Gathered]:
    """One row per unit: its latest issued report of the period (a report without a number is a
    draft and is left out), with its total figures (or the sum of its levels when it gives none)."""
    gathered = Gathered()
    latest: dict[str, DocumentRecord] = {}
    for record in reports:
        label = record.title or (record.source.name if record.source else record.id[:12])
        if not record.number_symbol:
            gathered.skipped.append(f"{label}: chưa có số (bản dự thảo), không tính")
            continue
        key = _key(record.issuer) or record.id
        if key in latest:
            older, newer = sorted((latest[key], record), key=_order)
            gathered.skipped.append(
                f"{older.number_symbol}: {record.issuer} có báo cáo mới hơn ({newer.number_symbol})"
            )
            latest[key] = newer
        else:
            latest[key] = record
    units: list[UnitReport] = []
    for record in latest.values():
        label = gathered.note(record)
        totals = {s.metric: int(s.value) for s in record.statistics if s.level == "tong" and s.metric in _FIELDS}
        if not totals:
            for s in record.statistics:
                if s.metric in _FIELDS and s.level != "tong":
                    totals[s.metric] = totals.get(s.metric, 0) + int(s.value)
        # a rate the report states is checked against its counts by the parser (record.warnings)
        units.append(UnitReport(unit=record.issuer or label, stats=LevelStats(level="tong", **totals), source=label))
    return units, gathered
