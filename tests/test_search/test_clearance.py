"""Clearance inside the query: a document the asker may not see does not exist for their search —
not in the hits, the total, any facet, a page, a snippet, a symbol lookup or a "cites" lookup."""

from __future__ import annotations

from datetime import date

import pytest

from archive import DocumentRecord, SearchError
from archive.access import visible_levels
from search import Filters, SearchBackend, parse_query

# Twelve documents that all speak of "đối thoại", dates interleaved so that hidden ones sit between
# visible ones in every order; only the marked ones hold the word "kimcương" and cite 9-KH/TU.
LEVELS = ["mat", None, None, "toi_mat", None, "tuyet_mat", None, None, "mat", None, None, None]


def _record(i: int, level: str | None) -> tuple[DocumentRecord, str]:
    marked = level is not None
    record = DocumentRecord(
        id=f"{i:02x}" * 32,
        doc_type="cong_van" if marked else "thong_bao",
        number_symbol=f"{100 + i}-{'CV' if marked else 'TB'}/TU",
        issue_date=date(2020 + i % 5, 1 + i, 10),
        issuer="Ban Bảo vệ Tỉnh ủy Kon Tum" if marked else "Tỉnh ủy Hậu Giang",
        province="Kon Tum" if marked else "Hậu Giang",
        topics=("quốc phòng",) if marked else ("đất đai",),
        confidentiality=level,  # type: ignore[arg-type]
        title=f"văn bản số {i} về đối thoại",
    )
    text = f"Nội dung đối thoại số {i}."
    if marked:
        text += " Phương án kimcương theo Kế hoạch số 9-KH/TU."
    return record, text


MIXED = [_record(i, level) for i, level in enumerate(LEVELS)]
PUBLIC = {r.id for r, _ in MIXED if r.confidentiality is None}
MARKED = {r.id for r, _ in MIXED if r.confidentiality is not None}


@pytest.fixture
def mixed(empty_backend: SearchBackend) -> SearchBackend:
    empty_backend.add_many(MIXED)
    return empty_backend


def _as(clearance: str, **kw: object) -> Filters:
    return Filters(confidentiality=visible_levels(clearance), **kw)  # type: ignore[arg-type]


def test_a_hidden_document_is_not_found_by_a_word_only_it_contains(mixed: SearchBackend) -> None:
    results = mixed.search(parse_query("kimcương", filters=_as("none")))
    assert results.total == 0 and results.hits == ()
    assert all(buckets == () for buckets in results.facets.values())


def test_hidden_documents_are_not_counted_in_the_total_or_any_facet(mixed: SearchBackend) -> None:
    for q in ("đối thoại", ""):
        results = mixed.search(parse_query(q, filters=_as("none"), limit=50))
        assert results.total == len(PUBLIC)
        assert {h.id for h in results.hits} == PUBLIC
        assert [(f.value, f.count) for f in results.facets["doc_type"]] == [("thong_bao", len(PUBLIC))]
        assert [(f.value, f.count) for f in results.facets["issuer"]] == [("Tỉnh ủy Hậu Giang", len(PUBLIC))]
        assert [(f.value, f.count) for f in results.facets["province"]] == [("Hậu Giang", len(PUBLIC))]
        assert [(f.value, f.count) for f in results.facets["topics"]] == [("đất đai", len(PUBLIC))]
        public_years = sorted({str(r.issue_date.year) for r, _ in MIXED if r.id in PUBLIC and r.issue_date})
        assert sorted(f.value for f in results.facets["year"]) == public_years
        assert sum(f.count for f in results.facets["year"]) == len(PUBLIC)


def test_pages_over_a_mix_of_visible_and_hidden_documents_are_full(mixed: SearchBackend) -> None:
    for q in ("đối thoại", ""):
        seen: list[str] = []
        for offset in range(0, len(PUBLIC), 3):
            page = mixed.search(parse_query(q, filters=_as("none"), limit=3, offset=offset))
            assert page.total == len(PUBLIC)
            assert len(page.hits) == min(3, len(PUBLIC) - offset)
            seen += [h.id for h in page.hits]
        assert len(seen) == len(set(seen)) and set(seen) == PUBLIC


def test_symbol_and_cites_lookups_only_answer_with_visible_documents(mixed: SearchBackend) -> None:
    hidden = next(r for r, _ in MIXED if r.confidentiality == "mat")
    assert hidden.number_symbol is not None
    assert mixed.search(parse_query(hidden.number_symbol, filters=_as("none"))).total == 0
    own = Filters(symbol=f"{hidden.number_symbol.split('-')[0]}|CV|TU", confidentiality=visible_levels("none"))
    assert mixed.search(parse_query("", filters=own)).total == 0
    cites = Filters(cites="9|KH|TU", confidentiality=visible_levels("none"))
    assert mixed.search(parse_query("", filters=cites)).total == 0
    assert mixed.search(parse_query("", filters=Filters(cites="9|KH|TU"))).total == len(MARKED)


def test_snippets_never_come_from_a_hidden_document(mixed: SearchBackend) -> None:
    results = mixed.search(parse_query("đối thoại kimcương 9-KH/TU", filters=_as("none"), limit=50))
    assert all("kimcương" not in h.snippet.lower() for h in results.hits)


@pytest.mark.parametrize(
    ("clearance", "levels"),
    [("mat", {"mat"}), ("toi_mat", {"mat", "toi_mat"}), ("tuyet_mat", {"mat", "toi_mat", "tuyet_mat"})],
)
def test_a_cleared_principal_finds_what_the_clearance_covers(
    mixed: SearchBackend, clearance: str, levels: set[str]
) -> None:
    expected = {r.id for r, _ in MIXED if r.confidentiality in levels}
    results = mixed.search(parse_query("kimcương", filters=_as(clearance), limit=50))
    assert {h.id for h in results.hits} == expected and results.total == len(expected)
    assert "<b>" in results.hits[0].snippet
    everything = mixed.search(parse_query("đối thoại", filters=_as(clearance), limit=50))
    assert everything.total == len(PUBLIC) + len(expected)


def test_no_restriction_is_the_local_operator(mixed: SearchBackend) -> None:
    assert mixed.search(parse_query("", limit=50)).total == len(MIXED)
    assert mixed.search(parse_query("kimcương", limit=50)).total == len(MARKED)


def test_an_index_from_before_confidentiality_asks_for_a_reindex(
    mixed: SearchBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older index has no confidentiality to filter on: it must say so, never answer as if empty."""
    import search.elastic
    import search.embedded

    if mixed.name == "tantivy":
        monkeypatch.setattr(search.embedded, "INDEX_VERSION", search.embedded.INDEX_VERSION + 1)
        mixed.close()
    else:
        monkeypatch.setattr(search.elastic, "MAPPING_VERSION", search.elastic.MAPPING_VERSION + 1)
    with pytest.raises(SearchError, match="doithoai reindex"):
        mixed.search(parse_query("đối thoại", filters=_as("none")))
    assert mixed.rebuild(MIXED) == len(MIXED)
    assert mixed.search(parse_query("kimcương", filters=_as("none"))).total == 0
    assert mixed.search(parse_query("kimcương", filters=_as("tuyet_mat"))).total == len(MARKED)
