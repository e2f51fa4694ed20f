from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Settings, open_store
from archive.store import Store

REPO = Path(__file__).resolve().parent.parent

# Prefect keeps its state in PREFECT_HOME; tests get a private, quiet one (see shared/DEPENDENCIES.md).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="doithoai-test-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
# A fresh PREFECT_HOME's ephemeral server needs 16-20 s to start on an idle machine: give a busy one time.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# A fresh temporary Prefect API can take longer than the default 20 s on a busy 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh home under tmp_path (what DOITHOAI_HOME would give)."""
    return Settings(home=tmp_path / "home", workers=2)


@pytest.fixture
def store(settings: Settings) -> Store:
    return open_store(settings)


@pytest.fixture
def cli_env(settings: Settings) -> Iterator[dict[str, str]]:
    """Environment for running the real ``doithoai`` executable against this home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env["DOITHOAI_HOME"] = str(settings.home)
    env["DOITHOAI_WORKERS"] = "2"
    yield env
