"""The searchable PDF: the original pages (or the scanned images) with tesseract's invisible
text layer laid exactly over them; pages that had a text layer stay as they were."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

__all__ = ["SearchablePdf"]


class SearchablePdf:
    """Collects pages in order, then writes one PDF."""

    def __init__(self) -> None:
        self._writer = PdfWriter()

    def add_original(self, reader: PdfReader, index: int, text_layer: bytes | None) -> None:
        """An original PDF page, with an OCR text layer when it was scanned."""
        page = self._writer.add_page(reader.pages[index])
        if text_layer:
            _overlay(page, text_layer)

    def add_image(self, image: Image.Image, dpi: int, text_layer: bytes) -> None:
        """A scanned image as a page (JPEG-compressed greyscale), with its text layer."""
        buf = io.BytesIO()
        rgb = image if image.mode in ("L", "RGB") else image.convert("RGB")
        rgb.save(buf, format="PDF", resolution=float(dpi), quality=85)
        page = self._writer.add_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
        _overlay(page, text_layer)

    def write(self, path: Path) -> None:
        self._writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
        with path.open("wb") as f:
            self._writer.write(f)


def _overlay(page: PageObject, text_layer: bytes) -> None:
    """Lay tesseract's text-only page over ``page``, scaled to its size (upright coordinates)."""
    if page.rotation:
        page.transfer_rotation_to_content()
    text_page = PdfReader(io.BytesIO(text_layer)).pages[0]
    sx = float(page.mediabox.width) / float(text_page.mediabox.width)
    sy = float(page.mediabox.height) / float(text_page.mediabox.height)
    page.merge_transformed_page(text_page, Transformation().scale(sx, sy))
