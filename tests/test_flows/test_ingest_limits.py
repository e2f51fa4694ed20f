"""What a night's ingest does with the files that used to stop it or were refused.

An old .doc is archived with its converted PDF beside the untouched original; a PDF that
keeps the reader busy too long or whose page tree is too deep is quarantined with the reason,
and the good file of the same run is archived.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pypdf import PdfReader

from archive.settings import Settings
from archive.store import SEARCHABLE_PDF
from flows.local import ingest_direct
from tests.hostile import deep_page_tree_pdf, office_copy, shared_stream_pdf
from tests.makers import make_docx


def test_an_old_word_file_is_archived_with_its_pdf_beside_the_original(tmp_path: Path, settings: Settings) -> None:
    docx = make_docx(
        tmp_path / "thong-bao.docx",
        ["THÔNG BÁO", "kết luận của Bí thư Tỉnh ủy về giải phóng mặt bằng ở huyện Quỳnh Lưu"],
        header_cells=(
            ["TỈNH ỦY NGHỆ AN", "*", "Số 1876-TB/TU"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Nghệ An, ngày 29 tháng 5 năm 2019"],
        ),
    )
    (tmp_path / "src").mkdir()
    doc = office_copy(docx, "doc", tmp_path / "src")
    digest = hashlib.sha256(doc.read_bytes()).hexdigest()
    [outcome] = ingest_direct([doc], settings)
    assert outcome.status == "archived", outcome.reason
    assert outcome.id == digest and outcome.number_symbol == "1876-TB/TU"
    folder = next(settings.store_dir.rglob(SEARCHABLE_PDF)).parent
    originals = [p for p in folder.iterdir() if p.name.startswith("original")]
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in originals] == [digest]  # untouched
    assert "Quỳnh Lưu" in PdfReader(str(folder / SEARCHABLE_PDF)).pages[0].extract_text()


def test_files_that_stopped_the_reader_are_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", workers=2, text_file_timeout=2)
    src = tmp_path / "src"
    src.mkdir()
    shared_stream_pdf(src / "chung-noi-dung.pdf", pages=20)
    deep_page_tree_pdf(src / "cay-sau.pdf")
    (src / "tot.txt").write_text("Thông báo kết luận hội nghị đối thoại với nhân dân xã Quỳnh Thạch.", encoding="utf-8")
    got = {Path(o.path).name: o for o in ingest_direct([src], settings)}
    assert got["tot.txt"].status == "archived"
    assert got["chung-noi-dung.pdf"].status == "quarantined"
    assert "DOITHOAI_TEXT_FILE_TIMEOUT" in (got["chung-noi-dung.pdf"].reason or "")
    assert got["cay-sau.pdf"].status == "quarantined"  # was "failed": retried every night forever
    assert "PDF hỏng" in (got["cay-sau.pdf"].reason or "")
