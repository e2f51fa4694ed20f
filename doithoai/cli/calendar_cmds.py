"""The calendar of documents due: due."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from doithoai.cli._base import cli, json_option, load_settings, out
from doithoai.output import write_json

_DUE_LABEL = {"done": "[green]đã có[/]", "late": "[yellow]có, muộn[/]", "overdue": "[red]quá hạn[/]",
              "pending": "[cyan]chưa đến hạn[/]"}  # fmt: skip


@cli.command()
@click.option("--year", type=int, help="Năm (mặc định: năm nay).")
@json_option
def due(year: int | None, as_json: bool) -> None:
    """Lịch văn bản phải có theo quy định: đã có, muộn, quá hạn hay chưa đến hạn, theo đơn vị.

    Kế hoạch trước 01/02, thông báo kết luận trong 07 ngày làm việc sau đối thoại (trừ
    thứ Bảy, Chủ nhật, ngày lễ, Tết), báo cáo trước 30/11, tổng hợp trước 15/12.

    Example: doithoai due --year 2025 --json
    """
    from datetime import date as _date

    from flows.due import due_items

    items = due_items(load_settings(), year or _date.today().year)
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
