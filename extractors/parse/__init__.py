"""Text -> DocumentRecord: pure functions, one module per part of the document, no I/O.

header      number and symbol, place and date, issuing body, province
body        type-name line and trích yếu (title)
signature   signer block and Nơi nhận
citations   other documents cited
statistics  figures by level
deadlines   numbered assignments of a notice of conclusions
topics      fields of life the text is about
checks      consistency warnings
"""

from __future__ import annotations

import re
from datetime import date

from archive.records import DocumentRecord, Extraction, Source
from archive.vntext import normalize, parse_symbol
from extractors.parse.body import display_title, find_type_line, parse_title
from extractors.parse.checks import check
from extractors.parse.citations import find_citations
from extractors.parse.deadlines import find_deadlines
from extractors.parse.header import parse_header, split_cells
from extractors.parse.issuer import central_issuer, complete_name, infer_issuer
from extractors.parse.places import CENTRAL_CITIES, province_in_text
from extractors.parse.signature import parse_closing
from extractors.parse.statistics import find_statistics, level_of_heads
from extractors.parse.topics import find_topics
from extractors.parse.vocab import doc_type_of_abbrev

__all__ = ["parse", "parse_text"]

_HEADLINE_MAX = 200
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*-)?\s*$")
_MARKS = {"MẬT": "mat", "TỐI MẬT": "toi_mat", "TUYỆT MẬT": "tuyet_mat"}


def parse_text(
    text: str,
    *,
    doc_id: str = "",
    source: Source | None = None,
    pages: int = 1,
    today: date | None = None,
) -> DocumentRecord:
    """Parse the plain text of one document into a record; unknown fields stay empty."""
    lines = clean_lines(normalize(text).splitlines())
    found = find_type_line(lines)
    type_line, name_type = found if found else (None, None)
    header = parse_header(lines, type_line)
    block = parse_title(lines, type_line, header.end_line)
    doc_type = name_type or block.doc_type
    if doc_type is None and header.number_symbol:
        sym = parse_symbol(header.number_symbol)
        doc_type = doc_type_of_abbrev(sym.type) if sym else None
    title, issuer, issuers = block.title, header.issuer, header.issuers
    province, issue_date, inferred = header.province, header.issue_date, False
    has_header = header.number_symbol is not None or type_line is not None
    body = "\n".join(lines)
    joint = len(issuers) > 1
    closing = parse_closing(lines, lead_first=joint)
    if doc_type is None and header.number_symbol is None:
        doc_type, title, issuer, issuers = "tin_bai", _headline(lines), None, ()
        issue_date = _dateline(lines)
        province = province_in_text(body)
    elif issuer == "Ban Chấp hành Trung ương" or (issuer is None and central_issuer(closing.signer.authority, None)):
        # headed BAN CHẤP HÀNH TRUNG ƯƠNG: issued by the body of the T/M line; national, no province
        issuer = central_issuer(closing.signer.authority, block.issuer) or issuer
        issuers, province = ((issuer,) if issuer else ()), None
    elif issuer and re.search(r"\bTrung ương(?: Đảng)?$", issuer):
        province = None  # a central body (Văn phòng Trung ương Đảng): national, whatever its seat
    elif issuer is None:
        # no header block: the issuer and the province come from the document's own text
        province = province_in_text(body)
        issuer = complete_name(block.issuer, None, body, province) if block.issuer else infer_issuer(body, province)
        issuers, inferred = ((issuer,) if issuer else ()), issuer is not None
        if issuer and (from_issuer := province_in_text(issuer, districts=False)):
            province = from_issuer
    elif province is None:
        province = province_in_text(body)  # a district the data does not know: the text names its province
    notes: list[str] = []
    stat_text = _without_headline(lines) if doc_type == "tin_bai" else body  # a headline repeats the body
    statistics = tuple(
        find_statistics(
            stat_text,
            notes=notes,
            default_level=(
                (level_of_heads(stat_text) or "tong")
                if doc_type == "tin_bai"
                else _level_of(doc_type, issuer, header.number_symbol)
            ),
            city_level="tinh" if header.province in CENTRAL_CITIES and _is_city_body(issuer) else "huyen",
        )
    )
    return DocumentRecord(
        id=doc_id,
        doc_type=doc_type,
        number_symbol=header.number_symbol,
        issue_date=issue_date,
        place=header.place,
        issuer=issuer,
        province=province,
        title=title,
        title_display=display_title(title),
        issuers=issuers,
        issuer_inferred=inferred,
        signer=closing.signer,
        recipients=closing.recipients,
        confidentiality=_confidentiality(lines, type_line),
        citations=tuple(find_citations(body, header.number_symbol)),
        statistics=statistics,
        deadlines=tuple(find_deadlines(body)) if doc_type == "thong_bao" else (),
        topics=find_topics(body),
        warnings=check(
            statistics=statistics,
            doc_type=doc_type,
            number_symbol=header.number_symbol,
            issue_date=issue_date,
            has_header=has_header,
            today=today or date.today(),
        )
        + tuple(notes),
        pages=pages,
        source=source,
    )


def parse(extraction: Extraction, *, doc_id: str = "", source: Source | None = None) -> DocumentRecord:
    record = parse_text(extraction.text, doc_id=doc_id, source=source, pages=len(extraction.pages))
    low = tuple(p.number for p in extraction.pages if "low_confidence" in p.flags)
    return record.model_copy(update={"low_confidence_pages": low}) if low else record


def clean_lines(lines: list[str]) -> list[str]:
    """Drop page furniture: page-number lines and the running header printed after them."""
    head = {line.strip() for line in lines[:12] if line.strip().isupper()}
    out: list[str] = []
    skip_header = False
    for line in lines:
        stripped = line.strip()
        if _PAGE_NUMBER.match(line) and out:
            skip_header = True
            continue
        if skip_header and stripped:
            skip_header = False
            if stripped in head:
                continue
        out.append(line.rstrip())
    return out


def _confidentiality(lines: list[str], type_line: int | None) -> str | None:
    for line in lines[: type_line if type_line is not None else 15]:
        for cell in split_cells(line):
            if cell in _MARKS:
                return _MARKS[cell]
    return None


def _level_of(doc_type: str | None, issuer: str | None, symbol: str | None) -> str:
    """Level of figures the text does not place: a commune's are communal; a notice of conclusions
    reports one dialogue at its issuer's level; other documents of higher levels report totals."""
    text = (issuer or "").lower()
    if re.search(r"\b(?:xã|phường|thị trấn)\b", text):
        return "xa"
    if doc_type not in ("thong_bao", "bien_ban"):
        return "tong"
    if re.search(r"\b(?:huyện|quận|thị xã)\b|thị ủy", text):
        return "huyen"
    city = re.match(r"thành ủy (?P<name>.+)$", text)
    if city and not any(city["name"] == p.lower() for p in CENTRAL_CITIES):
        return "huyen"  # the Thành ủy of a provincial city (Bảo Lộc) is of district level
    org = (symbol or "").rsplit("/", 1)[-1].rsplit("-", 1)[-1]
    return {"HU": "huyen", "QU": "huyen", "ĐU": "xa"}.get(org, "tinh")


def _is_city_body(issuer: str | None) -> bool:
    return bool(issuer and re.search(r"Thành ủy|thành phố", issuer))


_DATELINE = re.compile(
    r"(?<![\d/.-])(?P<d>[0-3]?\d)\s*(?P<s>[/.-])\s*(?P<m>[01]?\d)(?P=s)\s*(?P<y>(?:19|20)\d{2})(?![\d/])"
)


_DATELINE_WORDS = re.compile(r"ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s+năm\s+(?P<y>(?:19|20)\d{2})", re.I)


def _dateline(lines: list[str]) -> date | None:
    """A news article's date: the dateline under its headline ("Thứ Ba, 14/11/2023 - 08:30")."""
    seen = 0
    for line in lines:
        if not line.strip():
            continue
        seen += 1
        if seen == 1:
            continue  # the headline
        if seen > 4:
            break
        m = _DATELINE.search(line) or _DATELINE_WORDS.search(line)
        if m and len(line.strip()) <= 60:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                return None
    return None


def _without_headline(lines: list[str]) -> str:
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    return "\n".join(lines[first + 1 :])


def _headline(lines: list[str]) -> str | None:
    """The first line; a headline wrapped on the page goes on in lower case on the next line."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    parts = [lines[first].strip()]
    for line in lines[first + 1 : first + 3]:
        s = line.strip()
        if not s or not s[0].islower() or _DATELINE.search(s) or re.search(r"[.;:]$", parts[-1]):
            break
        parts.append(s)
    head = " ".join(parts)
    return head if len(head) <= _HEADLINE_MAX and not re.search(r"[.;:]$", head) else None
