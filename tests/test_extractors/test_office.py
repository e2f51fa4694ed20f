"""Old office files are converted by a real LibreOffice and read; the PDF is kept beside them.

The fixtures are made by LibreOffice itself from a DOCX (Word 97 .doc, RTF, ODT) and a CSV
(Excel 97 .xls), once for the module.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.errors import ExtractionError, InputRejected
from archive.settings import Settings
from extractors import extract, sniff
from tests.hostile import office_copy
from tests.makers import make_docx

TEXT = ["THÔNG BÁO", "Kết luận về giải phóng mặt bằng và tái định cư ở xã Quỳnh Thạch, huyện Quỳnh Lưu."]


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    docx = make_docx(folder / "thong-bao.docx", TEXT)
    csv = folder / "so-lieu.csv"
    csv.write_text("Chỉ tiêu,Số lượng\nSố cuộc đối thoại,12\nÝ kiến của nhân dân,345\n", encoding="utf-8")
    files = {fmt: office_copy(docx, fmt, folder) for fmt in ("doc", "rtf", "odt")}
    files["xls"] = office_copy(csv, "xls", folder, infilter="CSV:44,34,76")
    return files


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("doc", "application/msword"),
        ("rtf", "application/rtf"),
        ("odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_old_word_files_are_read_and_converted_beside_the_original(
    office_files: dict[str, Path], tmp_path: Path, settings: Settings, fmt: str, media_type: str
) -> None:
    original = office_files[fmt]
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    converted = tmp_path / "searchable.pdf"
    extraction = extract(original, settings, searchable_pdf=converted)
    assert sniff(original) == fmt
    assert extraction.media_type == media_type
    assert "giải phóng mặt bằng và tái định cư ở xã Quỳnh Thạch" in extraction.text
    assert "THÔNG BÁO" in extraction.pages[0].text
    assert "Quỳnh Lưu" in PdfReader(str(converted)).pages[0].extract_text()
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before


def test_an_old_excel_file_is_read(office_files: dict[str, Path], settings: Settings) -> None:
    extraction = extract(office_files["xls"], settings)
    assert extraction.media_type == "application/vnd.ms-excel"
    assert "Ý kiến của nhân dân" in extraction.text and "345" in extraction.text


def test_a_conversion_over_its_time_limit_is_killed_with_its_process_group(
    office_files: dict[str, Path], tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "h", office_timeout=0.05)
    with pytest.raises(InputRejected, match="DOITHOAI_OFFICE_TIMEOUT"):
        extract(office_files["doc"], settings)
    deadline = time.monotonic() + 10  # SIGKILL was sent; the kernel may take a moment to end them
    while _office_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _office_processes() == []


def _office_processes() -> list[str]:
    """Live processes whose command line points into a conversion's folder."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if b"doithoai-office-" in (proc / "cmdline").read_bytes() and ") Z" not in (proc / "stat").read_text():
                found.append(proc.name)
        except OSError:
            continue
    return found


def test_a_broken_doc_is_the_files_fault(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "hong.doc"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    f.write_bytes(header + "WordDocument".encode("utf-16-le") + os.urandom(4000))
    assert sniff(f) == "doc"
    with pytest.raises(ExtractionError, match="LibreOffice không chuyển được"):
        extract(f, settings)


def test_an_old_office_file_of_another_kind_is_refused(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "trinh-chieu.ppt"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "PowerPoint Document".encode("utf-16-le"))
    with pytest.raises(InputRejected, match="không phải Word hay Excel"):
        extract(f, settings)
