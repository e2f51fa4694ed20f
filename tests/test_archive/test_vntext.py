"""Vietnamese normalisation: what a clerk types and what extraction produces meet in one form."""

from __future__ import annotations

import unicodedata

import pytest

from archive.vntext import (
    fold,
    is_vietnamese_syllable,
    iter_symbols,
    normalize,
    normalize_symbol,
    parse_symbol,
    search_form,
    symbol_keys,
)


def test_normalize_makes_nfc_from_nfd() -> None:
    nfd = unicodedata.normalize("NFD", "Tỉnh ủy Hậu Giang")
    assert nfd != "Tỉnh ủy Hậu Giang"
    assert normalize(nfd) == "Tỉnh ủy Hậu Giang"


def test_eth_is_read_as_d_with_stroke_in_words_and_symbols() -> None:
    assert normalize("Quy định số 11-QÐi/TW của ÐẢNG, ðồng chí") == "Quy định số 11-QĐi/TW của ĐẢNG, đồng chí"


def test_eth_in_an_icelandic_word_is_left_alone() -> None:
    assert normalize("Þórðarson") == "Þórðarson"


def test_typographic_dashes_become_hyphens() -> None:
    assert normalize("Quyết định 221 – QĐ/TW") == "Quyết định 221 - QĐ/TW"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("uỷ", "ủy"),
        ("Tỉnh uỷ", "Tỉnh ủy"),
        ("UỶ BAN", "ỦY BAN"),
        ("hoà", "hòa"),
        ("khoẻ", "khỏe"),
        ("thuý", "thúy"),
        ("Hoà Bình", "Hòa Bình"),
    ],
)
def test_old_tone_placement_searches_as_new(old: str, new: str) -> None:
    assert search_form(old) == new
    assert search_form(new) == new


@pytest.mark.parametrize("word", ["hoàng", "thuyền", "quý", "quà", "Nguyễn", "hoạch"])
def test_tone_placement_leaves_closed_and_qu_syllables(word: str) -> None:
    assert search_form(word) == word


def test_fold_strips_every_diacritic_and_d_stroke() -> None:
    assert fold("Giải phóng mặt bằng, Đất đai") == "Giai phong mat bang, Dat dai"


@pytest.mark.parametrize(
    "spelling",
    [
        "1681-QĐ/TU",
        "1681-QD/TU",
        "1681/QĐ-TU",
        "1681 - QĐ / TU",
        "1681-QÐ/TU",
        "1681/QD-TU",
        "1681-QĐ-TU",
        "1681 QD TU",
    ],
)
def test_every_spelling_of_a_symbol_meets_the_same_key(spelling: str) -> None:
    parsed = parse_symbol(spelling)
    assert parsed is not None
    assert symbol_keys(parsed)[-1] == "1681|QD|TU"


def test_type_then_number_is_a_partial_symbol() -> None:
    parsed = parse_symbol("QĐ 1681")
    assert parsed is not None
    assert symbol_keys(parsed) == ["1681", "1681|QD"]


def test_state_symbols_keep_their_year() -> None:
    parsed = parse_symbol("Nghị định số 30/2020/NĐ-CP")
    assert parsed is not None
    assert symbol_keys(parsed) == ["30", "30|ND", "30|ND|CP", "30|2020|ND|CP"]


def test_normalize_symbol_removes_inner_spaces() -> None:
    assert normalize_symbol("113 -KH/ĐU") == "113-KH/ĐU"
    assert normalize_symbol("11-QÐi/TW") == "11-QĐi/TW"


def test_symbols_in_text_are_found_in_order_and_ratios_are_not_symbols() -> None:
    text = "theo Quyết định số 1681-QĐ/TU, Kế hoạch 113 -KH/ĐU; đã giải quyết 176.277/176.386 ý kiến; 12/TB-UBND"
    found = [symbol_keys(s)[-1] for s in iter_symbols(text)]
    assert found == ["1681|QD|TU", "113|KH|DU", "12|TB|UBND"]


@pytest.mark.parametrize("word", ["nghiêng", "Tỉnh", "ủy", "đối", "thoại", "trường", "khuyến"])
def test_real_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["xyz", "Qkt", "thằngg", "ằá"])
def test_non_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)
