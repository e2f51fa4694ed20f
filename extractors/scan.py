"""One scanned page image -> text, confidence, quality flags and its invisible text layer.

Steps (each kept because bench/ocr measured a gain): grey, measure the page (``measure``: marks
shaped like print, noise, bilevel or not), despeckle (bilevel pages), deskew, OCR with the layout
mode that suits the resolution, and, only for pages that read badly, orientation detection and
a second pass on the turned page (tesseract's OSD costs ~0.6 s a page, too much for every page).

A blank page — the back of a duplex scan, a separator sheet: paper grain, specks, a punched
hole, a faint show-through of the other side — gives empty text and the flag ``blank``, never
tesseract's garbage: a page with no mark shaped like print is not OCR'd at all, and a page whose
OCR kept no word read with confidence (``CONFIDENT``) and that shows few marks of print is
blank too. Words tesseract was unsure of enter the text only when they are plausible (see
``extractors.ocr.plausible``), so a page number alone stays, and so does one short line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageFilter

from archive.records import Page
from archive.vntext import normalize, syllable_share
from extractors.ocr import OcrPage, ocr_image, orientation
from extractors.preprocess import PageInk, deskew, despeckle, measure, to_grey, whiten_paper
from extractors.textlayer import Line

__all__ = ["LOW_CONFIDENCE", "ScanSettings", "ScannedPage", "fix_ocr_text", "read_scan"]

LOW_CONFIDENCE = 75.0  # below this mean word confidence a page is flagged for a human look
_LOW_SYLLABLES = 0.75
_RETRY_BELOW = 60.0
_FEW_GLYPHS = 40  # fewer marks of print than a short paragraph: a page number, a stamp, specks


@dataclass(frozen=True)
class ScanSettings:
    lang: str
    timeout: float
    workers: int


@dataclass(frozen=True)
class ScannedPage:
    page: Page
    image: Image.Image  # the page as scanned (its colours, no cleaning), turned and deskewed as OCR read it
    dpi: int
    lines: tuple[Line, ...]  # the words over the image, for the searchable PDF


_SPACED_SYMBOL = re.compile(r"(?<![\w/])(\d{1,5})\s*-\s*([A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*([A-ZĐ][A-ZĐ0-9]{0,11})(?![\w])")


# Tone-mark confusions of tesseract's vie model seen in bench/ocr (hỏi read as sắc, â as ầ …),
# as word pairs that never occur in correct text, so replacing them cannot harm a right reading.
_COLLOCATIONS = {
    "tống hợp": "tổng hợp", "tống số": "tổng số", "tống kết": "tổng kết", "tống cộng": "tổng cộng",
    "tố chức": "tổ chức", "tố quốc": "tổ quốc", "thằng thắn": "thẳng thắn", "thấm quyền": "thẩm quyền",
    "thấm định": "thẩm định", "thấm tra": "thẩm tra", "nối cộm": "nổi cộm", "nối bật": "nổi bật",
    "kiếm tra": "kiểm tra", "kiếm điểm": "kiểm điểm", "đổi thoại": "đối thoại", "tiếp xức": "tiếp xúc",
    "nhần dân": "nhân dân", "dần chủ": "dân chủ", "dần vận": "dân vận", "tỉnh thần": "tinh thần",
    "buối đối": "buổi đối", "các buối": "các buổi", "cẩp ủy": "cấp ủy",
    "chỉ bộ": "chi bộ", "chỉ, đảng bộ": "chi, đảng bộ", "chỉ ủy": "chi ủy", "chỉ đoàn": "chi đoàn",
    "năm chắc tình hình": "nắm chắc tình hình", "cơ cấu cây trông": "cơ cấu cây trồng",
}  # fmt: skip
_COLLOCATION_RE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _COLLOCATIONS)) + r")(?!\w)", re.IGNORECASE)


def _fix_collocation(m: re.Match[str]) -> str:
    wrong = m.group(0)
    right = _COLLOCATIONS[wrong.lower()]
    if wrong.isupper():
        return right.upper()
    return right[0].upper() + right[1:] if wrong[0].isupper() else right


# "/ĐU" (Đảng ủy) read as "/ĐĐU" inside a symbol; no issuer code is "ĐĐU".
_DOUBLED_D = re.compile(r"(\d(?:-[A-Za-zĐđ]{1,4}/|/[A-Za-zĐđ]{1,4}-))ĐĐU\b")
# Roman quarter numbers misread: "quý TV/2023" for "quý IV/2023", "quý Il" for "quý II".
_QUARTER = re.compile(r"(?<!\w)(quý|Quý|QUÝ)\s+([IVTl1|]{1,4})(?=\s*(?:/|năm\b|[,.;:)]|$))", re.M)


def _fix_quarter(m: re.Match[str]) -> str:
    token = m[2]
    misread = any(c in token for c in "Tl|") or ("1" in token and any(c in token for c in "IV"))
    if len(token) == 1 and not m.string.startswith("/", m.end()):
        return m[0]  # "Quý T." is a name with an initial; only "quý T/2023" is a quarter
    fixed = token.translate(str.maketrans("Tl|1", "IIII"))
    return f"{m[1]} {fixed}" if misread and fixed in ("I", "II", "III", "IV") else m[0]


def fix_ocr_text(text: str) -> str:
    """Repairs that never touch correct text: NFC, Ð→Đ, dashes, stray spaces inside symbols,
    and word pairs only an OCR confusion produces."""
    text = normalize(text)
    text = _SPACED_SYMBOL.sub(lambda m: f"{m[1]}-{m[2]}/{m[3]}", text)
    text = _QUARTER.sub(_fix_quarter, text)
    text = _DOUBLED_D.sub(r"\1ĐU", text)
    return _COLLOCATION_RE.sub(_fix_collocation, text)


def _quality(result: OcrPage) -> float:
    return result.confidence * max(_share(result.text), 0.01)


@dataclass(frozen=True)
class _Turns:
    """The rotations that made the OCR'd image out of the page, replayed on the page as scanned
    so that the searchable PDF shows the page itself (a red seal stays red, a fax is not blurred)
    with the words exactly where they were read."""

    steps: tuple[tuple[float, bool], ...] = ()  # (degrees counter-clockwise, canvas expanded)

    def then(self, degrees: float, expand: bool) -> _Turns:
        return _Turns((*self.steps, (degrees, expand))) if degrees else self

    def apply(self, image: Image.Image) -> Image.Image:
        white = 255 if image.mode == "L" else (255, 255, 255)
        for degrees, expand in self.steps:
            resample = Image.Resampling.NEAREST if expand else Image.Resampling.BILINEAR  # quarter turns are exact
            image = image.rotate(degrees, resample=resample, expand=expand, fillcolor=white)
        return image


def _upright(grey: Image.Image, settings: ScanSettings, turns: _Turns) -> tuple[Image.Image, int, _Turns]:
    turn = orientation(grey, timeout=settings.timeout)
    if not turn:
        return grey, 0, turns
    turned, angle = deskew(grey.rotate(-turn, expand=True, fillcolor=255))
    return turned, turn, turns.then(-turn, True).then(angle, False)


def read_scan(image: Image.Image, dpi: int, number: int, settings: ScanSettings) -> ScannedPage:
    grey = to_grey(image)
    seen = _as_scanned(image, grey)
    ink = measure(grey, dpi)
    psm = layout_mode(ink, dpi)
    if ink.blank:
        return _blank(seen, dpi, number, None)
    if ink.glyphs < _FEW_GLYPHS and ink.mostly_paper:
        return _sparse(grey, seen, dpi, number, ink, psm, settings)
    grey, angle = deskew(prepare(grey, ink, dpi))
    straight = _Turns().then(angle, False)
    readings: list[tuple[_Turns, OcrPage, list[str]]] = []
    landscape = grey.width > grey.height * 1.15
    if landscape:
        # Most likely a portrait document scanned sideways: asking first saves reading it
        # once the wrong way (bench/ocr: 22 -> 35 pages/min on sideways pages).
        turned, turn, turns = _upright(grey, settings, straight)
        if turn:
            first = _ocr(turned, dpi, psm, settings)
            if not _reads_badly(first):
                return _page(turns.apply(seen), dpi, number, first, [f"rotated_{turn}"])
            readings.append((turns, first, [f"rotated_{turn}"]))
    result = _ocr(grey, dpi, psm, settings)
    readings.append((straight, result, []))
    if _reads_badly(result) and not landscape:
        turned, turn, turns = _upright(grey, settings, straight)
        if turn:
            readings.append((turns, _ocr(turned, dpi, psm, settings), [f"rotated_{turn}"]))
    best, best_result, flags = max(readings, key=lambda r: _quality(r[1]))
    return _page(best.apply(seen), dpi, number, best_result, flags)


_COLOURED = 40  # channel spread of a coloured pixel (a red seal's ink: 100-200; grey paper: < 15)


def _as_scanned(image: Image.Image, grey: Image.Image) -> Image.Image:
    """The page as it is to be shown: in colour when it has colour (a seal, a signature in blue),
    else the grey page (before any cleaning made for OCR)."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV"):
        return grey
    rgb = image.convert("RGB") if image.mode != "RGBA" else _on_white(image)
    sample = np.asarray(rgb.reduce(max(1, rgb.width // 256)), dtype=np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    return rgb if int((spread > _COLOURED).sum()) >= 4 else grey


def _on_white(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


_SPECKLED = 20.0  # lone dots per square inch: salt-and-pepper noise (clean and office scans: 0-2)


def layout_mode(ink: PageInk, dpi: int) -> int:
    """Tesseract's page segmentation mode: 6 (one block of text) on grey scans, 3 (automatic
    layout) on bilevel pages, where 6 reads specks and streaks as text (bench/ocr). A 150-dpi
    grey page read with 3 had a line split and its halves put in the wrong order."""
    return 3 if ink.bilevel else 6


def prepare(grey: Image.Image, ink: PageInk, dpi: int) -> Image.Image:
    """The page as tesseract should see it, chosen by what the page shows (``measure``), never
    by where it came from. Measured on bench/ocr's tuning seed:

    - bilevel (a fax, a black-and-white scan): lone dots removed, then, below 300 dpi, a blur
      of about one pixel at 180 dpi, which gives tesseract grey edges to work from: the hook of hỏi and
      the dot of nặng survive dropout and halved vertical resolution (fax CER 1.2% -> 0.34%
      at 200×100 dpi, 0.96% -> 0.90% at 150 dpi);
    - grey with salt-and-pepper (many lone dots): a 3×3 median (3.7% -> 0.16%: the dots had
      been read as commas, dashes and tone marks);
    - other grey pages as they are: flattening the background and whitening the paper made
      office scans worse (0.21% -> 0.23% and 0.41%).
    """
    if ink.bilevel:
        clean = despeckle(grey)
        # A fine bilevel scan (300 dpi and more) has strokes wide enough; left bilevel, tesseract
        # also needs less memory for it (a 600-dpi page: +20 MB blurred).
        return clean.filter(ImageFilter.GaussianBlur(dpi / 180)) if dpi < 300 else clean
    if ink.specks > _SPECKLED:
        return grey.filter(ImageFilter.MedianFilter(3))
    return grey


def _sparse(
    grey: Image.Image, seen: Image.Image, dpi: int, number: int, ink: PageInk, psm: int, settings: ScanSettings
) -> ScannedPage:
    """A page with few marks of print, or only faint ones: a page number, a short line, the other
    side showing through. Read with the paper whitened (tesseract spends 30-40 s reading grain
    as letters otherwise), and blank unless some word was read surely. A page of only faint
    marks (light print, or show-through, which read mirrored never reads well) must read well."""
    faint_only = not ink.glyphs
    # Not deskewed: a few marks give no angle (a punched hole turned a page number by 3°).
    grey = whiten_paper(despeckle(grey), dpi, level=20.0 if faint_only else 40.0)
    result = _ocr(grey, dpi, psm, settings)
    if not result.confident or (faint_only and _reads_badly(result)):
        return _blank(seen, dpi, number, result.confidence)
    # The words dropped there were the holes and specks: the page's confidence is its text's.
    return _page(seen, dpi, number, replace(result, confidence=result.kept_confidence), [])


def _blank(seen: Image.Image, dpi: int, number: int, confidence: float | None) -> ScannedPage:
    conf = None if confidence is None else round(confidence, 1)
    page = Page(number=number, text="", method="ocr", confidence=conf, flags=("blank",))
    return ScannedPage(page=page, image=seen, dpi=dpi, lines=())


def _share(text: str) -> float:
    """Share of letter words that are Vietnamese syllables; 1.0 for a page of numbers only."""
    return syllable_share(text) if any(c.isalpha() for c in text) else 1.0


def _reads_badly(result: OcrPage) -> bool:
    return result.confidence < _RETRY_BELOW or _share(result.text) < 0.5


def _page(seen: Image.Image, dpi: int, number: int, result: OcrPage, flags: list[str]) -> ScannedPage:
    # No word read surely on a page full of marks (dark show-through, handwriting, a photo):
    # nothing worth indexing, and a human should look.
    text = fix_ocr_text(result.text) if result.confident else ""
    share = _share(text)
    if result.confidence < LOW_CONFIDENCE or share < _LOW_SYLLABLES:
        flags.append("low_confidence")
    if not text.strip():
        flags.append("no_text")
    page = Page(number=number, text=text, method="ocr", confidence=round(result.confidence, 1), flags=tuple(flags))
    return ScannedPage(page=page, image=seen, dpi=dpi, lines=result.lines)


def _ocr(image: Image.Image, dpi: int, psm: int, settings: ScanSettings) -> OcrPage:
    return ocr_image(image, lang=settings.lang, dpi=dpi, psm=psm, timeout=settings.timeout, workers=settings.workers)
