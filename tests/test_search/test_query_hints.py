"""What the words of a query say about the document wanted: type, signature, issuer abbreviations."""

from __future__ import annotations

import pytest

from search import parse_query
from search.query import authority_words, content_words, expand_abbreviations, required


@pytest.mark.parametrize(
    ("query", "types"),
    [
        ("kế hoạch đối thoại năm 2022", ("ke_hoach",)),
        ("thông báo kết luận bí thư huyện ủy", ("thong_bao",)),  # the longer name wins
        ("ket luan cua ban thuong vu", ("ket_luan",)),
        ("công văn", ("cong_van",)),
        ("sơ kết 5 năm thực hiện quy định của Bộ Chính trị", ()),  # a type further on names a cited document
        ("Thanh Hóa", ()),
    ],
)
def test_a_type_named_first_is_a_hint(query: str, types: tuple[str, ...]) -> None:
    assert parse_query(query).type_hints == types


def test_a_signing_authority_is_a_hint_and_leaves_the_words() -> None:
    r = parse_query("báo cáo T/M BAN THƯỜNG VỤ năm 2023")
    assert r.authority == ("tm", "ban", "thuong", "vu")
    assert r.words == ("báo", "cáo", "năm") and r.numbers == (2023,)
    assert authority_words("TM. Ủy ban nhân dân") == ("tm", "uy", "ban", "nhan", "dan")
    assert authority_words("K/T TRƯỞNG BAN") == ("kt", "truong", "ban")
    assert authority_words("Quy chế tiếp dân") == ()


@pytest.mark.parametrize(
    ("typed", "spelt"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("ubnd huyện", "Ủy ban nhân dân huyện"),
        ("HU Krông Pắc", "Huyện ủy Krông Pắc"),
        ("hu", "hu"),  # two letters only in capitals: "hu" may be a syllable
        ("HĐND", "Hội đồng nhân dân"),
        ("HDND", "Hội đồng nhân dân"),
        ("BTV TU", "Ban Thường vụ Tỉnh ủy"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("Tỉnh ủy Hậu Giang", "Tỉnh ủy Hậu Giang"),
    ],
)
def test_issuer_abbreviations_are_spelt_out(typed: str, spelt: str) -> None:
    assert expand_abbreviations(typed) == spelt


def test_a_long_question_needs_most_of_its_content_words() -> None:
    words = parse_query("kết quả giải quyết kiến nghị của cử tri về đền bù ở cấp huyện").words
    content = content_words(words)
    assert "của" not in content and "về" not in content and "ở" not in content and "đền" in content
    assert [required(n) for n in (1, 2, 3, 4, 5, 10, 20)] == [1, 2, 3, 3, 4, 7, 14]
    assert content_words(("của",)) == ("của",)  # nothing but function words: they are the query
