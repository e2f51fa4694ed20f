"""The calendar of documents due: due."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from doithoai import present
from doithoai.cli._base import cli, json_option, load_settings, out
from doithoai.output import write_json

_STYLE = {"done": "green", "late": "yellow", "overdue": "red", "pending": "cyan"}


@cli.command()
@click.option("--year", type=click.IntRange(1990, 2100), help="Năm (mặc định: năm nay).")
@json_option
def due(year: int | None, as_json: bool) -> None:
    """Lịch văn bản phải có theo quy định: đã có, muộn, quá hạn hay chưa đến hạn, theo đơn vị.

    Kế hoạch trước 01/02, thông báo kết luận trong 07 ngày làm việc sau mỗi buổi đối thoại đã
    lưu (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết), báo cáo trước 30/11, tổng hợp trước 15/12.

    Example: doithoai due --year 2025 --json
    """
    from datetime import date as _date

    from flows.due import due_items

    year = year or _date.today().year
    items = due_items(load_settings(), year)
    if as_json:
        write_json(present.due_json(items, year))
        return
    if not items:
        out.print(f"Năm {year}: chưa có văn bản nào của năm này trong kho để lập lịch.")
        return
    table = Table(title=f"Lịch văn bản năm {year}")
    for col in ("Đơn vị", "Văn bản", "Hạn", "Tình trạng", "Văn bản đã có"):
        table.add_column(col, overflow="fold")
    for i in items:
        status = f"[{_STYLE[i.status]}]{present.status_label(i.status)}[/]"
        table.add_row(escape(i.unit), escape(i.document), present.vn_date(i.due), status, escape(i.evidence or ""))
    out.print(table)
    notices = [i for i in items if i.kind == "notice"]
    if notices:
        out.print(f"\n[bold]Hạn thông báo kết luận của {len(notices)} buổi đối thoại đã lưu[/] (07 ngày làm việc):")
        for i in notices:
            when = f"hạn {present.vn_date(i.due)}, {present.status_label(i.status)}"
            out.print(f"  • {escape(i.unit)}: {escape(i.document)} → {when}")
