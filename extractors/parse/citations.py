"""Documents a text cites: kind word, symbol, date and issuer, as written.

``Quyết định số 1681-QĐ/TU ngày 23/01/2019 của Ban Thường vụ Tỉnh ủy`` →
Citation(quyet_dinh, 1681-QĐ/TU, 2019-01-23, Ban Thường vụ Tỉnh ủy). The document's own
number is not a citation; each symbol is listed once, where it first appears.
"""

from __future__ import annotations

import re
from datetime import date

from archive.records import Citation
from archive.vntext import fold, normalize

__all__ = ["canonical_symbol", "find_citations"]

_PARTY_TYPES = r"(?:NQ|QĐi|QĐ|CT|KL|QC|HD|TB|TC|KH|QH|BC|ĐA|CTr|TTr|CV|BB|TT|BS|GGT|GCN|PG|PC|PB)"
_PARTY_ORG = r"[A-ZĐ][A-ZĐ0-9]{1,11}(?:-[A-Z]{1,4})?"
_PARTY = rf"(?P<p_num>\d{{1,5}})\s*-\s*(?P<p_type>{_PARTY_TYPES})\s*/\s*(?P<p_org>{_PARTY_ORG})(?![\w])"
_ORG = r"[A-ZĐ][A-Za-zĐđ0-9&.]*(?:-[A-ZĐ][A-Za-zĐđ0-9&.]*)*"
_STATE = (
    r"(?P<s_num>\d{1,5})(?:/(?P<s_year>(?:19|20)\d{2}))?\s*/\s*(?P<s_dash>-?)\s*(?P<s_type>[A-ZĐ][A-Za-zĐđ.]{0,5})"
    rf"(?:/(?P<s_type2>[A-ZĐ]{{1,6}}))?\s*-\s*(?P<s_org>{_ORG})(?<![.])"
)
_LAW = r"(?P<law>\d{1,4}/(?:19|20)\d{2}/QH\d{1,2})(?![\w])"
_SYMBOL = re.compile(rf"(?<![\w/.,]){_LAW}|(?<![\w/.,]){_STATE}|(?<![\w/.,]){_PARTY}")

KINDS: dict[str, str | None] = {
    "nghị quyết": "nghi_quyet",
    "quyết định": "quyet_dinh",
    "chỉ thị": "chi_thi",
    "kết luận": "ket_luan",
    "quy chế": "quy_che",
    "quy định": "quy_dinh",
    "hướng dẫn": "huong_dan",
    "thông báo": "thong_bao",
    "kế hoạch": "ke_hoach",
    "báo cáo": "bao_cao",
    "công văn": "cong_van",
    "tờ trình": "to_trinh",
    "biên bản": "bien_ban",
    "đề án": None,
    "chương trình": None,
    "thông tri": None,
    "nghị định": None,
    "thông tư": None,
    "luật": None,
    "pháp lệnh": None,
}
_KIND_BEFORE = re.compile(
    r"(?P<kind>" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")\s+(?:số\s*:?\s*)?$", re.IGNORECASE
)
_ABBREV_KIND = {
    "NQ": "nghi_quyet", "QĐ": "quyet_dinh", "QĐi": "quy_dinh", "QyĐ": "quy_dinh", "CT": "chi_thi",
    "KL": "ket_luan", "QC": "quy_che", "HD": "huong_dan", "TB": "thong_bao", "KH": "ke_hoach",
    "BC": "bao_cao", "CV": "cong_van", "TTr": "to_trinh", "BB": "bien_ban",
}  # fmt: skip
_PARTY_ORGS = re.compile(r"^(?:TW|VPTW|TU|HU|ĐU|QU|TX|ĐUK|BDVTU|BDVTW|BTGTU|BTGDVTU|BTCTU|UBKTTU|VPTU|BNCTU)$")
_D = r"(?P<d>[0-3]?\d)\s*[/.-]\s*(?P<m>[01]?\d)\s*[/.-]\s*(?P<y>(?:19|20)\d{2})"
_DW = r"(?P<d2>[0-3]?\d)\s+tháng\s+(?P<m2>[01]?\d)\s+năm\s+(?P<y2>(?:19|20)\d{2})"
_DATE_AFTER = re.compile(rf"^\s*,?\s*(?:ban hành\s+)?ngày\s+(?:{_D}|{_DW})")
_ISSUER_AFTER = re.compile(
    r"^\s*,?\s*(?:của|do)\s+(?P<issuer>(?:(?i:Ban (?:Thường vụ|Chấp hành|Bí thư|Dân vận|Tuyên giáo|Nội chính|Tổ chức)"
    r"|Bộ Chính trị|Chính phủ|Thủ tướng Chính phủ|Tỉnh [ủu][ỷy]|Thành [ủu][ỷy]|Huyện [ủu][ỷy]|Quận [ủu][ỷy]"
    r"|Thị [ủu][ỷy]|Đảng [ủu][ỷy]|Quốc hội|[ỦU][ỷy] ban nhân dân|Hội đồng nhân dân|UBND|HĐND|Văn phòng"
    r"|[ỦU][ỷy] ban Kiểm tra)|Bộ [A-ZĐ])"
    r"[^,;.()\n]*?)(?=\s+(?:về|và|ban hành|tổ chức|thực hiện|hướng dẫn|quy định|điều chỉnh|kiện toàn|nâng cao"
    r"|chỉ đạo|tại|trên|đối với|nhằm|để|theo)\b|\s*[,;.()\n]|$)"
)


def canonical_symbol(m: re.Match[str]) -> tuple[str, str | None]:
    """(canonical symbol, type abbreviation) of a _SYMBOL match, spaces removed, Party forms restored."""
    if m["law"]:
        return m["law"], None
    if m["p_num"]:
        return f"{m['p_num']}-{m['p_type']}/{m['p_org']}", m["p_type"]
    num, year, typ, org = m["s_num"], m["s_year"], m["s_type"], m["s_org"]
    if m["s_type2"]:
        typ = f"{typ}/{m['s_type2']}"
    if not year and _PARTY_ORGS.match(org) and typ in _ABBREV_KIND:
        return f"{num}-{typ}/{org}", typ  # "11/QĐi-TW" retyped by a news site is 11-QĐi/TW
    dash = "-" if m["s_dash"] else ""
    return f"{num}{'/' + year if year else ''}/{dash}{typ}-{org}", typ


def find_citations(text: str, own: str | None = None) -> list[Citation]:
    flat = " ".join(normalize(text).split())
    own_key = _key(own) if own else None
    found: dict[str, Citation] = {}
    for m in _SYMBOL.finditer(flat):
        symbol, abbrev = canonical_symbol(m)
        key = _key(symbol)
        if key == own_key:
            continue
        start, end = m.start(), m.end()
        kind = _KIND_BEFORE.search(flat[max(0, start - 40) : start])
        doc_type = KINDS[kind["kind"].lower()] if kind else None
        if kind:
            start = start - (len(flat[max(0, start - 40) : start]) - kind.start())
        if doc_type is None and abbrev:
            doc_type = _ABBREV_KIND.get(abbrev)
        if kind and kind["kind"].lower() == "quy định":
            doc_type = "quy_dinh"  # QĐ was used for quy định too: the word decides
        issue = None
        dm = _DATE_AFTER.match(flat[end : end + 40])
        if dm:
            issue = _date(dm)
            end += dm.end()
        im = _ISSUER_AFTER.match(flat[end : end + 120])
        issuer = None
        if im:
            issuer = im["issuer"].strip()
            end += im.end("issuer")
        first = found.get(key)
        if first is None:
            found[key] = Citation(
                doc_type=doc_type,
                number_symbol=symbol,
                issue_date=issue,
                issuer=issuer,
                raw=flat[start:end].strip(),
            )
        elif (first.issue_date is None and issue) or (first.issuer is None and issuer):
            # A short back-reference came first; a later full mention completes it.
            found[key] = first.model_copy(
                update={
                    "issue_date": first.issue_date or issue,
                    "issuer": first.issuer or issuer,
                    "doc_type": first.doc_type or doc_type,
                    "raw": flat[start:end].strip() if first.issue_date is None and issue else first.raw,
                }
            )
    return list(found.values())


def _key(symbol: str) -> str:
    return fold(re.sub(r"\s+", "", symbol)).upper()


def _date(m: re.Match[str]) -> date | None:
    d, mo, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None
