"""Drafting a planned document: validate the officer's data, gather figures from the archive,
take a number from the register, render the .docx (and a PDF), and archive the result.

The template package only renders what it is given; everything that reads the archive is here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from archive import open_store
from archive.errors import TemplateError, ToolMissing, UsageError
from archive.register import NumberRegister
from archive.settings import Settings
from flows import steps
from flows.records import records_matching
from flows.run import ingest_run
from search import Filters
from templates.assemble import report_statistics, unit_reports
from templates.present import present
from templates.render import TEMPLATE_DIR, render_docx
from templates.schemas import TEMPLATES, BaoCaoKetQua, BaoCaoTongHop, ThongBaoKetLuan
from templates.workdays import add_working_days

__all__ = ["Generated", "generate", "load_data", "problems"]


@dataclass
class Generated:
    path: Path
    number_symbol: str
    pdf: Path | None = None
    id: str | None = None
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # inconsistencies found in the sources
    notes: list[str] = field(default_factory=list)  # e.g. the notice's legal due date


def load_data(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"không đọc được tệp dữ liệu {path}: {exc}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"tệp dữ liệu {path.name} sai cú pháp: {exc}") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"tệp dữ liệu {path.name} phải là một đối tượng (các trường: giá trị)")
    return data


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong mẫu",
    "date_from_datetime_parsing": "ngày không hợp lệ (viết 2025-02-05)",
    "date_parsing": "ngày không hợp lệ (viết 2025-02-05)",
    "date_type": "phải là ngày (viết 2025-02-05)",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "string_type": "phải là chữ",
    "list_type": "phải là danh sách",
    "literal_error": "giá trị không hợp lệ",
    "model_type": "phải là một nhóm trường",
}


def problems(exc: ValidationError) -> list[str]:
    """Every problem of the data, with its field path, in Vietnamese."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(dữ liệu)"
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind in _MESSAGES:
            msg = _MESSAGES[kind]
            if kind == "literal_error" and "expected" in ctx:
                msg += f" (chọn {ctx['expected']})"
        elif kind in ("greater_than_equal", "less_than_equal"):
            msg = f"phải {'≥' if kind == 'greater_than_equal' else '≤'} {ctx.get('ge', ctx.get('le'))}"
        elif kind == "too_short":
            msg = f"cần ít nhất {ctx.get('min_length')} mục"
        elif kind == "value_error":
            msg = str(ctx.get("error", err["msg"]))
        else:
            msg = err["msg"]
        out.append(f"{where}: {msg}")
    return out


def _term(model: Any) -> str:
    h = model.header
    if h.format == "state":
        return str(h.issue_date.year)  # State documents are numbered per year
    if h.term:
        return h.term
    start = h.issue_date.year - (h.issue_date.year % 5)  # Party congresses: 2020, 2025, 2030 …
    return f"{start}-{start + 5}"


def generate(
    name: str, data: dict[str, Any], out: Path, settings: Settings, *, pdf: bool = False, archive: bool = True
) -> Generated:
    spec = TEMPLATES.get(name)
    if spec is None:
        raise UsageError(f"không có mẫu '{name}'; các mẫu: {', '.join(TEMPLATES)}")
    try:
        model: Any = spec.model.model_validate(data)
    except ValidationError as exc:
        raise TemplateError("dữ liệu chưa đúng:\n  " + "\n  ".join(problems(exc))) from exc
    result = Generated(path=out, number_symbol="")
    sources: list[str] = []
    if isinstance(model, BaoCaoKetQua):
        notices = records_matching(settings, _period_filters(model, "thong_bao"))
        stats, gathered = report_statistics(notices, model.statistics)
        model = model.model_copy(update={"statistics": stats})
        sources, result.warnings = gathered.sources, gathered.warnings
    elif isinstance(model, BaoCaoTongHop) and not model.units:
        reports = [
            r for r in records_matching(settings, _period_filters(model, "bao_cao")) if r.issuer != _issuer(model)
        ]
        units, gathered = unit_reports(reports)
        model = model.model_copy(update={"units": units})
        sources, result.warnings = gathered.sources, gathered.warnings
    if isinstance(model, ThongBaoKetLuan):
        due = add_working_days(model.dialogue_date, 7)
        result.notes.append(f"hạn ban hành thông báo kết luận (07 ngày làm việc sau đối thoại): {due:%d/%m/%Y}")
        if model.header.issue_date > due:
            result.notes.append(f"ngày ban hành {model.header.issue_date:%d/%m/%Y} đã quá hạn")
    number = NumberRegister(settings.home / "register.db").take(
        f"{model.header.issuer} ({model.header.issuer_code})", spec.doc_type, _term(model), model.header.number
    )
    context = present(spec, model, number, sources)
    result.number_symbol = context["h"]["number_symbol"]
    result.sources = sources
    _write_atomically(out, render_docx(TEMPLATE_DIR / f"{spec.name}.docx", context))
    if pdf:
        result.pdf = to_pdf(out)
    if archive:
        result.id = _archive(out, settings, model)
    return result


def _issuer(model: Any) -> str:
    from extractors.parse.header import issuer_name

    h = model.header
    return issuer_name([x for x in (h.superior, h.issuer) if x]) or h.issuer


def _period_filters(model: Any, doc_type: str) -> Filters:
    issuer = getattr(model, "source_issuer", None)
    province = None if issuer else model.header.place
    return Filters(
        doc_types=(doc_type,), date_from=model.period_from, date_to=model.period_to, issuer=issuer, province=province
    )


def _write_atomically(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)


def to_pdf(docx: Path) -> Path:
    """DOCX → PDF with LibreOffice headless, in a profile of its own (shared profiles lose PDFs)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolMissing("chưa cài LibreOffice để xuất PDF: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="doithoai-lo-") as profile, tempfile.TemporaryDirectory() as outdir:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", outdir, str(docx)]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise ToolMissing(f"LibreOffice không xuất được PDF: {exc}") from exc
        produced = Path(outdir) / (docx.stem + ".pdf")
        if not produced.is_file():
            raise ToolMissing("LibreOffice kết thúc mà không tạo ra PDF")
        target = docx.with_suffix(".pdf")
        shutil.move(str(produced), target)
    return target


def _archive(out: Path, settings: Settings, model: Any) -> str | None:
    """Archive the generated document like an ingested one, with the data it was made from."""
    with ingest_run(settings, [out], "generate") as run:
        outcome = steps.ingest_one(out, run.ctx)
        [outcome] = run.finish([outcome])
    if outcome.id and outcome.status in ("archived", "duplicate"):
        open_store(settings).attach(outcome.id, "data.json", model.model_dump_json(indent=2).encode())
    return outcome.id
