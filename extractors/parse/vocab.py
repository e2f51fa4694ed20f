"""Vocabularies the parser reads by: type names, abbreviations, organ words, provinces."""

from __future__ import annotations

from archive.vntext import fold, parse_symbol

__all__ = [
    "ABBREV_TYPES",
    "PROVINCES",
    "TYPE_NAMES",
    "doc_type_of_abbrev",
    "doc_type_of_name",
    "is_joint_symbol",
]

# Type name as printed in the title line -> doc_type.
TYPE_NAMES: dict[str, str] = {
    "BÁO CÁO": "bao_cao",
    "KẾT LUẬN": "ket_luan",
    "THÔNG BÁO": "thong_bao",
    "KẾ HOẠCH": "ke_hoach",
    "QUY CHẾ": "quy_che",
    "QUY ĐỊNH": "quy_dinh",
    "HƯỚNG DẪN": "huong_dan",
    "CHỈ THỊ": "chi_thi",
    "QUYẾT ĐỊNH": "quyet_dinh",
    "NGHỊ QUYẾT": "nghi_quyet",
    "CÔNG VĂN": "cong_van",
    "BIÊN BẢN": "bien_ban",
    "TỜ TRÌNH": "to_trinh",
}

# Symbol abbreviation (folded, upper) -> doc_type. QĐ is ambiguous (quyết định / quy định):
# the type name in the text decides; QĐ alone means quyết định.
ABBREV_TYPES: dict[str, str] = {
    "BC": "bao_cao",
    "KL": "ket_luan",
    "TB": "thong_bao",
    "KH": "ke_hoach",
    "QC": "quy_che",
    "QDI": "quy_dinh",
    "QYD": "quy_dinh",
    "HD": "huong_dan",
    "CT": "chi_thi",
    "QD": "quyet_dinh",
    "NQ": "nghi_quyet",
    "CV": "cong_van",
    "BB": "bien_ban",
    "TTR": "to_trinh",
}

PROVINCES: tuple[str, ...] = tuple(
    """An Giang|Bà Rịa - Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|Bình Định|Bình Phước|
Bình Thuận|Cà Mau|Cao Bằng|Cần Thơ|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|
Hà Nội|Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|Kon Tum|Lai Châu|Lạng Sơn|
Lào Cai|Lâm Đồng|Long An|Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|
Quảng Ninh|Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|Tiền Giang|
Hồ Chí Minh|Trà Vinh|Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái|Huế""".replace("\n", "").split("|")
)


_JOINT_NAME = ("LIÊN TỊCH", "PHỐI HỢP")


def doc_type_of_name(name: str) -> str | None:
    """``THÔNG BÁO`` → thong_bao; a joint form (``HƯỚNG DẪN LIÊN TỊCH``, ``QUY CHẾ PHỐI HỢP``) is its type."""
    key = " ".join(name.upper().split())
    for suffix in _JOINT_NAME:
        if key.endswith(" " + suffix):
            key = key[: -len(suffix) - 1]
    return TYPE_NAMES.get(key)


def doc_type_of_abbrev(abbrev: str) -> str | None:
    """``TB`` → thong_bao; a joint abbreviation (``HDLT``, ``QCPH``, ``NQLT``) is its type."""
    key = fold(abbrev).upper()
    if key not in ABBREV_TYPES and len(key) > 3 and key.endswith(("LT", "PH")):
        key = key[:-2]
    return ABBREV_TYPES.get(key)


def is_joint_symbol(symbol: str | None) -> bool:
    """A symbol of a document issued by several bodies: its type is a joint one (``QCPH``, ``HDLT``,
    ``NQLT``) or its issuer part names two bodies (``573/KH-UBND-HNDT``, ``07-HDLT/BDVHU-MTTQ``)."""
    parsed = parse_symbol(symbol) if symbol else None
    if parsed is None or parsed.org is None:
        return False
    kind = fold(parsed.type).upper()
    return (len(kind) > 3 and kind.endswith(("LT", "PH"))) or "-" in parsed.org
