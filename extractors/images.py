"""Scanned images: PNG, JPEG and (multi-page) TIFF, opened with limits against decompression bombs."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from archive.errors import ExtractionError, InputRejected

__all__ = ["image_frames", "native_dpi"]


def image_frames(path: Path, *, max_pixels: int, max_pages: int) -> Iterator[tuple[Image.Image, int]]:
    """Each page of the image file with its resolution (dpi); limits are checked before decoding."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            n = getattr(img, "n_frames", 1)
            if n > max_pages:
                raise InputRejected(f"ảnh có {n:,} trang, vượt giới hạn {max_pages:,} (DOITHOAI_MAX_PAGES)", path=path)
            for frame in ImageSequence.Iterator(img):
                if frame.width * frame.height > max_pixels:
                    raise InputRejected(_too_big(frame.width, frame.height, max_pixels), path=path)
                page = ImageOps.exif_transpose(frame.copy())
                yield page, native_dpi(frame)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputRejected(
            f"ảnh quá nhiều điểm ảnh, vượt giới hạn {max_pixels:,} (DOITHOAI_MAX_PIXELS; nghi bom giải nén)", path=path
        ) from exc
    except UnidentifiedImageError as exc:
        raise ExtractionError("không đọc được ảnh (tệp hỏng hoặc không phải ảnh)", path=path) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ExtractionError(f"ảnh hỏng, không đọc được: {exc}", path=path) from exc


def _too_big(w: int, h: int, limit: int) -> str:
    return f"trang ảnh {w:,}×{h:,} = {w * h:,} điểm ảnh, vượt giới hạn {limit:,} (DOITHOAI_MAX_PIXELS)"


def native_dpi(img: Image.Image) -> int:
    """The resolution the scanner wrote, or one guessed from an A4 page when it wrote none."""
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and 50 <= float(dpi[0]) <= 1200:
        return round(float(dpi[0]))
    long_side = max(img.size)
    return max(72, min(600, round(long_side / 11.69)))  # A4 is 11.69 inches long
