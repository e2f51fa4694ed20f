"""Scratch folders of the reading (a page image for tesseract, a LibreOffice conversion).

Each is named with the process that made it, ``doithoai-<kind>-<pid>-…`` in the temporary
folder, so that what a killed process left (a page image of the document it was reading, which
may be marked MẬT) is found and removed by the next run, and nothing of a live one is touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from archive.store import pid_alive

__all__ = ["clean_scratch", "scratch"]

_NAME = re.compile(r"^doithoai-(?:ocr|office)-(\d+)-")


def scratch(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A private scratch folder (0700) of this process, removed when the ``with`` block ends."""
    return tempfile.TemporaryDirectory(prefix=f"doithoai-{kind}-{os.getpid()}-")


def clean_scratch() -> int:
    """Remove the scratch folders of processes that no longer run; returns how many."""
    removed = 0
    root = Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        m = _NAME.match(entry.name)
        if m and entry.is_dir(follow_symlinks=False) and int(m[1]) != os.getpid() and not pid_alive(int(m[1])):
            try:
                owned = entry.stat(follow_symlinks=False).st_uid == os.getuid()
            except OSError:
                continue
            if owned:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed
