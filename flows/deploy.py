"""Deployments of the flows and the nightly schedule, and serving them from this machine.

Prefect's schedules never fire in its ephemeral mode (shared/DEPENDENCIES.md): ``serve``
starts a local Prefect server (SQLite under PREFECT_HOME) unless PREFECT_API_URL points at
one, then serves the deployments from this process. On several machines, point every
machine at one server and run ``prefect worker start`` there instead (infra/README.md).

Anyone who can reach the API can start a deployment, so (1) no deployed flow takes settings
or paths from its caller: the settings are the service's environment, ingest reads only the
configured inbox, and a flow whose parameters could carry a path or settings is not deployed
at all; (2) the local server requires HTTP basic auth with a secret generated on first
serve, kept in ``$PREFECT_HOME/api-auth`` (0600, readable only by the service's account), and
it is the only Prefect API: every client of this process and of the processes it starts uses
it with the secret, and none may start Prefect's ephemeral API (no login) instead
(flows/prefect_api.py: the environment is set before Prefect reads its settings).
"""

from __future__ import annotations

import base64
import contextlib
import inspect
import logging
import os
import socket
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
from archive.store import private_umask
from flows.generate_flow import generate_flow
from flows.ingest import ingest_inbox_flow
from flows.prefect_api import EPHEMERAL_SWITCHES, PrefectApi, api_auth_string, check_prefect_settings, configure_api
from flows.reindex import reindex_flow

__all__ = ["UNSAFE_PARAMETERS", "api_auth_string", "deployments", "local_prefect_server", "serve_forever"]

log = logging.getLogger("doithoai.serve")

# Parameter names a caller of the API must never choose: where files are read or written, and settings.
UNSAFE_PARAMETERS = frozenset({"settings", "paths", "path", "output", "home", "inbox", "directory", "out"})


def safe_to_deploy(fn: Any) -> bool:
    """A flow may be deployed only if none of its parameters can carry settings or a path."""
    return not (set(inspect.signature(fn).parameters) & UNSAFE_PARAMETERS)


def deployments(settings: Settings) -> list[Any]:
    """The nightly ingest (cron, time zone from settings) and the on-demand flows.

    No deployment carries settings or paths: each flow builds Settings() from the environment of
    the process that runs it (the service's), so secrets never reach Prefect's database either.
    """
    nightly = ingest_inbox_flow.to_deployment(
        name="nightly-ingest",
        schedules=[Cron(settings.schedule_cron, timezone=settings.schedule_timezone)],
        parameters={"trigger": "schedule"},
        description="Lưu trữ hộp thư đến hằng đêm",
    )
    ingest_now = ingest_inbox_flow.to_deployment(
        name="ingest-now", parameters={"trigger": "prefect"}, description="Lưu trữ hộp thư đến ngay bây giờ"
    )
    reindex = reindex_flow.to_deployment(name="reindex", description="Dựng lại chỉ mục")
    out = [nightly, ingest_now, reindex]
    if safe_to_deploy(generate_flow.fn):
        # Only a template name and its data: settings from the service's environment, output only
        # into DOITHOAI_HOME/drafts (flows/generate_flow.py).
        out.append(generate_flow.to_deployment(name="generate", description="Soạn bản dự thảo từ mẫu (template, data)"))
    else:
        log.warning(
            "không triển khai luồng soạn văn bản: tham số của nó (%s) cho phép người gọi chọn đường dẫn hoặc cấu hình",
            ", ".join(sorted(set(inspect.signature(generate_flow.fn).parameters) & UNSAFE_PARAMETERS)),
        )
    return out


@contextlib.contextmanager
def local_prefect_server(settings: Settings, port: int = 4200, api: PrefectApi | None = None) -> Iterator[str]:
    """The Prefect API to serve against: a local server that requires basic auth, unless PREFECT_API_URL names one.

    ``api`` is what :func:`flows.prefect_api.configure_api` returned when the caller set the
    environment before importing Prefect (``doithoai serve`` does); without it the environment
    is set here. Either way the Prefect server, the deployments served from this process and
    their flow runs all use that one API with its secret, and none may start an ephemeral API
    (the settings are checked, and re-read if Prefect was imported first). What is set here
    in ``os.environ`` is undone on exit.
    """
    saved = {name: os.environ.get(name) for name in (*_API_VARIABLES, "PREFECT_HOME")}
    try:
        api = api or configure_api(settings, port)
        if api.local_port is None:  # the operator's server
            check_prefect_settings(api)
            yield api.url
            return
        with _server_process(api) as url:
            check_prefect_settings(api)
            yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if "prefect.context" in sys.modules:  # Prefect's settings follow the environment back
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()


_API_VARIABLES = ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING", *EPHEMERAL_SWITCHES)


@contextlib.contextmanager
def _server_process(api: PrefectApi) -> Iterator[str]:
    """``prefect server start`` on 127.0.0.1:``api.local_port`` with ``api.auth`` as its login, until exit."""
    assert api.local_port is not None and api.auth is not None
    _refuse_busy_port(api.local_port)
    home = Path(os.environ["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log_file = (home / "server.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(api.local_port)],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        # os.environ already carries PREFECT_API_URL, PREFECT_API_AUTH_STRING and no ephemeral mode
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_SERVER_API_AUTH_STRING": api.auth},
    )
    try:
        _wait_healthy(api, proc, timeout=120)
        yield api.url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log_file.close()


def _refuse_busy_port(port: int) -> None:
    """Another program on the port would answer our health checks (and get our clients' secret)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise InfrastructureError(
                f"cổng {port} trên 127.0.0.1 đã có chương trình khác dùng; "
                "chọn cổng khác cho máy chủ Prefect (doithoai serve --prefect-port …)"
            ) from exc


def _wait_healthy(api: PrefectApi, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Until the server answers; then it must refuse a caller without the secret and accept ours."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise InfrastructureError("máy chủ Prefect dừng ngay khi khởi động; xem server.log trong PREFECT_HOME")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api.url}/health", timeout=2).status_code == 200:
                break
        time.sleep(1)
    else:
        raise InfrastructureError(f"máy chủ Prefect không sẵn sàng sau {timeout:.0f} giây ({api.url})")
    assert api.auth is not None
    login = {"Authorization": "Basic " + base64.b64encode(api.auth.encode()).decode()}  # as Prefect's clients send it
    probe = f"{api.url}/deployments/filter"
    anonymous = httpx.post(probe, json={}, timeout=30).status_code
    ours = httpx.post(probe, json={}, headers=login, timeout=30).status_code
    if anonymous != 401 or ours != 200:
        raise InfrastructureError(
            f"máy chủ Prefect ở {api.url} không đòi mật khẩu như cần (không mật khẩu: {anonymous}, "
            f"có mật khẩu: {ours}); không chạy lịch"
        )


def serve_forever(settings: Settings, port: int = 4200, api: PrefectApi | None = None) -> None:
    """Serve the deployments until stopped (SIGTERM or Ctrl+C stop the local server too).

    Best in its own process (``multiprocessing.get_context("spawn").Process(target=serve_forever,
    args=(settings,))``, then ``terminate()``): it sets the process's umask and its
    PREFECT_API_URL / PREFECT_API_AUTH_STRING. From a thread it works too (Prefect's runner
    installs its SIGTERM handler only in the main thread), but it then never returns and the
    server subprocess ends only with the whole process.
    """
    private_umask()
    with local_prefect_server(settings, port=port, api=api):
        serve(*deployments(settings), print_starting_message=False)
