"""serve: the nightly schedule and the on-demand flows."""

from __future__ import annotations

from doithoai.cli._base import cli, load_settings, prepare_prefect
from doithoai.output import err_console


@cli.command()
def serve() -> None:
    """Chạy lịch lưu trữ hằng đêm (mặc định 01:00 giờ Việt Nam, DOITHOAI_SCHEDULE_CRON) và các luồng theo yêu cầu.

    Khởi động máy chủ Prefect cục bộ nếu PREFECT_API_URL chưa trỏ tới máy chủ nào; dừng bằng Ctrl+C.

    Example: doithoai serve
    """
    settings = load_settings()
    prepare_prefect(settings)
    from flows.deploy import serve_forever

    err_console.print(
        f"Lịch: '{settings.schedule_cron}' ({settings.schedule_timezone}); hộp thư: {settings.inbox_dir}",
        highlight=False,
    )
    serve_forever(settings)
