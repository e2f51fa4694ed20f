"""Commands that fill and look after the archive: ingest, reindex, runs, quarantine, retry, status."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from archive import open_store
from archive.audit import AuditLog
from archive.errors import ExitCode, UsageError
from archive.records import DOC_TYPE_LABELS
from archive.runs import RunLog
from archive.settings import Settings
from doithoai import present
from doithoai.cli._base import cli, json_option, load_settings, local_actor, out, prepare_prefect
from doithoai.output import err_console, protected_stdout, write_json
from doithoai.present import clean_text
from flows import steps
from search import get_backend


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--direct", is_flag=True, hidden=True, help="(cũ) Chạy trong tiến trình này; nay là mặc định.")
@json_option
def ingest(paths: tuple[Path, ...], direct: bool, as_json: bool) -> None:
    """Lưu trữ tệp/thư mục (mặc định: hộp thư đến DOITHOAI_INBOX).

    Mỗi tệp kết thúc là archived (đã lưu), duplicate (trùng) hoặc quarantined
    (cách ly, kèm lý do). Tệp hỏng không làm dừng cả lượt. Chạy ngay trong tiến trình
    này (ghi vào nhật ký lượt chạy); khi PREFECT_API_URL trỏ tới máy chủ của
    'doithoai serve' và không nêu tệp nào, lượt chạy được giao cho máy chủ đó.

    Example: doithoai ingest ~/van-ban/2024 --json
    """
    settings = load_settings()
    targets = list(paths) or [settings.inbox_dir]
    for t in targets:
        if not os.path.lexists(t):
            raise UsageError(f"không có tệp hoặc thư mục '{t}'")
    with protected_stdout(as_json):
        if os.environ.get("PREFECT_API_URL") and not paths and not direct:
            prepare_prefect(settings)
            from flows.ingest import run_on_server

            with err_console.status("Đang lưu trữ (máy chủ Prefect)…"):
                outcomes = run_on_server(settings)
        else:
            outcomes = _ingest_here(targets, settings)
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


def _ingest_here(targets: list[Path], settings: Settings) -> list[steps.Outcome]:
    """The steps in this process, with progress file by file on stderr."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.local import ingest_direct

    columns = (SpinnerColumn(), TextColumn("Đang lưu trữ: {task.completed} tệp xong"), BarColumn(),
               TextColumn("{task.fields[last]}"), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as progress:
        bar = progress.add_task("ingest", total=None, last="")
        return ingest_direct(
            targets,
            settings,
            on_outcome=lambda o: progress.update(bar, advance=1, last=_shown(Path(o.path).name)[:40]),
        )


def _shown(text: str | None) -> str:
    """A name or reason for the terminal: control characters (ESC, newline) escaped, no rich markup."""
    return escape(clean_text(text))


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
            _shown(Path(o.path).name),
            _STATUS_LABEL[o.status],
            *([] if narrow else [(o.id or "")[:12]]),
            DOC_TYPE_LABELS.get(o.doc_type or "", ""),
            _shown(o.number_symbol),
            _shown(o.reason) or (str(o.pages) if o.pages else ""),
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
@click.option("--missing", is_flag=True, help="Chỉ đánh chỉ mục các văn bản đã lưu mà chỉ mục còn thiếu.")
@json_option
def reindex(missing: bool, as_json: bool) -> None:
    """Dựng lại chỉ mục tìm kiếm từ kho lưu trữ (tìm kiếm vẫn chạy trong lúc dựng).

    Example: doithoai reindex
    """
    ctx = steps.open_context(load_settings())
    with err_console.status("Đang dựng chỉ mục…"):
        n = steps.index_missing(ctx) if missing else steps.reindex_all(ctx)
    damaged = [{"id": d.doc_id, "reason": d.reason} for d in ctx.damaged]
    if as_json:
        report: dict[str, object] = {"indexed": n, "total": ctx.backend.count(), "backend": ctx.backend.name}
        write_json({**report, "damaged": damaged} if damaged else report)  # "damaged" only when some were skipped
    else:
        out.print(f"Đã đánh chỉ mục {n} văn bản ({ctx.backend.name}); chỉ mục có {ctx.backend.count()} văn bản.")
        for d in damaged:
            out.print(f"[yellow]Bỏ qua bản lưu hỏng[/] {_shown(d['reason'])} — chạy 'doithoai verify'")


@cli.command()
@click.option("--limit", type=int, default=10, show_default=True, help="Số lượt gần nhất.")
@json_option
def runs(limit: int, as_json: bool) -> None:
    """Các lượt lưu trữ gần đây: bắt đầu, kết thúc, số tệp theo kết quả, trang OCR, lý do cách ly.

    Example: doithoai runs --limit 3 --json
    """
    rows = RunLog(load_settings().home / "state.db").recent(limit)
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
            out.print(f"  [yellow]#{r.id}[/] {_shown(Path(f.path).name)}: {_shown(f.reason)}")


@cli.command()
@json_option
def quarantine(as_json: bool) -> None:
    """Các tệp đang bị cách ly, kèm lý do; 'doithoai retry MÃ' để xử lý lại.

    Example: doithoai quarantine --json
    """
    entries = list(open_store(load_settings()).iter_quarantine())
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
        table.add_row(q.path.name[:12], _shown(q.name), _shown(q.reason), q.at)
    out.print(table)


@cli.command()
@click.argument("quarantine_id")
@json_option
def retry(quarantine_id: str, as_json: bool) -> None:
    """Xử lý lại một tệp bị cách ly (sau khi đã sửa nguyên nhân, vd. nới giới hạn, cài công cụ).

    Example: doithoai retry 3fa9c1
    """
    from flows.retry import retry_quarantined

    settings = load_settings()
    outcome = retry_quarantined(quarantine_id, settings)
    AuditLog(settings.home).record(local_actor(), "quarantine.retry", quarantine_id, {"status": outcome.status})
    if as_json:
        write_json(outcome.to_json())
    else:
        out.print(f"{_shown(Path(outcome.path).name)}: {_STATUS_LABEL[outcome.status]} {_shown(outcome.reason)}")
    if outcome.status == "failed":
        sys.exit(int(ExitCode.infrastructure))


@cli.command()
@json_option
def status(as_json: bool) -> None:
    """Tình trạng kho: số văn bản, số tệp cách ly, chỉ mục.

    Example: doithoai status --json
    """
    settings = load_settings()
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
        label = _STATUS_FIELDS.get(k, k)
        out.print(f"[bold]{label}[/]: {present.vn_number(v) if isinstance(v, int) else escape(str(v))}")


_STATUS_FIELDS = {
    "home": "Kho lưu trữ",
    "inbox": "Hộp thư đến",
    "documents": "Văn bản đã lưu",
    "quarantined": "Tệp cách ly",
    "indexed": "Đã đánh chỉ mục",
    "not_indexed": "Chưa đánh chỉ mục",
    "search_backend": "Bộ tìm kiếm",
}


@cli.command()
@click.option("--quick", is_flag=True, help="Chỉ băm lại bản lưu mới, đã đổi, và một phần xoay vòng (như lượt đêm).")
@json_option
def verify(quick: bool, as_json: bool) -> None:
    """Kiểm tra kho: SHA-256 của mọi bản gốc so với mã, mọi record.json/pages.json đọc được,
    chỉ mục có đúng các mã trong kho. Mã thoát 6 khi có chỗ hỏng.

    Bản lưu hỏng được sửa khi lưu lại tệp gốc tốt ('doithoai ingest TỆP');
    chỉ mục thiếu: 'doithoai reindex --missing'; chỉ mục thừa: 'doithoai reindex'.

    Example: doithoai verify --json
    """
    from flows.verify import verify_archive

    with err_console.status("Đang kiểm tra kho…"):
        report = verify_archive(load_settings(), full=not quick)
    if as_json:
        write_json(report.to_json())
    else:
        out.print(f"Đã kiểm tra {report.entries} bản lưu (băm lại {report.hashed}).")
        for p in report.problems:
            out.print(f"[red]Hỏng[/] {p.id[:12]} {_shown(p.path)}: {_shown(p.problem)}")
        if report.not_indexed:
            ids = ", ".join(i[:12] for i in report.not_indexed[:20])
            n = len(report.not_indexed)
            out.print(f"[yellow]Chưa có trong chỉ mục[/] ({n}): {ids} — 'doithoai reindex --missing'")
        if report.not_stored:
            ids = ", ".join(i[:12] for i in report.not_stored[:20])
            n = len(report.not_stored)
            out.print(f"[yellow]Chỉ mục có mã không có trong kho[/] ({n}): {ids} — 'doithoai reindex'")
        if report.index_error:
            out.print(f"[red]Không đọc được chỉ mục:[/] {_shown(report.index_error)}")
        out.print("[green]Kho nguyên vẹn.[/]" if report.ok else "[red]Kho có chỗ hỏng (xem trên).[/]")
    if not report.ok:
        sys.exit(int(ExitCode.damaged))
