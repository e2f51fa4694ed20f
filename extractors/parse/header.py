"""The header of an official document: number and symbol, place and date, issuing body.

Works on the flattened text extraction produces: two header columns on one line
(separated by spaces, tabs or ``|``), left column then right or the reverse.
The header, not the first date in the text, gives the issue date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from archive.vntext import normalize_symbol, parse_symbol, syllable_share
from extractors.parse.places import province_of
from extractors.parse.vocab import is_joint_symbol

__all__ = ["Header", "parse_header", "proper_case", "split_cells"]

_HEADER_LINES = 40
_CELL_SPLIT = re.compile(r"\t+|\s{3,}|\s*\|\s*")
_NUMBER = re.compile(r"^Số\s*:?\s*(?P<sym>.+)$", re.IGNORECASE)
_PLACE_NO_DAY = re.compile(
    r"^(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ .'-]{1,40}?)\s*,\s*ngày(?:\s*$|\s+(?:tháng\s+[01]?\d\s+)?(?:tháng|năm)\b)"
)
_PLACEDATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ .'-]{1,40}?)\s*,\s*ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)"
    r"\s+năm\s+(?P<y>(?:19|20)\d{2})"
)
# Web copies write the date in figures: "Hải Phòng, ngày 09/10/2018", "Hà Nội, 03.4.2018".
_PLACEDATE_NUM = re.compile(
    r"(?!Thứ|Chủ nhật|Cập nhật|Đăng|Ngày|Th\s)(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ .'-]{1,40}?)\s*,\s*(?:ngày\s+)?"
    r"(?P<d>[0-3]?\d)\s*(?P<s>[/.-])\s*(?P<m>[01]?\d)(?P=s)"
    r"\s*(?P<y>(?:19|20)\d{2})(?![\d/])"
)
_MOTTO = re.compile(
    r"^(?:ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|"
    r"Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc)$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^[\s*_\-=–—.·+]*$")  # OCR reads the centred asterisk as "+" too
_MOTTO_ANYWHERE = re.compile(
    r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H(?:ÒA|OÀ|OA) XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc",
    re.IGNORECASE,
)
_ORGAN = re.compile(
    r"\b(?:[ỦU][ỶY]|BAN|VĂN PHÒNG|SỞ|ĐẢNG BỘ|UBND|HĐND|HỘI ĐỒNG|BỘ|CHÍNH PHỦ|THANH TRA|CÔNG AN|MẶT TRẬN|"
    r"ĐOÀN|HỘI|TỈNH|HUYỆN|XÃ|PHƯỜNG|THÀNH PHỐ|QUẬN)\b"
)
_MARKS = re.compile(r"^(?:MẬT|TỐI MẬT|TUYỆT MẬT|KHẨN|THƯỢNG KHẨN|HỎA TỐC|HOẢ TỐC|DỰ THẢO)$")
_SIGN_AUTHORITY = re.compile(r"^(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|TUQ\.)\s")
_BODY_ENDS = re.compile(r"^(?:Kính gửi|Nơi nhận)\b", re.IGNORECASE)
_MAX_ORGAN_LINES = 6


@dataclass(frozen=True)
class Header:
    number_symbol: str | None
    issue_date: date | None
    place: str | None
    issuer: str | None
    province: str | None
    end_line: int  # index of the first line after the header block
    issuers: tuple[str, ...] = ()  # each issuing body, lead first (two for a joint document)


# A date line cut by the page's width or by OCR: "Nghệ An, ngày 29 tháng 5 năm" / "2019".
_DATE_CUT = re.compile(r",\s*ngày(?:\s+[0-3]?\d(?:\s+tháng(?:\s+[01]?\d(?:\s+năm)?)?)?)?\s*$")


def _wrapped_date(cell: str, later: list[str]) -> re.Match[str] | None:
    """The place-date whose end wrapped into a cell of one of the next two lines."""
    if not _DATE_CUT.search(cell):
        return None
    for line in later[:2]:
        for rest in _header_cells(line):
            if m := _PLACEDATE.search(f"{cell} {rest}"):
                return m
    return None


def split_cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line) if c.strip()]


def parse_header(lines: list[str], type_line: int | None) -> Header:
    """Read the header block: lines before the type-name line (or the first 40 lines)."""
    stop = type_line if type_line is not None else min(len(lines), _HEADER_LINES)
    symbol = issue = place = None
    organ: list[str] = []
    organ_line = -2
    for i, line in enumerate(lines[:stop]):
        if _BODY_ENDS.match(line.strip()):
            break  # a công văn's body (or the closing) begins: no header cell after this
        for j, cell in enumerate(_header_cells(line)):
            m = _NUMBER.match(cell)
            if m and symbol is None:
                found, rest = _symbol_of(m["sym"])
                if found is None and not re.match(r"^[\s\d]*[-/]", m["sym"]):
                    pass  # "Số liệu …", "Số hiệu …": a word, not the number line
                else:
                    symbol = found
                    if not rest:
                        continue
                    cell = rest  # OCR put the place-date on the number's line: "Số 12-TB/TU Hà Nội, ngày …"
            elif m is None and (blank_number := re.match(r"^[-/][^\s,]*\s+(?=[A-ZĐÀ-Ỹ])", cell)):
                cell = cell[blank_number.end() :]  # "-BC/ĐU Kim Chung, ngày …": a blank number's rest
            pd = (
                _PLACEDATE.search(cell)
                or _PLACEDATE_NUM.fullmatch(cell.strip())
                or _wrapped_date(cell, lines[i + 1 : stop])
            )
            if pd and issue is None:
                issue = _date(pd)
                place = pd["place"].strip()
                continue
            if place is None and (blank := _PLACE_NO_DAY.search(cell)):
                place = blank["place"].strip()  # a draft's date line with the day left blank
                continue
            if _MOTTO.match(cell) or _RULE.match(cell) or _MARKS.match(cell) or cell.startswith("V/v"):
                continue
            if _SIGN_AUTHORITY.match(cell):
                continue
            if (
                cell.isupper()
                and organ
                and organ_line == i - 1
                and j == 0
                and not _ORGAN.search(cell)
                and syllable_share(cell) == 1.0  # a place name, not the asterisk read as "SIÍ"
            ):
                organ[-1] = f"{organ[-1]} {cell}"  # the name wrapped in its column: "… ĐẢNG BỘ TỈNH / QUẢNG BÌNH"
                organ_line = i
            elif cell.isupper() and len(organ) < _MAX_ORGAN_LINES and (organ or _ORGAN.search(cell)):
                organ.append(cell)
                organ_line = i
    groups = _issuer_groups(organ) if is_joint_symbol(symbol) else [organ[:3]]
    issuers = tuple(name for g in groups if (name := issuer_name(g)))
    issuer = "; ".join(issuers) if issuers else None
    return Header(
        number_symbol=symbol,
        issue_date=issue,
        place=place,
        issuer=issuer,
        # a commune body's place is the commune, whose name may be a district's elsewhere ("Tân Hiệp")
        province=province_of(issuer, " ".join(organ), None if _COMMUNE_BODY.search(issuer or "") else place),
        end_line=stop,
        issuers=issuers,
    )


_COMMUNE_BODY = re.compile(r"\b(?:xã|phường|thị trấn)\b")
_NEW_BODY = re.compile(
    r"^(?:[ỦU][ỶY] BAN|HỘI ĐỒNG|BAN CHẤP HÀNH|HỘI |ĐOÀN |LIÊN ĐOÀN|SỞ |(?:TỈNH|HUYỆN|THÀNH|THỊ|QUẬN) [ỦU][ỶY]\b)"
)


def _issuer_groups(organ: list[str]) -> list[list[str]]:
    """The header lines of a joint document, one group per body: a line that names a body of its
    own (``ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM``) starts a group; a place (``TỈNH TRÀ VINH``) or an
    advisory body of the committee above it (``HUYỆN ỦY X`` / ``BAN DÂN VẬN``) continues one."""
    groups: list[list[str]] = []
    for line in organ:
        if groups and not _NEW_BODY.match(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _header_cells(line: str) -> list[str]:
    """Cells of a header line; the mottoes are cut out of a line that OCR joined with one space."""
    out: list[str] = []
    for cell in split_cells(line):
        parts = [p.strip() for p in _MOTTO_ANYWHERE.split(cell)]
        for part in (p for p in parts if p):
            if out and re.fullmatch(r"Số\s*:?", out[-1], re.IGNORECASE):
                out[-1] = f"{out[-1]} {part}"  # "Số:" and its symbol drawn in two cells
            else:
                out.append(part)
    return out


def _symbol_of(raw: str) -> tuple[str | None, str]:
    """The symbol after "Số" and what follows it on the same cell."""
    # A symbol broken after its hyphen or spaced ("15 -HD/BDVTU") is joined before parsing.
    flat = re.sub(r"\s*([-/])\s*", r"\1", raw.strip())
    token, _, rest = flat.partition(" ")
    parsed = parse_symbol(token)
    if parsed is None and (lost := re.match(r"^(\d{1,5})([A-ZĐ][A-Za-zĐđ]{0,5})([-/].+)$", token)):
        # OCR lost the separator after the number ("05QCPH-UBND-UBMTTQ"): a number line holds a symbol
        sep = "-" if lost[3].startswith("/") else "/"
        repaired = f"{lost[1]}{sep}{lost[2]}{lost[3]}"
        if parse_symbol(repaired) is not None:
            token, parsed = repaired, parse_symbol(repaired)
    if parsed is None or parsed.form == "partial":
        return None, rest.strip()  # "Số      /KH-UBND": the number is left blank, no symbol
    return normalize_symbol(token), rest.strip()


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


# --- issuing body --------------------------------------------------------------

_ORGAN_WORDS = [
    ("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban Chấp hành Trung ương"),
    ("BAN CHẤP HÀNH", "Ban Chấp hành"),
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
    ("ỦY BAN KIỂM TRA", "Ủy ban Kiểm tra"),
    ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("ỦY BAN MTTQ", "Ủy ban MTTQ"),
    ("UỶ BAN MTTQ", "Ủy ban MTTQ"),
    ("MTTQ", "MTTQ"),
    ("VIỆT NAM", "Việt Nam"),
    ("BAN THƯỜNG VỤ", "Ban Thường vụ"),
    ("BAN DÂN VẬN", "Ban Dân vận"),
    ("BAN TUYÊN GIÁO VÀ DÂN VẬN", "Ban Tuyên giáo và Dân vận"),
    ("BAN TUYÊN GIÁO", "Ban Tuyên giáo"),
    ("BAN TỔ CHỨC", "Ban Tổ chức"),
    ("BAN NỘI CHÍNH", "Ban Nội chính"),
    ("VĂN PHÒNG", "Văn phòng"),
    ("ĐẢNG BỘ", "Đảng bộ"),
    ("ĐẢNG ỦY", "Đảng ủy"),
    ("ĐẢNG UỶ", "Đảng ủy"),
    ("TỈNH ỦY", "Tỉnh ủy"),
    ("TỈNH UỶ", "Tỉnh ủy"),
    ("THÀNH ỦY", "Thành ủy"),
    ("THÀNH UỶ", "Thành ủy"),
    ("HUYỆN ỦY", "Huyện ủy"),
    ("HUYỆN UỶ", "Huyện ủy"),
    ("QUẬN ỦY", "Quận ủy"),
    ("THỊ ỦY", "Thị ủy"),
    ("UBND", "UBND"),
    ("HĐND", "HĐND"),
    ("SỞ", "Sở"),
    ("THÀNH PHỐ", "thành phố"),
    ("THỊ TRẤN", "thị trấn"),
    ("THỊ XÃ", "thị xã"),
    ("TỈNH", "tỉnh"),
    ("HUYỆN", "huyện"),
    ("QUẬN", "quận"),
    ("PHƯỜNG", "phường"),
    ("XÃ", "xã"),
    ("KHỐI", "Khối"),
]
_ADMIN_START = re.compile(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\b(?!\s+[ỦU][ỶY]\b)")
_ADVISORY = re.compile(r"^(?:BAN|VĂN PHÒNG|ỦY BAN KIỂM TRA|UỶ BAN KIỂM TRA)\b")


_STATE_PARENT = re.compile(r"^(?:UBND|[ỦU][ỶY] BAN NHÂN DÂN)\s+(?P<unit>(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ)\s+.+)$")
_ORGAN_START = re.compile(r"^(?:[ỦU][ỶY] BAN|HỘI ĐỒNG|ĐẢNG|(?:TỈNH|HUYỆN|THÀNH|THỊ|QUẬN) [ỦU][ỶY])\b")
_AGENCY_HEADS = ("BAN", "SỞ", "PHÒNG", "CỤC", "CHI CỤC", "TRUNG TÂM", "VĂN PHÒNG", "THANH TRA")


def _agency_case(caps: str) -> str:
    """``BAN TIẾP CÔNG DÂN`` → ``Ban Tiếp công dân``, ``SỞ NỘI VỤ`` → ``Sở Nội vụ``: the agency word
    and the first word of its own name capitalised, as names of agencies are written."""
    words = caps.lower().split()
    head = next((h for h in _AGENCY_HEADS if caps.startswith(h + " ") or caps == h), None)
    n = len(head.split()) if head else 1
    named = head in ("BAN", "SỞ", "PHÒNG", "CỤC", "CHI CỤC", "TRUNG TÂM")
    out: list[str] = []
    for i, w in enumerate(words):
        # the agency word, the first word of its name and of each field joined by "và", ",", "-"
        joined = bool(out) and (out[-1] in ("và", "-") or out[-1].endswith(","))
        out.append(w[:1].upper() + w[1:] if i == 0 or (named and (i == n or joined)) else w)
    return " ".join(out)


def proper_case(caps: str) -> str:
    """``ĐẢNG ỦY XÃ VŨ HỘI`` → ``Đảng ủy xã Vũ Hội``: organ words as written in prose, names capitalised."""
    words = caps.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase, written in _ORGAN_WORDS:
            n = len(phrase.split())
            if " ".join(words[i : i + n]) == phrase:
                out.append(written if out or not written[0].islower() else written[0].upper() + written[1:])
                i += n
                break
        else:
            w = words[i]
            out.append(w if not w.isalpha() or len(w) <= 1 else w[0] + w[1:].lower())
            i += 1
    return " ".join(out)


def issuer_name(organ: list[str]) -> str | None:
    """Combine the header's organ lines the way the body of a document names the issuer."""
    if not organ:
        return None
    if len(organ) == 1:
        return proper_case(organ[0])
    first, second = organ[0], organ[1]
    if first == "BAN CHẤP HÀNH TRUNG ƯƠNG" and _ADVISORY.match(second):
        # BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG → Văn phòng Trung ương Đảng; / BAN DÂN VẬN → Ban Dân vận Trung ương
        return f"{proper_case(second)} Trung ương" + (" Đảng" if second == "VĂN PHÒNG" else "")
    if _ADMIN_START.match(second):
        return proper_case(f"{first} {second}")
    state = _STATE_PARENT.match(first)
    if state and not _ORGAN_START.match(second):
        # UBND TỈNH QUẢNG NINH / THANH TRA TỈNH → Thanh tra tỉnh Quảng Ninh
        unit = proper_case(state["unit"])
        name = _agency_case(re.sub(r"\s+(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)$", "", second))
        return f"{name} {unit[0].lower()}{unit[1:]}"
    if first.startswith(("ĐẢNG BỘ", "BAN CHẤP HÀNH ĐẢNG BỘ")):
        return proper_case(second)
    if _ADVISORY.match(second):
        return f"{proper_case(second)} {proper_case(first)}"
    return proper_case(second)
