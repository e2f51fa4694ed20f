"""The presentation layer: what a person reads, and the JSON shapes scripts read.

One place for the Vietnamese labels of document types, statistics, levels and statuses,
for dates (``dd/mm/yyyy``), times (Asia/Ho_Chi_Minh) and numbers (``174.862``), and for
the JSON documents that both ``doithoai … --json`` and the REST API return. Nothing here
shows a code (``so_y_kien``, ``bao_cao``) to a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from archive.access import CLEARANCE_LABELS
from archive.records import DOC_TYPE_LABELS, DocumentRecord
from archive.vntext import fold, normalize, printable
from templates import present as templates_present

if TYPE_CHECKING:
    from markupsafe import Markup

    from archive.runs import RunRow
    from archive.store import QuarantineEntry
    from flows.due import DueItem
    from flows.links import Links
    from search import Hit, Results

__all__ = [
    "DOC_TYPE_LABELS",
    "FACET_LABELS",
    "LEVEL_LABELS",
    "METRIC_LABELS",
    "STATUS_LABELS",
    "TZ",
    "clean_text",
    "confidentiality_label",
    "doc_type_label",
    "due_json",
    "facet_value_label",
    "file_name",
    "highlight",
    "hit_json",
    "level_label",
    "metric_label",
    "quarantine_json",
    "record_json",
    "run_json",
    "search_json",
    "stat_value",
    "status_label",
    "vn_date",
    "vn_datetime",
    "vn_number",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

METRIC_LABELS: dict[str, str] = {
    "so_cuoc": "Số cuộc tiếp xúc, đối thoại",
    "luot_nguoi": "Lượt người tham dự",
    "so_y_kien": "Số ý kiến, kiến nghị",
    "so_y_kien_tra_loi_tai_hoi_nghi": "Ý kiến được trả lời tại hội nghị",
    "so_y_kien_da_giai_quyet": "Ý kiến đã giải quyết",
    "so_y_kien_dang_giai_quyet": "Ý kiến đang giải quyết",
    "so_y_kien_chua_giai_quyet": "Ý kiến chưa giải quyết",
    "so_y_kien_chuyen_cap_tren": "Ý kiến chuyển cấp trên",
    "ty_le_giai_quyet": "Tỷ lệ giải quyết",
    "ty_le_tra_loi_tai_hoi_nghi": "Tỷ lệ trả lời tại hội nghị",
}
LEVEL_LABELS: dict[str, str] = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã", "tong": "Tổng"}
# Ingest outcomes, run states and due states share one table: their codes never collide.
STATUS_LABELS: dict[str, str] = {
    "archived": "đã lưu",
    "duplicate": "trùng",
    "quarantined": "cách ly",
    "failed": "lỗi hệ thống",
    "waiting": "chờ lượt sau",
    "not_indexed": "chưa đánh chỉ mục",
    "running": "đang chạy",
    "finished": "đã xong",
    "interrupted": "bị ngắt",
    "queued": "đang chờ",
    "done": "đã có",
    "late": "có, muộn",
    "overdue": "quá hạn",
    "pending": "chưa đến hạn",
}
FACET_LABELS: dict[str, str] = {
    "doc_type": "Loại văn bản",
    "year": "Năm",
    "issuer": "Cơ quan ban hành",
    "province": "Tỉnh, thành phố",
    "topics": "Lĩnh vực",
    "needs_review": "Cần kiểm tra",
}
_WORD = re.compile(r"[^\W_]+")
# Control characters, line separators, and the bidirectional overrides and isolates that make a
# name display other than it is (U+202E turns "gpj.exe" into "exe.jpg").
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


# -- labels ------------------------------------------------------------------------------


def doc_type_label(code: str | None) -> str:
    return DOC_TYPE_LABELS.get(code or "", "")


def metric_label(code: str) -> str:
    return METRIC_LABELS.get(code, "Chỉ tiêu khác")


def level_label(code: str) -> str:
    return LEVEL_LABELS.get(code, code)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


def confidentiality_label(code: str | None) -> str:
    """``mat`` → ``MẬT``; no mark → empty."""
    return CLEARANCE_LABELS.get(code, "") if code else ""


def facet_value_label(facet: str, value: str) -> str:
    if facet == "doc_type":
        return doc_type_label(value) or value
    return value


# -- formats -----------------------------------------------------------------------------


def vn_number(value: float | int | None) -> str:
    """174862 → ``174.862``; 99.94 → ``99,94``; None → ``—`` (the drafts' formatting, a page's dash)."""
    return "—" if value is None else templates_present.vn_number(value)


def stat_value(metric: str, value: float) -> str:
    """A statistic as a person writes it: rates with a per cent sign."""
    return vn_number(value) + ("%" if metric.startswith("ty_le") else "")


def vn_date(d: date | str | None) -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _local(t: datetime | str) -> datetime:
    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)  # the ledgers write UTC
    return t.astimezone(TZ)


def vn_datetime(t: datetime | str | None) -> str:
    """A moment in Vietnam's time: ``29/11/2026 08:05``."""
    if t is None or t == "":
        return ""
    local = _local(t)
    return f"{local:%d/%m/%Y %H:%M}"


def _iso_local(t: datetime | str | None) -> str | None:
    return None if t is None or t == "" else _local(t).isoformat(timespec="seconds")


def clean_text(text: str | None) -> str:
    """Text safe for a terminal or one line: control characters (ESC, newlines) shown as ``�``-free escapes."""
    if not text:
        return ""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(text))


def highlight(text: str, query: str) -> Markup:
    """``text`` as HTML with the query's words marked (``<mark>``), compared without diacritics."""
    from markupsafe import Markup, escape

    wanted = {fold(w).lower() for w in _WORD.findall(normalize(query)) if len(w) > 1 or w.isdigit()}
    if not wanted:
        return Markup(escape(text))
    out = []
    last = 0
    for m in _WORD.finditer(text):
        if fold(m.group()).lower() in wanted:
            out.append(escape(text[last : m.start()]))
            out.append(Markup("<mark>") + escape(m.group()) + Markup("</mark>"))
            last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def file_name(path: str | Path | None) -> str:
    """The last part of a path, as a safe one-line name."""
    if not path:
        return ""
    return clean_text(Path(str(path)).name)


# -- JSON shapes (CLI --json and the REST API) -------------------------------------------


def hit_json(h: Hit, *, score: bool = True, snippet: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"id": h.id}
    if score:
        data["score"] = h.score
    data |= {
        "doc_type": h.doc_type,
        "number_symbol": h.number_symbol,
        "issue_date": h.issue_date.isoformat() if h.issue_date else None,
        "title": h.title,
        "issuer": h.issuer,
    }
    if snippet:
        data["snippet"] = h.snippet
    data["path"] = h.path
    return data


def search_json(results: Results) -> dict[str, Any]:
    """``{total, hits[{id, score, doc_type, number_symbol, issue_date, title, issuer, snippet, path}],
    facets, notes}``."""
    return {
        "total": results.total,
        "hits": [hit_json(h) for h in results.hits],
        "facets": {k: [{"value": f.value, "count": f.count} for f in v] for k, v in results.facets.items()},
        "notes": list(results.notes),
    }


def record_json(
    record: DocumentRecord,
    found: Links,
    *,
    original: Path | str | None,
    searchable_pdf: Path | str | None,
    text: str | None = None,
    renditions: Sequence[tuple[DocumentRecord, bool]] = (),
) -> dict[str, Any]:
    """The record as ``doithoai show --json`` prints it: every field, citations resolved, what cites it,
    every archived file of the same document (``renditions``, from flows.renditions.renditions_of)."""
    data = record.model_dump(mode="json")
    resolved = {r.citation.number_symbol: r.resolved.id if r.resolved else None for r in found.cites}
    for c in data["citations"]:
        c["resolved_id"] = resolved.get(c["number_symbol"])
    data["cited_by"] = [hit_json(h, score=False, snippet=False) for h in found.cited_by]
    data["original"] = str(original) if original else None
    data["searchable_pdf"] = str(searchable_pdf) if searchable_pdf else None
    if text is not None:
        data["text"] = text
    data["renditions"] = renditions_json(renditions or [(record, True)])
    return data


def renditions_json(renditions: Iterable[tuple[DocumentRecord, bool]]) -> list[dict[str, Any]]:
    """Each file of one document (the primary first): what ``show --json`` and the document page list."""
    return [
        {
            "id": r.id,
            "name": r.source.name if r.source else None,
            "media_type": r.source.media_type if r.source else None,
            "ingested_at": _iso_local(r.source.ingested_at) if r.source else None,
            "primary": primary,
        }
        for r, primary in renditions
    ]


def run_json(row: RunRow) -> dict[str, Any]:
    data = row.to_json()
    data["started_at"] = _iso_local(row.started_at)
    data["finished_at"] = _iso_local(row.finished_at)
    return data


def quarantine_json(entry: QuarantineEntry) -> dict[str, Any]:
    return {"id": entry.path.name, "name": entry.name, "source": entry.source, "reason": entry.reason,
            "at": _iso_local(entry.at)}  # fmt: skip


def due_json(items: Iterable[DueItem], year: int) -> dict[str, Any]:
    """``{year, items[{unit, document, due, status, evidence, evidence_id, …}]}`` (dates ISO)."""
    rows = []
    for i in items:
        row = dict(i.__dict__)
        rows.append({k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()})
    return {"year": year, "items": rows}
