"""Where a document comes from: provinces, and the districts that tell the province when
the header names only a district (``ĐẢNG BỘ HUYỆN VŨ THƯ`` → Thái Bình).

District data: the ``vietnam-provinces`` package (administrative divisions as of 01/2025,
before the 2025 merger, which is when the archived documents were written).
"""

from __future__ import annotations

import json
import re
from functools import cache

import vietnam_provinces

from archive.vntext import fold, search_form
from extractors.parse.vocab import PROVINCES

__all__ = ["CENTRAL_CITIES", "province_in_text", "province_of"]

# Centrally-run cities: their "cấp thành phố" is the provincial level.
CENTRAL_CITIES = ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "TP. Hồ Chí Minh", "Thừa Thiên Huế")

_UNIT_PREFIX = re.compile(r"^(?:Tỉnh|Thành phố|Huyện|Quận|Thị xã)\s+")
_DISTRICT_IN_TEXT = re.compile(
    r"\b(?:huyen|quan|thi xa|thanh pho|huyen uy|quan uy|thi uy|thanh uy)\s+([a-z]+(?:\s[a-z]+){0,3})"
)


def _province_name(raw: str) -> str:
    name = search_form(_UNIT_PREFIX.sub("", raw))
    return {"Hồ Chí Minh": "TP. Hồ Chí Minh", "Huế": "Thừa Thiên Huế"}.get(name, name)


@cache
def _districts() -> dict[str, str | None]:
    """Folded district name -> province; None when the name exists in several provinces."""
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    out: dict[str, str | None] = {}
    for province in data:
        pname = _province_name(province["name"])
        for district in province["districts"]:
            key = fold(_UNIT_PREFIX.sub("", district["name"])).lower()
            out[key] = pname if out.get(key, pname) == pname else None
    return out


@cache
def _province_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"\b{re.escape(fold(p).lower())}\b"), p) for p in PROVINCES]


def province_of(*texts: str | None) -> str | None:
    """The province named in the texts (in order), else the one a unique district name implies."""
    folded = [" ".join(fold(t).lower().split()) for t in texts if t]
    for text in folded:
        for rx, province in _province_patterns():
            if rx.search(text):
                return "TP. Hồ Chí Minh" if province == "Hồ Chí Minh" else province
    districts = _districts()
    for text in folded:
        if districts.get(text):
            return districts[text]  # a seat named alone ("Đà Lạt" in the date line)
    for text in folded:
        for m in _DISTRICT_IN_TEXT.finditer(text):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):  # longest name first: "thanh pho ho chi minh"
                found = districts.get(" ".join(words[:n]))
                if found:
                    return found
    return None


_PREFIXED = re.compile(r"\b(?:tỉnh|thành phố|tp\.?)\s+")


@cache
def _exact_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"(?<!\w){re.escape(search_form(p).lower())}(?!\w)"), p) for p in PROVINCES]


def province_in_text(text: str, *, districts: bool = True) -> str | None:
    """The province a text is about when it has no header: the first one named after "tỉnh" or
    "thành phố", else the first one named at all, else the one a unique district name implies."""
    folded = " ".join(search_form(text).lower().split())  # diacritics kept: "Hải Phong" is not Hải Phòng
    first: tuple[int, int, str] | None = None  # (not prefixed, position, province)
    for rx, province in _exact_patterns():
        for m in rx.finditer(folded):
            prefixed = bool(_PREFIXED.search(folded[max(0, m.start() - 10) : m.start()]))
            key = (0 if prefixed else 1, m.start(), province)
            if first is None or key < first:
                first = key
    if first is not None:
        return {"Hồ Chí Minh": "TP. Hồ Chí Minh", "Huế": "Thừa Thiên Huế"}.get(first[2], first[2])
    return province_of(text) if districts else None


@cache
def _place_names() -> frozenset[str]:
    """Folded names of provinces, districts and communes (for writing names found in capitals)."""
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    names = {_place_key(p) for p in PROVINCES}
    for province in data:
        for district in province["districts"]:
            names.add(_place_key(_UNIT_PREFIX.sub("", district["name"])))
            for ward in district.get("wards", []):
                names.add(_place_key(re.sub(r"^(?:Xã|Phường|Thị trấn)\s+", "", ward["name"])))
    return frozenset(names)


def _place_key(name: str) -> str:
    return " ".join(search_form(name).lower().split())  # diacritics kept: "Vôi" is not "với"


def known_place(name: str) -> bool:
    return _place_key(name) in _place_names()
