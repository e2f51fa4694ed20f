"""Output discipline: ``--json`` puts exactly one JSON document on stdout; all else goes to stderr."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rich.console import Console

__all__ = ["err_console", "json_default", "protected_stdout", "snippet_markup", "write_json"]

err_console = Console(stderr=True)


def json_default(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


_REAL_STDOUT: int | None = None


@contextlib.contextmanager
def protected_stdout(enabled: bool) -> Iterator[None]:
    """While active, anything written to fd 1 (Prefect, libraries, print) lands on stderr."""
    global _REAL_STDOUT
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    _REAL_STDOUT = saved
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        _REAL_STDOUT = None


def write_json(obj: Any) -> None:
    data = json.dumps(obj, ensure_ascii=False, indent=2, default=json_default) + "\n"
    if _REAL_STDOUT is not None:
        os.write(_REAL_STDOUT, data.encode())
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def snippet_markup(snippet_html: str) -> str:
    """``<b>đất</b> &amp; …`` -> rich markup with the matches highlighted."""
    from html import unescape

    from rich.markup import escape

    parts = re.split(r"(<b>.*?</b>)", snippet_html)
    out = []
    for part in parts:
        if part.startswith("<b>") and part.endswith("</b>"):
            out.append(f"[bold yellow]{escape(unescape(part[3:-4]))}[/]")
        else:
            out.append(escape(unescape(part)))
    return "".join(out)
