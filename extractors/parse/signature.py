"""The end of a document: the signature block and the "Nơi nhận" list.

They are printed side by side in Word (Nơi nhận left, signature right), so extracted text
has them on the same lines, one after the other, or interleaved. Lines are split into
cells and each cell is sorted by what it looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.records import Signer
from extractors.parse.header import split_cells

__all__ = ["Closing", "parse_closing"]

_TAIL_LINES = 60
_AUTHORITY = re.compile(r"^(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|TUQ\.|Q\.|Q/)\s*\S.*$")
_POSITIONS = re.compile(
    r"^(?:PHÓ\s+)?(?:BÍ THƯ(?: THƯỜNG TRỰC)?|CHỦ TỊCH|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|CHÁNH THANH TRA|"
    r"THỦ TRƯỞNG|TỔNG BÍ THƯ|THƯỜNG TRỰC|UỶ VIÊN|ỦY VIÊN|CHỦ NHIỆM|TRƯỞNG PHÒNG|CHỦ TRÌ(?: HỘI NGHỊ)?|"
    r"THƯ KÝ(?: HỘI NGHỊ)?|KT\. .*|.*TRƯỞNG.*)$"
)
_RECIPIENTS_LABEL = re.compile(r"^Nơi nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
# A person's name: capitalised syllables; names of ethnic minorities may open with a one-letter word
# or carry an apostrophe ("Y Khăp Niê", "K'Nhiễu", "H'Hen Niê").
_WORD = r"[A-ZĐÀ-Ỹ](?:'[A-ZĐÀ-Ỹ])?[a-zà-ỹđ]*"
_NAME = re.compile(rf"^(?:[A-ZĐÀ-Ỹ]\s+)?{_WORD}[a-zà-ỹđ](?:\s+{_WORD}){{1,5}}$|^{_WORD}[a-zà-ỹđ](?:\s+{_WORD}){{1,5}}$")
_ITEM = re.compile(r"^[-–—•+~·]\s*(?P<item>.+)$")  # OCR reads the dash as "~" or "—" too


@dataclass(frozen=True)
class Closing:
    signer: Signer
    recipients: tuple[str, ...]


_POSITION_WORD = re.compile(r"\b(?:BÍ THƯ|CHỦ TỊCH|TRƯỞNG|ỦY VIÊN|UỶ VIÊN|GIÁM ĐỐC|CHÁNH|THƯỜNG TRỰC|CHỦ NHIỆM)\b")
_CAPS_TAIL = re.compile(r"^(?P<left>.*\S)\s{2,}(?P<right>[^a-zà-ỹđ]*[A-ZĐÀ-Ỹ][^a-zà-ỹđ]*)$")


def _cells(line: str) -> list[str]:
    """Cells of a closing line; a capitals cell set off by two spaces is a cell of its own."""
    out: list[str] = []
    for cell in split_cells(line):
        m = _CAPS_TAIL.match(cell)
        if m and m["left"].startswith(("-", "–", "•", "+")):
            out += [m["left"], m["right"]]
        else:
            out.append(cell)
    return out


def parse_closing(lines: list[str], *, lead_first: bool = False) -> Closing:
    """``lead_first``: a joint document, whose lead body signs first (left, or above)."""
    tail = lines[-_TAIL_LINES:]
    authority = position = name = None
    recipients: list[str] = []
    in_recipients = False
    gap = False  # a blank line (or a page break) inside the list: only a new "- item" goes on with it
    done = False  # joint document: the lead body's signature is complete
    for line in tail:
        cells = _cells(line)
        if not cells:
            gap = bool(recipients)
            continue
        if len(cells) > 1 and all(_signature_like(c) for c in cells):
            # two signatures side by side: the right one signs for the body (secretary, chair);
            # in a joint document the left one is the lead body's
            cells = cells[:1] if lead_first else cells[-1:]
        for cell in cells:
            label = _RECIPIENTS_LABEL.match(cell)
            if label:
                in_recipients = True
                rest = label["rest"].strip()
                if rest.startswith(("-", "–", "•", "+")):
                    recipients.append(rest[1:])
                continue
            item = _ITEM.match(cell)
            if in_recipients and item:
                recipients.append(item["item"])
                gap = False
                continue
            if gap:
                in_recipients = gap = False
            if _AUTHORITY.match(cell) and cell.isupper():
                if not done:
                    authority, position, name = cell, None, None
                continue
            if (
                cell.isupper()
                and (_POSITIONS.match(cell) or (authority and _POSITION_WORD.search(cell)))
                and name is None
                and position is None
            ):
                position = cell
                continue
            if (authority or position) and name is None and _NAME.match(cell):
                name = cell
                done = lead_first
                continue
            if in_recipients and recipients and not cell.isupper() and not _NAME.match(cell) and cell[:1].islower():
                recipients[-1] = f"{recipients[-1]} {cell}"  # a wrapped item
    items = (_clean_item(r) for r in recipients)
    return Closing(Signer(authority=authority, position=position, name=name), tuple(r for r in items if r))


def _signature_like(cell: str) -> bool:
    return bool((cell.isupper() and (_POSITIONS.match(cell) or _AUTHORITY.match(cell))) or _NAME.match(cell))


def _clean_item(text: str) -> str:
    return " ".join(text.split()).strip().lstrip("-–—•+~· ").rstrip(",;.").strip()
