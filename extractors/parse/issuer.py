"""The issuer of a document that prints no header block (many reports as published on the web):
read from its own text, and marked as inferred.

The body that writes the document names itself as the subject of the verb of writing:
"Tỉnh ủy báo cáo kết quả …", "Huyện ủy Chư Sê báo cáo …", "Ủy ban nhân dân xã Hải Phong xây dựng
Kế hoạch …", "Ban Thường vụ Huyện ủy thông báo …". A name left out ("Tỉnh ủy") is completed from the
text: the province it names ("trên địa bàn tỉnh Hậu Giang") or the body's own name elsewhere
("Bí thư Huyện ủy Ia Lâm"). Documents of a standing committee carry the committee's name, as their
header would ("Ban Thường vụ Huyện ủy thông báo" → Huyện ủy Ia Lâm).
"""

from __future__ import annotations

import re

__all__ = ["central_issuer", "complete_name", "infer_issuer"]

_NAME = r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]*){0,3}"
_COMMITTEE = r"(?:Tỉnh|Thành|Huyện|Thị|Quận) ủy"
_UNIT = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)"
_BODY = (
    rf"(?P<body>(?:Ban Thường vụ |Thường trực )?{_COMMITTEE}(?:\s+(?P<n1>{_NAME}))?"
    rf"|Ban (?:Dân vận|Tuyên giáo(?: và Dân vận)?|Tổ chức|Nội chính|Tiếp công dân) (?:{_COMMITTEE}|{_UNIT})"
    rf"(?:\s+(?P<n2>{_NAME}))?"
    rf"|Đảng ủy {_UNIT}(?:\s+(?P<n3>{_NAME}))?"
    rf"|(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND) (?P<unit>{_UNIT})(?:\s+(?P<n4>{_NAME}))?)"
)
_WRITES = re.compile(
    rf"(?:^|[.;:]\s+|\n|,\s+){_BODY}\s+(?:báo cáo|kết luận|thông báo|xây dựng|ban hành|hướng dẫn|sơ kết|"
    r"tổng kết|đánh giá|tổng hợp)\b"
)
_T_M = re.compile(r"^T/M\s+(?P<body>BỘ CHÍNH TRỊ|BAN BÍ THƯ|BAN CHẤP HÀNH TRUNG ƯƠNG)\b")
_CENTRAL_NAMES = {"BỘ CHÍNH TRỊ": "Bộ Chính trị", "BAN BÍ THƯ": "Ban Bí thư",
                  "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương"}  # fmt: skip


def central_issuer(authority: str | None, block_body: str | None) -> str | None:
    """A document headed BAN CHẤP HÀNH TRUNG ƯƠNG is issued by the body of its T/M line."""
    m = _T_M.match(authority or "")
    if m:
        return _CENTRAL_NAMES[m["body"]]
    if block_body and block_body.upper() in _CENTRAL_NAMES:
        return _CENTRAL_NAMES[block_body.upper()]
    return None


def infer_issuer(text: str, province: str | None) -> str | None:
    """The body that names itself as the writer in the first paragraphs, its name completed."""
    m = _WRITES.search(text[:4000])
    if not m:
        return None
    name = next((m[g] for g in ("n1", "n2", "n3", "n4") if m[g]), None)
    body = m["body"]
    if name:
        body = body[: body.rindex(name)].strip()
    body = re.sub(r"^(?:Ban Thường vụ|Thường trực) ", "", body)
    body = re.sub(r"^(?:Uỷ ban nhân dân|UBND)\b", "Ủy ban nhân dân", body)
    return complete_name(body, name, text, province)


def complete_name(body: str, name: str | None, text: str, province: str | None) -> str:
    """``Tỉnh ủy`` + the province; ``Huyện ủy`` + its name as the text gives it elsewhere."""
    if name:
        return f"{body} {name}"
    if re.search(r"(?:Tỉnh ủy|tỉnh)$", body) and province:
        return f"{body} {province}"
    if re.search(r"(?:Thành ủy|thành phố)$", body) and province:
        return f"{body} {province}"
    last = body.split()[-1] if body.split() else ""
    key = re.escape(body.split(" ", 1)[-1] if body.startswith(("Ban ", "Đảng ủy")) else body)
    m = re.search(rf"\b{key}\s+({_NAME})", text)
    if m and last:
        return f"{body} {m[1]}"
    return body
