"""Drafting from the web: the calls into flows.generate (check, draft, issue) and their files.

Drafts never take a number and are not archived; "Phát hành" (issue) is the one action
that takes the next number from the register and archives the document.
"""

from __future__ import annotations

import copy
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flows.generate as gen
from archive.errors import ToolMissing
from archive.records import DocumentRecord
from archive.settings import Settings
from templates.schemas import TEMPLATES

__all__ = ["Outcome", "Problem", "check", "make", "prefill", "preview"]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    severity: str = "error"


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    docx: bytes | None = None
    pdf: bytes | None = None
    number_symbol: str | None = None
    id: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _api(name: str) -> Any:
    fn = getattr(gen, name, None)
    if fn is None:
        raise ToolMissing(f"chức năng soạn thảo '{name}' chưa có trong phiên bản này")
    return fn


def check(template: str, data: dict[str, Any], settings: Settings) -> Outcome:
    checked = _api("check")(template, data, settings)
    problems = [Problem(p.path, p.message, getattr(p, "severity", "error")) for p in checked.problems]
    return Outcome(problems, list(checked.notes), list(checked.sources))


def make(template: str, data: dict[str, Any], settings: Settings, *, pdf: bool, issue: bool) -> Outcome:
    """A draft (no number) or, with ``issue``, the issued document; the files' bytes."""
    outcome = check(template, data, settings)
    if outcome.errors:
        return outcome
    with tempfile.TemporaryDirectory(prefix="doithoai-draft-") as tmp:
        out = Path(tmp) / f"{template}.docx"
        result = _api("issue" if issue else "draft")(template, data, settings, out, pdf=pdf)
        outcome.docx = out.read_bytes()
        if pdf and result.pdf:
            outcome.pdf = Path(result.pdf).read_bytes()
        outcome.number_symbol = result.number_symbol
        outcome.id = result.id
        outcome.notes = list(dict.fromkeys([*outcome.notes, *getattr(result, "notes", [])]))
    return outcome


def prefill(template: str, record: DocumentRecord | None) -> dict[str, Any]:
    """The template's example, with what an archived dialogue (or other record) already says."""
    data: dict[str, Any] = copy.deepcopy(TEMPLATES[template].example)
    if record is None:
        return data
    header = data.setdefault("header", {})
    if record.issuer:
        header["issuer"] = record.issuer.upper()
    if record.place or record.province:
        header["place"] = record.place or record.province
    if template == "thong_bao_ket_luan":
        if record.issue_date:
            data["dialogue_date"] = record.issue_date.isoformat()
        if record.deadlines:
            data["assignments"] = [
                {"agency": d.agency, "task": d.task, **({"due": d.due.isoformat()} if d.due else {})}
                for d in record.deadlines
            ]
        stats = {s.metric: int(s.value) for s in record.statistics if s.level in ("tong", "tinh", "huyen")}
        if "luot_nguoi" in stats:
            data["attendance"] = stats["luot_nguoi"]
        if "so_y_kien_tra_loi_tai_hoi_nghi" in stats:
            data["answered_at_meeting"] = stats["so_y_kien_tra_loi_tai_hoi_nghi"]
    return data


def preview(docx: bytes) -> list[tuple[str, Any]]:
    """The draft's body in reading order: ``("p", text)`` paragraphs and ``("table", rows)`` tables."""
    import docx as python_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = python_docx.Document(io.BytesIO(docx))
    blocks: list[tuple[str, Any]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            if text.strip():
                blocks.append(("p", text))
        elif tag == "tbl":
            rows = [[cell.text for cell in row.cells] for row in Table(child, document).rows]
            blocks.append(("table", rows))
    return blocks
