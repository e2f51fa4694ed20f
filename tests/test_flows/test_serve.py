"""doithoai serve: the local Prefect server answers only to the service's secret."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from archive import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_local_prefect_server_refuses_requests_without_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.deploy import local_prefect_server

    for name in ("PREFECT_API_URL", "PREFECT_API_AUTH_STRING", "PREFECT_SERVER_API_AUTH_STRING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    settings = Settings(home=tmp_path / "home")
    with local_prefect_server(settings, port=_free_port()) as url:
        secret_file = tmp_path / "prefect" / "api-auth"
        assert secret_file.stat().st_mode & 0o777 == 0o600
        user, password = secret_file.read_text().strip().split(":", 1)
        assert user == "doithoai" and len(password) >= 32
        # What any local user could do before: start a flow run, list deployments.
        for path in ("/flow_runs/filter", "/deployments/filter", "/flows/"):
            refused = httpx.post(f"{url}{path}", json={}, timeout=30)
            assert refused.status_code == 401, (path, refused.status_code)
            wrong = httpx.post(f"{url}{path}", json={}, auth=("doithoai", "sai"), timeout=30)
            assert wrong.status_code == 401, path
        allowed = httpx.post(f"{url}/deployments/filter", json={}, auth=(user, password), timeout=30)
        assert allowed.status_code == 200
