"""Scanned images: PNG, JPEG and (multi-page) TIFF, opened with limits against decompression bombs.

A page is decoded only when it is needed, one at a time, after its size was read from its
header and checked: a 4.6 MB TIFF of twelve 80-megapixel pages once needed 6.5 GB when all
pages were decoded before OCR; now it holds one or two pages at a time.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from archive.errors import ExtractionError, InputRejected

__all__ = ["OCR_MAX_PIXELS", "Frame", "image_frames", "native_dpi"]

OCR_MAX_PIXELS = 36_000_000  # an A4 page at 600 dpi; larger pages are scaled down before OCR
_MAX_DPI = 400
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}


@dataclass(frozen=True)
class Frame:
    """One page of an image file, not decoded yet: its size is known, its pixels are not read."""

    path: Path
    index: int  # 0-based
    width: int
    height: int
    dpi: int
    media_type: str
    ydpi: int = 0  # vertical resolution when it differs (a fax in "normal" mode: 204×98 dpi); 0 = same

    @property
    def stretch(self) -> float:
        """How much taller the page must be for square pixels (2.08 for a 204×98 fax), else 1."""
        if not self.ydpi or abs(self.dpi / self.ydpi - 1) < 0.05:
            return 1.0
        return self.dpi / self.ydpi

    @property
    def pixels(self) -> int:
        return self.width * self.height

    def decode(self) -> Image.Image:
        """The page's pixels, upright (EXIF orientation applied); only this page is decoded."""
        with _opened(self.path) as img:
            img.seek(self.index)
            return ImageOps.exif_transpose(img)  # a copy: the file and its decoder are closed here

    def decode_for_ocr(self) -> tuple[Image.Image, int]:
        """The page at no more than 400 dpi and ``OCR_MAX_PIXELS``, with the dpi it now has.

        PDF pages are never rendered above 400 dpi either; a larger image only makes OCR slower
        and its preprocessing (several copies of the page) bigger: an 80-megapixel page needed
        1.1 GB, the same page at 400 dpi less than half.
        """
        stretch = self.stretch  # a fax with oblong pixels is read with square ones, or tesseract sees squat letters
        scale = min(1.0, _MAX_DPI / self.dpi, (OCR_MAX_PIXELS / (self.pixels * stretch)) ** 0.5)
        with _opened(self.path) as img:
            img.seek(self.index)
            if scale >= 1.0 and stretch == 1.0:
                return ImageOps.exif_transpose(img), self.dpi
            turn = _TRANSPOSE.get(img.getexif().get(0x0112, 1))  # EXIF orientation
            img.load()
            page = img.convert("L") if img.mode in ("1", "I;16", "I", "F") else img
            size = (max(1, round(self.width * scale)), max(1, round(self.height * scale * stretch)))
            small = page.resize(size, Image.Resampling.BOX)
        return (small.transpose(turn) if turn is not None else small), max(72, round(self.dpi * scale))


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}  # fmt: skip


def image_frames(path: Path, *, max_pixels: int, max_pages: int) -> Iterator[Frame]:
    """Each page of the image file, its size checked against ``max_pixels`` before any decoding."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with _opened(path) as img:
        n = getattr(img, "n_frames", 1)
        if n > max_pages:
            raise InputRejected(f"ảnh có {n:,} trang, vượt giới hạn {max_pages:,} (DOITHOAI_MAX_PAGES)", path=path)
        media_type = MEDIA_TYPES.get(img.format or "", "image/*")
        for index in range(n):
            img.seek(index)  # reads this page's header only
            w, h = img.size
            if w * h > max_pixels:
                raise InputRejected(f"trang {index + 1}: {_too_big(w, h, max_pixels)}", path=path)
            yield Frame(path, index, w, h, native_dpi(img), media_type, _vertical_dpi(img))


class _opened:
    """``Image.open`` with Pillow's complaints turned into our errors (the file is to blame)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._img: Image.Image | None = None
        self._warnings = warnings.catch_warnings()

    def __enter__(self) -> Image.Image:
        self._warnings.__enter__()
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            self._img = Image.open(self.path)
        except BaseException as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self._img

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if self._img is not None:
            self._img.close()
        self._warnings.__exit__(kind, exc, tb)  # type: ignore[arg-type]
        if exc is None or isinstance(exc, InputRejected | ExtractionError):
            return
        limit = Image.MAX_IMAGE_PIXELS or 0
        if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise InputRejected(
                f"ảnh quá nhiều điểm ảnh, vượt giới hạn {limit:,} (DOITHOAI_MAX_PIXELS; nghi bom giải nén)",
                path=self.path,
            ) from exc
        if isinstance(exc, UnidentifiedImageError):
            raise ExtractionError("không đọc được ảnh (tệp hỏng hoặc không phải ảnh)", path=self.path) from exc
        if isinstance(exc, SyntaxError | ValueError | EOFError) or (isinstance(exc, OSError) and exc.errno is None):
            raise ExtractionError(f"ảnh hỏng, không đọc được: {exc}", path=self.path) from exc


def _too_big(w: int, h: int, limit: int) -> str:
    return f"ảnh {w:,}×{h:,} = {w * h:,} điểm ảnh, vượt giới hạn {limit:,} (DOITHOAI_MAX_PIXELS)"


def _vertical_dpi(img: Image.Image) -> int:
    """The vertical resolution the scanner wrote (0 when it wrote none or one out of range)."""
    dpi = img.info.get("dpi")
    if dpi and len(dpi) > 1 and dpi[1] and 50 <= float(dpi[1]) <= 1200:
        return round(float(dpi[1]))
    return 0


def native_dpi(img: Image.Image) -> int:
    """The resolution the scanner wrote, or one guessed from an A4 page when it wrote none."""
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and 50 <= float(dpi[0]) <= 1200:
        return round(float(dpi[0]))
    long_side = max(img.size)
    return max(72, min(600, round(long_side / 11.69)))  # A4 is 11.69 inches long
