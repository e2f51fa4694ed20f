"""One archive and one running ``doithoai serve`` per test session, reached over real HTTP.

The archive is the bundled samples plus the documents of ``corpus.py``, ingested once by the
real CLI. Tests that change an archive (upload, ingest, quarantine) get their own copy and
their own server process (``writable_server``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.test_web.corpus import make_inbox

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REPO_SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "inbox"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real ``doithoai`` command, as a clerk's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@dataclass
class Server:
    url: str
    env: dict[str, str]
    home: Path
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, follow_redirects=False)


def base_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env |= {"DOITHOAI_HOME": str(home), "DOITHOAI_WORKERS": "2", **extra}
    return env


def start_server(env: dict[str, str], home: Path) -> Server:
    port = free_port()
    log = home.parent / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "doithoai", "serve", "--no-schedule", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", env, home, proc, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"doithoai serve exited {proc.returncode}: {log.read_text()}")
        try:
            if httpx.get(server.url + "/openapi.json", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"doithoai serve did not answer in 90 s: {log.read_text()}")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)


def build_archive(root: Path, **extra: str) -> dict[str, str]:
    """An archive under ``root``/home filled by ``doithoai ingest --direct`` from the test corpus."""
    home = root / "home"
    env = base_env(home, **extra)
    inbox = make_inbox(root / "corpus")
    done = cli(env, "ingest", "--direct", str(inbox), "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["counts"]
    assert counts["quarantined"] == 1 and counts["not_indexed"] == 0 and counts["failed"] == 0, counts
    return env


@pytest.fixture(scope="session")
def archive_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return build_archive(tmp_path_factory.mktemp("web-archive"))


@pytest.fixture(scope="session")
def server(archive_env: dict[str, str]) -> Iterator[Server]:
    srv = start_server(archive_env, Path(archive_env["DOITHOAI_HOME"]))
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def writable_server(tmp_path_factory: pytest.TempPathFactory, archive_env: dict[str, str]) -> Iterator[Server]:
    """A copy of the session archive with its own server: for tests that upload, ingest, retry."""
    root = tmp_path_factory.mktemp("web-writable")
    home = root / "home"
    shutil.copytree(archive_env["DOITHOAI_HOME"], home, symlinks=True)
    (home / "inbox").mkdir(exist_ok=True)
    srv = start_server(base_env(home, DOITHOAI_MAX_FILE_BYTES="3000000"), home)
    yield srv
    stop_server(srv)


@pytest.fixture
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


# -- the browser: Debian's Chromium, headless (never `playwright install`) --------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "vi-VN",
            "accept_downloads": True}  # fmt: skip


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
