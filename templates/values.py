"""The values people type, the way they type them: dates as ``24/05/2019`` or ``2019-05-24``,
whole numbers as ``1.234`` or ``1234``, rates as ``93,75`` or ``93.75%``, levels as ``tỉnh`` or
``tinh``. Each parser raises a pydantic error whose message is Vietnamese and says how to write it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError

from archive.vntext import fold

__all__ = ["parse_choice", "parse_date", "parse_int", "parse_rate"]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_THOUSANDS = re.compile(r"\d{1,3}(?:[. ]\d{3})+")


def parse_date(value: Any) -> Any:
    """A date from ``2019-05-24``, ``24/05/2019`` (also ``24-05-2019``, ``24.05.2019``) or a date."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        raise PydanticCustomError("vn_date", "phải là ngày (viết 24/05/2019 hoặc 2019-05-24)")
    text = value.strip()
    if not text:
        return None
    if m := _ISO.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _VN.fullmatch(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise PydanticCustomError(
            "vn_date", "ngày không hợp lệ '{text}' (viết 24/05/2019 hoặc 2019-05-24)", {"text": text}
        )
    try:
        return date(y, mo, d)
    except ValueError:
        raise PydanticCustomError(
            "vn_date", "ngày {day} không có trên lịch", {"day": f"{d:02d}/{mo:02d}/{y}"}
        ) from None


def parse_int(value: Any) -> Any:
    """A whole number from ``1.234``, ``1 234`` or ``1234`` (a dot groups thousands in Vietnamese)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", " ")
        if not text:
            return None
        if re.fullmatch(r"\d+", text):
            return int(text)
        if _THOUSANDS.fullmatch(text):
            return int(re.sub(r"[. ]", "", text))
    raise PydanticCustomError("vn_int", "phải là số nguyên (viết 1.234 hoặc 1234)")


def parse_rate(value: Any) -> Any:
    """A percentage from ``93,75``, ``93.75``, ``93,75%`` or a number."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        if not text:
            return None
        if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
            return float(text.replace(",", "."))
    raise PydanticCustomError("vn_rate", "phải là tỷ lệ phần trăm (viết 93,75 hoặc 93,75%)")


def parse_choice(value: Any, choices: dict[str, tuple[str, ...]]) -> Any:
    """The code of a choice from the code itself or any of its Vietnamese spellings."""
    if not isinstance(value, str):
        return value
    key = fold(value.strip()).lower()
    for code, spellings in choices.items():
        if key == code or key in {fold(s).lower() for s in spellings}:
            return code
    return value  # the Literal check then names the allowed values
