"""Drafting commands: templates, generate (a draft), issue (the numbered, archived document)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from doithoai.cli._base import cli, json_option, load_settings, out, prepare_prefect
from doithoai.output import err_console, protected_stdout, write_json

_KIND = {"text": "chữ", "date": "ngày (24/05/2019)", "integer": "số nguyên (1.234)", "number": "tỷ lệ % (93,75)",
         "choice": "chọn", "lines": "danh sách dòng", "group": "nhóm", "repeat": "danh sách nhóm"}  # fmt: skip


def _field_json(f: Any) -> dict[str, Any]:
    return {
        "name": f.path,
        "label": f.label,
        "kind": f.kind,
        "required": f.required,
        "help": f.help,
        "choices": [{"value": v, "label": label} for v, label in f.choices],
        "default": f.default,
        "fields": [_field_json(sub) for sub in f.fields],
    }


def _flat(fields: Any) -> list[Any]:
    flat: list[Any] = []
    for f in fields:
        flat.append(f)
        flat += _flat(f.fields)
    return flat


def _type_text(f: Any) -> str:
    if f.kind == "choice":
        return "một trong: " + ", ".join(f"{v} ({label})" if label != v else v for v, label in f.choices)
    return _KIND[f.kind]


@cli.command()
@click.argument("name", required=False)
@click.option("--example", "example", is_flag=True, help="In tệp dữ liệu mẫu YAML có chú thích cho mẫu NAME.")
@json_option
def templates(name: str | None, example: bool, as_json: bool) -> None:
    """Các mẫu văn bản, các trường mỗi mẫu cần (theo thứ tự trong văn bản) và giá trị được phép.

    Với --example NAME: in một tệp dữ liệu mẫu (YAML, chú thích tiếng Việt) dựng được ngay.

    Example: doithoai templates --example thong_bao_ket_luan > du-lieu.yaml
    """
    from archive.errors import UsageError
    from templates.schemas import TEMPLATES, describe
    from templates.starter import starter_yaml

    if name is not None and name not in TEMPLATES:
        raise UsageError(f"không có mẫu '{name}'; các mẫu: {', '.join(TEMPLATES)}")
    if example:
        if name is None:
            raise UsageError("cho biết tên mẫu: doithoai templates --example thong_bao_ket_luan")
        click.echo(starter_yaml(name), nl=False)
        return
    chosen = [TEMPLATES[name]] if name else list(TEMPLATES.values())
    data: dict[str, list[dict[str, Any]]] = {
        "templates": [
            {"name": s.name, "title": s.title, "fields": [_field_json(f) for f in _flat(describe(s.name))],
             "form": [_field_json(f) for f in describe(s.name)], "example": s.example}
            for s in chosen
        ]
    }  # fmt: skip
    if as_json:
        write_json(data)
        return
    for t, spec in zip(data["templates"], chosen, strict=True):
        out.print(f"[bold cyan]{t['name']}[/]  {t['title']}")
        for f in _flat(describe(spec.name)):
            req = "[red]*[/]" if f.required else " "
            out.print(f"  {req} {escape(f.path):<40} {escape(f.label):<36} {escape(_type_text(f))}")
        out.print()
    out.print("[red]*[/] bắt buộc. Tệp dữ liệu mẫu: doithoai templates --example TÊN_MẪU > du-lieu.yaml")


def _print_problems(problems: list[Any]) -> None:
    for p in problems:
        tag = "[bold red]Lỗi[/]" if p.severity == "error" else "[yellow]Cảnh báo[/]"
        err_console.print(f"{tag} {escape(p.path)}: {escape(p.message)}", highlight=False)


def _run(template: str, data_file: Path, output: Path, pdf: bool, force: bool, as_json: bool, *, issue: bool) -> None:
    import sys

    from archive.errors import ExitCode
    from flows.generate import DataProblems, draft, load_data
    from flows.generate import issue as run_issue

    settings = load_settings()
    data = load_data(data_file)
    try:
        with protected_stdout(as_json):
            result = (run_issue if issue else draft)(template, data, settings, output, pdf=pdf, force=force)
    except DataProblems as exc:
        if as_json:
            write_json({"problems": [p.__dict__ for p in exc.problems]})
        _print_problems(exc.problems)
        sys.exit(int(ExitCode.template))
    if not result.draft:
        _audit_issue(settings, template, result)
    if as_json:
        write_json(
            {
                "path": str(result.path),
                "pdf": str(result.pdf) if result.pdf else None,
                "draft": result.draft,
                "number_symbol": result.number_symbol,
                "id": result.id,
                "sources": result.sources,
                "warnings": result.warnings,
                "problems": [p.__dict__ for p in result.problems],
                "notes": result.notes,
            }
        )
        return
    _print_problems(result.problems)
    for n in result.notes:
        err_console.print(f"[cyan]Lưu ý:[/] {escape(n)}")
    made = f" và {result.pdf}" if result.pdf else ""
    if result.draft:
        out.print(f"Đã soạn [bold]bản dự thảo[/] (chưa có số) → {result.path}{made}")
    else:
        out.print(f"Đã ban hành [bold]{result.number_symbol}[/] → {result.path}{made}")
        out.print(f"[dim]Đã ghi sổ văn bản đi và lưu vào kho: {(result.id or '')[:12]}[/]")


def _audit_issue(settings: Any, template: str, result: Any) -> None:
    """An issued document is an event of the audit log (as from the web), under the system user."""
    import getpass

    from archive.audit import AuditLog

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    detail = {"template": template, "id": result.id, "file": str(result.path)}
    AuditLog(settings.home).record(f"(máy chủ: {who})", "draft.issue", result.number_symbol or "", detail)


_DATA = click.option(
    "--data",
    "data_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp dữ liệu YAML hoặc JSON (doithoai templates --example TÊN_MẪU cho tệp mẫu).",
)
_OUT = click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Tệp .docx sẽ ghi.")
_PDF = click.option("--pdf", is_flag=True, help="Xuất thêm PDF (LibreOffice), cạnh tệp .docx, cùng tên.")
_FORCE = click.option("--force", is_flag=True, help="Cho phép ghi đè tệp đã có.")


@cli.command()
@click.argument("template")
@_DATA
@_OUT
@_PDF
@_FORCE
@click.option("--issue", "as_issue", is_flag=True, help="Ban hành luôn (như doithoai issue).")
@click.option("--no-archive", is_flag=True, hidden=True)
@click.option("--prefect", "via_prefect", is_flag=True, help="Chạy qua luồng Prefect (có lịch sử trong Prefect).")
@json_option
def generate(
    template: str,
    data_file: Path,
    output: Path,
    pdf: bool,
    force: bool,
    as_issue: bool,
    no_archive: bool,
    via_prefect: bool,
    as_json: bool,
) -> None:
    """Soạn bản dự thảo từ mẫu: chưa lấy số (dòng số để trống cho văn thư), không lưu vào kho.

    Soạn lại bao nhiêu lần cũng được. Khi văn bản đã được ký, dùng doithoai issue để lấy số và lưu.
    Dữ liệu được kiểm tra trước: lỗi thì không soạn, cảnh báo thì vẫn soạn.

    Example: doithoai generate thong_bao_ket_luan --data tb.yaml -o tb.docx --pdf
    """
    if via_prefect:
        _via_prefect(template, data_file, output, force, as_json)
        return
    _run(template, data_file, output, pdf, force, as_json, issue=as_issue)


@cli.command()
@click.argument("template")
@_DATA
@_OUT
@_PDF
@_FORCE
@json_option
def issue(template: str, data_file: Path, output: Path, pdf: bool, force: bool, as_json: bool) -> None:
    """Ban hành văn bản: lấy số kế tiếp trong sổ văn bản đi, dựng bản chính thức, lưu vào kho.

    Sổ ghi tệp nào mang số nào; ghi tệp không thành thì số được trả lại (hoặc ghi hủy kèm lý do).

    Example: doithoai issue thong_bao_ket_luan --data tb.yaml -o 12-TB-TU.docx --pdf
    """
    _run(template, data_file, output, pdf, force, as_json, issue=True)


_STATUS = {"issued": "[green]đã ban hành[/]", "taken": "[yellow]đang ban hành[/]", "void": "[red]hủy[/]"}


@cli.command(name="register")
@json_option
def register_cmd(as_json: bool) -> None:
    """Sổ văn bản đi: mọi số đã cấp, tệp và văn bản trong kho mang số đó, số nào hủy và vì sao.

    Example: doithoai register --json
    """
    from rich.table import Table

    from archive.records import DOC_TYPE_LABELS
    from flows.generate import register_of

    rows = register_of(load_settings()).rows()
    if as_json:
        write_json({"numbers": [r.__dict__ for r in rows]})
        return
    if not rows:
        out.print("Sổ văn bản đi chưa có số nào (bản dự thảo không lấy số; ban hành bằng doithoai issue).")
        return
    table = Table(title="Sổ văn bản đi")
    for head in ("Cơ quan", "Loại", "Nhiệm kỳ/năm", "Số", "Tình trạng", "Tệp hoặc lý do", "Mã"):
        table.add_column(head)
    for r in rows:
        table.add_row(escape(r.issuer), DOC_TYPE_LABELS.get(r.doc_type, r.doc_type), r.term, f"{r.number:02d}",
                      _STATUS.get(r.status, r.status), escape((r.reason if r.status == "void" else r.file) or ""),
                      (r.record_id or "")[:12])  # fmt: skip
    out.print(table)


def _via_prefect(template: str, data_file: Path, output: Path, force: bool, as_json: bool) -> None:
    """The draft made by the Prefect flow (in the service's drafts folder), copied to ``output``."""
    from flows.generate import _targets, load_data, write_new

    settings = load_settings()
    data = load_data(data_file)
    target = _targets(output, settings, pdf=False, force=force, service=False)[0]
    prepare_prefect(settings)
    from flows.generate_flow import generate_flow

    with protected_stdout(as_json):
        done = generate_flow(template, data)
    write_new(target, Path(done["path"]).read_bytes(), force=force)
    done = {**done, "service_path": done["path"], "path": str(target), "draft": True}
    if as_json:
        write_json(done)
    else:
        out.print(f"Đã soạn [bold]bản dự thảo[/] qua Prefect → {target}")


_DUE_LABEL = {"done": "[green]đã có[/]", "late": "[yellow]có, muộn[/]", "overdue": "[red]quá hạn[/]",
              "pending": "[cyan]chưa đến hạn[/]"}  # fmt: skip
