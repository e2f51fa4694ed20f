"""Tesseract, the one external OCR program: probe it, run it, read its output.

One run per page gives both the words with their confidences (TSV) and a text-only PDF
page (the invisible layer of the searchable PDF). Tesseract runs with one OpenMP thread
(``OMP_THREAD_LIMIT=1``): on a 2-core machine its default threads made it 4x slower,
parallelism comes from running one process per core instead. A process-wide limiter
keeps the number of concurrent tesseract processes at the configured worker count,
however many documents and pages ask at the same time.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytesseract
from PIL import Image

from archive.errors import InputRejected, ToolMissing

__all__ = ["OcrPage", "check_tesseract", "ocr_image", "orientation"]

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"
_limits: dict[int, threading.BoundedSemaphore] = {}
_limits_lock = threading.Lock()


def _limiter(workers: int) -> threading.BoundedSemaphore:
    with _limits_lock:
        return _limits.setdefault(workers, threading.BoundedSemaphore(workers))


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-100
    words: int
    pdf: bytes  # one text-only PDF page, sized to the image at ``dpi``


@cache
def _languages(tessdata: str | None) -> tuple[str, tuple[str, ...]]:
    try:
        version = str(pytesseract.get_tesseract_version())
        langs = tuple(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise ToolMissing(f"chưa cài tesseract (chương trình nhận dạng chữ): {_INSTALL}") from exc
    except pytesseract.TesseractError as exc:
        raise ToolMissing(f"tesseract không chạy được ({exc}); cài lại: {_INSTALL}") from exc
    return version, langs


def check_tesseract(lang: str) -> str:
    """Tesseract's version; ToolMissing with the command to run when it or ``lang`` data is missing."""
    version, langs = _languages(os.environ.get("TESSDATA_PREFIX"))
    missing = [code for code in lang.split("+") if code not in langs]
    if missing:
        package = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise ToolMissing(
            f"tesseract thiếu dữ liệu ngôn ngữ {', '.join(missing)} (có: {', '.join(langs) or 'không có'}); "
            f"cài: apt-get install {package}"
        )
    return version


def ocr_image(image: Image.Image, *, lang: str, dpi: int, psm: int, timeout: float, workers: int) -> OcrPage:
    """OCR one page image; raises InputRejected on timeout (the page is too hard or too big)."""
    check_tesseract(lang)
    config = f"--psm {psm} --dpi {dpi} -c tessedit_create_tsv=1 -c textonly_pdf=1"
    with tempfile.TemporaryDirectory(prefix="doithoai-ocr-") as tmp:
        # PGM: no compression to spend time on (PNG of a noisy scan took 0.5 s); dpi goes by --dpi.
        src, base = Path(tmp) / "page.pgm", Path(tmp) / "out"
        image.convert("L").save(src)
        with _limiter(workers):
            try:
                pytesseract.pytesseract.run_tesseract(
                    str(src), str(base), extension="pdf", lang=lang, config=config, timeout=timeout
                )
            except RuntimeError as exc:
                if "timeout" in str(exc).lower():
                    raise InputRejected(
                        f"nhận dạng một trang quá {timeout:.0f} giây (DOITHOAI_OCR_PAGE_TIMEOUT)"
                    ) from exc
                raise
            except pytesseract.TesseractError as exc:
                raise ToolMissing(f"tesseract lỗi khi nhận dạng: {exc.message}") from exc
        tsv = (base.with_suffix(".tsv")).read_text(encoding="utf-8", errors="replace")
        pdf = base.with_suffix(".pdf").read_bytes()
    text, confidence, words = _read_tsv(tsv)
    return OcrPage(text=text, confidence=confidence, words=words, pdf=pdf)


def _read_tsv(tsv: str) -> tuple[str, float, int]:
    """Text with tesseract's layout (blank line between paragraphs) and the mean word confidence."""
    out: list[str] = []
    confs: list[float] = []
    key: tuple[str, str] | None = None
    line: tuple[str, ...] | None = None
    words: list[str] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        para = (row["block_num"], row["par_num"])
        this_line = (row["block_num"], row["par_num"], row["line_num"])
        if this_line != line and words:
            out.append(" ".join(words))
            words = []
            if para != key:
                out.append("")
        key, line = para, this_line
        words.append(word)
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confs.append(conf)
    if words:
        out.append(" ".join(words))
    text = "\n".join(out).strip("\n")
    return text, (sum(confs) / len(confs) if confs else 0.0), len(confs)


def orientation(image: Image.Image, *, timeout: float) -> int:
    """Degrees to rotate the page clockwise so its text is upright (tesseract OSD), 0 when unsure."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError, subprocess.SubprocessError):
        return 0  # too little text to tell
    if float(osd.get("orientation_conf", 0)) < 1.0:
        return 0
    return int(osd.get("rotate", 0)) % 360
