"""Drafting a planned document, as a library the CLI, the web page and the Prefect flow share.

- ``check(template, data, settings)``: validate the officer's data and review it like a careful
  reader (dates in order, figures that add up); every problem with its field path, in Vietnamese.
- ``draft(...)``: render a draft. It takes no number (the number line keeps a blank the clerk
  fills by hand on the signed copy: ``Số      -TB/TU``), is not archived, and can be made any
  number of times.
- ``issue(...)``: take the next number from the register, render the final document, archive it
  and record in the register which file holds the number. A failed write gives the number back
  (or records it void with the reason).

Reports gather their figures from the archive here (the template package never reads it).
Output files: never over an existing file without ``force``, never a link or device, never
inside the archive (DOITHOAI_HOME), always through a temporary file created exclusively in the
target folder and renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from archive import open_store
from archive.errors import DoithoaiError, TemplateError, ToolMissing, UsageError
from archive.register import IssuedEntry, NumberRegister
from archive.settings import Settings
from flows import steps
from flows.records import records_matching
from flows.run import ingest_run
from search import Filters
from templates.assemble import report_statistics, unit_reports
from templates.present import present
from templates.render import TEMPLATE_DIR, render_docx
from templates.review import review
from templates.schemas import (
    CHOICE_LABELS,
    TEMPLATES,
    BaoCaoKetQua,
    BaoCaoTongHop,
    Problem,
    TemplateSpec,
    ThongBaoKetLuan,
)
from templates.workdays import add_working_days

__all__ = [
    "Checked",
    "DataProblems",
    "Generated",
    "Problem",
    "check",
    "draft",
    "drafts_dir",
    "issue",
    "load_data",
    "to_pdf",
]

ISSUED_JSON = "issued.json"  # beside an issued document in the archive: its place in the register


@dataclass
class Generated:
    path: Path
    number_symbol: str | None  # None for a draft (the number is left blank)
    pdf: Path | None = None
    id: str | None = None  # the archived document (issued only)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # doubtful data and inconsistent sources
    notes: list[str] = field(default_factory=list)  # e.g. the notice's legal due date
    problems: list[Problem] = field(default_factory=list)  # the warnings, with their field paths
    draft: bool = True


@dataclass
class Checked:
    """The data of one template, validated and reviewed. ``model`` is None when it does not validate."""

    template: str
    model: Any | None
    problems: list[Problem]
    sources: list[str] = field(default_factory=list)  # archived documents the figures came from
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.errors


# -- reading the officer's data ----------------------------------------------------------


def _yaml_loader() -> type:
    """YAML that leaves dates and decimals as text: ``2019-02-30`` becomes a field error (not a
    traceback) and ``1.230`` stays 1.230 people (not the float 1.23)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    dropped = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def load_data(path: Path) -> dict[str, Any]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"không đọc được tệp dữ liệu {path}: {exc}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=_yaml_loader())
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"tệp dữ liệu {path.name} sai cú pháp: {exc}") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"tệp dữ liệu {path.name} phải là một đối tượng (các trường: giá trị)")
    return data


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "thiếu trường bắt buộc"
    if kind == "extra_forbidden":
        return "trường không có trong mẫu (xem doithoai templates)"
    if kind in ("string_too_short",):
        return "không được để trống"
    if kind == "too_short":
        return f"cần ít nhất {ctx.get('min_length')} mục"
    if kind in ("string_type",):
        return "phải là chữ"
    if kind in ("list_type",):
        return "phải là danh sách (mỗi mục một dòng bắt đầu bằng '- ')"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "phải là một nhóm trường"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "phải là số nguyên (viết 1.234 hoặc 1234)"
    if kind == "greater_than_equal":
        return f"phải từ {ctx.get('ge')} trở lên"
    if kind == "less_than_equal":
        return f"phải không quá {ctx.get('le')}"
    if kind == "literal_error":
        name = next((str(p) for p in reversed(err["loc"]) if isinstance(p, str)), "")
        labels = CHOICE_LABELS.get(name, {})
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        shown = ", ".join(f"{a} ({labels[a]})" if a in labels else a for a in allowed)
        return f"giá trị '{err.get('input')}' không hợp lệ; chọn một trong: {shown}"
    return str(err["msg"])


def _problems(exc: ValidationError) -> list[Problem]:
    return [Problem(_path(tuple(e["loc"])), _message(e)) for e in exc.errors()]


def _spec(template: str) -> TemplateSpec:
    spec = TEMPLATES.get(template)
    if spec is None:
        raise UsageError(f"không có mẫu '{template}'; các mẫu: {', '.join(TEMPLATES)}")
    return spec


def check(template: str, data: dict[str, Any], settings: Settings) -> Checked:
    """Validate and review ``data`` for ``template``; reports gather their figures from the archive.

    Never raises for bad data (only for an unknown template or a broken archive): every problem
    is in ``problems``, errors first.
    """
    spec = _spec(template)
    try:
        model: Any = spec.model.model_validate(data)
    except ValidationError as exc:
        return Checked(template, None, _problems(exc))
    found: list[Problem] = []
    sources: list[str] = []
    notes: list[str] = []
    if isinstance(model, BaoCaoKetQua):
        found += review(model)  # the officer's own figures, at their own paths
        notices = records_matching(settings, _period_filters(model, "thong_bao"))
        stats, gathered = report_statistics(notices, model.statistics)
        model = model.model_copy(update={"statistics": stats})
        sources, notes = gathered.sources, gathered.skipped
        found += [Problem("statistics", w, "warning") for w in gathered.warnings]
    elif isinstance(model, BaoCaoTongHop) and not model.units:
        reports = [
            r for r in records_matching(settings, _period_filters(model, "bao_cao")) if r.issuer != _issuer(model)
        ]
        units, gathered = unit_reports(reports)
        model = model.model_copy(update={"units": units})
        sources, notes = gathered.sources, gathered.skipped
        found += [Problem("units", w, "warning") for w in gathered.warnings]
        for p in review(model):  # figures from the archive: say which report they came from
            m = re.match(r"units\[(\d+)\]", p.path)
            source = units[int(m.group(1))].source if m else None
            found.append(Problem(p.path, f"{p.message} (số liệu của {source}; ghi số liệu đúng vào units để thay)"
                                 if source else p.message, p.severity))  # fmt: skip
    else:
        found += review(model)
    if isinstance(model, ThongBaoKetLuan):
        due = add_working_days(model.dialogue_date, 7)
        notes.append(f"hạn ban hành thông báo kết luận (07 ngày làm việc sau đối thoại): {due:%d/%m/%Y}")
    found.sort(key=lambda p: p.severity != "error")
    return Checked(template, model, found, sources, notes)


def _checked_or_raise(template: str, data: dict[str, Any], settings: Settings) -> Checked:
    checked = check(template, data, settings)
    if not checked.ok:
        raise DataProblems(checked.problems)
    return checked


class DataProblems(TemplateError):
    """The data has errors; ``problems`` lists all of them (warnings too), with their paths."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("dữ liệu chưa đúng:\n  " + "\n  ".join(map(str, errors)))


# -- drafts and issued documents -----------------------------------------------------------


def draft(
    template: str, data: dict[str, Any], settings: Settings, output: Path, *, pdf: bool = False, force: bool = False
) -> Generated:
    """A draft: no number (a blank for the clerk), not archived, as many times as needed."""
    return _draft(template, data, settings, output, pdf=pdf, force=force, service=False)


def _draft(
    template: str, data: dict[str, Any], settings: Settings, output: Path, *, pdf: bool, force: bool, service: bool
) -> Generated:
    checked = _checked_or_raise(template, data, settings)
    targets = _targets(output, settings, pdf=pdf, force=force, service=service)
    result = _result(checked, targets[0], None)
    context = present(_spec(template), checked.model, None, checked.sources)
    write_new(targets[0], render_docx(TEMPLATE_DIR / f"{template}.docx", context), force=force)
    if pdf:
        result.pdf = to_pdf(targets[0], targets[1], force=force)
    return result


def issue(
    template: str, data: dict[str, Any], settings: Settings, output: Path, *, pdf: bool = False, force: bool = False
) -> Generated:
    """The issued document: the next number from the register, rendered, archived, registered.

    If anything fails after the number was taken, the number is given back (when no later one
    was taken since) or recorded void in the register with the reason, and the error is raised.
    """
    checked = _checked_or_raise(template, data, settings)
    targets = _targets(output, settings, pdf=pdf, force=force, service=False)
    spec, model = _spec(template), checked.model
    assert model is not None  # checked.ok
    key = (_register_issuer(model), spec.doc_type, _term(model))
    register = register_of(settings)
    number = register.take(*key, model.header.number)
    written: list[Path] = []
    try:
        context = present(spec, model, number, checked.sources)
        result = _result(checked, targets[0], context["h"]["number_symbol"])
        write_new(targets[0], render_docx(TEMPLATE_DIR / f"{template}.docx", context), force=force)
        written.append(targets[0])
        if pdf:
            result.pdf = to_pdf(targets[0], targets[1], force=force)
            written.append(targets[1])
        result.id = _archive(targets[0], settings, model, key, number, result.number_symbol or "")
    except BaseException as exc:
        for path in written:  # a file must not carry a number the register does not give it
            path.unlink(missing_ok=True)
        reason = exc.reason if isinstance(exc, DoithoaiError) else f"{type(exc).__name__}: {exc}"
        outcome = register.release(*key, number, f"ghi văn bản không thành: {reason}")
        if isinstance(exc, DoithoaiError) and not isinstance(exc, DataProblems):
            told = " (số đã được trả lại sổ)" if outcome == "returned" else f" (số {number} ghi hủy trong sổ)"
            raise type(exc)(exc.reason + told, path=exc.path) from exc
        raise
    register.issued(*key, number, file=str(targets[0]), record_id=result.id)
    result.draft = False
    read = open_store(settings).load_record(result.id).number_symbol
    if read != result.number_symbol:  # the archive must find the document by the number it carries
        result.notes.append(f"kho đọc số ký hiệu là {read or '(không có)'} thay vì {result.number_symbol}")
    return result


def _result(checked: Checked, path: Path, symbol: str | None) -> Generated:
    return Generated(
        path=path,
        number_symbol=symbol,
        sources=list(checked.sources),
        warnings=[str(p) for p in checked.warnings],
        notes=list(checked.notes),
        problems=checked.warnings,
    )


def register_of(settings: Settings) -> NumberRegister:
    """The register under DOITHOAI_HOME; a new register is seeded from the archive."""
    return NumberRegister(settings.home / "register.db", seed=lambda: _issued_in_archive(settings))


def _issued_in_archive(settings: Settings) -> list[IssuedEntry]:
    store = open_store(settings)
    out: list[IssuedEntry] = []
    for sha in store.iter_ids():
        path = store.doc_dir(sha) / ISSUED_JSON
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            e = json.loads(path.read_text(encoding="utf-8"))
            out.append(IssuedEntry(e["issuer"], e["doc_type"], e["term"], int(e["number"]), e.get("file"), sha))
    return out


def _register_issuer(model: Any) -> str:
    return f"{model.header.issuer} ({model.header.issuer_code})"


def _term(model: Any) -> str:
    h = model.header
    if h.format == "state":
        return str(h.issue_date.year)  # State documents are numbered per year
    if h.term:
        return str(h.term)
    start = h.issue_date.year - (h.issue_date.year % 5)  # Party congresses: 2020, 2025, 2030 …
    return f"{start}-{start + 5}"


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


def _archive(out: Path, settings: Settings, model: Any, key: tuple[str, str, str], number: int, symbol: str) -> str:
    """Archive the issued document like an ingested one, with its data and its register entry."""
    with ingest_run(settings, [out], "generate") as run:
        outcome = steps.ingest_one(out, run.ctx)
        [outcome] = run.finish([outcome])
    if not outcome.id or outcome.status not in ("archived", "duplicate"):
        raise TemplateError(f"không lưu được văn bản vào kho: {outcome.reason or outcome.status}")
    store = open_store(settings)
    store.attach(outcome.id, "data.json", model.model_dump_json(indent=2).encode())
    entry = {"issuer": key[0], "doc_type": key[1], "term": key[2], "number": number, "number_symbol": symbol,
             "file": str(out)}  # fmt: skip
    store.attach(outcome.id, ISSUED_JSON, json.dumps(entry, ensure_ascii=False, indent=2).encode())
    return outcome.id


# -- output files ----------------------------------------------------------------------------


def drafts_dir(settings: Settings) -> Path:
    """The service's own output folder (the Prefect flow writes only here)."""
    return settings.home / "drafts"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _targets(output: Path, settings: Settings, *, pdf: bool, force: bool, service: bool) -> tuple[Path, Path]:
    """The .docx (and .pdf) to write, checked before any work or number is spent."""
    if output.suffix.lower() != ".docx":
        hint = (
            " muốn có PDF thì đặt tên .docx và thêm --pdf (PDF ghi cạnh, cùng tên)"
            if output.suffix.lower() == ".pdf"
            else ""
        )
        raise UsageError(f"tệp ra phải có đuôi .docx: {output.name};{hint}".rstrip(";"))
    folder = Path(os.path.realpath(output.parent if str(output.parent) else "."))
    docx = folder / output.name
    home = Path(os.path.realpath(settings.home))
    if service:
        if not _inside(docx, Path(os.path.realpath(drafts_dir(settings)))):
            raise UsageError("luồng soạn thảo chỉ ghi vào thư mục drafts của dịch vụ")
    elif _inside(docx, home) or _inside(docx, Path(os.path.realpath(settings.inbox_dir))):
        raise UsageError(f"không ghi vào thư mục của kho lưu trữ ({home}); chọn thư mục khác")
    targets = (docx, docx.with_suffix(".pdf"))
    for target in targets[: 2 if pdf else 1]:
        _may_write(target, force)
    return targets


def _may_write(target: Path, force: bool) -> None:
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{target} là liên kết, thư mục hoặc thiết bị: không ghi đè")
    if not force:
        raise UsageError(f"{target} đã có; thêm --force để ghi đè")


def write_new(target: Path, data: bytes, *, force: bool) -> None:
    """Write through a temporary file created exclusively beside ``target``, then move it in place:
    over an existing regular file only with ``force``, never through a link."""
    target.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    _may_write(target, force)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(0o640)
        if force:
            os.replace(tmp, target)  # a rename replaces a link itself, never what it points to
        else:
            os.link(tmp, target)  # fails if the name appeared meanwhile: never clobbers
    except FileExistsError as exc:
        raise UsageError(f"{target} vừa được tạo bởi tiến trình khác; không ghi đè") from exc
    except OSError as exc:
        raise UsageError(f"không ghi được {target}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def to_pdf(docx: Path, target: Path | None = None, *, force: bool = False) -> Path:
    """DOCX → PDF with LibreOffice headless, in a profile of its own (shared profiles lose PDFs)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolMissing("chưa cài LibreOffice để xuất PDF: apt-get install libreoffice-writer-nogui")
    target = target or docx.with_suffix(".pdf")
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
        write_new(target, produced.read_bytes(), force=force)
    return target
