"""The vocabulary of topics (fields of life) in one place: the parser tags with it, search filters by it."""

from __future__ import annotations

from archive.vntext import fold

__all__ = ["TOPICS", "topic_of"]


# The fields of life a document is about, with the (folded, lower-case) phrases that show it.
# One place for the whole vocabulary: topics are facets in search and headings in reports.
TOPICS: dict[str, tuple[str, ...]] = {
    "đất đai": ("dat dai", "quyen su dung dat", "giay chung nhan quyen su dung", "thu hoi dat", "tranh chap dat"),
    "giải phóng mặt bằng": ("giai phong mat bang", "boi thuong", "tai dinh cu", "ban giao mat bang"),
    "môi trường": ("moi truong", "o nhiem", "rac thai", "nuoc thai"),
    "an sinh xã hội": ("an sinh xa hoi", "nguoi co cong", "ho ngheo", "gia dinh chinh sach", "bao tro xa hoi"),
    "y tế": ("y te", "kham chua benh", "bao hiem y te", "benh vien"),
    "giáo dục": ("giao duc", "truong hoc", "hoc sinh", "giao vien"),
    "giao thông": ("giao thong", "duong lien xa", "cau duong", "tuyen duong"),
    "nông nghiệp": ("nong nghiep", "nong dan", "thuy san", "chan nuoi", "nong thon moi", "don dien doi thua"),
    "an ninh trật tự": ("an ninh trat tu", "trat tu an toan xa hoi", "te nan xa hoi", "an ninh chinh tri"),
    "khiếu nại, tố cáo": ("khieu nai", "to cao", "khieu kien", "tiep cong dan"),
    "việc làm, lao động": ("viec lam", "nguoi lao dong", "dao tao nghe", "chuyen doi nghe"),
    "cải cách hành chính": ("cai cach hanh chinh", "thu tuc hanh chinh", "mot cua", "chuyen doi so"),
    "xây dựng Đảng, chính quyền": ("xay dung dang", "xay dung chinh quyen", "can bo, dang vien"),
    "điện, nước sạch": ("nuoc sach", "dien sinh hoat", "nganh dien", "keo dien"),
    "dân tộc, tôn giáo": ("dong bao dan toc", "dan toc thieu so", "ton giao"),
}


def topic_of(value: str) -> str | None:
    """The vocabulary's name for what a clerk typed (``dat dai`` → ``đất đai``), or None."""
    key = " ".join(fold(value).lower().split())
    for topic in TOPICS:
        if fold(topic).lower() == key:
            return topic
    return None
