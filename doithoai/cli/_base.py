"""The ``doithoai`` command group and what its commands share.

Each command reads options, builds Settings once, makes one library call and prints.
Errors become exit codes in one place (:class:`_Group`); see archive.errors.ExitCode.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from archive.errors import DoithoaiError, ExitCode
from archive.settings import Settings
from archive.store import private_umask
from doithoai.cli import _vi
from doithoai.output import err_console
from doithoai.present import clean_text

__all__ = ["cli", "json_option", "load_settings", "local_actor", "out", "prepare_prefect"]

out = Console(highlight=False, soft_wrap=True)
_vi.install()  # click's own messages (usage errors, help headings) in Vietnamese


class _Group(click.Group):
    """Maps our exceptions to a one-line message on stderr and a stable exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DoithoaiError as exc:
            err_console.print(f"[bold red]Lỗi:[/] {escape(exc.message)}", highlight=False)
            sys.exit(int(exc.exit_code))
        except SettingsInvalid as exc:  # only the settings' own errors: anything else is not the config
            err_console.print(f"[bold red]Cấu hình sai (biến môi trường DOITHOAI_*):[/] {exc.errors}", highlight=False)
            sys.exit(int(ExitCode.usage))


class SettingsInvalid(Exception):
    def __init__(self, errors: str) -> None:
        super().__init__(errors)
        self.errors = errors


def local_actor() -> str:
    """Who the audit log names for a command run on the archive's machine: the OS account."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return f"(máy chủ: {who})"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsInvalid(escape(str(exc))) from exc


def json_option(f: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="In một tài liệu JSON ra stdout (cho máy).")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", is_flag=True, help="Ghi nhật ký chi tiết ra stderr.")
@click.version_option(package_name="doithoai")
def cli(verbose: bool) -> None:
    """Lưu trữ, tìm kiếm và soạn thảo văn bản tiếp xúc, đối thoại trực tiếp.

    Archive, search and draft the documents of the tiếp xúc, đối thoại process.
    Settings come from DOITHOAI_* environment variables (see README).
    """
    private_umask()  # the archive is not public: 0640 files, 0750 folders (infra/README.md)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_CleanFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


class _CleanFormatter(logging.Formatter):
    """Log lines name files: a name's ESC, newline or bidi override is shown escaped, so it can
    neither drive the terminal nor fake a line of the log."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = clean_text(record.message)
        return super().formatMessage(record)


def prepare_prefect(settings: Settings) -> None:
    """Keep Prefect's state under DOITHOAI_HOME and quiet, unless the operator set otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # a busy night's machine
