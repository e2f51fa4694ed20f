"""The searchable PDF: the scanned pages as images with tesseract's invisible text layer laid
exactly over them, the pages that had a text layer as they were.

The file is written page by page as the pages come, so memory does not grow with the page
count (a 2,000-page scan is a 2,000-page file, not 2,000 pages held until the end): what stays
in memory is each object's offset and, for a page copied from the original, the numbers its
shared objects (fonts, images) were given here, so each is written once.

Object 1 is the catalogue and object 2 the page tree, written last; objects 3-8 the glyphless
font every text layer uses (``extractors.textlayer``). What the original's catalogue holds for its
pages comes along: its optional content (layers hidden by default stay hidden) and its form, with
the fields of the copied pages' widgets (a viewer that fills forms, such as Chrome's, draws a
widget only when its field is in the form: a filled-in value or a signature's stamp).
"""

from __future__ import annotations

import io
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from archive.sealed import Sink, open_sink
from extractors.pdf import BROKEN
from extractors.textlayer import FONT_OBJECTS, Line, font_objects, stream, text_content
from extractors.worker import is_resource_error

__all__ = ["SearchablePdf"]

_CATALOG, _PAGES, _FONT = 1, 2, 3
_Todo = deque[tuple[int, PdfObject]]  # (number here, object of the original) still to write
_Key = tuple[int, int, int]  # (reader, idnum, generation): an object of an original
# Form entries not taken: the fields are those of the copied widgets, and an XFA form or a
# calculation order would describe the whole original.
_NOT_FORM = ("/Fields", "/XFA", "/CO")
_JPEG_QUALITY = 85


class SearchablePdf:
    """``with SearchablePdf(path) as doc: doc.add_…`` writes ``path``, pages in the order added;
    sealed with ``seal`` when given (archive/sealed.py)."""

    def __init__(self, path: Path, *, seal: bytes | None = None) -> None:
        self._out: Sink = open_sink(path, seal)
        self._offsets: dict[int, int] = {}
        self._next = _FONT + FONT_OBJECTS
        self._kids: list[int] = []
        self._copied: dict[_Key, int] = {}  # an object of an original -> its number here
        self._originals: dict[int, _Original] = {}  # id(reader) -> what is known of that original
        self._layers: bytes | None = None  # the original's /OCProperties, renumbered
        self._form: bytes | None = None  # the original's /AcroForm entries but its fields, renumbered
        self._fields: dict[int, None] = {}  # numbers here of the fields the copied widgets belong to
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
        rest of its document in; so does an object the original cannot give (missing or broken)."""
        todo: _Todo = deque()
        original = self._original(reader, todo)
        source = reader.pages[index]
        number = self._reserve()
        self._kids.append(number)
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
        if original.fields:
            for annotation in _array(_entry(source, "/Annots")):
                field = _field(annotation, original.fields)
                if field is not None and (id(reader), *field) in self._copied:
                    self._fields[self._copied[(id(reader), *field)]] = None

    def _original(self, reader: PdfReader, todo: _Todo) -> _Original:
        """What is known of ``reader``: learnt, and its catalogue's layers and form taken, the first time."""
        known = self._originals.get(id(reader))
        if known is not None:
            return known
        pages = frozenset(_ref(p.indirect_reference) for p in reader.pages if p.indirect_reference is not None)
        known = self._originals[id(reader)] = _Original(pages, frozenset())
        root = _entry(reader.trailer, "/Root")
        layers = _entry(root, "/OCProperties")  # a direct dictionary, written in the catalogue
        if self._layers is None and isinstance(layers, DictionaryObject):
            out = io.BytesIO()
            self._serialise(layers, out, reader, todo)
            self._layers = out.getvalue()
        form = _entry(root, "/AcroForm")
        if not isinstance(form, DictionaryObject):
            return known
        listed = _array(_entry(form, "/Fields"))
        known = known._replace(fields=frozenset(_ref(f) for f in listed if isinstance(f, IndirectObject)))
        self._originals[id(reader)] = known
        if self._form is None:
            out = io.BytesIO()
            for key, value in form.items():
                if key not in _NOT_FORM:
                    out.write(b" " + _name(key) + b" ")
                    self._serialise(value, out, reader, todo)
            self._form = out.getvalue()
        return known

    def _serialise(self, obj: PdfObject, out: io.BytesIO, reader: PdfReader, todo: _Todo, *, top: bool = False) -> None:
        """``obj`` in PDF syntax with references renumbered; referenced objects not yet here join ``todo``."""
        if isinstance(obj, IndirectObject):
            key = (id(reader), obj.idnum, obj.generation)
            if key not in self._copied:
                target = _resolve(obj)
                if target is None or _is_page(target) or _ref(obj) in self._originals[id(reader)].pages:
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
        elif isinstance(obj, (TextStringObject, ByteStringObject)):
            out.write(_string(obj.get_encoded_bytes() if isinstance(obj, TextStringObject) else bytes(obj)))
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
        catalogue = b"<< /Type /Catalog /Pages %d 0 R" % _PAGES
        if self._layers is not None:
            catalogue += b" /OCProperties " + self._layers
        if self._form is not None and self._fields:
            fields = b" ".join(b"%d 0 R" % field for field in self._fields)
            catalogue += b" /AcroForm << /Fields [%s]%s >>" % (fields, self._form)
        self._write(_CATALOG, catalogue + b" >>")
        xref = self._out.tell()
        size = self._next
        self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            offset = self._offsets.get(number)  # a reserved number never written is a free entry
            self._out.write(b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 65535 f \n")
        self._out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, _CATALOG, xref))
        self._out.flush()


class _Original(NamedTuple):
    pages: frozenset[tuple[int, int]]  # its pages, with a /Type or not: never copied as objects
    fields: frozenset[tuple[int, int]]  # the fields its form lists


def _ref(obj: IndirectObject) -> tuple[int, int]:
    return obj.idnum, obj.generation


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    """``obj``, or the object it refers to; None when the original cannot give it (missing or broken)."""
    try:
        return None if obj is None else obj.get_object()
    except (*BROKEN, OSError) as exc:
        if is_resource_error(exc):
            raise
        return None


def _entry(obj: PdfObject | None, key: str) -> PdfObject | None:
    """``obj[key]`` resolved; None when ``obj`` is not a dictionary, has no ``key`` or cannot give it."""
    return _resolve(obj.raw_get(key)) if isinstance(obj, DictionaryObject) and key in obj else None


def _array(obj: PdfObject | None) -> list[PdfObject]:
    return list(obj) if isinstance(obj, ArrayObject) else []


def _field(annotation: PdfObject, listed: frozenset[tuple[int, int]]) -> tuple[int, int] | None:
    """The field of the form that widget ``annotation`` belongs to: the highest of it and its
    ancestors that the form lists (the root of its field tree, in a well-made file)."""
    if _entry(_resolve(annotation), "/Subtype") != "/Widget":
        return None
    found, seen = None, set()
    ref: PdfObject | None = annotation
    while isinstance(ref, IndirectObject) and _ref(ref) not in seen:
        seen.add(_ref(ref))
        if _ref(ref) in listed:
            found = _ref(ref)
        node = _resolve(ref)
        ref = node.raw_get("/Parent") if isinstance(node, DictionaryObject) and "/Parent" in node else None
    return found


def _string(raw: bytes) -> bytes:
    """``raw`` as a literal string, escaped only where it would end early or read differently
    (a bare CR is read as LF): pypdf's own writer spells most bytes out, up to 4 times the size."""
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r")
    return b"(" + escaped + b")"


def _name(key: str) -> bytes:
    out = io.BytesIO()
    (key if isinstance(key, NameObject) else NameObject(key)).write_to_stream(out)
    return out.getvalue()


def _is_page(obj: PdfObject) -> bool:
    return isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/Page", "/Pages")
