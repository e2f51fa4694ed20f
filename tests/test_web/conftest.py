"""A real ``doithoai serve --no-schedule`` on a free loopback port, with real accounts.

Accounts are made with the real ``doithoai users add`` (as an operator would), and clients log in
through the real login form (CSRF token and all), so every web test runs with authentication on.

- ``make_server(home_env)``: start a server for an environment (``DOITHOAI_HOME`` …); stopped at the end;
- ``add_user(env, name, role, clearance)``: ``doithoai users add`` with the password in ``PASSWORDS``;
- ``login(server, name)``: an ``httpx.Client`` holding that user's session cookie;
- ``server`` / ``clerk``: one server per module with the standard accounts, a clerk logged in.

Web app tests (search, documents, drafting, calendar, ingest) also use one archive per session,
the bundled samples plus ``corpus.py``, ingested once by the real CLI (``archive_env``), served by
``archive_server``; ``api`` is a clerk's API client (a personal API token), ``viewer_mat`` one with
clearance MẬT; ``writable_server`` is a copy for tests that upload, ingest or retry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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
    env.update(
        DOITHOAI_HOME=str(home),
        DOITHOAI_WORKERS="2",
        DOITHOAI_INBOX_SETTLE_SECONDS="0",
        DOITHOAI_INBOX_RELEASE_SECONDS="0",
        **extra,
    )
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


# -- the web app's archive -----------------------------------------------------------------

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REPO_SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "inbox"


def cli(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real ``doithoai`` command, as an operator's shell runs it (the local operator)."""
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def build_archive(root: Path, **extra: str) -> dict[str, str]:
    """An archive under ``root``/home filled by ``doithoai ingest --direct`` from the test corpus,
    with the standard accounts."""
    from tests.test_web.corpus import make_inbox

    # "store": the MẬT document of the corpus is archived in full (an installation on no network),
    # so what hides it from a clerk is the clearance filter, which these tests are about.
    env = web_env(root / "home", DOITHOAI_SECRETS="store", **extra)
    inbox = make_inbox(root / "corpus")
    done = cli(env, "ingest", "--direct", str(inbox), "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["counts"]
    assert counts["quarantined"] == 1 and counts["not_indexed"] == 0 and counts["failed"] == 0, counts
    for name, role, clearance in STANDARD_USERS:
        add_user(env, name, role, clearance)
    return env


_TOKENS: dict[tuple[str, str], str] = {}


def api_client(server: Server, name: str = "vanthu") -> httpx.Client:
    """A script's client: a personal API token of user ``name`` (``doithoai users token``, once per server)."""
    key = (server.url, name)
    if key not in _TOKENS:
        done = cli(server.env, "users", "token", name, "--label", "kiểm thử", "--json")
        assert done.returncode == 0, done.stderr
        _TOKENS[key] = json.loads(done.stdout)["token"]
    return server.client(headers={"Authorization": f"Bearer {_TOKENS[key]}"}, follow_redirects=False)


def serve_archive(env: dict[str, str]) -> Server:
    home = Path(env["DOITHOAI_HOME"])
    return start_server(env, home.parent / f"serve-{free_port()}.log")


@pytest.fixture(scope="session")
def archive_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return build_archive(tmp_path_factory.mktemp("web-archive"))


@pytest.fixture(scope="session")
def archive_server(archive_env: dict[str, str]) -> Iterator[Server]:
    srv = serve_archive(archive_env)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory, archive_env: dict[str, str]) -> Iterator[Server]:
    """A copy of the session archive with its own server: for tests that upload, ingest, retry."""
    root = tmp_path_factory.mktemp("web-writable")
    home = root / "home"
    shutil.copytree(archive_env["DOITHOAI_HOME"], home, symlinks=True)
    (home / "inbox").mkdir(exist_ok=True)
    srv = serve_archive(web_env(home, DOITHOAI_SECRETS="store", DOITHOAI_MAX_FILE_BYTES="3000000"))
    yield srv
    stop_server(srv)


# -- the browser: Debian's Chromium, headless (never `playwright install`) --------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "vi-VN",
            "accept_downloads": True}  # fmt: skip


def browser_login(page: object, server: Server, name: str = "vanthu") -> None:
    """Log in through the login page, as a clerk does every morning."""
    page.goto(server.url + "/dang-nhap")  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
