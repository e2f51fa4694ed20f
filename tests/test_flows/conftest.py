from __future__ import annotations

from pathlib import Path

import pytest

from tests.makers import make_docx, make_pdf


@pytest.fixture
def mixed_inbox(tmp_path: Path) -> Path:
    """An inbox as a night might leave it: good TXT, DOCX and PDF, a copy, and broken files."""
    inbox = tmp_path / "inbox"
    (inbox / "2024").mkdir(parents=True)
    tb = (
        "TỈNH ỦY CẦN THƠ        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 386-TB/TU        Cần Thơ, ngày 11 tháng 8 năm 2016\n\n"
        "THÔNG BÁO\nkết luận về giải phóng mặt bằng khu tái định cư\n-----\n"
        "Các hộ dân nêu ý kiến về giải phóng mặt bằng và đơn giá bồi thường.\n"
    )
    (inbox / "thong-bao-386.txt").write_text(tb, encoding="utf-8")
    (inbox / "2024" / "ban sao cua thong bao.txt").write_text(tb, encoding="utf-8")  # same bytes, other name
    make_docx(
        inbox / "ke-hoach.docx",
        ["KẾ HOẠCH", "tổ chức tiếp xúc, đối thoại năm 2024", "Nội dung: đất đai, môi trường, an sinh xã hội."],
        header_cells=(
            ["TỈNH ỦY HẬU GIANG", "*", "Số 238-KH/TU"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hậu Giang, ngày 17 tháng 01 năm 2024"],
        ),
    )
    make_pdf(
        inbox / "bao-cao.pdf",
        [
            "TỈNH ỦY HẬU GIANG\n*\nSố 215-BC/TU\nHậu Giang, ngày 25 tháng 11 năm 2024\n\nBÁO CÁO\n"
            "sơ kết 05 năm thực hiện Quyết định số 1681-QĐ/TU\n-----",
            "Qua 05 năm đã tổ chức 779 cuộc tiếp xúc, đối thoại với 61.759 lượt nhân dân tham dự.",
        ],
    )
    (inbox / "tcvn3-cu.txt").write_bytes(bytes.fromhex("54b66e6820ad792048c97520476961 6e67".replace(" ", "")) * 30)
    (inbox / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF")
    (inbox / "rong.docx").touch()
    return inbox
