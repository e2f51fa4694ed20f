"""Renditions in the index: a document of several files counts once in every search, by its primary file."""

from __future__ import annotations

from datetime import UTC, date, datetime

from archive import DocumentRecord
from archive.records import Source
from search import Filters, SearchBackend, SearchRequest, parse_query
from search.renditions import primary_of, rendition_key, secondary_ids
from tests.test_search.conftest import CORPUS

SCAN, DRAFT, EXPORT, OTHER = (ch * 64 for ch in "1234")


def notice(doc_id: str, name: str, media_type: str, minute: int, number: str = "1876-TB/TU") -> DocumentRecord:
    return DocumentRecord(
        id=doc_id,
        doc_type="thong_bao",
        number_symbol=number,
        issue_date=date(2019, 5, 29),
        issuer="Tỉnh ủy Nghệ An",
        province="Nghệ An",
        title="kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại với nhân dân huyện Quỳnh Lưu",
        source=Source(
            path=f"/inbox/{name}", name=name, size=1, media_type=media_type,
            ingested_at=datetime(2026, 1, 1, 8, minute, tzinfo=UTC),
        ),
    )  # fmt: skip


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = "Hội nghị tiếp xúc, đối thoại với nhân dân huyện Quỳnh Lưu; 385 đại biểu."
RENDITIONS = [
    (notice(DRAFT, "tb-1876.docx", DOCX, 1), BODY),  # the draft arrived first
    (notice(SCAN, "tb-1876-da-ky.pdf", "application/pdf", 5), BODY),
    (notice(EXPORT, "tb-1876.txt", "text/plain", 0), BODY),
    (notice(OTHER, "tb-1877.docx", DOCX, 2, number="1877-TB/TU"), BODY),  # another notice: its own document
]


def test_same_number_date_and_issuer_in_any_spelling_share_a_key() -> None:
    a = notice(SCAN, "a.pdf", "application/pdf", 0)
    b = notice(DRAFT, "b.docx", DOCX, 0).model_copy(
        update={"number_symbol": "1876 - TB/TU", "issuer": "TỈNH ỦY NGHỆ AN"}
    )
    assert rendition_key(a) and rendition_key(a) == rendition_key(b)
    assert rendition_key(a) != rendition_key(a.model_copy(update={"issue_date": date(2019, 5, 30)}))
    assert rendition_key(a) != rendition_key(a.model_copy(update={"issuer": "Thành ủy Vinh"}))
    assert rendition_key(a) != rendition_key(a.model_copy(update={"confidentiality": "mat"}))
    assert rendition_key(a.model_copy(update={"number_symbol": None})) == ""
    assert rendition_key(a.model_copy(update={"issue_date": None})) == ""


def test_the_scan_is_primary_then_the_draft_then_the_text_whatever_the_order_of_arrival() -> None:
    records = [r for r, _ in RENDITIONS]
    assert primary_of(records[:3]).id == SCAN
    assert primary_of([records[0], records[2]]).id == DRAFT
    assert secondary_ids(records) == {DRAFT, EXPORT}


def test_a_search_shows_the_document_once_by_its_scan(empty_backend: SearchBackend) -> None:
    items = [*CORPUS, *RENDITIONS]
    empty_backend.add_many(items, secondary=secondary_ids(r for r, _ in items))
    res = empty_backend.search(parse_query("Quỳnh Lưu"))
    assert sorted(h.id for h in res.hits) == sorted([SCAN, OTHER])
    assert res.total == 2
    assert {f.value: f.count for f in res.facets["doc_type"]}["thong_bao"] == 2  # documents, not files
    everything = empty_backend.search(SearchRequest(limit=50))
    assert everything.total == len(CORPUS) + 2
    assert {h.id for h in everything.hits} >= {SCAN, OTHER} and not {DRAFT, EXPORT} & {h.id for h in everything.hits}
    # The caller that wants every file of the document asks for them.
    key = rendition_key(RENDITIONS[1][0])
    files = empty_backend.search(SearchRequest(filters=Filters(rendition_key=key, all_renditions=True), limit=10))
    assert (files.total, {h.id for h in files.hits}) == (3, {SCAN, DRAFT, EXPORT})
    assert empty_backend.search(SearchRequest(filters=Filters(all_renditions=True), limit=50)).total == len(items)


def test_rebuild_keeps_the_grouping(empty_backend: SearchBackend) -> None:
    items = [*CORPUS, *RENDITIONS]
    assert empty_backend.rebuild(items, secondary=secondary_ids(r for r, _ in items)) == len(items)
    assert [h.id for h in empty_backend.search(parse_query("1876-TB/TU")).hits] == [SCAN]
    assert empty_backend.count() == len(items)  # nothing dropped: every file stays indexed
