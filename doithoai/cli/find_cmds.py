"""Commands that find and read: search, show, extract, parse."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from archive import open_store
from archive.records import DOC_TYPE_LABELS, DocumentRecord
from doithoai import present
from doithoai.cli._base import cli, json_option, load_settings, out
from doithoai.output import err_console, snippet_markup, write_json
from extractors import extract as extract_file
from extractors import parse as parse_extraction
from flows.links import Links, links
from search import Filters, get_backend, parse_date, parse_doc_type, parse_query, parse_topic


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
@json_option
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
    settings = load_settings()
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
        write_json(present.search_json(results))
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


@cli.command()
@click.argument("doc_id")
@click.option("--text", "with_text", is_flag=True, help="In cả nội dung đã trích xuất.")
@json_option
def show(doc_id: str, with_text: bool, as_json: bool) -> None:
    """In một văn bản đã lưu (mã đầy đủ hoặc ít nhất 6 ký tự đầu).

    Example: doithoai show 3fa9c1 --json
    """
    settings = load_settings()
    store = open_store(settings)
    sha = store.resolve_id(doc_id)
    record = store.load_record(sha)
    text = store.load_extraction(sha).text if with_text else None
    found = links(record, get_backend(settings))
    if as_json:
        write_json(
            present.record_json(
                record, found, original=store.original_path(sha), searchable_pdf=store.searchable_path(sha), text=text
            )
        )
        return
    _print_record(record)
    _print_links(found)
    out.print(f"[dim]Bản gốc: {store.original_path(sha)}[/]")
    if (searchable := store.searchable_path(sha)) is not None:
        out.print(f"[dim]Bản PDF tìm được chữ: {searchable}[/]")
    if text is not None:
        out.print()
        out.print(text, markup=False)


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
@json_option
def extract(file: Path, as_json: bool) -> None:
    """Trích xuất chữ theo từng trang (không lưu trữ gì).

    Example: doithoai extract bao-cao.pdf --json
    """
    extraction = extract_file(file, load_settings())
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
@json_option
def parse(file: Path, as_json: bool) -> None:
    """Trích xuất và phân tích thành bản ghi văn bản (không lưu trữ gì).

    Example: doithoai parse thong-bao.docx --json
    """
    record = parse_extraction(extract_file(file, load_settings()))
    if as_json:
        data = record.model_dump(mode="json")
        data.pop("id", None)
        write_json(data)
        return
    _print_record(record)


# -- index maintenance -------------------------------------------------------------------
