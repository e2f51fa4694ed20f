"""What a clerk gets from search, whichever backend answers."""

from __future__ import annotations

from datetime import date

import pytest

from search import Filters, SearchBackend, parse_query
from tests.test_search.conftest import CORPUS, A, B, C, D, E


def ids(backend: SearchBackend, q: str, **kw: object) -> list[str]:
    return [h.id for h in backend.search(parse_query(q, **kw)).hits]  # type: ignore[arg-type]


def test_words_without_diacritics_find_words_with_them(backend: SearchBackend) -> None:
    assert set(ids(backend, "giai phong mat bang")) == {A}


def test_exact_diacritics_rank_above_folded_only_matches(backend: SearchBackend) -> None:
    found = ids(backend, "đất")
    # A and B say đất; B also says dát and đạt; C says only "dat" without marks; E says only "đạt".
    assert set(found) == {A, B, C, E}
    assert set(found[:2]) == {A, B}


def test_quoted_phrase_needs_the_words_together(backend: SearchBackend) -> None:
    assert ids(backend, '"giải phóng mặt bằng"') == [A]
    assert ids(backend, '"mặt bằng giải phóng"') == []


def test_old_and_new_tone_placement_find_each_other(backend: SearchBackend) -> None:
    assert D in ids(backend, "tỉnh ủy hòa giải")
    assert D in ids(backend, "Tỉnh uỷ hoà giải")


@pytest.mark.parametrize("spelling", ["1681-QĐ/TU", "1681-QD/TU", "1681/QĐ-TU", "1681/qd-tu", "QĐ 1681", "1681"])
def test_symbols_in_any_spelling_find_the_document_first_then_what_cites_it(
    backend: SearchBackend, spelling: str
) -> None:
    assert ids(backend, spelling)[:2] == [A, B]


def test_state_symbol(backend: SearchBackend) -> None:
    assert ids(backend, "27/TB-UBND") == [D]
    assert ids(backend, "18/KH-UBND") == [D]  # cited in its text


def test_filters_by_type_year_dates_and_issuer(backend: SearchBackend) -> None:
    assert set(ids(backend, "", filters=Filters(doc_types=("thong_bao",)))) == {C, D}
    assert ids(backend, "", filters=Filters(year=2019)) == [A]
    assert ids(backend, "", filters=Filters(date_from=date(2020, 1, 1), date_to=date(2022, 12, 31))) == [D]
    assert set(ids(backend, "", filters=Filters(issuer="hau giang"))) == {A, B}
    assert ids(backend, "đối thoại", filters=Filters(issuer="Thành ủy Cần Thơ")) == [C]


def test_browsing_without_words_lists_newest_first(backend: SearchBackend) -> None:
    assert ids(backend, "", limit=10) == [B, D, A, C, E]


def test_facets_count_type_year_and_issuer(backend: SearchBackend) -> None:
    facets = backend.search(parse_query("")).facets
    assert [(f.value, f.count) for f in facets["doc_type"]] == [
        ("thong_bao", 2),
        ("bao_cao", 1),
        ("quyet_dinh", 1),
        ("tin_bai", 1),
    ]
    assert [(f.value, f.count) for f in facets["year"]] == [("2016", 1), ("2019", 1), ("2021", 1), ("2024", 1)]
    assert facets["issuer"][0].value == "Tỉnh ủy Hậu Giang" and facets["issuer"][0].count == 2


def test_snippets_show_the_original_text_with_matches_marked(backend: SearchBackend) -> None:
    hit = backend.search(parse_query("giai phong")).hits[0]
    assert "<b>giải</b> <b>phóng</b>" in hit.snippet


def test_pagination_is_stable_and_complete(backend: SearchBackend) -> None:
    everything = ids(backend, "", limit=10)
    pages = ids(backend, "", limit=2) + ids(backend, "", limit=2, offset=2) + ids(backend, "", limit=2, offset=4)
    assert pages == everything
    assert backend.search(parse_query("", limit=2)).total == len(CORPUS)


@pytest.mark.parametrize("hostile", ['"', "NOT", "*", ")", "(((", "a AND OR", "title:x", "\\", "-", "😀", "x" * 5000])
def test_hostile_queries_get_results_or_nothing_never_a_crash(backend: SearchBackend, hostile: str) -> None:
    results = backend.search(parse_query(hostile))
    assert results.total >= 0


def test_a_very_long_query_is_cut_with_a_note(backend: SearchBackend) -> None:
    results = backend.search(parse_query("đối thoại " * 2500))
    assert results.notes
    assert results.total >= 1


def test_rebuild_gives_the_same_results(backend: SearchBackend) -> None:
    queries = ["đất", "giai phong mat bang", "1681", "đối thoại", "", "bồi thường"]
    before = [[(h.id, h.score) for h in backend.search(parse_query(q)).hits] for q in queries]
    assert backend.rebuild(CORPUS) == len(CORPUS)
    after = [[(h.id, h.score) for h in backend.search(parse_query(q)).hits] for q in queries]
    assert after == before
    assert backend.ids() == {A, B, C, D, E}


def test_has_answers_for_one_id(backend: SearchBackend) -> None:
    assert backend.has(A) and not backend.has("0" * 64)
    backend.remove(A)
    assert not backend.has(A) and backend.has(B)
    assert backend.ids() == {B, C, D, E}


def test_adding_a_document_again_replaces_it(backend: SearchBackend) -> None:
    record, text = CORPUS[0]
    backend.add(record, text + " bổ sung từ mới")
    assert backend.count() == len(CORPUS)
    assert ids(backend, "bổ sung từ mới") == [A]


def test_removed_documents_are_not_found(backend: SearchBackend) -> None:
    backend.remove(C)
    assert C not in ids(backend, "bồi thường")


def test_filters_and_facets_on_parsed_fields(backend: SearchBackend) -> None:
    assert ids(backend, "", filters=Filters(province="hau giang")) == [A]
    assert set(ids(backend, "", filters=Filters(topics=("giải phóng mặt bằng",)))) == {A, C}
    assert ids(backend, "", filters=Filters(topics=("đất đai",), province="Cần Thơ")) == []
    facets = backend.search(parse_query("")).facets
    assert [(f.value, f.count) for f in facets["topics"]] == [("giải phóng mặt bằng", 2), ("đất đai", 1)]
    assert [(f.value, f.count) for f in facets["province"]] == [("Cần Thơ", 1), ("Hậu Giang", 1)]


def test_own_number_and_mentions_as_filters(backend: SearchBackend) -> None:
    assert ids(backend, "", filters=Filters(symbol="1681|QD|TU")) == [A]
    assert ids(backend, "", filters=Filters(cites="1681|QD|TU")) == [B]


def test_documents_that_need_a_human_look(backend: SearchBackend) -> None:
    assert ids(backend, "", filters=Filters(needs_review=True)) == [E]
    assert E not in ids(backend, "", filters=Filters(needs_review=False))
