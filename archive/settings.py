"""Settings from ``DOITHOAI_*`` environment variables; nothing needs a config file.

Built once at the edge (CLI, flow entry point) and passed down as a frozen value.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_home"]


def default_home() -> Path:
    """``$XDG_DATA_HOME/doithoai``, i.e. ``~/.local/share/doithoai`` on a usual Debian account."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "doithoai"


class Settings(BaseSettings):
    """Where the archive lives and how hard the machine may be pushed."""

    model_config = SettingsConfigDict(env_prefix="DOITHOAI_", frozen=True, extra="ignore")

    home: Path = Field(default_factory=default_home)
    inbox: Path | None = None  # default: <home>/inbox
    search_backend: Literal["tantivy", "elasticsearch"] | None = None  # default: elasticsearch iff es_url
    es_url: str | None = None
    es_index: str = "doithoai"  # the alias searches go through; versioned indices sit behind it
    es_username: str | None = None
    es_password: str | None = None
    es_api_key: str | None = None
    es_ca_certs: str | None = None  # a CA bundle for a cluster with its own certificate authority
    es_verify_certs: bool = True
    ocr_language: str = "vie"
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    # Limits that protect a 2-core, 8 GB office server from one hostile file.
    max_file_bytes: int = 512 * 1024 * 1024
    max_pages: int = 2000
    max_pixels: int = 80_000_000  # per page: A4 at 600 dpi is 35 million
    # Inbox hygiene: a file modified in the last seconds may still be copied in; a done file
    # is moved to <home>/processed/<date>/ (or deleted, or kept) once archived and indexed.
    inbox_settle_seconds: float = Field(default=10.0, ge=0)
    inbox_after: Literal["move", "delete", "keep"] = "move"
    # A file quarantined as broken stays in the inbox until unchanged this long (a paused copy).
    inbox_quarantine_settle_seconds: float = Field(default=6 * 3600.0, ge=0)
    # An archived file leaves the inbox only once unchanged this long: a writer that paused
    # longer than the settle time left a beginning that may read as a whole (a text file); it is
    # read again next run, and its complete version replaces the partial entry.
    inbox_release_seconds: float = Field(default=15 * 60.0, ge=0)
    # The nightly schedule (doithoai serve).
    schedule_cron: str = "0 1 * * *"
    schedule_timezone: str = "Asia/Ho_Chi_Minh"
    ocr_page_timeout: float = Field(default=180.0, gt=0)
    # Reading runs in a worker process that is killed when a limit is hit (the file is quarantined):
    # one page's text layer (or one image page decoded, or a whole DOCX/text file), the text layers
    # of all pages of one file, one whole file (OCR included: a 2,000-page scan at ~30 pages a
    # minute fits), and one LibreOffice conversion.
    text_page_timeout: float = Field(default=60.0, gt=0)
    text_file_timeout: float = Field(default=600.0, gt=0)
    file_timeout: float = Field(default=7200.0, gt=0)
    office_timeout: float = Field(default=180.0, gt=0)
    # State secrets (Luật Bảo vệ bí mật nhà nước 2018, Điều 5.5): by default a file marked MẬT,
    # TỐI MẬT or TUYỆT MẬT is only registered and held for removal (flows/secrets.py); "store"
    # archives it in full, for an installation on a machine connected to no network.
    secrets: Literal["register-only", "store"] = "register-only"
    secrets_hold: Path | None = None  # default: <home>/secret-hold (outside the store)
    # Web accounts (archive/accounts.py): session lifetime and login rate limits.
    session_hours: float = Field(default=12.0, gt=0)  # a session ends this long after login
    session_idle_minutes: float = Field(default=120.0, gt=0)  # ... or after this long unused
    login_max_failures: int = Field(default=5, ge=1)  # per user, within login_window_minutes
    login_max_failures_ip: int = Field(default=20, ge=1)  # per client address, same window
    login_window_minutes: float = Field(default=15.0, gt=0)

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        home = self.home.expanduser().resolve()
        object.__setattr__(self, "home", home)
        if self.inbox is None:
            object.__setattr__(self, "inbox", home / "inbox")
        if self.secrets_hold is None:
            object.__setattr__(self, "secrets_hold", home / "secret-hold")
        if self.search_backend is None:
            object.__setattr__(self, "search_backend", "elasticsearch" if self.es_url else "tantivy")
        return self

    @property
    def inbox_dir(self) -> Path:
        assert self.inbox is not None
        return self.inbox

    @property
    def store_dir(self) -> Path:
        return self.home / "store"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def secrets_hold_dir(self) -> Path:
        assert self.secrets_hold is not None
        return self.secrets_hold
