"""Archived records (already fetched by the caller) -> the figures a report or summary needs.

Pure aggregation: this package never queries the archive itself. A notice of conclusions is
one dialogue: it counts as one meeting at its level even when it does not say "01 cuộc".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from archive.records import DocumentRecord
from templates.schemas import LEVELS, LevelStats, UnitReport

__all__ = ["Gathered", "report_statistics", "unit_reports"]

_FIELDS = ("so_cuoc", "luot_nguoi", "so_y_kien", "so_y_kien_da_giai_quyet", "so_y_kien_dang_giai_quyet",
           "so_y_kien_chuyen_cap_tren")  # fmt: skip


class Gathered:
    def __init__(self) -> None:
        self.sources: list[str] = []
        self.warnings: list[str] = []

    def note(self, record: DocumentRecord) -> str:
        label = record.number_symbol or (record.title or record.id[:12])
        self.sources.append(label)
        self.warnings += [f"{label}: {w}" for w in record.warnings]
        return label


def report_statistics(notices: Iterable[DocumentRecord], user: list[LevelStats]) -> tuple[list[LevelStats], Gathered]:
    """Figures by level summed over the notices of the period; the user's figures replace a level."""
    gathered = Gathered()
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in notices:
        gathered.note(record)
        rows = [s for s in record.statistics if s.metric in _FIELDS]
        levels = {s.level for s in rows} or {"tinh"}
        for s in rows:
            sums[s.level][s.metric] += int(s.value)
        for level in levels:
            if not any(s.level == level and s.metric == "so_cuoc" for s in rows):
                sums[level]["so_cuoc"] += 1  # one notice, one dialogue
    archived: dict[str, LevelStats] = {
        lv: LevelStats.model_validate({"level": lv, **values}) for lv, values in sums.items() if lv in LEVELS
    }
    merged: dict[str, LevelStats] = {**archived, **{s.level: s for s in user}}
    return [merged[lv] for lv in LEVELS if lv in merged], gathered


def unit_reports(reports: Iterable[DocumentRecord]) -> tuple[list[UnitReport], Gathered]:
    """One row per unit's report: its total figures (or the sum of its levels when it gives none)."""
    gathered = Gathered()
    units: list[UnitReport] = []
    for record in reports:
        label = gathered.note(record)
        totals = {s.metric: int(s.value) for s in record.statistics if s.level == "tong" and s.metric in _FIELDS}
        if not totals:
            for s in record.statistics:
                if s.metric in _FIELDS and s.level != "tong":
                    totals[s.metric] = totals.get(s.metric, 0) + int(s.value)
        units.append(UnitReport(unit=record.issuer or label, stats=LevelStats(level="tong", **totals), source=label))
    return units, gathered
