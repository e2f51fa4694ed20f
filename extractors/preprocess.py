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

import numpy as np
from PIL import Image

__all__ = ["deskew", "despeckle", "skew_angle", "to_grey"]

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
    counts = np.bincount(arr.ravel(), minlength=256)
    return int(counts[0] + counts[255]) >= 0.99 * arr.size


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
