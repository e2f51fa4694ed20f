"""Vietnamese text helpers shared by the parser and the search backends.

Everything that enters doithoai goes through :func:`normalize` (NFC, ``Ð``→``Đ``,
dashes). Search additionally uses :func:`search_form` (one tone-mark placement) and
:func:`fold` (no diacritics, ``đ``→``d``); document symbols go through
:func:`normalize_symbol` and :func:`symbol_keys` so every spelling a clerk types meets
the same key.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "TYPE_ABBREVIATIONS",
    "ParsedSymbol",
    "fold",
    "is_vietnamese_syllable",
    "iter_symbols",
    "normalize",
    "normalize_symbol",
    "parse_symbol",
    "printable",
    "search_form",
    "syllable_share",
    "symbol_keys",
]

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00ad": None})
_DASH_CHARS = re.compile("[\u2012\u2013\u2014\u2212\u00ad]")
# Eth (Icelandic) looks exactly like Vietnamese Đ; OCR and old fonts produce it.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
_ICELANDIC_ONLY = re.compile(r"[þÞæÆ]")


def printable(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 shown as \\xff escapes (never lost)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def normalize(text: str) -> str:
    """NFC, Eth read as Đ, typographic dashes as ``-``; the form every stored text has."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u00d0" in text or "\u00f0" in text:
        text = _fix_eth(text)
    return text.translate(_DASHES) if _DASH_CHARS.search(text) else text


def _fix_eth(text: str) -> str:
    # Only Icelandic/Faroese words keep a real eth; they also use þ or æ.
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        return w if _ICELANDIC_ONLY.search(w) else w.translate(_ETH)

    return re.sub(r"[^\s]+", word, text)


# --- diacritic folding -------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Strip every diacritic (``đ`` → ``d``): what a clerk types without a Vietnamese keyboard."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


# --- tone-mark placement -----------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_TONED_LAST = "àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ"
_OLD_STYLE = re.compile(rf"(?<![qQ])([oOuU])([{_TONED_LAST}])(?![\w])")
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _split_tone(ch: str) -> tuple[str, str]:
    parts = unicodedata.normalize("NFD", ch)
    tone = "".join(c for c in parts if c in _TONES)
    base = "".join(c for c in parts if c not in _TONES)
    return unicodedata.normalize("NFC", base), tone


def search_form(text: str) -> str:
    """One tone placement for search: ``hoà``→``hòa``, ``uỷ``→``ủy``, ``khoẻ``→``khỏe``.

    Only open syllables ending in oa/oe/uy move their tone (``hoàng``, ``thuyền`` and
    ``quý`` are the same in both styles).
    """

    def move(m: re.Match[str]) -> str:
        first, last = m.group(1), m.group(2)
        base, tone = _split_tone(last)
        if (first.lower(), base.lower()) not in _PAIRS:
            return m.group(0)
        return unicodedata.normalize("NFC", first + tone) + base

    return _OLD_STYLE.sub(move, text)


# --- document symbols --------------------------------------------------------

# Party: 23-CT/TU, 11-QĐi/TW; State: 12/TB-UBND, 30/2020/NĐ-CP, 2231/SNV-CCHC&PC.
_ORG = r"[A-ZĐ][A-Za-zĐđ0-9&.]*(?:-[A-ZĐ][A-Za-zĐđ0-9&.]*)*"
_PARTY = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*"
    r"(?P<org>[A-ZĐ][A-ZĐ0-9]{0,11}(?:-[A-ZĐ]{1,4})?)(?![\w])"
)
_STATE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})\s*(?:/\s*(?P<year>(?:19|20)\d{2}))?\s*/\s*-?\s*(?P<type>[A-ZĐ][A-Za-zĐđ.]{0,5})"
    r"\s*-\s*(?P<org>" + _ORG + r")(?![\w])"
)
# Joint State documents: 03/QCPH/UBND-UBMTTQ, 19/2008/NQLT/CP-UBTUMTTQVN (type, then the bodies).
_JOINT = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})\s*(?:/\s*(?P<year>(?:19|20)\d{2}))?\s*/\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{1,5})"
    r"\s*/\s*(?P<org>[A-ZĐ][A-Za-zĐđ0-9&.]*(?:-[A-ZĐ][A-Za-zĐđ0-9&.]*)+)(?![\w])"
)
# Abbreviations of document types (Party, HD 36; State, NĐ 30 Phụ lục III), folded for lookup.
TYPE_ABBREVIATIONS = frozenset(
    [
        "NQ",
        "QD",
        "QDI",
        "QYD",
        "CT",
        "KL",
        "QC",
        "HD",
        "TB",
        "TC",
        "KH",
        "QH",
        "BC",
        "DA",
        "CTR",
        "TTR",
        "CV",
        "BB",
        "TT",
        "BS",
        "PA",
        "HDG",
        "GM",
        "GGT",
        "GCN",
        "GNP",
        "PG",
        "PC",
        "PB",
    ]
)
_TYPE_FIRST = re.compile(r"(?<![\w/])(?P<type>[A-ZĐ][A-Za-zĐđ]{0,3})\s*(?:số\s*)?(?P<num>\d{1,5})(?![\w/])")


@dataclass(frozen=True, slots=True)
class ParsedSymbol:
    """The parts of a document symbol; ``org`` is None for a bare ``QĐ 1681``."""

    number: int
    type: str
    org: str | None
    year: int | None
    form: str  # "party" | "state" | "partial"


_HYPHENS_ONLY = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})[-\s]+(?P<type>[A-ZĐ][A-Za-zĐđ]{0,4})[-\s]+(?P<org>[A-ZĐ][A-ZĐ]{1,9})(?![\w/])"
)


def normalize_symbol(raw: str) -> str:
    """Canonical spelling as printed: NFC, ``Đ`` not ``Ð``, no spaces inside (``113 -KH/ĐU`` → ``113-KH/ĐU``)."""
    s = normalize(raw).strip().strip(".,;:")
    return re.sub(r"\s*([-/])\s*", r"\1", s)


def parse_symbol(text: str) -> ParsedSymbol | None:
    """Parse one symbol in any spelling; None when ``text`` holds no symbol."""
    s = normalize(text)
    for rx, form in ((_JOINT, "state"), (_STATE, "state"), (_PARTY, "party")):
        m = rx.search(s)
        if m:
            year = m.groupdict().get("year")
            return ParsedSymbol(int(m["num"]), m["type"], m["org"], int(year) if year else None, form)
    m = _HYPHENS_ONLY.search(s)  # 1876-TB-TU, 1876 TB TU: as typed in a URL or a search box
    if m and _key_part(m["type"]) in TYPE_ABBREVIATIONS:
        return ParsedSymbol(int(m["num"]), m["type"], m["org"], None, "party")
    for m in _TYPE_FIRST.finditer(s):
        if _key_part(m["type"]) in TYPE_ABBREVIATIONS:
            return ParsedSymbol(int(m["num"]), m["type"], None, None, "partial")
    return None


def iter_symbols(text: str) -> list[ParsedSymbol]:
    """Every Party or State symbol written in ``text``, in order, spaced forms included."""
    flat = normalize(text)
    if "/" not in flat:
        return []
    found: list[tuple[int, ParsedSymbol]] = []
    taken: list[tuple[int, int]] = []
    for rx, form in ((_JOINT, "state"), (_STATE, "state"), (_PARTY, "party")):
        for m in rx.finditer(flat):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            year = m.groupdict().get("year")
            sym = ParsedSymbol(int(m["num"]), m["type"], m["org"], int(year) if year else None, form)
            found.append((m.start(), sym))
    return [s for _, s in sorted(found, key=lambda x: x[0])]


def _key_part(s: str) -> str:
    return fold(s).upper().replace(".", "")


def symbol_keys(symbol: ParsedSymbol) -> list[str]:
    """Search keys, most specific last: ``1681``, ``1681|QD``, ``1681|QD|TU`` (and with the year).

    Party ``1681-QĐ/TU`` and State ``1681/QĐ-TU`` share keys on purpose: clerks type either.
    """
    n = str(symbol.number)
    t = _key_part(symbol.type)
    keys = [n, f"{n}|{t}"]
    if symbol.org:
        keys.append(f"{n}|{t}|{_key_part(symbol.org)}")
        if symbol.year:
            keys.append(f"{n}|{symbol.year}|{t}|{_key_part(symbol.org)}")
    return keys


# --- Vietnamese syllables ------------------------------------------------------

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_VOWEL = "aăâeêioôơuưy"
_CODAS = "ch|ng|nh|c|m|n|p|t|i|o|u|y"
_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?[{_VOWEL}]{{1,3}}(?:{_CODAS})?$")


def is_vietnamese_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (tone marks ignored, one tone at most)."""
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in parts if c in _TONES) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return bool(_SYLLABLE.match(base))


_WORD = re.compile(r"[^\W\d_]+")


def syllable_share(text: str) -> float:
    """Share of letter tokens that are Vietnamese syllables: a cheap "is this Vietnamese?" signal."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if is_vietnamese_syllable(w)) / len(words)
