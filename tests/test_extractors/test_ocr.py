"""Scanned pages: real tesseract (vie) on page images made at test time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive import InputRejected, Settings, ToolMissing
from extractors import extract
from tests.makers import page_image, scanned_pdf

LINES = [
    "TỈNH ỦY HẬU GIANG",
    "Số 23-CT/TU",
    "CHỈ THỊ",
    "về nâng cao chất lượng tiếp xúc, đối thoại trực tiếp",
    "của người đứng đầu cấp ủy đảng, chính quyền với nhân dân",
    "Giải phóng mặt bằng, đất đai, môi trường là các vấn đề bức xúc.",
]


def test_a_scanned_image_is_read_with_its_confidence(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "scan.png"
    page_image(LINES, skew=1.5).save(f, dpi=(300, 300))
    [page] = extract(f, settings).pages
    assert page.method == "ocr"
    assert page.confidence is not None and page.confidence > 80
    assert "Số 23-CT/TU" in page.text
    assert "giải phóng mặt bằng" in page.text.lower()
    assert "low_confidence" not in page.flags


def test_a_page_scanned_sideways_is_turned(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "nghieng.png"
    page_image(LINES, rotate=90).save(f, dpi=(300, 300))
    [page] = extract(f, settings).pages
    assert "rotated_90" in page.flags or "rotated_270" in page.flags
    assert "tiếp xúc, đối thoại" in page.text


def test_a_page_scanned_upside_down_is_turned(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "nguoc.png"
    page_image(LINES * 3, rotate=180).save(f, dpi=(300, 300))  # portrait: found by its bad first reading
    [page] = extract(f, settings).pages
    assert "rotated_180" in page.flags
    assert "tiếp xúc, đối thoại" in page.text and "low_confidence" not in page.flags


def test_a_mixed_pdf_reads_text_pages_and_ocrs_the_scanned_one(tmp_path: Path, settings: Settings) -> None:
    f = scanned_pdf(
        tmp_path / "mixed.pdf",
        ["Trang một có lớp chữ: Ban Dân vận Tỉnh ủy hướng dẫn tổ chức đối thoại với nhân dân.",
         page_image(LINES, dpi=200),
         "Trang ba có lớp chữ: báo cáo kết quả giải quyết ý kiến, kiến nghị của nhân dân."],
        dpi=200,
    )  # fmt: skip
    out = tmp_path / "searchable.pdf"
    pages = extract(f, settings, searchable_pdf=out).pages
    assert [p.method for p in pages] == ["text", "ocr", "text"]
    assert "23-CT/TU" in pages[1].text
    reader = PdfReader(str(out))
    assert len(reader.pages) == 3
    assert "23-CT/TU" in reader.pages[1].extract_text()
    assert "Ban Dân vận" in reader.pages[0].extract_text()


def test_multi_page_tiff(tmp_path: Path, settings: Settings) -> None:
    first, second = page_image(LINES[:3], dpi=200), page_image(["Trang hai: môi trường, an sinh xã hội."], dpi=200)
    f = tmp_path / "hai-trang.tif"
    first.save(f, save_all=True, append_images=[second], dpi=(200, 200), compression="tiff_deflate")
    out = tmp_path / "s.pdf"
    pages = extract(f, settings, searchable_pdf=out).pages
    assert len(pages) == 2 and "môi trường" in pages[1].text
    assert len(PdfReader(str(out)).pages) == 2


def test_a_fax_with_oblong_pixels_is_read_at_square_pixels(tmp_path: Path, settings: Settings) -> None:
    """A fax in "normal" mode is 204×98 dpi: every scan line stands for two. Read as it is stored,
    the letters are half as tall as they are wide and tesseract reads little of them."""
    from PIL import Image

    page = page_image(LINES, dpi=204)
    squat = page.resize((page.width, round(page.height * 98 / 204)), Image.Resampling.BOX).convert("1")
    f = tmp_path / "fax.tif"
    squat.save(f, dpi=(204, 98), compression="group4")
    out = tmp_path / "fax.pdf"
    [read] = extract(f, settings, searchable_pdf=out).pages
    assert "Số 23-CT/TU" in read.text
    assert "giải phóng mặt bằng" in read.text.lower()
    width, height = PdfReader(str(out)).pages[0].mediabox.upper_right  # the searchable page is A4-shaped again
    assert abs(float(height) / float(width) - 11.69 / 8.27) < 0.02


def test_an_oversized_image_is_refused_before_decoding(tmp_path: Path) -> None:
    f = tmp_path / "to.png"
    page_image(["x"], dpi=100).save(f)
    with pytest.raises(InputRejected, match="điểm ảnh"):
        extract(f, Settings(home=tmp_path / "h", max_pixels=100_000))


def test_missing_language_data_names_the_package_to_install(tmp_path: Path) -> None:
    f = tmp_path / "scan.png"
    page_image(LINES[:2], dpi=150).save(f)
    code = (
        "import sys; from pathlib import Path; from archive import Settings; from extractors import extract\n"
        f"extract(Path({str(f)!r}), Settings(home=Path({str(tmp_path / 'h')!r})))"
    )
    env = {**os.environ, "TESSDATA_PREFIX": str(tmp_path)}  # a tessdata folder with no languages
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=Path(__file__).parents[2]
    )
    assert proc.returncode != 0
    assert "ToolMissing" in proc.stderr
    assert "apt-get install tesseract-ocr-vie" in proc.stderr


def test_tool_missing_is_an_infrastructure_error() -> None:
    from archive.errors import InfrastructureError

    assert issubclass(ToolMissing, InfrastructureError)


def test_a_page_that_reads_badly_is_flagged_for_a_human(tmp_path: Path, settings: Settings) -> None:
    import numpy as np
    from PIL import Image

    noise = np.random.default_rng(7).integers(0, 255, size=(1100, 850), dtype=np.uint8)
    f = tmp_path / "nhieu.png"
    Image.fromarray(noise).save(f, dpi=(100, 100))
    [page] = extract(f, settings).pages
    assert "low_confidence" in page.flags or "no_text" in page.flags


def test_a_scanned_notice_is_understood_from_its_ocr_text(tmp_path: Path, settings: Settings) -> None:
    """OCR joins the header's two columns with one space; the parser still finds number, date, issuer."""
    from extractors import parse
    from tests.makers import official_page_image

    image = official_page_image(
        "TỈNH ỦY NGHỆ AN", "Số 1876-TB/TU", "Nghệ An, ngày 29 tháng 5 năm 2019", "THÔNG BÁO",
        ["kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại", "với nhân dân huyện Quỳnh Lưu"],
        ["Thực hiện Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị, ngày 21/5/2019,",
         "đồng chí Bí thư Tỉnh ủy chủ trì hội nghị với 385 đại biểu; có 19 lượt ý kiến phát biểu."],
    ).rotate(1.2, fillcolor=255)  # fmt: skip
    f = tmp_path / "tb-quet.png"
    image.save(f, dpi=(200, 200))
    record = parse(extract(f, settings))
    assert (record.doc_type, record.number_symbol, str(record.issue_date)) == ("thong_bao", "1876-TB/TU", "2019-05-29")
    assert (record.issuer, record.province) == ("Tỉnh ủy Nghệ An", "Nghệ An")
    assert [c.number_symbol for c in record.citations] == ["11-QĐi/TW"]
    assert ("tinh", "luot_nguoi", 385) in {(s.level, s.metric, s.value) for s in record.statistics}
