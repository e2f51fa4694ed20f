"""The year's calendar of planned documents, from the archive (regulation in seed 001):
plan before 01/02, notice of conclusions within 7 working days of each dialogue, results
report before 30/11, the Ban Dân vận's consolidated summary before 15/12."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from archive.records import DocumentRecord
from archive.settings import Settings
from flows.records import records_matching
from search import Filters
from templates.workdays import add_working_days

__all__ = ["DueItem", "due_items"]

Status = Literal["done", "late", "overdue", "pending"]


@dataclass(frozen=True)
class DueItem:
    unit: str
    document: str
    due: date
    status: Status
    evidence: str | None = None  # the archived document that fulfils it
    evidence_id: str | None = None
    kind: str = ""  # plan | notice | report | summary
    source_id: str | None = None  # for a notice: the dialogue's record it must follow


def _status(due: date, found: DocumentRecord | None, today: date) -> Status:
    if found is not None and found.issue_date is not None:
        return "done" if found.issue_date <= due else "late"
    return "overdue" if today > due else "pending"


def _item(
    unit: str, what: str, due: date, found: DocumentRecord | None, today: date, kind: str, source: str | None = None
) -> DueItem:
    return DueItem(
        unit, what, due, _status(due, found, today),
        found.number_symbol or found.title if found else None, found.id if found else None, kind, source,
    )  # fmt: skip


def due_items(
    settings: Settings, year: int, today: date | None = None, *, visible: tuple[str, ...] = ()
) -> list[DueItem]:
    """``visible``: the confidentiality levels the asker may see (() = all); hidden documents
    neither count as done nor show as evidence."""
    today = today or date.today()
    doc_types = ("ke_hoach", "thong_bao", "bao_cao", "bien_ban")
    records = records_matching(
        settings,
        Filters(
            doc_types=doc_types,
            date_from=date(year - 1, 10, 1),
            date_to=date(year + 1, 1, 31),
            confidentiality=visible,
        ),
    )
    by_unit: dict[str, list[DocumentRecord]] = defaultdict(list)
    for r in records:
        if r.issuer:
            by_unit[r.issuer].append(r)
    out: list[DueItem] = []
    for unit, docs in sorted(by_unit.items()):
        dated = sorted((r for r in docs if r.issue_date), key=lambda r: r.issue_date or date.min)
        if unit.startswith("Ban Dân vận"):  # the committee plans and reports; its Ban Dân vận consolidates
            summary = next(
                (r for r in dated if r.doc_type == "bao_cao" and r.issue_date and r.issue_date >= date(year, 11, 1)
                 and r.issue_date.year == year),
                None,
            )  # fmt: skip
            out.append(_item(unit, f"Báo cáo tổng hợp năm {year}", date(year, 12, 15), summary, today, "summary"))
            continue
        plan = next(
            (r for r in dated if r.doc_type == "ke_hoach" and r.issue_date and r.issue_date.year in (year - 1, year)),
            None,
        )
        out.append(_item(unit, f"Kế hoạch tiếp xúc, đối thoại năm {year}", date(year, 2, 1), plan, today, "plan"))
        for dialogue in (r for r in dated if r.doc_type == "bien_ban" and r.issue_date and r.issue_date.year == year):
            assert dialogue.issue_date is not None
            due = add_working_days(dialogue.issue_date, 7)
            notice = next(
                (r for r in dated if r.doc_type == "thong_bao" and r.issue_date
                 and dialogue.issue_date <= r.issue_date <= due + timedelta(days=60)),
                None,
            )  # fmt: skip
            label = f"Thông báo kết luận sau đối thoại ngày {dialogue.issue_date:%d/%m/%Y}"
            out.append(_item(unit, label, due, notice, today, "notice", dialogue.id))
        report = next(
            (r for r in dated if r.doc_type == "bao_cao" and r.issue_date and date(year, 9, 1) <= r.issue_date
             and r.issue_date.year == year),
            None,
        )  # fmt: skip
        out.append(_item(unit, f"Báo cáo kết quả năm {year}", date(year, 11, 30), report, today, "report"))
    return out
