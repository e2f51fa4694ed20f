"""The one Prefect API that ``doithoai serve`` and everything it starts talk to, with its secret.

Prefect reads its settings once, when ``prefect`` is first imported (its global settings
context), and its default profile allows an *ephemeral* API: a client that finds no
PREFECT_API_URL starts a uvicorn child serving Prefect's whole API on a random loopback port,
without a login, on the same database. ``serve`` used to set PREFECT_API_URL and
PREFECT_API_AUTH_STRING only after importing Prefect, so its runner did exactly that and any
local user could start the ingest, reindex or generate deployments through that port.

So, before anything imports Prefect (this module does not), ``serve`` puts in its environment
(inherited by the Prefect server, the runner and every flow-run process):

- PREFECT_API_URL and PREFECT_API_AUTH_STRING of the authenticated local server (or leaves the
  operator's PREFECT_API_URL / PREFECT_API_AUTH_STRING as they are);
- PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=false (and its other name PREFECT_SERVER_EPHEMERAL_ENABLED),
  so a client that still finds no API URL fails instead of opening an API without a login;

and :func:`check_prefect_settings`, once Prefect is imported, makes sure Prefect's loaded settings
say the same (re-reading the environment if Prefect had been imported earlier) or stops.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from archive.errors import InfrastructureError
from archive.settings import Settings

__all__ = ["EPHEMERAL_SWITCHES", "PrefectApi", "api_auth_string", "check_prefect_settings", "configure_api"]

# Both names of Prefect's "start a temporary API without a login when no URL is set" setting
# (the first one found wins, so both are set).
EPHEMERAL_SWITCHES = ("PREFECT_SERVER_EPHEMERAL_ENABLED", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE")


@dataclass(frozen=True)
class PrefectApi:
    """Where the Prefect clients of ``serve`` go: ``local_port`` is None for the operator's own server."""

    url: str
    auth: str | None
    local_port: int | None

    def __repr__(self) -> str:  # never the secret in a log or a traceback
        return f"PrefectApi(url={self.url!r}, local_port={self.local_port!r})"


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


def forbid_ephemeral_api() -> None:
    """No Prefect client of this process or its children may start an API of its own."""
    for name in EPHEMERAL_SWITCHES:
        os.environ[name] = "false"


def configure_api(settings: Settings, port: int = 4200) -> PrefectApi:
    """Set, in this process's environment, the Prefect API to use, its secret, and no ephemeral API.

    Call it before Prefect is imported. Without PREFECT_API_URL it names the local server that
    :func:`flows.deploy.local_prefect_server` starts on 127.0.0.1:``port`` (the secret in
    ``$PREFECT_HOME/api-auth``, or PREFECT_SERVER_API_AUTH_STRING if the operator set one).
    """
    forbid_ephemeral_api()
    if url := os.environ.get("PREFECT_API_URL"):
        return PrefectApi(url=url, auth=os.environ.get("PREFECT_API_AUTH_STRING"), local_port=None)
    home = Path(os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect")))
    auth = os.environ.get("PREFECT_SERVER_API_AUTH_STRING") or api_auth_string(home)
    url = f"http://127.0.0.1:{port}/api"
    os.environ["PREFECT_API_URL"] = url
    os.environ["PREFECT_API_AUTH_STRING"] = auth
    return PrefectApi(url=url, auth=auth, local_port=port)


def _settings_agree(api: PrefectApi) -> bool:
    from prefect.settings import get_current_settings

    current = get_current_settings()
    secret = current.api.auth_string.get_secret_value() if current.api.auth_string is not None else None
    return current.api.url == api.url and secret == api.auth and not current.server.ephemeral.enabled


def check_prefect_settings(api: PrefectApi) -> None:
    """Prefect's loaded settings name ``api`` with its secret and forbid an ephemeral API, or stop.

    If Prefect was imported before :func:`configure_api` ran, its global settings are read again
    from the environment; if they still disagree (an active ``temporary_settings``, a profile
    that cannot be overridden), serving would talk to another API: refuse.
    """
    if _settings_agree(api):
        return
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()
    if not _settings_agree(api):
        raise InfrastructureError(
            f"Prefect không dùng máy chủ {api.url} (cần PREFECT_API_URL, PREFECT_API_AUTH_STRING và "
            "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=false trước khi nạp Prefect); không chạy lịch để "
            "không mở API Prefect không cần mật khẩu"
        )
