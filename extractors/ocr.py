"""Tesseract, the one external OCR program: probe it, run it, read its output.

One run per page gives the words with their boxes and confidences (TSV); the invisible
layer of the searchable PDF is written from those boxes (``textlayer``), which is cheaper
than asking tesseract for a second output. Tesseract runs with one OpenMP thread
(``OMP_THREAD_LIMIT=1``): on a 2-core machine its default threads made it 4x slower,
parallelism comes from running one process per core instead. A process-wide limiter
keeps the number of concurrent tesseract processes at the configured worker count,
however many documents and pages ask at the same time.
"""

from __future__ import annotations

import csv
import io
import os
import re
import statistics
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytesseract
from PIL import Image

from archive.errors import InputRejected, ToolMissing
from archive.vntext import TYPE_ABBREVIATIONS, fold, normalize
from extractors.scratch import scratch
from extractors.syllable import is_syllable
from extractors.textlayer import Line, Word

__all__ = ["CONFIDENT", "WORD_FLOOR", "OcrPage", "check_tesseract", "ocr_image", "orientation", "plausible"]

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"
_limits: dict[int, threading.BoundedSemaphore] = {}
_limits_lock = threading.Lock()


def _limiter(workers: int) -> threading.BoundedSemaphore:
    with _limits_lock:
        return _limits.setdefault(workers, threading.BoundedSemaphore(workers))


# A word read with less confidence than this enters the text only when it is plausible (a
# Vietnamese syllable, a number, an abbreviation, a symbol made of those): below it tesseract's
# readings of paper grain, specks and show-through are garbage ("sẽẽ", "ñfT", "`..."), and
# so are its guesses inside real text (bench/ocr measured the floor).
WORD_FLOOR = 40.0
_NUMBER_FLOOR = 25.0  # a number below this is read from noise as often as from print
CONFIDENT = 60.0  # a word read at least this surely: a page with none holds no text worth keeping

_ABBREVIATIONS = TYPE_ABBREVIATIONS | frozenset(
    ["UBND", "HDND", "MTTQ", "UBMTTQ", "BCH", "BTV", "TU", "HU", "DU", "TW", "VP", "VPTU", "CP", "QH", "TTG", "BCD",
     "VN", "TQ", "TQVN", "UB"]
)  # fmt: skip
# A document symbol: a number, an optional year, then upper-case-led parts (QĐi, TTg, UBND-MTTQ).
_SYMBOL = re.compile(r"\d{1,5}(?:/\d{4})?[-/][A-ZĐ][A-Za-zĐđ]{0,9}(?:[-/][A-ZĐ][A-Za-zĐđ]{0,9}){0,3}")
# The mark of a list item or a section: a) đ) 1. 2) IV.
_LIST_MARK = re.compile(r"\(?[a-zđ]\)|\d{1,2}[.)]|[IVX]{1,5}\.")
_EDGE_PUNCT = "\"'“”‘’()[]{}«».,;:!?…-–"
_PART = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-100, over every word tesseract read
    words: int  # words read (kept or not)
    lines: tuple[Line, ...]  # the words kept, with their boxes: the searchable PDF's text layer
    kept: int = 0  # words that entered the text
    confident: int = 0  # of those, words read with confidence >= CONFIDENT
    kept_confidence: float = 0.0  # mean confidence of the words kept


_VOWELS = frozenset("aeiouy")
_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")  # tones, circumflex, breve, horn
_TYPOGRAPHY = frozenset("“”‘’–—…«»°§")


def _foreign(word: str) -> bool:
    """Holds a character no Vietnamese document prints: ``©``, ``ñ``, ``¬``, ``„``, ``ï``."""
    for ch in word:
        if ch.isascii() or ch in "đĐ" or ch in _TYPOGRAPHY:
            continue
        parts = unicodedata.normalize("NFD", ch.lower())
        if parts[0] not in _VOWELS or len(parts) == 1 or not set(parts[1:]) <= _MARKS:
            return True
    return False


def plausible(word: str, conf: float) -> bool:
    """Whether a word tesseract read with confidence ``conf`` may enter the page's text.

    Sure readings always (a word with a character no Vietnamese text prints only from
    ``CONFIDENT`` up); below ``WORD_FLOOR`` only a Vietnamese syllable, an administrative
    abbreviation (``UBND``, ``QĐ``), a number, or a compound of these (``23-CT/TU``, ``T/M``).
    """
    word = normalize(word)  # "QÐ" with an Icelandic eth is "QĐ"
    if conf >= WORD_FLOOR:
        return conf >= CONFIDENT or not _foreign(word)
    if conf >= 0 and (_SYMBOL.fullmatch(word.strip(_EDGE_PUNCT)) or _LIST_MARK.fullmatch(word)):
        return True  # structure noise does not make: a document's number (05-ĐA/HU, 12/QĐ-TTg), "d)", "2."
    core = word.strip(_EDGE_PUNCT)
    parts = _PART.findall(core)
    if not parts or conf < 0:
        return False
    for part in parts:
        if part.isdigit():
            if conf < _NUMBER_FLOOR:
                return False
        elif not (
            is_syllable(part)
            or (part.isupper() and fold(part) in _ABBREVIATIONS)
            or (len(parts) > 1 and len(part) == 1 and part.isupper())  # the T and M of "T/M"
        ):
            return False
    return True


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
    config = f"--psm {psm} --dpi {dpi} tsv"  # the "tsv" config file: TSV and nothing else
    with scratch("ocr") as tmp:
        # PGM: no compression to spend time on (PNG of a noisy scan took 0.5 s); dpi goes by --dpi.
        src, base = Path(tmp) / "page.pgm", Path(tmp) / "out"
        image.convert("L").save(src)
        with _limiter(workers):
            try:
                pytesseract.pytesseract.run_tesseract(
                    str(src), str(base), extension="tsv", lang=lang, config=config, timeout=timeout
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
    text, confs, lines, kept_confs = _read_tsv(tsv)
    return OcrPage(
        text=text,
        confidence=_mean(confs),
        words=len(confs),
        lines=tuple(lines),
        kept=len(kept_confs),
        confident=sum(1 for c in kept_confs if c >= CONFIDENT),
        kept_confidence=_mean(kept_confs),
    )


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _read_tsv(tsv: str) -> tuple[str, list[float], list[Line], list[float]]:
    """Text as laid out on the page, the confidence of every word read, the lines with the
    boxes of the words kept (``plausible``), and the confidences of those.

    A blank line stands where the page shows empty space (a gap taller than a line) or a new
    block of text begins. Tesseract's own paragraphs are not used for this: it often makes
    each line of a centred title or of a "Nơi nhận" list a paragraph of its own, and the
    parser would read a two-line title as one line.
    """
    confs: list[float] = []
    kept: list[float] = []
    lines: list[Line] = []
    blocks: list[str] = []
    line: tuple[str, ...] | None = None
    line_box = (0, 0)
    words: list[Word] = []

    def close() -> None:
        if words and line is not None:
            lines.append(Line(tuple(words), *line_box))
            blocks.append(line[0])

    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        level = row.get("level")
        key = (row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        if level == "4":
            close()
            words = []
            line_box = (int(row["top"]), int(row["height"]))
            line = key
            continue
        if level != "5" or key != line:
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confs.append(conf)
        if not plausible(text, conf):
            continue
        kept.append(conf)
        words.append(Word(text, int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"])))
    close()
    return _layout(lines, blocks), confs, lines, kept


def _layout(lines: list[Line], blocks: list[str]) -> str:
    if not lines:
        return ""
    height = statistics.median(ln.height for ln in lines)
    out = [_line_text(lines[0], height)]
    for (prev, prev_block), (cur, block) in pairwise(zip(lines, blocks, strict=True)):
        if block != prev_block or cur.top - (prev.top + prev.height) > height:
            out.append("")
        out.append(_line_text(cur, height))
    return "\n".join(out)


def _line_text(line: Line, height: float) -> str:
    """Words joined by spaces, and by a tab across a gap wider than two lines are tall: the two
    columns of a header ("TỈNH ỦY …" | "ĐẢNG CỘNG SẢN VIỆT NAM") or of "Nơi nhận" beside the
    signature stay apart, as they are in a DOCX table or a text PDF."""
    parts = [line.words[0].text]
    for prev, word in pairwise(line.words):
        gap = word.left - (prev.left + prev.width)
        parts.append(("\t" if gap > 2 * height else " ") + word.text)
    return "".join(parts)


def orientation(image: Image.Image, *, timeout: float) -> int:
    """Degrees to rotate the page clockwise so its text is upright (tesseract OSD), 0 when unsure."""
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError, subprocess.SubprocessError):
        return 0  # too little text to tell
    if float(osd.get("orientation_conf", 0)) < 1.0:
        return 0
    return int(osd.get("rotate", 0)) % 360
