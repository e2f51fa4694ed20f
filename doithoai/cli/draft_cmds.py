"""Drafting commands: templates, generate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from doithoai.cli._base import cli, json_option, load_settings, out, prepare_prefect
from doithoai.output import err_console, protected_stdout, write_json


def _fields(model: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Flattened field list of a template schema: name (dotted path), type, required, description."""
    out: list[dict[str, Any]] = []
    for name, f in model.model_fields.items():
        path = f"{prefix}{name}"
        ann = f.annotation
        inner = getattr(ann, "model_fields", None)
        args = getattr(ann, "__args__", ())
        item = next((a for a in args if hasattr(a, "model_fields")), None)
        type_name = getattr(ann, "__name__", None) or str(ann).replace("typing.", "")
        out.append({"name": path, "type": type_name, "required": f.is_required(), "description": f.description})
        if inner is not None:
            out += _fields(ann, f"{path}.")
        elif item is not None:
            out += _fields(item, f"{path}[].")
    return out


@cli.command()
@json_option
def templates(as_json: bool) -> None:
    """Các mẫu văn bản, các trường mỗi mẫu cần và một bộ dữ liệu mẫu dựng được ngay.

    Example: doithoai templates --json
    """
    from templates.schemas import TEMPLATES

    data: dict[str, list[dict[str, Any]]] = {
        "templates": [
            {"name": s.name, "title": s.title, "fields": _fields(s.model), "example": s.example}
            for s in TEMPLATES.values()
        ]
    }
    if as_json:
        write_json(data)
        return
    for t in data["templates"]:
        out.print(f"[bold cyan]{t['name']}[/]  {t['title']}")
        for f in t["fields"]:
            req = "[red]*[/]" if f["required"] else " "
            out.print(f"  {req} {f['name']:<36} {escape(f['type']):<14} {escape(f['description'] or '')}")
        out.print()
    out.print("[red]*[/] bắt buộc. Dữ liệu mẫu: doithoai templates --json")


@cli.command()
@click.argument("template")
@click.option(
    "--data",
    "data_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp dữ liệu YAML hoặc JSON.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Tệp .docx.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF bằng LibreOffice.")
@click.option("--no-archive", is_flag=True, help="Không lưu văn bản vừa soạn vào kho.")
@click.option("--prefect", "via_prefect", is_flag=True, help="Chạy qua luồng Prefect (có lịch sử trong Prefect).")
@json_option
def generate(
    template: str, data_file: Path, output: Path, pdf: bool, no_archive: bool, via_prefect: bool, as_json: bool
) -> None:
    """Soạn văn bản từ mẫu: thông báo kết luận, kế hoạch, báo cáo kết quả, báo cáo tổng hợp.

    Số văn bản lấy từ sổ văn bản đi khi dữ liệu không ghi; báo cáo lấy số liệu từ kho.

    Example: doithoai generate thong_bao_ket_luan --data tb.yaml -o tb.docx --pdf
    """
    from flows.generate import generate as run_generate
    from flows.generate import load_data

    settings = load_settings()
    data = load_data(data_file)
    if via_prefect:
        prepare_prefect(settings)
        from flows.generate_flow import generate_flow

        with protected_stdout(as_json):
            done = generate_flow(template, data, str(output.resolve()), settings, pdf)
        if as_json:
            write_json(done)
        else:
            out.print(f"Đã soạn [bold]{done['number_symbol']}[/] → {done['path']}")
        return
    with protected_stdout(as_json):
        result = run_generate(template, data, output, settings, pdf=pdf, archive=not no_archive)
    if as_json:
        write_json(
            {
                "path": str(result.path),
                "pdf": str(result.pdf) if result.pdf else None,
                "number_symbol": result.number_symbol,
                "id": result.id,
                "sources": result.sources,
                "warnings": result.warnings,
                "notes": result.notes,
            }
        )
        return
    for w in result.warnings:
        err_console.print(f"[yellow]Số liệu nguồn không khớp:[/] {escape(w)}")
    for n in result.notes:
        err_console.print(f"[cyan]Lưu ý:[/] {escape(n)}")
    out.print(f"Đã soạn [bold]{result.number_symbol}[/] → {result.path}" + (f" và {result.pdf}" if result.pdf else ""))
    if result.id:
        out.print(f"[dim]Đã lưu vào kho: {result.id[:12]}[/]")


_DUE_LABEL = {"done": "[green]đã có[/]", "late": "[yellow]có, muộn[/]", "overdue": "[red]quá hạn[/]",
              "pending": "[cyan]chưa đến hạn[/]"}  # fmt: skip
