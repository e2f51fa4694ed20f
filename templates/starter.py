"""A commented starter data file (YAML) for one template: every field in the order of the
document, with a Vietnamese comment saying what it is and which values are allowed, filled with
the template's example so that it renders as is. Keys stay English (they are code)."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from templates.schemas import TEMPLATES, FormField, _form

__all__ = ["starter_yaml"]

_KIND = {"date": "ngày, viết 24/05/2019 hoặc 2019-05-24", "integer": "số nguyên, viết 1.234 hoặc 1234",
         "number": "tỷ lệ phần trăm, viết 93,75", "lines": "danh sách, mỗi mục một dòng bắt đầu bằng '- '",
         "repeat": "danh sách, mỗi mục bắt đầu bằng '- '"}  # fmt: skip


class _Plain(yaml.SafeLoader):
    """Like flows.generate's loader: dates and decimals stay text."""


_Plain.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _scalar(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        d = value if isinstance(value, date) else date.fromisoformat(str(value))
        return f"{d:%d/%m/%Y}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".") if value >= 10000 else str(value)
    text = str(value)
    try:
        if yaml.load(f"k: {text}", Loader=_Plain)["k"] == text:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(f: FormField) -> str:
    state = " (bắt buộc)" if f.required else " (để trống được)"
    if not f.required and f.default not in (None, ""):
        state = f" (nếu bỏ dòng này: {f.default})" if f.kind != "text" else " (có sẵn câu mẫu, sửa được)"
    parts = [f.label + state]
    if f.help:
        parts.append(f.help)
    if f.kind == "choice":
        parts.append("một trong: " + "; ".join(f"{v} = {label}" for v, label in f.choices))
    elif f.kind in _KIND:
        parts.append(_KIND[f.kind])
    if f.at_end:
        parts.append("in ở cuối văn bản")
    return "# " + " — ".join(parts)


def _lines(fields: tuple[FormField, ...], values: dict[str, Any], indent: str, comments: bool) -> list[str]:
    out: list[str] = []
    for f in fields:
        value = values.get(f.name, f.default)
        if comments:
            out.append(indent + _comment(f))
        if f.kind == "group":
            out.append(f"{indent}{f.name}:")
            out += _lines(f.fields, value or {}, indent + "  ", comments)
        elif f.kind == "lines":
            items = value or []
            out.append(f"{indent}{f.name}:" + ("" if items else " []"))
            out += [f"{indent}  - {_scalar(item, 'text')}" for item in items]
        elif f.kind == "repeat":
            items = value or []
            out.append(f"{indent}{f.name}:" + ("" if items else " []"))
            for i, item in enumerate(items):
                body = _lines(f.fields, item, indent + "    ", comments and i == 0)
                first = next(n for n, line in enumerate(body) if not line.lstrip().startswith("#"))
                body[first] = f"{indent}  - " + body[first].lstrip()
                out += body
        else:
            out.append(f"{indent}{f.name}: {_scalar(value, f.kind)}".rstrip())
    return out


def starter_yaml(name: str) -> str:
    spec = TEMPLATES[name]
    head = [
        f"# Dữ liệu cho mẫu {name}: {spec.title}.",
        "# Giữ nguyên tên trường (bên trái dấu hai chấm), sửa giá trị bên phải; dòng bắt đầu bằng # là chú thích.",
        "# Chữ có dấu hai chấm hoặc dấu # thì đặt trong ngoặc kép.",
        f"# Soạn dự thảo (chưa có số): doithoai generate {name} --data du-lieu.yaml -o du-thao.docx",
        f"# Ban hành (lấy số, lưu kho): doithoai issue {name} --data du-lieu.yaml -o van-ban.docx",
        "",
    ]
    return "\n".join(head + _lines(_form(spec.model, ""), spec.example, "", True)) + "\n"
