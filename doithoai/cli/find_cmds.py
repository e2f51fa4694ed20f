"""Commands that find and read: search, show, extract, parse."""

from __future__ import annotations

import re
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from archive import open_store
from archive.errors import NotFound, UsageError
from archive.records import DocumentRecord
from archive.store import Store
from archive.vntext import parse_symbol, symbol_keys
from doithoai import present
from doithoai.cli._base import cli, json_option, load_settings, out
from doithoai.output import err_console, snippet_markup, write_json
from extractors import extract as extract_file
from extractors import parse as parse_extraction
from flows.links import Links, links
from flows.renditions import renditions_of
from search import (
    Filters,
    SearchBackend,
    SearchRequest,
    get_backend,
    parse_date,
    parse_doc_type,
    parse_query,
    parse_topic,
)


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
        err_console.print(f"[yellow]Lưu ý:[/] {escape(note)}")
    if not results.hits:
        if results.total:
            last = (results.total - 1) // limit * limit
            out.print(
                f"Có {present.vn_number(results.total)} văn bản; --offset {offset} đã quá cuối "
                f"(trang cuối: --offset {last})."
            )
        else:
            out.print("Không tìm thấy văn bản nào.")
        return
    shown = f"{offset + 1}–{offset + len(results.hits)}"
    out.print(f"[bold]{present.vn_number(results.total)}[/] văn bản (hiển thị {shown}):\n")
    for h in results.hits:
        head = " · ".join(
            x
            for x in (
                present.doc_type_label(h.doc_type),
                h.number_symbol or "",
                present.vn_date(h.issue_date),
                h.issuer or "",
            )
            if x
        )
        out.print(f"[bold cyan]{h.id[:12]}[/]  {escape(head)}")
        if h.title:
            out.print(f"  [bold]{escape(present.clean_text(h.title))}[/]")
        out.print(f"  {snippet_markup(h.snippet)}")
        if h.path:
            out.print(f"  [dim]{escape(present.file_name(h.path))}[/]")
        out.print()
    facet_line = "; ".join(
        f"{present.FACET_LABELS.get(name, name)}: "
        + ", ".join(f"{present.facet_value_label(name, f.value)} ({f.count})" for f in facets[:5])
        for name, facets in results.facets.items()
        if facets
    )
    out.print(f"[dim]Nhóm: {escape(facet_line)}[/]")


@cli.command()
@click.argument("doc_id")
@click.option("--text", "with_text", is_flag=True, help="In cả nội dung đã trích xuất.")
@json_option
def show(doc_id: str, with_text: bool, as_json: bool) -> None:
    """In một văn bản đã lưu: mã (đầy đủ hoặc ít nhất 6 ký tự đầu) hoặc số, ký hiệu viết kiểu nào cũng được.

    Example: doithoai show 1876-TB/TU --json
    """
    settings = load_settings()
    store = open_store(settings)
    backend = get_backend(settings)
    sha = _resolve(doc_id, store, backend)
    record = store.load_record(sha)
    text = store.load_extraction(sha).text if with_text else None
    found = links(record, backend)
    files = renditions_of(backend, store, record)
    if as_json:
        write_json(
            present.record_json(
                record,
                found,
                original=store.original_path(sha),
                searchable_pdf=store.searchable_path(sha),
                text=text,
                renditions=files,
            )
        )
        return
    _print_record(record)
    _print_links(found)
    _print_renditions(files, sha)
    out.print(f"[dim]Bản gốc: {escape(present.clean_text(str(store.original_path(sha))))}[/]")
    if (searchable := store.searchable_path(sha)) is not None:
        out.print(f"[dim]Bản PDF tìm được chữ: {escape(str(searchable))}[/]")
    if text is not None:
        out.print()
        out.print(text, markup=False)


_HEX = re.compile(r"^[0-9a-fA-F]{6,64}$")


def _resolve(ref: str, store: Store, backend: SearchBackend) -> str:
    """A document id from its id (or a 6+ character prefix) or its number in any spelling."""
    if _HEX.match(ref):
        return store.resolve_id(ref)
    parsed = parse_symbol(ref) or parse_symbol(ref.upper())  # 1876-tb/tu as typed in a hurry
    if parsed is None:
        raise NotFound(f"'{ref}' không phải mã văn bản (6 ký tự trở lên) hay số, ký hiệu văn bản")
    hits = backend.search(SearchRequest(filters=Filters(symbol=symbol_keys(parsed)[-1]), limit=20)).hits
    if not hits:
        raise NotFound(f"chưa có văn bản số {ref} trong kho")
    if len(hits) > 1:
        listed = "; ".join(
            " ".join(x for x in (h.id[:12], h.number_symbol, present.vn_date(h.issue_date), h.issuer) if x)
            for h in hits
        )
        raise UsageError(f"có {len(hits)} văn bản mang số {ref}, chọn theo mã: {listed}")
    return hits[0].id


def _print_links(found: Links) -> None:
    if found.cites:
        out.print("\n[bold]Văn bản được dẫn chiếu[/]")
        for r in found.cites:
            target = (
                f"[cyan]{r.resolved.id[:12]}[/] {escape(r.resolved.title or '')}"
                if r.resolved
                else "[dim]chưa có trong kho[/]"
            )
            out.print(f"  {escape(r.citation.number_symbol):<16} {target}")
    if found.cited_by:
        out.print("\n[bold]Được dẫn chiếu bởi[/]")
        for h in found.cited_by:
            label = " · ".join(x for x in (h.number_symbol or "", h.title or "") if x)
            out.print(f"  [cyan]{h.id[:12]}[/] {escape(label)}")


def _print_renditions(files: list[tuple[DocumentRecord, bool]], shown: str) -> None:
    if len(files) < 2:
        return
    out.print("\n[bold]Các bản của văn bản này[/] (cùng số, ký hiệu, ngày và cơ quan ban hành)")
    for r, primary in files:
        name = present.clean_text(r.source.name if r.source else "")
        tags = [t for t, on in (("bản chính khi tìm kiếm", primary), ("đang xem", r.id == shown)) if on]
        extra = f" [dim]({', '.join(tags)})[/]" if tags else ""
        out.print(f"  [cyan]{r.id[:12]}[/] {escape(name)}{extra}")


def _print_record(record: DocumentRecord) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("Mã", record.id),
        ("Loại", present.doc_type_label(record.doc_type)),
        ("Số, ký hiệu", record.number_symbol),
        ("Ngày ban hành", present.vn_date(record.issue_date)),
        ("Nơi ban hành", record.place),
        ("Cơ quan ban hành", record.issuer),
        ("Tỉnh", record.province),
        ("Trích yếu", record.title),
        ("Người ký", " / ".join(x for x in (record.signer.authority, record.signer.position, record.signer.name) if x)),
        ("Độ mật", present.confidentiality_label(record.confidentiality)),
        ("Lĩnh vực", ", ".join(record.topics)),
        ("Số trang", str(record.pages)),
        ("Tệp gốc", present.clean_text(record.source.path) if record.source else None),
        ("Lưu lúc", present.vn_datetime(record.source.ingested_at) if record.source else None),
    ]
    for k, v in rows:
        table.add_row(k, escape(v) if v else "[dim]—[/]")
    out.print(table)
    if record.statistics:
        stats = Table(title="Số liệu", title_justify="left")
        for col in ("Cấp", "Chỉ tiêu", "Giá trị", "Nguyên văn"):
            stats.add_column(col)
        for s in record.statistics:
            stats.add_row(
                present.level_label(s.level), present.metric_label(s.metric), present.stat_value(s.metric, s.value),
                escape(s.raw),
            )  # fmt: skip
        out.print(stats)
    if record.deadlines:
        out.print("[bold]Nhiệm vụ được giao[/]")
        for d in record.deadlines:
            due = present.vn_date(d.due) or "không ghi hạn"
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
