"""The Vietnamese syllable rule (onset + rhyme + tone) and which unsure OCR words may enter the text."""

from __future__ import annotations

import pytest

from extractors.ocr import WORD_FLOOR, plausible
from extractors.syllable import is_syllable


@pytest.mark.parametrize(
    "word",
    ["Đảng", "quốc", "nghị", "giải", "gì", "gìn", "giếng", "khuya", "khuỷu", "thuở", "hoặc", "nguyện",
     "tuyệt", "xoong", "NGHỊ", "QUYẾT", "Thanh", "Hóa", "hoà", "ủy", "uỷ", "yêu", "ấy", "ương", "trường"],
)  # fmt: skip
def test_syllables_of_the_language_pass(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["sẽẽ", "ñfT", "Ìĩ", "ỐắẤA", "dinïT", "iồB", "oò", "nH", "aa", "kan", "ghô", "ngê", "cy", "qa",
     "tồt", "hoàc", "bảch", "UBND", "x", "2019", "đ-"],
)  # fmt: skip
def test_what_is_not_a_syllable_fails(word: str) -> None:
    assert not is_syllable(word)


def test_a_stop_closed_rhyme_takes_only_the_sac_or_nang_tone() -> None:
    assert is_syllable("tốt") and is_syllable("tột") and is_syllable("tot")
    assert not any(is_syllable(w) for w in ("tồt", "tổt", "tỗt"))


def test_a_sure_word_always_enters_the_text() -> None:
    assert plausible("ñfT", 96.0) and plausible("UBMTTQVN", WORD_FLOOR) and plausible("“Dân", WORD_FLOOR)


def test_a_character_no_vietnamese_text_prints_needs_a_sure_reading() -> None:
    assert not plausible("©", WORD_FLOOR + 5) and not plausible("ñfT", WORD_FLOOR + 5)
    assert plausible("Nghị", WORD_FLOOR + 5) and plausible("ĐẢNG", WORD_FLOOR + 5)


@pytest.mark.parametrize(
    "word", ["dân,", "(Đảng)", "UBND", "HĐND", "23-CT/TU", "T/M", "18/02/2019", "81,48%", "Nghị", "218-QÐ/TW,"]
)
def test_an_unsure_word_enters_when_it_could_be_right(word: str) -> None:
    assert plausible(word, WORD_FLOOR - 10)


@pytest.mark.parametrize("word", ["ñfT", "`...", "sẽẽ", "©®", "E6.", "iồB", "„mm", "."])
def test_an_unsure_word_that_no_vietnamese_text_holds_is_dropped(word: str) -> None:
    assert not plausible(word, WORD_FLOOR - 10)


def test_a_number_read_almost_blindly_is_dropped() -> None:
    assert plausible("1534", WORD_FLOOR - 10) and not plausible("1534", 10.0)


@pytest.mark.parametrize("word", ["05-ĐA/HU", "11-QĐi/TW", "123/QĐ-TTg,", "30/2020/NĐ-CP", "d)", "đ)", "IV.", "2."])
def test_a_document_number_or_a_list_mark_enters_however_unsure(word: str) -> None:
    """Numbers of other documents (citations) and the marks of assignments keep their shape under
    noise; dropping them lost citations and deadlines of scanned notices (parse_eval --scan)."""
    assert plausible(word, 5.0)
