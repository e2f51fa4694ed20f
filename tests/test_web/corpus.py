"""The archive the web tests read: the bundled samples plus documents made for what a page must show."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Cited by the sample notice 1876-TB/TU of Tỉnh ủy Nghệ An ("Kế hoạch số 172-KH/TU"): both ways link.
PLAN_NGHE_AN = """ĐẢNG BỘ TỈNH NGHỆ AN
TỈNH ỦY NGHỆ AN
*
Số 172-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 15 tháng 01 năm 2019

KẾ HOẠCH
tổ chức hội nghị tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy với nhân dân năm 2019

Thực hiện Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch
tổ chức hội nghị tiếp xúc, đối thoại trực tiếp với nhân dân các huyện trong năm 2019, tập trung vào đất đai,
môi trường và giải phóng mặt bằng.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Đắc Vinh
"""

# A dialogue held in 2025 whose notice of conclusions was never archived: overdue on the calendar.
MINUTES_2025 = """ĐẢNG BỘ TỈNH NGHỆ AN
HUYỆN ỦY QUỲNH LƯU
*
Số 05-BB/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Quỳnh Lưu, ngày 10 tháng 3 năm 2025

BIÊN BẢN
hội nghị tiếp xúc, đối thoại trực tiếp giữa Bí thư Huyện ủy với nhân dân xã Quỳnh Thạch

Hôm nay, ngày 10/3/2025, tại Hội trường UBND xã Quỳnh Thạch, đồng chí Bí thư Huyện ủy chủ trì hội nghị tiếp xúc,
đối thoại trực tiếp với nhân dân. Có 120 đại biểu tham dự, nêu 14 ý kiến về đất đai và giao thông nông thôn.

THƯ KÝ
Trần Thị Hoa
"""

NEWS = """Tin bài số {n}: hội nghị đối thoại ở xã thứ {n}

Ngày {d} tháng 4 năm 2023, Ủy ban nhân dân xã tổ chức hội nghị đối thoại với nhân dân về vệ sinh môi trường
và đường giao thông nông thôn. Có {p} người dân dự, nêu nhiều ý kiến xác đáng.
"""


def make_inbox(folder: Path) -> Path:
    """The samples, the Nghệ An plan, the 2025 minutes and 24 short news items (so results span pages)."""
    shutil.copytree(REPO / "samples" / "inbox", folder)
    (folder / "ke-hoach-nghe-an-2019.txt").write_text(PLAN_NGHE_AN, encoding="utf-8")
    (folder / "bien-ban-quynh-luu-2025.txt").write_text(MINUTES_2025, encoding="utf-8")
    (folder / "thong-bao-mat-dien-chau.txt").write_text(SECRET, encoding="utf-8")
    for n in range(1, 25):
        (folder / f"tin-doi-thoai-{n:02d}.txt").write_text(NEWS.format(n=n, d=n, p=40 + n), encoding="utf-8")
    return folder


# Marked MẬT: the default principal (clearance none) must never see it, by search, id or number.
SECRET = """TỈNH ỦY NGHỆ AN
*
Số 99-TB/TU
MẬT
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 20 tháng 6 năm 2019

THÔNG BÁO
kết luận về việc xử lý đơn thư vượt cấp tại huyện Diễn Châu

Ban Thường vụ Tỉnh ủy kết luận về việc giải quyết dứt điểm đơn thư vượt cấp, bảo vệ bí mật người tố cáo.
Thực hiện Kế hoạch số 172-KH/TU của Tỉnh ủy.

T/L BAN THƯỜNG VỤ
CHÁNH VĂN PHÒNG
Hoàng Văn Tuấn
"""
