"""The drafting flow, for deployments and ``generate --prefect``; plain ``generate`` calls
flows.generate directly, so an officer does not wait for Prefect to start.

A deployed flow can be started by anyone who reaches Prefect's API, so it takes nothing that
says where to read or write: only the template's name and its data. Settings come from the
service's own environment (DOITHOAI_*), and the draft is written only inside the service's
output folder ``DOITHOAI_HOME/drafts/``, under a fresh name; the run returns where it wrote.
It makes drafts only: issuing takes a number and archives, which stays with the CLI and the
web app, where the person is known.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow

from archive.errors import UsageError
from archive.settings import Settings
from flows.generate import _draft, drafts_dir
from templates.schemas import TEMPLATES

__all__ = ["generate_flow"]


@flow(name="doithoai-generate", validate_parameters=False)
def generate_flow(template: str, data: dict[str, Any]) -> dict[str, Any]:
    """Render a draft of ``template`` from ``data`` into the service's drafts folder."""
    if template not in TEMPLATES:
        raise UsageError(f"không có mẫu '{template}'; các mẫu: {', '.join(TEMPLATES)}")
    if not isinstance(data, dict):
        raise UsageError("dữ liệu phải là một đối tượng (các trường: giá trị)")
    settings = Settings()
    now = datetime.now(ZoneInfo(settings.schedule_timezone))
    out = drafts_dir(settings) / f"{template}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}.docx"
    result = _draft(template, data, settings, out, pdf=False, force=False, service=True)
    return {
        "path": str(result.path),
        "number_symbol": result.number_symbol,
        "warnings": result.warnings,
        "notes": result.notes,
    }
