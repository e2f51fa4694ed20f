"""The domain model: what one archived document is (the shape of ``record.json``).

Field names are a contract: the CLI's ``--json``, the search backends and the web
app read them. Models are frozen; build a new one with ``model_copy(update=...)``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DOC_TYPES",
    "DOC_TYPE_LABELS",
    "SCHEMA_VERSION",
    "Citation",
    "Deadline",
    "DocType",
    "DocumentRecord",
    "Extraction",
    "Page",
    "PageMethod",
    "Signer",
    "Source",
    "StatRow",
]

SCHEMA_VERSION = 1

DocType = Literal[
    "bao_cao",
    "ket_luan",
    "thong_bao",
    "ke_hoach",
    "quy_che",
    "quy_dinh",
    "huong_dan",
    "chi_thi",
    "quyet_dinh",
    "nghi_quyet",
    "cong_van",
    "bien_ban",
    "to_trinh",
    "tin_bai",
]
DOC_TYPES: tuple[str, ...] = DocType.__args__  # type: ignore[attr-defined]

DOC_TYPE_LABELS: dict[str, str] = {
    "bao_cao": "Báo cáo",
    "ket_luan": "Kết luận",
    "thong_bao": "Thông báo",
    "ke_hoach": "Kế hoạch",
    "quy_che": "Quy chế",
    "quy_dinh": "Quy định",
    "huong_dan": "Hướng dẫn",
    "chi_thi": "Chỉ thị",
    "quyet_dinh": "Quyết định",
    "nghi_quyet": "Nghị quyết",
    "cong_van": "Công văn",
    "bien_ban": "Biên bản",
    "to_trinh": "Tờ trình",
    "tin_bai": "Tin bài",
}

PageMethod = Literal["text", "ocr", "docx", "plain"]
Level = Literal["tinh", "huyen", "xa", "tong"]
Confidentiality = Literal["mat", "toi_mat", "tuyet_mat"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Page(_Frozen):
    """One page of extracted text and how it was read."""

    number: int = Field(ge=1)
    text: str
    method: PageMethod
    confidence: float | None = None  # mean OCR word confidence 0-100; None when not OCR'd
    flags: tuple[str, ...] = ()


class Extraction(_Frozen):
    """What the extractors read from one file, before any parsing."""

    media_type: str
    pages: tuple[Page, ...]
    encoding: str | None = None  # for plain text: the encoding that was detected

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


class Signer(_Frozen):
    authority: str | None = None  # T/M BAN THƯỜNG VỤ, TM. ỦY BAN NHÂN DÂN …
    position: str | None = None  # PHÓ BÍ THƯ, CHÁNH VĂN PHÒNG …
    name: str | None = None


class Citation(_Frozen):
    doc_type: DocType | None = None
    number_symbol: str
    issue_date: date | None = None
    issuer: str | None = None
    raw: str
    resolved_id: str | None = None  # sha256 of the archived document it points to, when known


class StatRow(_Frozen):
    level: Level
    metric: str
    value: float
    raw: str


class Deadline(_Frozen):
    agency: str
    task: str
    due: date | None = None


class Source(_Frozen):
    """Where the original came from; ``path`` is as it was ingested (the name the clerk knows)."""

    path: str
    name: str
    size: int
    media_type: str
    ingested_at: datetime


class DocumentRecord(_Frozen):
    """One archived document, as parsed. Every field exists; unknown ones are null or empty."""

    schema_version: int = SCHEMA_VERSION
    id: str  # sha256 of the original bytes
    doc_type: DocType | None = None
    number_symbol: str | None = None
    issue_date: date | None = None
    place: str | None = None
    issuer: str | None = None
    province: str | None = None
    title: str | None = None  # the trích yếu as printed (NFC), lines joined
    signer: Signer = Signer()
    recipients: tuple[str, ...] = ()
    confidentiality: Confidentiality | None = None
    citations: tuple[Citation, ...] = ()
    statistics: tuple[StatRow, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    topics: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    pages: int = 0
    low_confidence_pages: tuple[int, ...] = ()
    source: Source | None = None
    # Added after schema 1 (defaults keep older record.json files loading):
    title_display: str | None = None  # the title in sentence case, only where it can be done right
    issuers: tuple[str, ...] = ()  # each issuing body, lead first; two for a joint document
    issuer_inferred: bool = False  # no header: issuer (and province) read from the document's own text

    @property
    def year(self) -> int | None:
        return self.issue_date.year if self.issue_date else None
