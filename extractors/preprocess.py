"""Page image preparation before OCR: grey, deskewed. Only steps the benchmark shows help.

Deskew (bench/ocr: office scans at 1-2° lose short lines and whole paragraph tails with
tesseract's layout analysis) estimates the angle on a small copy by projection profiles
(horizontal ink rows are sharpest when the text is level), then rotates the full page once.
Despeckle removes the isolated black dots of fax and bilevel scans (bench/ocr: fax CER
1.27% -> 0.66%, the dots read as commas, tone marks and stray letters); it leaves grey scans
alone. Otsu binarisation, a median filter and upscaling are left out: they made tesseract
worse on these pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

__all__ = ["PageInk", "deskew", "despeckle", "measure", "skew_angle", "to_grey", "whiten_paper"]

_MAX_ANGLE = 3.0
_SMALL_WIDTH = 640


def to_grey(image: Image.Image) -> Image.Image:
    if image.mode in ("L", "1"):
        return image.convert("L")
    if image.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image.convert("L")


def _is_bilevel(arr: np.ndarray) -> bool:
    """Only black and white: fewer grey pixels than 2% of the black ones (a grey scan, even a
    clean one that is 99% white paper, has a grey edge around every stroke)."""
    counts = sum(  # by bands: bincount makes an 8-byte copy of what it counts (100 MB for 600 dpi)
        (np.bincount(arr[top : top + 256].ravel(), minlength=256) for top in range(0, arr.shape[0], 256)),
        np.zeros(256, dtype=np.int64),
    )
    return int(counts[1:255].sum()) <= 0.02 * int(counts[0]) and int(counts[0] + counts[255]) >= 0.99 * arr.size


def despeckle(grey: Image.Image) -> Image.Image:
    """A bilevel page without its single black pixels that touch no other black pixel."""
    arr = np.asarray(grey, dtype=np.uint8)
    if arr.size == 0 or not _is_bilevel(arr):
        return grey
    ink = arr < 128
    padded = np.pad(ink, 1).astype(np.uint8)
    h, w = ink.shape
    neighbours = sum(
        padded[1 + dy : h + 1 + dy, 1 + dx : w + 1 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx
    )
    specks = ink & (neighbours == 0)
    if not specks.any():
        return grey
    out = arr.copy()
    out[specks] = 255
    return Image.fromarray(out)


def _profile_score(ink: Image.Image, angle: float) -> float:
    rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0), dtype=np.float32)
    rows = rotated.sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(grey: Image.Image) -> float:
    """Angle in degrees (counter-clockwise) that levels the text lines; 0.0 for a blank page."""
    scale = min(1.0, _SMALL_WIDTH / grey.width)
    small = grey.resize((max(1, int(grey.width * scale)), max(1, int(grey.height * scale))), Image.Resampling.BOX)
    arr = np.asarray(small, dtype=np.uint8)
    if arr.size == 0 or arr.min() > 200:
        return 0.0
    threshold = min(160, int(arr.mean() - 2 * arr.std())) if arr.std() > 0 else 128
    ink = Image.fromarray(((arr < max(threshold, 60)) * 255).astype(np.uint8))
    coarse = np.arange(-_MAX_ANGLE, _MAX_ANGLE + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _profile_score(ink, float(a)))
    fine = np.arange(best - 0.4, best + 0.4 + 1e-9, 0.1)
    return round(float(max(fine, key=lambda a: _profile_score(ink, float(a)))), 2)


def deskew(grey: Image.Image) -> tuple[Image.Image, float]:
    angle = skew_angle(grey)
    if abs(angle) < 0.2:  # below the search's precision; rotating would only blur
        return grey, 0.0
    return grey.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255), angle


# --- what the page itself shows ------------------------------------------------

_STRONG = 80.0  # grey levels darker than the paper around it: print, even faded or badly lit
_FAINT = 35.0  # the faintest mark looked at: light print, or the other side showing through


@dataclass(frozen=True)
class PageInk:
    """Measured properties of one page image, from the image alone.

    ``glyphs`` counts marks shaped like printed characters (height 1-15 mm, not a filled disc
    such as a punched hole's shadow, not touching the page edge) that are darker than the paper
    around them by ``_STRONG`` grey levels; ``faint_glyphs`` the same by only ``_FAINT`` (what a
    faint bleed-through of the other side adds). ``specks`` is isolated dots per square inch
    (salt-and-pepper noise, fax speckle); ``noise`` the paper's grain (grey levels, robust sigma).
    """

    bilevel: bool
    glyphs: int
    faint_glyphs: int
    specks: float
    noise: float
    contrast: float  # median darkness of the strong marks below the paper
    glyph_height: float  # median height of the glyph-like marks in pixels of the page image
    coverage: float = 0.0  # share of the page darker than the paper by ``_STRONG``

    @property
    def mostly_paper(self) -> bool:
        """Paper with at most a few marks: not a photo, a black page or a sheet of noise."""
        return self.coverage < 0.05

    @property
    def blank(self) -> bool:
        return self.glyphs == 0 and self.faint_glyphs == 0 and self.mostly_paper


def _background(work: Image.Image, dpi: float) -> np.ndarray:
    """The paper's brightness around each pixel: the brightest ~1 mm cell within ~5 mm, smoothed
    (follows uneven lighting and a grey paper tone; text lines are thinner than that)."""
    cell = max(1, round(dpi / 25))
    small = work.reduce(cell) if cell > 1 else work
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.BoxBlur(2))
    return np.asarray(paper.resize(work.size, Image.Resampling.BILINEAR), dtype=np.float32)


def _glyph_like(mask: np.ndarray, dpi: float) -> list[int]:
    """Heights of the components of ``mask`` shaped like printed characters."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    if not count:
        return []
    h_img, w_img = mask.shape
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    heights: list[int] = []
    lo, hi, blob = 0.04 * dpi, 0.6 * dpi, 0.15 * dpi
    for index, sl in enumerate(ndimage.find_objects(labels), 1):
        if sl is None:
            continue
        ys, xs = sl
        h, w = ys.stop - ys.start, xs.stop - xs.start
        if not lo <= h <= hi:
            continue
        if ys.start == 0 or xs.start == 0 or ys.stop == h_img or xs.stop == w_img:
            continue  # the scanner's edge shadow, a page border
        fill = int(areas[index]) / (h * w)
        if min(h, w) > blob and fill > 0.6:
            continue  # a filled disc or box: a punched hole's shadow, a stamp pad
        if fill > 0.9 and w > h / 2:
            continue  # a solid block, not a letter
        heights.append(h)
    return heights


def _lone(ink: np.ndarray) -> np.ndarray:
    """Ink pixels none of whose eight neighbours is ink."""
    padded = np.pad(ink, 1).astype(np.uint8)
    h, w = ink.shape
    neighbours = sum(
        padded[1 + dy : h + 1 + dy, 1 + dx : w + 1 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx
    )
    return ink & (neighbours == 0)


def _count_lone(arr: np.ndarray, below: float, band: int = 256) -> int:
    """Lone ink pixels (darker than ``below``), counted band by band: a 600-dpi page whole
    would cost ~100 MB of temporaries."""
    count = 0
    for top in range(0, arr.shape[0], band):
        lo, hi = max(0, top - 1), min(arr.shape[0], top + band + 1)
        lone = _lone(arr[lo:hi] < below)
        count += int(lone[top - lo : top - lo + band].sum())
    return count


def measure(grey: Image.Image, dpi: int) -> PageInk:
    """What the page shows: marks shaped like print, how faint, how noisy, bilevel or not."""
    arr = np.asarray(grey, dtype=np.uint8)
    if arr.size == 0:
        return PageInk(bilevel=False, glyphs=0, faint_glyphs=0, specks=0.0, noise=0.0, contrast=0.0, glyph_height=0.0)
    bilevel = _is_bilevel(arr)
    sample = arr[::4, ::4]
    paper_level = float(np.percentile(sample, 90))
    specks = _count_lone(arr, paper_level - _STRONG) / (arr.size / (dpi * dpi))
    factor = max(1, dpi // 100)  # print keeps its shape at 100-150 dpi; a quarter of the pixels to label
    work = grey.reduce(factor) if factor > 1 else grey
    wdpi = dpi / factor
    a = np.asarray(work, dtype=np.float32)
    darker = _background(work, wdpi) - a
    sampled = darker[::3, ::3]
    paper = sampled[np.abs(sampled) < 40]
    noise = 0.0 if bilevel or paper.size == 0 else float(1.4826 * np.median(np.abs(paper - np.median(paper))))
    strong = darker > max(_STRONG, 5 * noise)
    heights = _glyph_like(strong, wdpi)
    faint = heights or _glyph_like(darker > max(_FAINT, 4 * noise), wdpi)
    return PageInk(
        bilevel=bilevel,
        glyphs=len(heights),
        faint_glyphs=len(faint),
        specks=round(specks, 1),
        noise=round(noise, 1),
        contrast=float(np.median(darker[strong])) if heights else 0.0,
        glyph_height=float(np.median(heights)) * factor if heights else 0.0,
        coverage=round(float(strong.mean()), 4),
    )


def whiten_paper(grey: Image.Image, dpi: int, level: float = 20.0) -> Image.Image:
    """The page with every pixel less than ``level`` grey levels darker than the paper around it
    made white: paper grain and lighting gone, the marks as they were. Tesseract reads a page of
    only faint marks in ~1 s this way, against 30-40 s spent on the grain of the raw scan."""
    a = np.asarray(grey, dtype=np.float32)
    paper = _background(grey, dpi)
    return Image.fromarray(np.where(paper - a > level, a, 255).astype(np.uint8))
