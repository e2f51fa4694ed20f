"""The searchable PDF: the scanned pages as images with tesseract's invisible text layer laid
exactly over them, the pages that had a text layer as they were.

The file is written page by page as the pages come, so memory does not grow with the page
count (a 2,000-page scan is a 2,000-page file, not 2,000 pages held until the end): what stays
in memory is each object's offset and, for a page copied from the original, the numbers its
shared objects (fonts, images) were given here, so each is written once.

Object 1 is the catalogue and object 2 the page tree, written last; objects 3-8 the glyphless
font every text layer uses (``extractors.textlayer``).
"""

from __future__ import annotations

import io
from collections import deque
from pathlib import Path
from types import TracebackType

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from archive.sealed import Sink, open_sink
from extractors.textlayer import FONT_OBJECTS, Line, font_objects, stream, text_content

__all__ = ["SearchablePdf"]

_CATALOG, _PAGES, _FONT = 1, 2, 3
_Todo = deque[tuple[int, PdfObject]]  # (number here, object of the original) still to write
_JPEG_QUALITY = 85


class SearchablePdf:
    """``with SearchablePdf(path) as doc: doc.add_…`` writes ``path``, pages in the order added;
    sealed with ``seal`` when given (archive/sealed.py)."""

    def __init__(self, path: Path, *, seal: bytes | None = None) -> None:
        self._out: Sink = open_sink(path, seal)
        self._offsets: dict[int, int] = {}
        self._next = _FONT + FONT_OBJECTS
        self._kids: list[int] = []
        self._copied: dict[tuple[int, int, int], int] = {}  # (reader, idnum, generation) -> number here
        self._out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        for number, body in enumerate(font_objects(_FONT), _FONT):
            self._write(number, body)

    def __enter__(self) -> SearchablePdf:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self._out.close()

    def add_image(self, image: Image.Image, dpi: int, lines: tuple[Line, ...]) -> None:
        """A scanned image as a page (JPEG), with its words invisible over it."""
        if image.mode not in ("L", "RGB"):
            image = image.convert("L" if image.mode in ("1", "LA", "I", "I;16", "F") else "RGB")
        jpeg = io.BytesIO()
        image.save(jpeg, format="JPEG", quality=_JPEG_QUALITY)
        width, height = image.width * 72.0 / dpi, image.height * 72.0 / dpi
        colours = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
        picture = self._reserve()
        self._write(
            picture,
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8"
            b" /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (image.width, image.height, colours, jpeg.tell(), jpeg.getvalue()),
        )
        del jpeg
        content = self._reserve()
        draw = b"q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q\n" % (width, height)
        self._write(content, stream(draw + text_content(lines, image.height, dpi)))
        page = self._reserve()
        self._kids.append(page)
        self._write(
            page,
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.4f %.4f] /Contents %d 0 R"
            b" /Resources << /XObject << /Im0 %d 0 R >> /Font << /F1 %d 0 R >> >> >>"
            % (_PAGES, width, height, content, picture, _FONT),
        )

    def add_original(self, reader: PdfReader, index: int) -> None:
        """Page ``index`` of ``reader`` as it is, with what it uses (inherited attributes included:
        pypdf puts them on the page). Links to other pages become null: a page never drags the
        rest of its document in."""
        source = reader.pages[index]
        number = self._reserve()
        self._kids.append(number)
        todo: _Todo = deque()
        body = io.BytesIO()
        body.write(b"<<")
        for key, value in source.items():
            if key == "/Parent":
                continue
            body.write(b" " + _name(key) + b" ")
            self._serialise(value, body, reader, todo)
        body.write(b" /Parent %d 0 R >>" % _PAGES)
        self._write(number, body.getvalue())
        while todo:
            target, obj = todo.popleft()
            out = io.BytesIO()
            self._serialise(obj, out, reader, todo, top=True)
            self._write(target, out.getvalue())

    def _serialise(self, obj: PdfObject, out: io.BytesIO, reader: PdfReader, todo: _Todo, *, top: bool = False) -> None:
        """``obj`` in PDF syntax with references renumbered; referenced objects not yet here join ``todo``."""
        if isinstance(obj, IndirectObject):
            key = (id(reader), obj.idnum, obj.generation)
            if key not in self._copied:
                target = obj.get_object()
                if target is None or _is_page(target):
                    out.write(b"null")
                    return
                self._copied[key] = self._reserve()
                todo.append((self._copied[key], target))
            out.write(b"%d 0 R" % self._copied[key])
        elif isinstance(obj, StreamObject):
            if not top:  # a stream is always an indirect object; a direct one is a broken file
                out.write(b"null")
                return
            data = obj._data if isinstance(obj, EncodedStreamObject) else obj.get_data()
            out.write(b"<<")
            for key, value in obj.items():
                if key != "/Length":
                    out.write(b" " + _name(key) + b" ")
                    self._serialise(value, out, reader, todo)
            out.write(b" /Length %d >>\nstream\n" % len(data))
            out.write(data)
            out.write(b"\nendstream")
        elif isinstance(obj, DictionaryObject):
            out.write(b"<<")
            for key, value in obj.items():
                out.write(b" " + _name(key) + b" ")
                self._serialise(value, out, reader, todo)
            out.write(b" >>")
        elif isinstance(obj, ArrayObject):
            out.write(b"[")
            for item in obj:
                out.write(b" ")
                self._serialise(item, out, reader, todo)
            out.write(b" ]")
        else:
            obj.write_to_stream(out)

    def _reserve(self) -> int:
        self._next += 1
        return self._next - 1

    def _write(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n" % number)
        self._out.write(body)
        self._out.write(b"\nendobj\n")

    def _finish(self) -> None:
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)
        self._write(_PAGES, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._kids)))
        self._write(_CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % _PAGES)
        xref = self._out.tell()
        size = self._next
        self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            offset = self._offsets.get(number)  # a reserved number never written is a free entry
            self._out.write(b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n")
        self._out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, _CATALOG, xref))
        self._out.flush()


def _name(key: str) -> bytes:
    out = io.BytesIO()
    (key if isinstance(key, NameObject) else NameObject(key)).write_to_stream(out)
    return out.getvalue()


def _is_page(obj: PdfObject) -> bool:
    return isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/Page", "/Pages")
