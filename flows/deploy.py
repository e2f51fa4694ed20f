"""Deployments of the flows and the nightly schedule, and serving them from this machine.

Prefect's schedules never fire in its ephemeral mode (shared/DEPENDENCIES.md): ``serve``
starts a local Prefect server (SQLite under PREFECT_HOME) unless PREFECT_API_URL points at
one, then serves the deployments from this process. On several machines, point every
machine at one server and run ``prefect worker start`` there instead (infra/README.md).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from prefect import serve
from prefect.schedules import Cron

from archive.errors import InfrastructureError
from archive.settings import Settings
from flows.generate_flow import generate_flow
from flows.ingest import ingest_flow
from flows.reindex import reindex_flow

__all__ = ["deployments", "local_prefect_server", "serve_forever"]


def deployments(settings: Settings) -> list[Any]:
    """The nightly ingest (cron, time zone from settings) and the on-demand flows."""
    # Secrets stay in the environment of the process that runs the flow, not in Prefect's database.
    params = {"settings": settings.model_dump(mode="json", exclude={"es_password", "es_api_key"})}
    nightly = ingest_flow.to_deployment(
        name="nightly-ingest",
        schedules=[Cron(settings.schedule_cron, timezone=settings.schedule_timezone)],
        parameters={"paths": [str(settings.inbox_dir)], "trigger": "schedule", **params},
        description="Lưu trữ hộp thư đến hằng đêm",
    )
    ingest_now = ingest_flow.to_deployment(
        name="ingest-now",
        parameters={"paths": [str(settings.inbox_dir)], "trigger": "prefect", **params},
        description="Lưu trữ hộp thư đến ngay bây giờ",
    )
    reindex = reindex_flow.to_deployment(name="reindex", parameters=params, description="Dựng lại chỉ mục")
    # The generate flow takes only a template name and its data: settings come from the
    # service's environment and it writes only into DOITHOAI_HOME/drafts (flows/generate_flow.py).
    generate = generate_flow.to_deployment(name="generate", description="Soạn bản dự thảo từ mẫu (template, data)")
    return [nightly, ingest_now, reindex, generate]


@contextlib.contextmanager
def local_prefect_server(settings: Settings, port: int = 4200) -> Iterator[str]:
    """A Prefect server for this machine, unless PREFECT_API_URL already names one."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    home = Path(os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect")))
    home.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}/api"
    log = (home / "server.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
    )
    try:
        _wait_healthy(url, proc, timeout=90)
        os.environ["PREFECT_API_URL"] = url
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        log.close()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise InfrastructureError("máy chủ Prefect dừng ngay khi khởi động; xem server.log trong PREFECT_HOME")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(1)
    raise InfrastructureError(f"máy chủ Prefect không sẵn sàng sau {timeout:.0f} giây ({url})")


def serve_forever(settings: Settings) -> None:
    with local_prefect_server(settings):
        serve(*deployments(settings))
