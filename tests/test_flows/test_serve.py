"""doithoai serve: the local Prefect server answers only to the service's secret."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
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
    from prefect.context import refresh_global_settings_context
    from prefect.settings import get_current_settings

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
        # Prefect was imported before the server existed: its settings were read again, so this
        # process's clients use this server with the secret and can never start an ephemeral API.
        current = get_current_settings()
        assert current.api.url == url and current.api.auth_string is not None
        assert current.api.auth_string.get_secret_value() == f"{user}:{password}"
        assert not current.server.ephemeral.enabled
    assert "PREFECT_API_URL" not in os.environ and get_current_settings().api.url is None  # put back on exit
    monkeypatch.undo()  # and Prefect's settings with the environment, for the next tests of this worker
    refresh_global_settings_context()


@pytest.mark.slow
def test_ingest_hands_the_inbox_run_to_the_served_deployment_and_shows_its_files(tmp_path: Path) -> None:
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


def test_serve_sets_prefects_settings_before_importing_it() -> None:
    """Prefect reads its settings on import: the CLI's serve imports flows.prefect_api first, which must not."""
    repo = Path(__file__).resolve().parents[2]
    code = "import sys, json, doithoai.cli.serve_cmds, flows.prefect_api; print(json.dumps('prefect' in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) is False


# --- Every listening socket of a real `doithoai serve` refuses Prefect's API without the secret ---------


def _session_pids(session: int) -> list[int]:
    """The processes of a session (``start_new_session``: the serve process and all it started)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state ppid pgrp session ...
        if int(fields[3]) == session:
            pids.append(int(entry.name))
    return pids


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = str(fd.readlink())
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))  # each 32-bit word in host order
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, words)


def _listening(session: int) -> dict[tuple[str, int], set[int]]:
    """(address, port) -> pids, for every TCP socket in LISTEN state that a process of the session holds.

    Read from /proc (no psutil, no ss): the sockets' inodes from /proc/PID/fd, their state and
    address from /proc/PID/net/tcp and tcp6.
    """
    owners: dict[str, set[int]] = {}
    for pid in _session_pids(session):
        for inode in _socket_inodes(pid):
            owners.setdefault(inode, set()).add(pid)
    found: dict[tuple[str, int], set[int]] = {}
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{session}/net/{table}").read_text().splitlines()[1:]:
                cols = line.split()
                if cols[3] != "0A" or cols[9] not in owners:  # 0A: LISTEN
                    continue
                hex_address, hex_port = cols[1].split(":")
                found.setdefault((_address(hex_address), int(hex_port, 16)), set()).update(owners[cols[9]])
    return found


def _probe(address: str, port: int, auth: tuple[str, str] | None = None) -> int | None:
    """Status of ``POST /api/deployments/filter`` on that socket; None if it does not speak HTTP."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(address, address)
    base = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    try:
        return httpx.post(f"{base}/api/deployments/filter", json={}, auth=auth, timeout=15).status_code
    except httpx.HTTPError:  # e.g. the runner's control channel: a token line, not HTTP
        return None


def test_serve_runs_one_prefect_api_and_every_socket_it_listens_on_refuses_callers_without_the_secret(
    tmp_path: Path,
) -> None:
    """``doithoai serve`` used to start, besides its authenticated Prefect server, Prefect's ephemeral
    API (a uvicorn child on a random loopback port, same database, no login) because Prefect read its
    settings before serve set PREFECT_API_URL: anyone on the machine could start ingest or reindex.
    """
    repo = Path(__file__).resolve().parents[2]
    web_port, prefect_port = _free_port(), _free_port()
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOITHOAI_", "PREFECT_"))}
    env.update(DOITHOAI_HOME=str(home), DOITHOAI_WORKERS="1", PREFECT_RUNNER_POLL_FREQUENCY="2")
    added = subprocess.run([sys.executable, "-m", "doithoai", "users", "add", "quantri", "--role", "admin",
                            "--password-stdin"], input="Quản trị viên hệ thống 2026\n", env=env, cwd=repo,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert added.returncode == 0, added.stderr
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "doithoai", "serve", "--host", "127.0.0.1",
                                  "--port", str(web_port), "--prefect-port", str(prefect_port)],
                                 env=env, cwd=repo, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)  # fmt: skip
    api = f"http://127.0.0.1:{prefect_port}/api"
    seen: dict[tuple[str, int], int | None] = {}  # every listening socket met, and its unauthenticated answer

    def look() -> None:
        for where in _listening(serve.pid):
            if where not in seen:
                seen[where] = _probe(*where)

    try:
        deadline = time.monotonic() + 150  # a fresh Prefect database on a busy 2-core machine
        secret = home / "prefect" / "api-auth"
        auth: tuple[str, str] | None = None
        names: set[str] = set()
        while not {"nightly-ingest", "ingest-now", "reindex"} <= names:  # the server is up, the runner registered
            assert serve.poll() is None, f"doithoai serve exited {serve.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"doithoai serve did not come up:\n{log.read_text()}"
            if auth is None and secret.exists() and secret.read_text().strip():
                user, password = secret.read_text().strip().split(":", 1)
                auth = (user, password)
            if auth is not None:
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    found = httpx.post(f"{api}/deployments/filter", json={}, auth=auth, timeout=10)
                    if found.status_code == 200:
                        names = {d["name"] for d in found.json()}
            time.sleep(0.5)
        assert auth is not None
        look()

        # A flow run started through the authenticated API: the runner and the flow run's own
        # process talk to that API too (watching the sockets all the while).
        [reindex] = [d for d in found.json() if d["name"] == "reindex"]
        started = httpx.post(f"{api}/deployments/{reindex['id']}/create_flow_run", json={}, auth=auth, timeout=15)
        assert started.status_code == 201, started.text
        run_id = started.json()["id"]
        while (state := httpx.get(f"{api}/flow_runs/{run_id}", auth=auth, timeout=15).json()["state_type"]) not in (
            "COMPLETED", "FAILED", "CRASHED"
        ):  # fmt: skip
            assert time.monotonic() < deadline, f"the reindex run is still {state}:\n{log.read_text()}"
            look()
            time.sleep(0.2)
        assert state == "COMPLETED", log.read_text()
        look()

        ports = {port for _, port in seen}
        assert {web_port, prefect_port} <= ports, seen
        open_doors = {where: code for where, code in seen.items() if code is not None and code not in (401, 403, 404)}
        assert not open_doors, f"answers Prefect's API without the secret: {open_doors} (all sockets: {seen})"
        # Exactly one Prefect API, the configured one: no other socket takes the secret either.
        accepting = {port for address, port in seen if _probe(address, port, auth) == 200}
        assert accepting == {prefect_port}, seen
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
