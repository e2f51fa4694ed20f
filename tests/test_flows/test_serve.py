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


@pytest.mark.slow
def test_ingest_hands_the_inbox_run_to_the_served_deployment_and_shows_its_files(tmp_path: Path) -> None:
    import json
    import os
    import signal
    import subprocess
    import sys
    import time

    repo = Path(__file__).resolve().parents[2]
    port = _free_port()
    home, prefect_home = tmp_path / "home", tmp_path / "prefect"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DOITHOAI_", "PREFECT_API"))},
        "DOITHOAI_HOME": str(home),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_INBOX_RELEASE_SECONDS": "0",
        "DOITHOAI_WORKERS": "1",
        "PREFECT_HOME": str(prefect_home),
    }
    script = (
        "from archive import Settings\nfrom flows.deploy import serve_forever\n"
        f"serve_forever(Settings(), port={port})\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=repo, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 240
        auth: tuple[str, str] | None = None
        while True:  # the server is up and the deployment registered
            assert server.poll() is None and time.monotonic() < deadline, "serve did not come up"
            secret = prefect_home / "api-auth"
            if secret.exists():
                user, password = secret.read_text().strip().split(":", 1)
                auth = (user, password)
                try:
                    found = httpx.post(f"{url}/deployments/filter", json={}, auth=auth, timeout=10)
                    if found.status_code == 200 and any(d["name"] == "ingest-now" for d in found.json()):
                        break
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        inbox = home / "inbox"
        inbox.mkdir(parents=True, exist_ok=True)
        (inbox / "bao-cao.txt").write_text("Báo cáo kết quả đối thoại với nhân dân về môi trường.")
        assert auth is not None
        client_env = {**env, "PREFECT_API_URL": url, "PREFECT_API_AUTH_STRING": ":".join(auth)}
        proc = subprocess.run([sys.executable, "-m", "doithoai", "ingest", "--json"], env=client_env, cwd=repo,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        [f] = json.loads(proc.stdout)["files"]
        assert (Path(f["path"]).name, f["status"]) == ("bao-cao.txt", "archived")
        runs = httpx.post(f"{url}/flow_runs/filter", json={}, auth=auth, timeout=10).json()
        done = [r for r in runs if r["state_type"] != "SCHEDULED"]  # the nightly runs wait for 01:00
        assert [r["state_type"] for r in done] == ["COMPLETED"]  # the run shows in Prefect's UI

        # The nightly deployment also checks the archive (incrementally): it remembers what it verified.
        deployments = httpx.post(f"{url}/deployments/filter", json={}, auth=auth, timeout=10).json()
        [nightly] = [d for d in deployments if d["name"] == "nightly-ingest"]
        started = httpx.post(f"{url}/deployments/{nightly['id']}/create_flow_run", json={}, auth=auth, timeout=10)
        assert started.status_code == 201, started.text
        run_id = started.json()["id"]
        deadline = time.monotonic() + 240
        while (state := httpx.get(f"{url}/flow_runs/{run_id}", auth=auth, timeout=10).json()["state_type"]) not in (
            "COMPLETED", "FAILED", "CRASHED"
        ):  # fmt: skip
            assert time.monotonic() < deadline, state
            time.sleep(0.5)
        assert state == "COMPLETED"
        verified = json.loads((home / "verify.json").read_text())
        assert list(verified) == [f["id"]]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
