"""A real ``doithoai serve --no-schedule`` on a free loopback port, with real accounts.

Accounts are made with the real ``doithoai users add`` (as an operator would), and clients log in
through the real login form (CSRF token and all), so every web test runs with authentication on.

- ``make_server(home_env)``: start a server for an environment (``DOITHOAI_HOME`` …); stopped at the end;
- ``add_user(env, name, role, clearance)``: ``doithoai users add`` with the password in ``PASSWORDS``;
- ``login(server, name)``: an ``httpx.Client`` holding that user's session cookie;
- ``server`` / ``clerk``: one server per module with the standard accounts, a clerk logged in.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

# Vietnamese passwords on purpose: the whole path (CLI stdin, form, HTTP Basic) must keep them.
PASSWORDS = {
    "quantri": "Quản trị viên hệ thống 2026",
    "vanthu": "Văn thư lưu trữ đối thoại",
    "nguoixem": "Người xem văn bản thường",
    "canbomat": "Cán bộ được xem văn bản mật",
    "doanmo": "Người bị đoán mật khẩu nhiều lần",
    "tamthoi": "Tài khoản tạm thời sẽ bị khóa",
}
STANDARD_USERS = (
    ("quantri", "admin", "none"),
    ("vanthu", "clerk", "none"),
    ("nguoixem", "viewer", "none"),
    ("canbomat", "viewer", "mat"),
)


def doithoai(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def add_user(env: dict[str, str], name: str, role: str, clearance: str = "none") -> None:
    done = doithoai(env, "users", "add", name, "--role", role, "--clearance", clearance, "--password-stdin",
                    stdin=PASSWORDS[name] + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    env: dict[str, str]
    home: Path
    process: subprocess.Popen[str]

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]


def web_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env.update(DOITHOAI_HOME=str(home), DOITHOAI_WORKERS="2", DOITHOAI_INBOX_SETTLE_SECONDS="0", **extra)
    return env


def start_server(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    out = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "doithoai", "serve", "--no-schedule", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise AssertionError(f"doithoai serve exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/dang-nhap", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"doithoai serve did not answer within 90 s:\n{log.read_text()}")
        time.sleep(0.2)
    return Server(url=url, env=env, home=Path(env["DOITHOAI_HOME"]), process=process)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=20)


@pytest.fixture(scope="module")
def make_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[dict[str, str]], Server]]:
    started: list[Server] = []

    def make(env: dict[str, str]) -> Server:
        server = start_server(env, tmp_path_factory.mktemp("serve-log") / "serve.log")
        started.append(server)
        return server

    yield make
    for server in started:
        stop_server(server)


def csrf_token(html: str) -> str:
    match = re.search(r'name="_csrf" value="([0-9a-f]{64})"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def login(server: Server, name: str, password: str | None = None) -> httpx.Client:
    """A client that logged in through the login form, like a browser."""
    client = server.client()
    token = csrf_token(client.get("/dang-nhap").text)
    answer = client.post(
        "/dang-nhap",
        data={"name": name, "password": password or PASSWORDS[name], "next": "/", "_csrf": token},
        headers={"Origin": server.url},
    )
    assert answer.status_code == 303, answer.text[:500]
    return client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, make_server: Callable[[dict[str, str]], Server]) -> Server:
    """One server per test module on a fresh home with the standard accounts."""
    env = web_env(tmp_path_factory.mktemp("web") / "home", DOITHOAI_LOGIN_MAX_FAILURES="3",
                  DOITHOAI_LOGIN_MAX_FAILURES_IP="50")  # fmt: skip
    for name, role, clearance in STANDARD_USERS:
        add_user(env, name, role, clearance)
    return make_server(env)


@pytest.fixture
def clerk(server: Server) -> Iterator[httpx.Client]:
    """A clerk (vanthu) logged in through the login form."""
    client = login(server, "vanthu")
    yield client
    client.close()
