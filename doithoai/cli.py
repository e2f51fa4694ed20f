"""The ``doithoai`` command line: verbs over the library, ``--json`` for machines.

Each command reads options, builds Settings once, makes one library call and prints.
Errors become exit codes in one place (:class:`_Group`); see archive.errors.ExitCode.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive import open_store
from archive.errors import DoithoaiError, ExitCode, UsageError
from archive.records import DOC_TYPE_LABELS, DocumentRecord
from archive.runs import RunLog
from archive.settings import Settings
from archive.vntext import printable
from doithoai.output import err_console, protected_stdout, snippet_markup, write_json
from extractors import extract as extract_file
from extractors import parse as parse_extraction
from flows import steps
from flows.links import Links, links
from search import Filters, Hit, get_backend, parse_date, parse_doc_type, parse_query, parse_topic

__all__ = ["main"]

out = Console(highlight=False, soft_wrap=True)


class _Group(click.Group):
    """Maps our exceptions to a one-line message on stderr and a stable exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DoithoaiError as exc:
            err_console.print(f"[bold red]Lỗi:[/] {exc.message}", highlight=False)
            sys.exit(int(exc.exit_code))
        except ValidationError as exc:
            err_console.print(f"[bold red]Cấu hình sai (biến môi trường DOITHOAI_*):[/] {exc}", highlight=False)
            sys.exit(int(ExitCode.usage))


def _settings() -> Settings:
    return Settings()


def _json_option(f: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="In một tài liệu JSON ra stdout (cho máy).")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", is_flag=True, help="Ghi nhật ký chi tiết ra stderr.")
@click.version_option(package_name="doithoai")
def cli(verbose: bool) -> None:
    """Lưu trữ, tìm kiếm và soạn thảo văn bản tiếp xúc, đối thoại trực tiếp.

    Archive, search and draft the documents of the tiếp xúc, đối thoại process.
    Settings come from DOITHOAI_* environment variables (see README).
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


# -- ingest --------------------------------------------------------------------------


def _prepare_prefect(settings: Settings) -> None:
    """Keep Prefect's state under DOITHOAI_HOME and quiet, unless the operator set otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--direct", is_flag=True, help="Chạy ngay trong tiến trình này, không qua Prefect (khởi động nhanh hơn).")
@_json_option
def ingest(paths: tuple[Path, ...], direct: bool, as_json: bool) -> None:
    """Lưu trữ tệp/thư mục (mặc định: hộp thư đến DOITHOAI_INBOX).

    Mỗi tệp kết thúc là archived (đã lưu), duplicate (trùng) hoặc quarantined
    (cách ly, kèm lý do). Tệp hỏng không làm dừng cả lượt.

    Example: doithoai ingest ~/van-ban/2024 --json
    """
    settings = _settings()
    targets = list(paths) or [settings.inbox_dir]
    for t in targets:
        if not os.path.lexists(t):
            raise UsageError(f"không có tệp hoặc thư mục '{t}'")
    with protected_stdout(as_json):
        if direct:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            from flows.local import ingest_direct

            columns = (SpinnerColumn(), TextColumn("Đang lưu trữ: {task.completed} tệp xong"), BarColumn(),
                       TextColumn("{task.fields[last]}"), TimeElapsedColumn())  # fmt: skip
            with Progress(*columns, console=err_console, transient=True) as progress:
                bar = progress.add_task("ingest", total=None, last="")
                outcomes = ingest_direct(
                    targets,
                    settings,
                    on_outcome=lambda o: progress.update(bar, advance=1, last=printable(Path(o.path).name)[:40]),
                )
        else:
            _prepare_prefect(settings)
            with err_console.status("Đang lưu trữ (Prefect)…"):
                from flows.ingest import run_ingest_flow

                outcomes = run_ingest_flow(targets, settings)
    counts = {
        s: sum(1 for o in outcomes if o.status == s)
        for s in ("archived", "duplicate", "quarantined", "failed", "waiting")
    }
    counts["not_indexed"] = sum(1 for o in outcomes if o.indexed is False)
    if as_json:
        write_json({"files": [o.to_json() for o in outcomes], "counts": counts})
    else:
        _print_outcomes(outcomes, counts)
    if counts["failed"]:
        sys.exit(int(ExitCode.infrastructure))


_STATUS_LABEL = {
    "archived": "[green]đã lưu[/]",
    "duplicate": "[cyan]trùng[/]",
    "quarantined": "[yellow]cách ly[/]",
    "failed": "[red]lỗi hệ thống[/]",
    "waiting": "[magenta]chờ[/]",
}


def _print_outcomes(outcomes: list[steps.Outcome], counts: dict[str, int]) -> None:
    narrow = out.width < 100  # an 80-column terminal: no id column (search and show give it)
    table = Table(title="Kết quả lưu trữ", show_lines=False)
    table.add_column("Tệp", overflow="ellipsis", no_wrap=True, max_width=24 if narrow else 36)
    table.add_column("Kết quả", no_wrap=True)
    if not narrow:
        table.add_column("Mã", no_wrap=True)
    table.add_column("Loại", no_wrap=True)
    table.add_column("Số, ký hiệu", no_wrap=True)
    table.add_column("Trang / lý do", overflow="fold", min_width=8)
    for o in outcomes:
        cells = [
            escape(printable(Path(o.path).name)),
            _STATUS_LABEL[o.status],
            *([] if narrow else [(o.id or "")[:12]]),
            DOC_TYPE_LABELS.get(o.doc_type or "", ""),
            o.number_symbol or "",
            o.reason or (str(o.pages) if o.pages else ""),
        ]
        table.add_row(*cells)
    out.print(table)
    out.print(
        f"Đã lưu {counts['archived']}, trùng {counts['duplicate']}, cách ly {counts['quarantined']}"
        + (f", lỗi hệ thống {counts['failed']}" if counts["failed"] else "")
        + (f", chờ lượt sau {counts['waiting']}" if counts["waiting"] else "")
        + (f", chưa đánh chỉ mục {counts['not_indexed']}" if counts["not_indexed"] else "")
        + "."
    )


# -- search --------------------------------------------------------------------------


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--type", "types", multiple=True, help="Loại văn bản: thong_bao, 'thông báo' hoặc TB (lặp lại được).")
@click.option("--year", type=int, help="Năm ban hành.")
@click.option("--from", "date_from", help="Ban hành từ ngày (2024-01-31 hoặc 31/01/2024).")
@click.option("--to", "date_to", help="Ban hành đến ngày.")
@click.option("--issuer", help="Cơ quan ban hành, có dấu hoặc không (vd. 'Tỉnh ủy Hậu Giang', 'hau giang').")
@click.option("--province", help="Tỉnh, thành phố (có dấu hoặc không).")
@click.option("--topic", "topics", multiple=True, help="Lĩnh vực: 'đất đai', 'giai phong mat bang'… (lặp lại được).")
@click.option("--needs-review", is_flag=True, help="Chỉ văn bản có trang đọc kém, cần người kiểm tra.")
@click.option("--limit", type=int, default=10, show_default=True, help="Số kết quả một trang.")
@click.option("--offset", type=int, default=0, show_default=True, help="Bỏ qua bao nhiêu kết quả đầu (phân trang).")
@_json_option
def search(
    query: str,
    types: tuple[str, ...],
    year: int | None,
    date_from: str | None,
    date_to: str | None,
    issuer: str | None,
    province: str | None,
    topics: tuple[str, ...],
    needs_review: bool,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Tìm văn bản: từ có dấu hoặc không dấu, "cụm từ", số ký hiệu (1681-QĐ/TU, QĐ 1681).

    Example: doithoai search "giai phong mat bang" --type thong_bao --year 2019
    """
    settings = _settings()
    filters = Filters(
        doc_types=tuple(dict.fromkeys(parse_doc_type(t) for t in types)),
        year=year,
        date_from=parse_date(date_from) if date_from else None,
        date_to=parse_date(date_to) if date_to else None,
        issuer=issuer,
        province=province,
        topics=tuple(dict.fromkeys(parse_topic(t) for t in topics)),
        needs_review=True if needs_review else None,
    )
    request = parse_query(query, filters=filters, limit=limit, offset=offset)
    results = get_backend(settings).search(request)
    if as_json:
        write_json(
            {
                "total": results.total,
                "hits": [
                    {
                        "id": h.id,
                        "score": h.score,
                        "doc_type": h.doc_type,
                        "number_symbol": h.number_symbol,
                        "issue_date": h.issue_date,
                        "title": h.title,
                        "issuer": h.issuer,
                        "snippet": h.snippet,
                        "path": h.path,
                    }
                    for h in results.hits
                ],
                "facets": {k: [{"value": f.value, "count": f.count} for f in v] for k, v in results.facets.items()},
                "notes": list(results.notes),
            }
        )
        return
    for note in results.notes:
        err_console.print(f"[yellow]Lưu ý:[/] {note}")
    if not results.hits:
        out.print("Không tìm thấy văn bản nào.")
        return
    shown = f"{offset + 1}–{offset + len(results.hits)}"
    out.print(f"[bold]{results.total}[/] văn bản (hiển thị {shown}):\n")
    for h in results.hits:
        head = " · ".join(
            x
            for x in (
                DOC_TYPE_LABELS.get(h.doc_type or "", ""),
                h.number_symbol or "",
                h.issue_date.strftime("%d/%m/%Y") if h.issue_date else "",
                h.issuer or "",
            )
            if x
        )
        out.print(f"[bold cyan]{h.id[:12]}[/]  {head}")
        if h.title:
            out.print(f"  [bold]{h.title}[/]")
        out.print(f"  {snippet_markup(h.snippet)}")
        if h.path:
            out.print(f"  [dim]{Path(h.path).name}[/]")
        out.print()
    facet_line = "; ".join(
        f"{name}: " + ", ".join(f"{f.value} ({f.count})" for f in facets[:5])
        for name, facets in results.facets.items()
        if facets
    )
    out.print(f"[dim]Nhóm: {facet_line}[/]")


# -- show / extract / parse ------------------------------------------------------------


@cli.command()
@click.argument("doc_id")
@click.option("--text", "with_text", is_flag=True, help="In cả nội dung đã trích xuất.")
@_json_option
def show(doc_id: str, with_text: bool, as_json: bool) -> None:
    """In một văn bản đã lưu (mã đầy đủ hoặc ít nhất 6 ký tự đầu).

    Example: doithoai show 3fa9c1 --json
    """
    settings = _settings()
    store = open_store(settings)
    sha = store.resolve_id(doc_id)
    record = store.load_record(sha)
    text = store.load_extraction(sha).text if with_text else None
    found = links(record, get_backend(settings))
    if as_json:
        data = record.model_dump(mode="json")
        resolved = {r.citation.number_symbol: r.resolved.id if r.resolved else None for r in found.cites}
        for c in data["citations"]:
            c["resolved_id"] = resolved.get(c["number_symbol"])
        data["cited_by"] = [_hit_json(h) for h in found.cited_by]
        data["original"] = str(store.original_path(sha))
        searchable = store.searchable_path(sha)
        data["searchable_pdf"] = str(searchable) if searchable else None
        if text is not None:
            data["text"] = text
        write_json(data)
        return
    _print_record(record)
    _print_links(found)
    out.print(f"[dim]Bản gốc: {store.original_path(sha)}[/]")
    if (searchable := store.searchable_path(sha)) is not None:
        out.print(f"[dim]Bản PDF tìm được chữ: {searchable}[/]")
    if text is not None:
        out.print()
        out.print(text, markup=False)


def _hit_json(h: Hit) -> dict[str, Any]:
    return {
        "id": h.id,
        "doc_type": h.doc_type,
        "number_symbol": h.number_symbol,
        "issue_date": h.issue_date,
        "title": h.title,
        "issuer": h.issuer,
        "path": h.path,
    }


def _print_links(found: Links) -> None:
    if found.cites:
        out.print("\n[bold]Văn bản được dẫn chiếu[/]")
        for r in found.cites:
            target = (
                f"[cyan]{r.resolved.id[:12]}[/] {r.resolved.title or ''}" if r.resolved else "[dim]chưa có trong kho[/]"
            )
            out.print(f"  {r.citation.number_symbol:<16} {target}")
    if found.cited_by:
        out.print("\n[bold]Được dẫn chiếu bởi[/]")
        for h in found.cited_by:
            label = " · ".join(x for x in (h.number_symbol or "", h.title or "") if x)
            out.print(f"  [cyan]{h.id[:12]}[/] {label}")


_LEVELS = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã", "tong": "tổng"}


def _print_record(record: DocumentRecord) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("Mã", record.id),
        ("Loại", DOC_TYPE_LABELS.get(record.doc_type or "", record.doc_type or "")),
        ("Số, ký hiệu", record.number_symbol),
        ("Ngày ban hành", record.issue_date.strftime("%d/%m/%Y") if record.issue_date else None),
        ("Nơi ban hành", record.place),
        ("Cơ quan ban hành", record.issuer),
        ("Tỉnh", record.province),
        ("Trích yếu", record.title),
        ("Người ký", " / ".join(x for x in (record.signer.authority, record.signer.position, record.signer.name) if x)),
        ("Độ mật", {"mat": "MẬT", "toi_mat": "TỐI MẬT", "tuyet_mat": "TUYỆT MẬT"}.get(record.confidentiality or "")),
        ("Lĩnh vực", ", ".join(record.topics)),
        ("Số trang", str(record.pages)),
        ("Tệp gốc", record.source.path if record.source else None),
    ]
    for k, v in rows:
        table.add_row(k, escape(v) if v else "[dim]—[/]")
    out.print(table)
    if record.statistics:
        stats = Table(title="Số liệu", title_justify="left")
        for col in ("Cấp", "Chỉ tiêu", "Giá trị", "Nguyên văn"):
            stats.add_column(col)
        for s in record.statistics:
            stats.add_row(_LEVELS[s.level], s.metric, f"{s.value:g}", escape(s.raw))
        out.print(stats)
    if record.deadlines:
        out.print("[bold]Nhiệm vụ được giao[/]")
        for d in record.deadlines:
            due = d.due.strftime("%d/%m/%Y") if d.due else "không ghi hạn"
            out.print(f"  • {escape(d.agency)} — {escape(d.task)} ([bold]{due}[/])")
    for w in record.warnings:
        out.print(f"[yellow]Cảnh báo:[/] {escape(w)}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
def extract(file: Path, as_json: bool) -> None:
    """Trích xuất chữ theo từng trang (không lưu trữ gì).

    Example: doithoai extract bao-cao.pdf --json
    """
    extraction = extract_file(file, _settings())
    if as_json:
        write_json(
            {
                "file": str(file),
                "media_type": extraction.media_type,
                "encoding": extraction.encoding,
                "pages": [p.model_dump(mode="json") for p in extraction.pages],
            }
        )
        return
    for p in extraction.pages:
        conf = f", độ tin cậy {p.confidence:.0f}" if p.confidence is not None else ""
        flags = f", {' '.join(p.flags)}" if p.flags else ""
        out.print(f"[bold]— Trang {p.number} ({p.method}{conf}{flags}) —[/]")
        out.print(p.text, markup=False)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_json_option
def parse(file: Path, as_json: bool) -> None:
    """Trích xuất và phân tích thành bản ghi văn bản (không lưu trữ gì).

    Example: doithoai parse thong-bao.docx --json
    """
    record = parse_extraction(extract_file(file, _settings()))
    if as_json:
        data = record.model_dump(mode="json")
        data.pop("id", None)
        write_json(data)
        return
    _print_record(record)


# -- index maintenance -------------------------------------------------------------------


@cli.command()
@click.option("--missing", is_flag=True, help="Chỉ đánh chỉ mục các văn bản đã lưu mà chỉ mục còn thiếu.")
@_json_option
def reindex(missing: bool, as_json: bool) -> None:
    """Dựng lại chỉ mục tìm kiếm từ kho lưu trữ (tìm kiếm vẫn chạy trong lúc dựng).

    Example: doithoai reindex
    """
    ctx = steps.open_context(_settings())
    with err_console.status("Đang dựng chỉ mục…"):
        n = steps.index_missing(ctx) if missing else steps.reindex_all(ctx)
    if as_json:
        write_json({"indexed": n, "total": ctx.backend.count(), "backend": ctx.backend.name})
    else:
        out.print(f"Đã đánh chỉ mục {n} văn bản ({ctx.backend.name}); chỉ mục có {ctx.backend.count()} văn bản.")


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
@_json_option
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
@_json_option
def generate(
    template: str, data_file: Path, output: Path, pdf: bool, no_archive: bool, via_prefect: bool, as_json: bool
) -> None:
    """Soạn văn bản từ mẫu: thông báo kết luận, kế hoạch, báo cáo kết quả, báo cáo tổng hợp.

    Số văn bản lấy từ sổ văn bản đi khi dữ liệu không ghi; báo cáo lấy số liệu từ kho.

    Example: doithoai generate thong_bao_ket_luan --data tb.yaml -o tb.docx --pdf
    """
    from flows.generate import generate as run_generate
    from flows.generate import load_data

    settings = _settings()
    data = load_data(data_file)
    if via_prefect:
        _prepare_prefect(settings)
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


@cli.command()
@click.option("--year", type=int, help="Năm (mặc định: năm nay).")
@_json_option
def due(year: int | None, as_json: bool) -> None:
    """Lịch văn bản phải có theo quy định: đã có, muộn, quá hạn hay chưa đến hạn, theo đơn vị.

    Kế hoạch trước 01/02, thông báo kết luận trong 07 ngày làm việc sau đối thoại (trừ
    thứ Bảy, Chủ nhật, ngày lễ, Tết), báo cáo trước 30/11, tổng hợp trước 15/12.

    Example: doithoai due --year 2025 --json
    """
    from datetime import date as _date

    from flows.due import due_items

    items = due_items(_settings(), year or _date.today().year)
    if as_json:
        write_json({"items": [dict(i.__dict__) for i in items]})
        return
    if not items:
        out.print("Chưa có văn bản nào của năm này trong kho để lập lịch.")
        return
    table = Table(title=f"Lịch văn bản năm {year or _date.today().year}")
    for col in ("Đơn vị", "Văn bản", "Hạn", "Tình trạng", "Văn bản đã có"):
        table.add_column(col, overflow="fold")
    for i in items:
        table.add_row(escape(i.unit), escape(i.document), i.due.strftime("%d/%m/%Y"), _DUE_LABEL[i.status],
                      escape(i.evidence or ""))  # fmt: skip
    out.print(table)


@cli.command()
def serve() -> None:
    """Chạy lịch lưu trữ hằng đêm (mặc định 01:00 giờ Việt Nam, DOITHOAI_SCHEDULE_CRON) và các luồng theo yêu cầu.

    Khởi động máy chủ Prefect cục bộ nếu PREFECT_API_URL chưa trỏ tới máy chủ nào; dừng bằng Ctrl+C.

    Example: doithoai serve
    """
    settings = _settings()
    _prepare_prefect(settings)
    from flows.deploy import serve_forever

    err_console.print(
        f"Lịch: '{settings.schedule_cron}' ({settings.schedule_timezone}); hộp thư: {settings.inbox_dir}",
        highlight=False,
    )
    serve_forever(settings)


@cli.command()
@click.option("--limit", type=int, default=10, show_default=True, help="Số lượt gần nhất.")
@_json_option
def runs(limit: int, as_json: bool) -> None:
    """Các lượt lưu trữ gần đây: bắt đầu, kết thúc, số tệp theo kết quả, trang OCR, lý do cách ly.

    Example: doithoai runs --limit 3 --json
    """
    rows = RunLog(_settings().home / "state.db").recent(limit)
    if as_json:
        write_json({"runs": [r.to_json() for r in rows]})
        return
    if not rows:
        out.print("Chưa có lượt lưu trữ nào.")
        return
    table = Table(title="Các lượt lưu trữ")
    for col in ("#", "Bắt đầu", "Kết thúc", "Trạng thái", "Nguồn", "Kết quả", "Trang OCR", "Giây"):
        table.add_column(col)
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()))
        table.add_row(
            str(r.id), r.started_at, r.finished_at or "—", r.status, r.trigger, counts, str(r.pages_ocr),
            f"{r.seconds:.1f}" if r.seconds is not None else "—",
        )  # fmt: skip
    out.print(table)
    for r in rows:
        for f in r.quarantined:
            out.print(f"  [yellow]#{r.id}[/] {escape(Path(f.path).name)}: {escape(f.reason or '')}")


@cli.command()
@_json_option
def quarantine(as_json: bool) -> None:
    """Các tệp đang bị cách ly, kèm lý do; 'doithoai retry MÃ' để xử lý lại.

    Example: doithoai quarantine --json
    """
    entries = list(open_store(_settings()).iter_quarantine())
    if as_json:
        write_json(
            {
                "files": [
                    {"id": q.path.name, "name": q.name, "source": q.source, "reason": q.reason, "at": q.at}
                    for q in entries
                ]
            }
        )
        return
    if not entries:
        out.print("Không có tệp nào bị cách ly.")
        return
    table = Table(title="Tệp bị cách ly")
    for col in ("Mã", "Tệp", "Lý do", "Lúc"):
        table.add_column(col, overflow="fold")
    for q in entries:
        table.add_row(q.path.name[:12], escape(q.name), escape(q.reason), q.at)
    out.print(table)


@cli.command()
@click.argument("quarantine_id")
@_json_option
def retry(quarantine_id: str, as_json: bool) -> None:
    """Xử lý lại một tệp bị cách ly (sau khi đã sửa nguyên nhân, vd. nới giới hạn, cài công cụ).

    Example: doithoai retry 3fa9c1
    """
    from flows.retry import retry_quarantined

    outcome = retry_quarantined(quarantine_id, _settings())
    if as_json:
        write_json(outcome.to_json())
    else:
        out.print(f"{escape(Path(outcome.path).name)}: {_STATUS_LABEL[outcome.status]} {escape(outcome.reason or '')}")
    if outcome.status == "failed":
        sys.exit(int(ExitCode.infrastructure))


@cli.command()
@_json_option
def status(as_json: bool) -> None:
    """Tình trạng kho: số văn bản, số tệp cách ly, chỉ mục.

    Example: doithoai status --json
    """
    settings = _settings()
    store = open_store(settings)
    documents = store.count()
    quarantined = sum(1 for _ in store.iter_quarantine())
    indexed = get_backend(settings).count()
    data = {
        "home": str(settings.home),
        "inbox": str(settings.inbox_dir),
        "documents": documents,
        "quarantined": quarantined,
        "indexed": indexed,
        "not_indexed": max(0, documents - indexed),  # the next ingest run (or reindex --missing) adds them
        "search_backend": settings.search_backend,
    }
    if as_json:
        write_json(data)
        return
    for k, v in data.items():
        out.print(f"[bold]{k}[/]: {v}")


def main() -> None:
    cli(prog_name="doithoai")


if __name__ == "__main__":
    main()
