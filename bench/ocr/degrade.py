"""Ways a page gets worse between the printer and the archive, each with a seeded random source.

The benchmark composes these into conditions (an office scan, a fax, the blank back of a
duplex page); the reader never sees which ones were applied: it has to measure the page.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

__all__ = [
    "bilevel",
    "bleed_through",
    "blur",
    "dropout",
    "fax_lines",
    "hole_punches",
    "jpeg",
    "paper",
    "salt_and_pepper",
    "skew",
    "uneven_light",
]


def _arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"), dtype=np.float32)


def _img(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _smooth_noise(shape: tuple[int, int], rng: np.random.Generator, cell: int) -> np.ndarray:
    """Low-frequency noise in [-1, 1]: random values on a coarse grid, upscaled smoothly."""
    h, w = shape
    coarse = rng.uniform(-1, 1, (max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    big = Image.fromarray(((coarse + 1) * 127.5).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(big, dtype=np.float32) / 127.5 - 1


def paper(
    img: Image.Image, rng: np.random.Generator, *, tone: float = 238, texture: float = 6, grain: float = 5
) -> Image.Image:
    """Ink on greyish paper with fibres (low-frequency texture) and sensor grain."""
    a = _arr(img) / 255.0
    h, w = a.shape
    bg = tone + texture * _smooth_noise((h, w), rng, max(8, w // 60)) + grain * rng.standard_normal((h, w))
    ink = 20 + 10 * rng.random()
    return _img(ink + (bg - ink) * a)


def uneven_light(img: Image.Image, rng: np.random.Generator, *, depth: float = 0.25) -> Image.Image:
    """A scanner lid not closed / a phone photo: light falls off toward one side and a corner."""
    a = _arr(img)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xx / w + np.sin(angle) * yy / h) - 0.5 * (np.cos(angle) + np.sin(angle))
    light = 1 - depth * (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
    return _img(a * light)


def bleed_through(img: Image.Image, back: Image.Image, *, strength: float = 0.15, blur_px: float = 1.5) -> Image.Image:
    """The mirrored print of the sheet's other side showing through, faint and blurred."""
    mirrored = back.convert("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize(img.size)
    shadow = (255 - _arr(mirrored.filter(ImageFilter.GaussianBlur(blur_px)))) * strength
    return _img(_arr(img) - shadow)


def salt_and_pepper(img: Image.Image, rng: np.random.Generator, density: float) -> Image.Image:
    a = _arr(img).copy()
    r = rng.random(a.shape)
    a[r < density / 2] = 0
    a[(r >= density / 2) & (r < density)] = 255
    return _img(a)


def dropout(img: Image.Image, rng: np.random.Generator, density: float, *, blob: int = 1) -> Image.Image:
    """Ink lost in spots (worn toner, a fax line's dropped bits): random ``blob``-sized holes."""
    a = _arr(img)
    h, w = a.shape
    holes = rng.random((h // blob + 1, w // blob + 1)) < density
    mask = np.kron(holes, np.ones((blob, blob), dtype=bool))[:h, :w]
    return _img(np.where(mask, np.maximum(a, 235), a))


def hole_punches(img: Image.Image, dpi: int, *, grey: float = 60) -> Image.Image:
    """Two filing holes at the left margin, scanned as dark discs (the lid's shadow)."""
    a = _arr(img).copy()
    h, w = a.shape
    r = 0.12 * dpi
    yy, xx = np.mgrid[0:h, 0:w]
    for cy in (h * 0.35, h * 0.65):
        a[(yy - cy) ** 2 + (xx - 0.45 * dpi) ** 2 < r * r] = grey
    return _img(a)


def blur(img: Image.Image, radius: float) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius))


def skew(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, fillcolor=int(np.median(_arr(img))), resample=Image.Resampling.BICUBIC)


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("L").save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("L")


def bilevel(img: Image.Image, threshold: float = 150) -> Image.Image:
    return _img(np.where(_arr(img) < threshold, 0, 255))


def fax_lines(img: Image.Image) -> Image.Image:
    """Standard-resolution fax: every other scan line dropped (200×100 dpi), then each line
    doubled back to square pixels, as a fax viewer or fax-to-mail gateway shows it."""
    a = _arr(img)[::2]
    return _img(np.repeat(a, 2, axis=0))
