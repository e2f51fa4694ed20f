"""Deployments of the flows and the nightly schedule, and serving them from this machine.

Prefect's schedules never fire in its ephemeral mode (shared/DEPENDENCIES.md): ``serve``
starts a local Prefect server (SQLite under PREFECT_HOME) unless PREFECT_API_URL points at
one, then serves the deployments from this process. On several machines, point every
machine at one server and run ``prefect worker start`` there instead (infra/README.md).

Anyone who can reach the API can start a deployment, so (1) no deployed flow takes settings
or paths from its caller: the settings are the service's environment, ingest reads only the
configured inbox, and a flow whose parameters could carry a path or settings is not deployed
at all; (2) the local server requires HTTP basic auth with a secret generated on first
serve, kept in ``$PREFECT_HOME/api-auth`` (0600, readable only by the service's account).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import secrets
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


def api_auth_string(prefect_home: Path) -> str:
    """The server's basic-auth secret (``doithoai:<random>``), made on first use, file mode 0600."""
    path = prefect_home / "api-auth"
    prefect_home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"doithoai:{secrets.token_urlsafe(32)}\n")
    return path.read_text(encoding="utf-8").strip()


@contextlib.contextmanager
def local_prefect_server(settings: Settings, port: int = 4200) -> Iterator[str]:
    """A Prefect server for this machine that requires basic auth, unless PREFECT_API_URL already names one.

    Sets PREFECT_API_URL and PREFECT_API_AUTH_STRING in this process's environment (so the
    deployments served from it, and their flow runs, can talk to it).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    home = Path(os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect")))
    home.mkdir(parents=True, exist_ok=True)
    auth = os.environ.get("PREFECT_SERVER_API_AUTH_STRING") or api_auth_string(home)
    url = f"http://127.0.0.1:{port}/api"
    log_file = (home / "server.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_SERVER_API_AUTH_STRING": auth},
    )
    try:
        _wait_healthy(url, proc, timeout=120)
        os.environ["PREFECT_API_URL"] = url
        os.environ["PREFECT_API_AUTH_STRING"] = auth
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log_file.close()


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


def serve_forever(settings: Settings, port: int = 4200) -> None:
    """Serve the deployments until stopped (SIGTERM or Ctrl+C stop the local server too).

    Best in its own process (``multiprocessing.get_context("spawn").Process(target=serve_forever,
    args=(settings,))``, then ``terminate()``): it sets the process's umask and its
    PREFECT_API_URL / PREFECT_API_AUTH_STRING. From a thread it works too (Prefect's runner
    installs its SIGTERM handler only in the main thread), but it then never returns and the
    server subprocess ends only with the whole process.
    """
    private_umask()
    with local_prefect_server(settings, port=port):
        serve(*deployments(settings), print_starting_message=False)
