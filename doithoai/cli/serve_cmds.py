"""serve: the web app (and REST API) and, unless --no-schedule, the nightly schedule."""

from __future__ import annotations

import threading

import click

from doithoai.cli._base import cli, load_settings, prepare_prefect
from doithoai.output import err_console


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe (0.0.0.0: mọi máy trong mạng).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="Cổng.")
@click.option("--no-schedule", is_flag=True, help="Chỉ chạy ứng dụng web, không chạy lịch lưu trữ hằng đêm.")
@click.option(
    "--prefect-port",
    type=click.IntRange(1, 65535),
    default=4200,
    show_default=True,
    help="Cổng của máy chủ Prefect cục bộ (chỉ nghe trên 127.0.0.1, cần mật khẩu).",
)
def serve(host: str, port: int, no_schedule: bool, prefect_port: int) -> None:
    """Chạy ứng dụng web cho văn thư (và API) cùng lịch lưu trữ hằng đêm (mặc định 01:00 giờ Việt Nam).

    Lịch lấy từ DOITHOAI_SCHEDULE_CRON; khởi động máy chủ Prefect cục bộ (127.0.0.1, cần mật khẩu
    trong $DOITHOAI_HOME/prefect/api-auth) nếu PREFECT_API_URL chưa trỏ tới máy chủ nào. Không
    bao giờ mở API Prefect tạm thời (không mật khẩu). Dừng bằng Ctrl+C.

    Example: doithoai serve --host 0.0.0.0 --port 8080
    """
    settings = load_settings()
    prepare_prefect(settings)
    # Prefect reads its settings once, when first imported: the API, its secret and "no ephemeral
    # API" go into the environment (this process's and its children's) before anything imports it.
    from flows.prefect_api import configure_api, forbid_ephemeral_api

    forbid_ephemeral_api()
    api = None if no_schedule else configure_api(settings, port=prefect_port)

    import uvicorn

    from doithoai.web.app import create_app

    app = create_app(settings)
    config = uvicorn.Config(app, host=host, port=port, workers=1, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    err_console.print(f"Ứng dụng web: http://{host}:{port}/  (API: http://{host}:{port}/api/docs)", highlight=False)
    if no_schedule:
        server.run()
        return
    from flows.deploy import serve_forever

    err_console.print(
        f"Lịch: '{settings.schedule_cron}' ({settings.schedule_timezone}); hộp thư: {settings.inbox_dir}",
        highlight=False,
    )
    web = threading.Thread(target=server.run, name="doithoai-web", daemon=True)
    web.start()
    try:
        serve_forever(settings, port=prefect_port, api=api)
    finally:
        server.should_exit = True
        web.join(timeout=10)
