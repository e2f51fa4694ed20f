"""Server-rendered pages: one Jinja2 environment (autoescaped) with the presentation filters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from doithoai import present
from doithoai.web.forms import value_at

__all__ = ["TEMPLATES_DIR", "render", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
_env = templates.env
_env.trim_blocks = True
_env.lstrip_blocks = True
_env.filters |= {
    "vn_date": present.vn_date,
    "vn_datetime": present.vn_datetime,
    "vn_number": present.vn_number,
    "doc_type_label": present.doc_type_label,
    "metric_label": present.metric_label,
    "level_label": present.level_label,
    "status_label": present.status_label,
    "confidentiality_label": present.confidentiality_label,
    "file_name": present.file_name,
    "stat_value": present.stat_value,
}
_env.globals |= {
    "FACET_LABELS": present.FACET_LABELS,
    "facet_value_label": present.facet_value_label,
    "value_at": value_at,
}


def _form_value(value: object) -> str:
    """A value as the form shows it: dates ``dd/mm/yyyy``, nothing for None."""
    if value is None:
        return ""
    text = str(value)
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if _ISO_DATE.match(text) else text


_env.filters["form_value"] = _form_value


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    ctx = {"request_id": getattr(request.state, "request_id", ""), **(context or {})}
    ctx.setdefault("principal", getattr(request.state, "principal", None))
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
