"""Clerk input -> SearchRequest. User text never reaches a query parser's syntax.

A query may hold quoted phrases, document symbols in any spelling (``1681-QĐ/TU``,
``1681/qd-tu``, ``QĐ 1681``), bare numbers and words, typed with or without diacritics.
Operators (``NOT``, ``*``, ``)``) are ordinary characters here.
"""

from __future__ import annotations

import re
from datetime import date

from archive.errors import UsageError
from archive.records import DOC_TYPES
from archive.topics import TOPICS, topic_of
from archive.vntext import TYPE_ABBREVIATIONS, ParsedSymbol, fold, normalize, search_form
from search.model import Filters, SearchRequest

__all__ = ["MAX_LIMIT", "MAX_WORDS", "parse_date", "parse_doc_type", "parse_query", "parse_topic"]

MAX_WORDS = 32
MAX_LIMIT = 200

_PHRASE = re.compile(r'"([^"]*)"')
_ORG = r"[A-Za-zĐđ][A-Za-zĐđ0-9&.]{0,15}(?:-[A-Za-zĐđ][A-Za-zĐđ0-9&.]{0,15})*"
_PARTY = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})\s*-\s*(?P<type>[A-Za-zĐđ]{1,5})\s*/\s*(?P<org>[A-Za-zĐđ][A-Za-zĐđ0-9]{0,11})(?![\w])"
)
_STATE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})(?:\s*/\s*(?P<year>(?:19|20)\d{2}))?\s*/\s*-?\s*(?P<type>[A-Za-zĐđ.]{1,6})"
    r"\s*-\s*(?P<org>" + _ORG + r")(?![\w])"
)
_TYPE_FIRST = re.compile(r"(?<![\w/])(?P<type>[A-Za-zĐđ]{1,4})\s*\.?\s*(?:số\s*)?(?P<num>\d{1,5})(?![\w/])")
_WORD = re.compile(r"[^\W_]+")

_TYPE_ALIASES: dict[str, str] = {
    "bao cao": "bao_cao", "bc": "bao_cao",
    "ket luan": "ket_luan", "kl": "ket_luan",
    "thong bao": "thong_bao", "tb": "thong_bao",
    "ke hoach": "ke_hoach", "kh": "ke_hoach",
    "quy che": "quy_che", "qc": "quy_che",
    "quy dinh": "quy_dinh", "qdi": "quy_dinh",
    "huong dan": "huong_dan", "hd": "huong_dan",
    "chi thi": "chi_thi", "ct": "chi_thi",
    "quyet dinh": "quyet_dinh", "qd": "quyet_dinh",
    "nghi quyet": "nghi_quyet", "nq": "nghi_quyet",
    "cong van": "cong_van", "cv": "cong_van",
    "bien ban": "bien_ban", "bb": "bien_ban",
    "to trinh": "to_trinh", "ttr": "to_trinh",
    "tin bai": "tin_bai", "tin": "tin_bai",
}  # fmt: skip


def parse_doc_type(value: str) -> str:
    """``thong_bao``, ``thông báo``, ``TB`` -> ``thong_bao``."""
    key = " ".join(fold(normalize(value)).lower().replace("_", " ").split())
    if key.replace(" ", "_") in DOC_TYPES:
        return key.replace(" ", "_")
    if key in _TYPE_ALIASES:
        return _TYPE_ALIASES[key]
    raise UsageError(f"không có loại văn bản '{value}'; các loại: {', '.join(DOC_TYPES)}")


def parse_topic(value: str) -> str:
    """``dat dai`` → ``đất đai``: a name from the topic vocabulary."""
    topic = topic_of(value)
    if topic is None:
        raise UsageError(f"không có lĩnh vực '{value}'; các lĩnh vực: {', '.join(TOPICS)}")
    return topic


def parse_date(value: str) -> date:
    """ISO ``2024-05-15`` or Vietnamese ``15/5/2024``."""
    v = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v):
            y, m, d = (int(x) for x in v.split("-"))
            return date(y, m, d)
        m2 = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", v)
        if m2:
            return date(int(m2[3]), int(m2[2]), int(m2[1]))
    except ValueError:
        pass
    raise UsageError(f"ngày '{value}' không hợp lệ; viết 2024-05-15 hoặc 15/05/2024")


def parse_query(text: str, *, filters: Filters | None = None, limit: int = 10, offset: int = 0) -> SearchRequest:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"--limit phải từ 1 đến {MAX_LIMIT}")
    if offset < 0:
        raise UsageError("--offset không được âm")
    notes: list[str] = []
    q = search_form(normalize(text))
    phrases: list[tuple[str, ...]] = []
    for m in _PHRASE.finditer(q):
        quoted = tuple(w.lower() for w in _WORD.findall(m.group(1)))
        if len(quoted) > 1:
            phrases.append(quoted[:MAX_WORDS])
        elif quoted:
            q += " " + quoted[0]  # a quoted single word is just a word
    rest = _PHRASE.sub(" ", q).replace('"', " ")
    symbols: list[ParsedSymbol] = []
    rest = _take_symbols(rest, symbols)
    words: list[str] = []
    numbers: list[int] = []
    for w in _WORD.findall(rest):
        if w.isdigit() and len(w) <= 5:
            numbers.append(int(w))
        else:
            words.append(w.lower())
    total = len(words) + len(numbers) + sum(len(p) for p in phrases)
    if total > MAX_WORDS:
        notes.append(f"truy vấn dài {total} từ; chỉ dùng {MAX_WORDS} từ đầu")
        words = words[:MAX_WORDS]
        numbers = numbers[: max(0, MAX_WORDS - len(words))]
        phrases = phrases[:4]
    return SearchRequest(
        words=tuple(dict.fromkeys(words)),
        phrases=tuple(phrases),
        symbols=tuple(dict.fromkeys(symbols[:8])),
        numbers=tuple(dict.fromkeys(numbers)),
        filters=filters or Filters(),
        limit=limit,
        offset=offset,
        notes=tuple(notes),
    )


def _take_symbols(text: str, out: list[ParsedSymbol]) -> str:
    def state(m: re.Match[str]) -> str:
        out.append(ParsedSymbol(int(m["num"]), m["type"].upper(), m["org"].upper(), _int(m["year"]), "state"))
        return " "

    def party(m: re.Match[str]) -> str:
        out.append(ParsedSymbol(int(m["num"]), m["type"], m["org"].upper(), None, "party"))
        return " "

    def type_first(m: re.Match[str]) -> str:
        if fold(m["type"]).upper() not in TYPE_ABBREVIATIONS:
            return m.group(0)
        out.append(ParsedSymbol(int(m["num"]), m["type"], None, None, "partial"))
        return " "

    text = _STATE.sub(state, text)
    text = _PARTY.sub(party, text)
    return _TYPE_FIRST.sub(type_first, text)


def _int(v: str | None) -> int | None:
    return int(v) if v else None
