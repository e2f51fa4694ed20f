"""Old office files (.doc, .xls, .rtf, .odt, .ods) converted to PDF by LibreOffice, headless.

Each conversion gets a profile of its own (two conversions sharing one once produced no PDF
with exit code 0), runs in a process group of its own, and has a time limit: on overrun
the whole group (LibreOffice's launcher and the office process it starts) is killed and the
file is rejected. The PDF is then read like any PDF, and kept beside the untouched original.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

from archive.errors import ExtractionError, InputRejected, ToolMissing
from extractors.worker import Steps

__all__ = ["MEDIA_TYPES", "SUFFIXES", "convert_to_pdf"]

MEDIA_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "rtf": "application/rtf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
SUFFIXES = {kind: f".{kind}" for kind in MEDIA_TYPES}
_INSTALL = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ToolMissing(f"chưa cài LibreOffice (cần để đọc tệp Word/Excel đời cũ): {_INSTALL}")
    return found


def convert_to_pdf(path: Path, kind: str, workdir: Path, *, timeout: float, steps: Steps) -> Path:
    """``path`` (of ``kind``: doc, xls, rtf, odt, ods) as a PDF written under ``workdir``."""
    program = soffice()
    source = workdir / ("vanban" + SUFFIXES[kind])  # the filter is chosen from the content and this name
    source.symlink_to(path.resolve())
    outdir = workdir / "pdf"
    argv = [
        program,
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        "--convert-to", "pdf", "--outdir", str(outdir), str(source),
    ]  # fmt: skip
    env = {**os.environ, "HOME": str(workdir), "TMPDIR": str(workdir)}
    overrun = f"LibreOffice chuyển đổi tệp quá {timeout:g} giây (DOITHOAI_OFFICE_TIMEOUT)"
    with steps.step(timeout + 30, overrun):
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
            start_new_session=True, cwd=workdir,
        )  # fmt: skip
        with steps.child_group(proc.pid):
            try:
                _, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                raise InputRejected(overrun, path=path) from None
            finally:
                _kill_group(proc)
    pdf = outdir / "vanban.pdf"
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        raise ExtractionError(
            "LibreOffice không chuyển được tệp này sang PDF (tệp hỏng, có mật khẩu hoặc không phải văn bản)"
            + (f": {detail[0][:200]}" if detail else ""),
            path=path,
        )
    return pdf


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """LibreOffice's launcher starts the office process in its group: kill both, whatever happened."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
