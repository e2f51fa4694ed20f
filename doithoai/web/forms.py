"""A drafting form generated from a template's pydantic schema, and the posted form read back.

Fields are named by their path (``header.issue_date``, ``assignments.2.due``), the same path
the drafting checks report problems at (``assignments[2].due``), so each message lands next
to its field. Repeating groups are lists of rows; a row left empty is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node", "form_nodes", "problem_key", "read_form", "value_at"]

_LONG = {"title", "task", "tasks", "situation", "assessment", "participants", "closing", "content", "conclusions",
         "purposes", "requirements", "topics", "grounds", "strengths", "limitations", "chair", "location"}  # fmt: skip
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


@dataclass
class Node:
    """One field of the form: ``kind`` is text, textarea, date, number, choice, group, list or rows."""

    key: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)  # a group's fields; a list's item (one node)


def _label(key: str, prop: dict[str, Any]) -> tuple[str, str]:
    title, description = prop.get("title", ""), prop.get("description", "")
    auto = key.replace("_", " ").title()
    if title and title != auto:
        return title, description
    if description:
        head = description.partition(", vd.")[0]
        return head.split(" (")[0].split(":")[0], description
    return key, ""


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The property's own schema (``$ref`` followed, ``X | None`` unwrapped) and whether it may be empty."""
    optional = False
    if "anyOf" in prop:
        kinds = [p for p in prop["anyOf"] if p.get("type") != "null"]
        optional = len(kinds) < len(prop["anyOf"])
        prop = {**{k: v for k, v in prop.items() if k != "anyOf"}, **(kinds[0] if kinds else {})}
    if "$ref" in prop:
        target = defs[prop["$ref"].split("/")[-1]]
        prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop, optional


def _node(key: str, prop: dict[str, Any], defs: dict[str, Any], required: bool, choices: dict[str, Any]) -> Node:
    label, help_ = _label(key, prop)
    prop, optional = _resolve(prop, defs)
    required = required and not optional
    kind = prop.get("type")
    if "enum" in prop:
        names = choices.get(key, {})
        return Node(key, "choice", label, help_, required, [(v, names.get(v, v)) for v in prop["enum"]])
    if kind == "object" and "properties" in prop:
        req = set(prop.get("required", ()))
        kids = [_node(k, p, defs, k in req, choices) for k, p in prop["properties"].items()]
        return Node(key, "group", label, help_, required, children=kids)
    if kind == "array":
        item, _ = _resolve(prop.get("items", {}), defs)
        child = _node("", item, defs, True, choices)
        child.label = child.label if child.label else label
        rows = "rows" if child.kind == "group" else "list"
        return Node(key, rows, label, help_, bool(prop.get("minItems")), children=[child])
    if prop.get("format") == "date":
        return Node(key, "date", label, help_ or "dd/mm/yyyy", required)
    if kind in ("integer", "number"):
        return Node(key, "number", label, help_, required)
    return Node(key, "textarea" if key in _LONG else "text", label, help_, required)


def form_nodes(model: type[Any], choices: dict[str, Any] | None = None) -> list[Node]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    req = set(schema.get("required", ()))
    return [_node(k, p, defs, k in req, choices or {}) for k, p in schema["properties"].items()]


def value_at(data: Any, path: str) -> Any:
    """``value_at(data, "assignments.1.due")``; None where the data has nothing."""
    cur = data
    for part in path.split(".") if path else ():
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def problem_key(path: str) -> str:
    """``assignments[2].due`` (or ``assignments.2.due``) → the form's field name ``assignments.2.due``."""
    return re.sub(r"\[(\d+)\]", r".\1", path).strip(".")


def _iso(value: str) -> str:
    m = _DMY.match(value)
    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else value


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            rows = [_clean(node[k]) for k in sorted(node)]
            return [r for r in rows if r not in (None, "", {}, [])]
        out = {k: _clean(v) for k, v in node.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [])}
    return node


def read_form(items: list[tuple[str, str]], nodes: list[Node]) -> dict[str, Any]:
    """The posted form → the template's data (dates ``dd/mm/yyyy`` → ISO, empty fields and rows dropped)."""
    dates = _paths_of(nodes, "date")
    root: dict[Any, Any] = {}
    for name, raw in items:
        if name.startswith("_") or not name:
            continue
        value = raw.replace("\r\n", "\n").strip()
        parts: list[Any] = [int(p) if p.isdigit() else p for p in name.split(".")]
        if re.sub(r"\.\d+", "", name) in dates:
            value = _iso(value)
        cur = root
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        cur[parts[-1]] = value
    cleaned = _clean(root)
    return cleaned if isinstance(cleaned, dict) else {}


def _paths_of(nodes: list[Node], kind: str, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for n in nodes:
        path = f"{prefix}.{n.key}".strip(".") if n.key else prefix
        if n.kind == kind:
            out.add(path)
        out |= _paths_of(n.children, kind, path)
    return out
