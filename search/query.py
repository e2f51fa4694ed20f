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

__all__ = [
    "LONG_QUESTION",
    "MAX_LIMIT",
    "MAX_WORDS",
    "authority_words",
    "content_words",
    "expand_abbreviations",
    "parse_date",
    "parse_doc_type",
    "parse_query",
    "parse_topic",
    "required",
]

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


# A type named by the first words of a query is what the clerk wants ("kế hoạch đối thoại năm
# 2022", "thông báo kết luận …"): the head noun comes first in a Vietnamese noun phrase, so a
# type name further on ("sơ kết … quy định của Bộ Chính trị") names a cited document, not a hint.
_TYPE_HEADS: dict[tuple[str, ...], str] = {
    tuple(name.split()): doc_type for name, doc_type in _TYPE_ALIASES.items() if " " in name
} | {("thong", "bao", "ket", "luan"): "thong_bao"}

# Signing authority: the marker (T/M, T/L, K/T, TM., TL., KT., TUQ.) and the body it signs for.
_MARKERS = {"t/m": "tm", "tm": "tm", "t/l": "tl", "tl": "tl", "k/t": "kt", "kt": "kt", "tuq": "tuq"}
_AUTHORITY = re.compile(r"(?<![\w/])(?P<marker>[TtKk]\s*/\s*[MmLlTt]|[Tt][Mm]\.|[Tt][Ll]\.|[Kk][Tt]\.|TUQ\.)\s*")
_AUTHORITY_WORDS = frozenset(
    [
        "ban",
        "thuong",
        "vu",
        "truc",
        "dang",
        "uy",
        "bi",
        "thu",
        "bo",
        "chinh",
        "tri",
        "chu",
        "tich",
        "truong",
        "pho",
        "chap",
        "hanh",
        "nhan",
        "dan",
        "hoi",
        "dong",
        "tinh",
        "huyen",
        "xa",
        "thanh",
        "thi",
        "quan",
        "phuong",
        "van",
        "chanh",
        "giam",
        "doc",
        "tong",
        "mat",
        "tran",
        "to",
        "quoc",
        "lien",
        "doan",
    ]
)

# Abbreviations of issuing bodies, as clerks and documents write them. Two-letter ones count only
# in capitals (HU, TU), where they cannot be an ordinary syllable.
_ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQ": "Mặt trận Tổ quốc", "BTV": "Ban Thường vụ", "BCH": "Ban Chấp hành", "BDV": "Ban Dân vận",
    "BTG": "Ban Tuyên giáo", "UBKT": "Ủy ban Kiểm tra", "BCĐ": "Ban Chỉ đạo", "THU": "Thành ủy",
    "HU": "Huyện ủy", "TU": "Tỉnh ủy", "ĐU": "Đảng ủy", "QU": "Quận ủy", "TW": "Trung ương",
    "TP": "thành phố", "TX": "thị xã", "VP": "Văn phòng",
}  # fmt: skip
_ABBREVIATIONS_FOLDED = {fold(k): v for k, v in _ABBREVIATIONS.items()}
_ABBREVIATION = re.compile(r"(?<![\w])([A-Za-zĐđ]{2,6})(?![\w])")


# Function syllables (của, về, với …): in a long question they carry no topic, so they are not
# among the words a document must have; they still count where they stand next to other words.
# Typed without diacritics they are ambiguous ("tai" = tại or tái): the pairs carry them then too.
_FUNCTION_WORDS = frozenset(
    [
        "của",
        "và",
        "với",
        "về",
        "các",
        "những",
        "cho",
        "trong",
        "ở",
        "tại",
        "sau",
        "đã",
        "được",
        "là",
        "theo",
        "này",
        "đó",
        "để",
        "từ",
        "khi",
        "thì",
        "mà",
        "bị",
        "do",
        "vì",
        "nên",
        "hoặc",
        "hay",
        "đến",
        "trên",
        "cùng",
    ]
)
_FUNCTION_FOLDED = frozenset(fold(w) for w in _FUNCTION_WORDS)


def content_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words a document is asked to have (most of them): all but function syllables."""
    content = tuple(w for w in words if w not in _FUNCTION_WORDS and not (w == fold(w) and w in _FUNCTION_FOLDED))
    return content or words


# Beyond this many content words a query is a question: only how many of its words a document
# has, and how close, rank it (the exact-spelling and who/where copies are left out: cheaper).
LONG_QUESTION = 6


def required(n: int) -> int:
    """How many of n content words a document needs: all of three, three of four, two thirds beyond."""
    if n <= 3:
        return n
    return max(3, -(-n * 2 // 3))


def expand_abbreviations(text: str) -> str:
    """``UBND tỉnh`` → ``Ủy ban nhân dân tỉnh``; ``HU`` → ``Huyện ủy`` (two letters only in capitals)."""

    def one(m: re.Match[str]) -> str:
        word = m.group(1)
        key = fold(word).upper()  # HDND = HĐND, typed without a Vietnamese keyboard
        if key not in _ABBREVIATIONS_FOLDED or (len(word) == 2 and word != word.upper()):
            return word
        if key == "THU" and word != "ThU":  # ThU (Thành ủy) only as the documents write it
            return word
        return _ABBREVIATIONS_FOLDED[key]

    return _ABBREVIATION.sub(one, normalize(text))


def authority_words(text: str) -> tuple[str, ...]:
    """``T/M BAN THƯỜNG VỤ`` and ``TM. Ban Thường vụ`` → ``("tm", "ban", "thuong", "vu")``; () if none."""
    m = _AUTHORITY.search(text)
    if not m:
        return ()
    marker = _MARKERS.get(re.sub(r"[\s.]", "", m["marker"]).lower(), "")
    words: list[str] = []
    for w in _WORD.findall(fold(text[m.end() :]).lower()):
        if w not in _AUTHORITY_WORDS or len(words) == 6:
            break
        words.append(w)
    return (marker, *words) if marker and words else ()


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
    authority = authority_words(rest)
    if authority:  # the authority's words are a hint about the signature, not words of the text
        marker = _AUTHORITY.search(rest)
        assert marker is not None
        tail = rest[marker.end() :]
        spans = [w.span() for w in _WORD.finditer(tail)][: len(authority) - 1]
        rest = rest[: marker.start()] + " " + tail[spans[-1][1] :]
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
    folded = tuple(fold(w) for w in words)
    type_hints = tuple(t for head, t in _TYPE_HEADS.items() if folded[: len(head)] == head)
    if len(type_hints) > 1:  # "thông báo kết luận" names a thông báo, not also a kết luận
        longest = max(len(h) for h, t in _TYPE_HEADS.items() if t in type_hints and folded[: len(h)] == h)
        type_hints = tuple(t for h, t in _TYPE_HEADS.items() if len(h) == longest and folded[: len(h)] == h)
    return SearchRequest(
        type_hints=type_hints,
        authority=authority,
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
