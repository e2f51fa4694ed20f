"""Render a .docx template with docxtpl inside a Jinja2 sandbox, autoescaped.

By default docxtpl renders with a plain Jinja2 environment, so a template could run code as
the server user; and without autoescape an ``&`` or ``<`` in the data silently disappears
from the document (shared/DEPENDENCIES.md). Both are closed here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from archive.errors import TemplateError
from templates.layout import finish
from templates.present import vn_date, vn_date_short, vn_number, vn_percent

__all__ = ["TEMPLATE_DIR", "environment", "render_docx", "undeclared_variables"]

TEMPLATE_DIR = Path(__file__).resolve().parent


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True)
    env.filters.update(vn_number=vn_number, vn_percent=vn_percent, vn_date=vn_date, vn_date_short=vn_date_short)
    return env


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """The rendered document's bytes; TemplateError (never a half-filled file) on any failure."""
    try:
        tpl = DocxTemplate(str(template))
        tpl.render(context, jinja_env=environment(), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
        return finish(buf.getvalue())
    except SecurityError as exc:
        raise TemplateError(f"mẫu {template.name} bị từ chối: cố truy cập vào bên trong Python ({exc})") from exc
    except JinjaTemplateError as exc:
        raise TemplateError(f"mẫu {template.name} có lỗi cú pháp Jinja: {exc}") from exc
    except (KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"không dựng được văn bản từ mẫu {template.name}: {exc}") from exc


def undeclared_variables(template: Path) -> set[str]:
    """Top-level names the template uses (for the lint that keeps templates and schemas in step)."""
    return set(DocxTemplate(str(template)).get_undeclared_template_variables(environment()))
