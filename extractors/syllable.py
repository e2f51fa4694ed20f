"""Is this word a Vietnamese syllable? Onset + rhyme + tone, by the rules of the orthography.

A syllable is an optional onset (``b``, ``ch``, ``ngh``, ``qu`` …), a rhyme from the closed
list of Vietnamese rhymes (``a``, ``oang``, ``ương``, ``uyêt`` …) and at most one tone mark.
Spelling rules narrow it further: ``k``, ``gh`` and ``ngh`` stand only before ``i``, ``e``,
``ê`` (``y``), ``c``, ``g`` and ``ng`` never do; ``q`` is always ``qu``; a rhyme closed by
``c``, ``ch``, ``p`` or ``t`` takes only the sắc or nặng tone. Capitals are allowed (a
heading in capitals is still syllables). What tesseract makes of noise ("sẽẽ", "ñfT",
"Ìĩ", "ỐắẤA") fails this test; nearly every word of a Vietnamese page passes it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["is_syllable"]

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")  # fmt: skip
_RHYMES = frozenset(
    """
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich iêc iêm iên iêng iêp iêt iêu im in inh ip it iu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
oc oe oen oeo oet oi om on ong ooc oong op ot
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt up ut
uy uya uych uyên uyêt uynh uyt uyu
ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêng yêt yêu
""".split()  # noqa: SIM905 - the table reads as the rhymes are taught
)
_FRONT = ("i", "e", "ê", "y")
_STOPS = ("c", "ch", "p", "t")


def _split_tone(word: str) -> tuple[str, str | None, int]:
    """The word without its tone mark, the tone, and how many tone marks it had."""
    parts = unicodedata.normalize("NFD", word)
    tones = [c for c in parts if c in _TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return base, (_TONES[tones[0]] if tones else None), len(tones)


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True for one well-formed Vietnamese syllable in any case (``Đảng``, ``NGHỊ``, ``quyết``)."""
    if not word or not word.isalpha():
        return False
    if not (word.islower() or word.isupper() or word[1:].islower()):
        return False  # "dinïT", "nHa": case that no print gives
    base, tone, marks = _split_tone(word.lower())
    if marks > 1:
        return False
    return any(_fits(base, onset, tone) for onset in _candidate_onsets(base))


def _candidate_onsets(base: str) -> list[str]:
    found = [""]
    found += [o for o in _ONSETS if base.startswith(o) and len(base) > len(o)]
    if base == "gi":  # "gì", "gi": onset gi with the rhyme i written once
        found.append("g")
    return found


def _fits(base: str, onset: str, tone: str | None) -> bool:
    rhyme = base[len(onset) :]
    if onset == "gi" and rhyme not in _RHYMES and ("i" + rhyme) in _RHYMES:
        rhyme = "i" + rhyme  # "gìn", "giếng": the i of the onset is the rhyme's i
    if onset == "g" and base.startswith("gi"):
        rhyme = base[1:]
    if rhyme not in _RHYMES:
        return False
    first = rhyme[0]
    if onset in ("k", "gh", "ngh") and first not in _FRONT:
        return False
    if onset in ("c", "ng") and first in ("i", "e", "ê", "y"):
        return False
    if onset == "g" and first in ("e", "ê"):
        return False
    if onset == "qu" and first in ("u", "ư"):
        return False
    # A rhyme closed by a stop takes sắc or nặng only: "hoặc", "tốt", never "tồt".
    return not (rhyme.endswith(_STOPS) and tone not in (None, "sac", "nang"))
