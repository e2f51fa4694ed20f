"""The type-name line and the trích yếu (title) under it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.parse.header import proper_case, split_cells
from extractors.parse.vocab import doc_type_of_name

__all__ = ["TitleBlock", "find_type_line", "parse_title"]

_SEARCH_LINES = 60
_RULE = re.compile(r"^\s*[-_=–—.*]{3,}\s*$")
_MAX_TITLE_LINES = 6
_MAX_TITLE_LINE = 160


@dataclass(frozen=True)
class TitleBlock:
    doc_type: str | None
    title: str | None
    end_line: int
    issuer: str | None = None  # the body a "CỦA BAN THƯỜNG VỤ TỈNH ỦY" line of the block names


# A line of the title block that only names the issuing body: "CỦA BAN THƯỜNG VỤ TỈNH ỦY", "của Ban Bí thư".
_OF_BODY = re.compile(
    r"^(?:CỦA|của)\s+(?P<body>(?:BAN|BỘ|TỈNH|THÀNH|HUYỆN|QUẬN|THỊ|ĐẢNG|[ỦU][ỶY]|HỘI|Ban|Bộ|Tỉnh|Thành|Huyện|"
    r"Quận|Thị|Đảng|Ủy|Uỷ|Hội)\b[^,;:.]{0,60})$"
)
# A capitalised line after an ALL-CAPS title that names a body or an authority: the enacting body of a
# decision ("ỦY BAN NHÂN DÂN HUYỆN X", "BAN THƯỜNG VỤ HUYỆN ỦY", "CHỦ TỊCH ỦY BAN NHÂN DÂN …").
_AUTHORITY_LINE = re.compile(
    r"^(?:[ỦU][ỶY] BAN|BAN (?:THƯỜNG VỤ|CHẤP HÀNH|BÍ THƯ)|BỘ CHÍNH TRỊ|CHỦ TỊCH|HỘI ĐỒNG|GIÁM ĐỐC|"
    r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ) [ỦU][ỶY]|ĐẢNG [ỦU][ỶY]|BỘ TRƯỞNG|TRƯỞNG BAN|CHÁNH)\b"
)
_JOINS_NEXT = re.compile(r"\b(?:CỦA|GIỮA|VÀ|VỚI|CHO|VỀ|TẠI|TRONG|TRÊN|ĐỐI VỚI)$", re.IGNORECASE)


def find_type_line(lines: list[str]) -> tuple[int, str] | None:
    """Index and doc_type of the first line that is only a type name (``THÔNG BÁO``)."""
    for i, line in enumerate(lines[:_SEARCH_LINES]):
        cells = split_cells(line)
        if len(cells) == 1:
            doc_type = doc_type_of_name(cells[0])
            if doc_type and cells[0].isupper():
                return i, doc_type
    return None


def parse_title(lines: list[str], type_line: int | None, header_end: int) -> TitleBlock:
    if type_line is not None:
        doc_type = doc_type_of_name(lines[type_line])
        start, body = type_line + 1, None
        nxt = split_cells(lines[start]) if start < len(lines) else []
        of = _OF_BODY.match(nxt[0]) if len(nxt) == 1 else None
        if of:  # KẾT LUẬN / CỦA BAN THƯỜNG VỤ TỈNH ỦY / về …: the trích yếu is the "về …" part
            body, start = of["body"], start + 1
        title = _collect(lines, start)
        return TitleBlock(doc_type, title, type_line + 1, proper_case(body) if body and body.isupper() else body)
    for i, line in enumerate(lines[: header_end + 10]):
        for cell in split_cells(line):
            if cell.startswith("V/v"):
                return TitleBlock("cong_van", _collect(lines, i, first=cell), i + 1)
    return TitleBlock(None, None, header_end)


def _collect(lines: list[str], start: int, first: str | None = None) -> str | None:
    """The title's lines as printed (NFC), joined by one space; it ends where the title block ends:
    a rule, a blank line, "Kính gửi"/"Căn cứ", a body paragraph, or the enacting body's line."""
    parts: list[str] = [first] if first else []
    i = start + (1 if first else 0)
    while i < len(lines) and len(parts) < _MAX_TITLE_LINES:
        cells = split_cells(lines[i])
        text = cells[0] if cells else ""
        if not text or _RULE.match(text) or text.startswith(("Kính gửi", "Căn cứ")):
            break
        if parts and (len(text) > _MAX_TITLE_LINE or text.endswith((".", ":", ";"))):
            break  # a body paragraph follows the title with no blank line or rule between
        if parts and text[:1].isupper() and not text.isupper():
            break  # title lines continue in lower case; a capital starts the body (OCR lost the rule)
        if parts and text.isupper() and _AUTHORITY_LINE.match(text) and not _JOINS_NEXT.search(parts[-1]):
            break  # "ỦY BAN NHÂN DÂN HUYỆN X" under a decision's title: the enacting body, not the title
        parts.append(text)
        i += 1
    if not parts:
        return None
    return " ".join(" ".join(parts).split())


# Words a title printed in capitals keeps capitalised in sentence case (names of bodies, the Party).
_KEEP_CAPS = [
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"), ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"), ("MẶT TRẬN TỔ QUỐC VIỆT NAM", "Mặt trận Tổ quốc Việt Nam"),
    ("ỦY BAN MẶT TRẬN TỔ QUỐC", "Ủy ban Mặt trận Tổ quốc"), ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
    ("BAN BÍ THƯ", "Ban Bí thư"), ("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban Chấp hành Trung ương"),
    ("BAN THƯỜNG VỤ", "Ban Thường vụ"), ("THƯỜNG TRỰC", "Thường trực"), ("BAN DÂN VẬN", "Ban Dân vận"),
    ("TỈNH ỦY", "Tỉnh ủy"), ("THÀNH ỦY", "Thành ủy"), ("HUYỆN ỦY", "Huyện ủy"), ("THỊ ỦY", "Thị ủy"),
    ("QUẬN ỦY", "Quận ủy"), ("ĐẢNG ỦY", "Đảng ủy"), ("CHỦ TỊCH", "Chủ tịch"), ("BÍ THƯ", "Bí thư"),
    ("VIỆT NAM", "Việt Nam"), ("TRUNG ƯƠNG", "Trung ương"), ("ĐẢNG", "Đảng"), ("UBND", "UBND"),
    ("HĐND", "HĐND"), ("MTTQ", "MTTQ"),
]  # fmt: skip
_UNITS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")
_AFTER_UNIT_NOT_NAME = frozenset(
    "VỚI VÀ VỀ CỦA TRONG TRÊN GIỮA TẠI NĂM GIAI ĐOẠN ĐẾN CÁC NHỮNG THEO ĐỂ CHO NHIỆM KỲ".split()  # noqa: SIM905
)


def display_title(title: str | None) -> str | None:
    """The title in sentence case for display. A title printed in lower case only gets its capital;
    one printed in capitals is lowered except names of bodies and places, and only when every name
    in it is known (a place after "TỈNH", "HUYỆN" … must be a known administrative unit): otherwise
    None, and the title is shown as printed."""
    if not title:
        return None
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.9:
        return title[:1].upper() + title[1:]
    from extractors.parse.places import known_place

    words = title.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        core = words[i].strip(",;:.()")
        if any(ch.isdigit() for ch in core):
            out.append(words[i])  # a symbol or a number, as printed
            i += 1
            continue
        for phrase, written in _KEEP_CAPS:
            n = len(phrase.split())
            if " ".join(w.strip(",;:.()") for w in words[i : i + n]) == phrase:
                out.append(
                    _with_punct(words[i + n - 1], " ".join([*words[i : i + n - 1], written.split()[-1]]), written)
                )
                i += n
                break
        else:
            unit = next((u for u in _UNITS if " ".join(words[i : i + len(u.split())]) == u), None)
            if unit:
                n = len(unit.split())
                out.append(" ".join(words[i : i + n]).lower())
                i += n
                name_len = 0
                for k in range(min(4, len(words) - i), 0, -1):
                    cand = " ".join(w.strip(",;:.()") for w in words[i : i + k])
                    if known_place(cand):
                        name_len = k
                        break
                if name_len:
                    out += [w[:1] + w[1:].lower() for w in words[i : i + name_len]]
                    i += name_len
                elif i < len(words) and words[i].strip(",;:.()") not in _AFTER_UNIT_NOT_NAME:
                    return None  # a name we cannot write right
                continue
            out.append(words[i].lower())
            i += 1
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _with_punct(last_word: str, _joined: str, written: str) -> str:
    """``written`` with the punctuation that followed the phrase's last printed word."""
    tail = last_word[len(last_word.rstrip(",;:.()")) :]
    return written + tail
