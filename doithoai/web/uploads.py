"""Files uploaded into the inbox: names kept (NFC, no path parts), written atomically.

Each file is streamed to a temporary file beside the inbox (never inside it), checked
against the size limit, then renamed into the inbox in one step: a half-uploaded file never
reaches an ingest run.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import unicodedata
from pathlib import Path

from fastapi import UploadFile

from archive.settings import Settings
from doithoai.web.errors import WebError

__all__ = ["safe_name", "save_upload"]

_CHUNK = 1024 * 1024
_BAD = re.compile(r"[\x00-\x1f\x7f]")


def safe_name(raw: str | None) -> str:
    """The file's own name: NFC, folders dropped (``/`` or ``\\``), no control characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _BAD.sub("", name).strip().lstrip(".")
    if not name:
        raise WebError(400, "bad_name", "Tệp không có tên hợp lệ.")
    if len(name.encode()) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem or ext).encode()[:180].decode(errors="ignore") + (dot + ext if stem and len(ext) < 10 else "")
    return name


def _free(inbox: Path, name: str) -> Path:
    target = inbox / name
    n = 2
    stem, suffix = Path(name).stem, Path(name).suffix
    while target.exists() or target.is_symlink():
        target = inbox / f"{stem} ({n}){suffix}"
        n += 1
    return target


async def save_upload(upload: UploadFile, settings: Settings) -> Path:
    name = safe_name(upload.filename)
    inbox = settings.inbox_dir
    inbox.mkdir(parents=True, exist_ok=True, mode=0o750)
    tmp_dir = inbox.parent / f".{inbox.name}.uploads"
    tmp_dir.mkdir(exist_ok=True, mode=0o750)
    tmp = tmp_dir / f"{secrets.token_hex(8)}.part"
    size = 0
    try:
        with tmp.open("xb") as f:
            os.fchmod(f.fileno(), 0o640)
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > settings.max_file_bytes:
                    raise WebError(
                        413,
                        "too_large",
                        f"Tệp {name} quá lớn: giới hạn {settings.max_file_bytes:,} byte mỗi tệp".replace(",", "."),
                    )
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        if size == 0:
            raise WebError(400, "empty_file", f"Tệp {name} rỗng (0 byte).")
        # Complete on disk: no need to wait out the inbox's "still being copied" windows (to be
        # read, and to leave the inbox once archived).
        settled = time.time() - max(settings.inbox_settle_seconds, settings.inbox_release_seconds) - 1
        os.utime(tmp, (settled, settled))
        target = _free(inbox, name)
        os.link(tmp, target)  # fails rather than overwrite a file that appeared meanwhile
        return target
    finally:
        tmp.unlink(missing_ok=True)
