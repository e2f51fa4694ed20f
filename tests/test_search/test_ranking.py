"""Ranking that reads Vietnamese the way a clerk types it, the same on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from archive import DocumentRecord
from archive.records import Signer
from search import Filters, SearchBackend, parse_query

THANH_HOA, SCATTERED, PLAN, REPORT, SIGNED, UNSIGNED, TITLED, BODY_ONLY, UBND, HU = (f"{i:02d}" * 32 for i in range(10))

RANKING: list[tuple[DocumentRecord, str]] = [
    (
        DocumentRecord(id=THANH_HOA, doc_type="tin_bai", title="Đối thoại với nhân dân"),
        "Huyện ủy Thọ Xuân, tỉnh Thanh Hóa tổ chức đối thoại về tái định cư.",
    ),
    (
        # Both syllables, more often, never together: "Vị Thanh", "Hòa An", "định" and "cư" apart.
        DocumentRecord(id=SCATTERED, doc_type="tin_bai", title="Tin ngắn"),
        "Thành phố Vị Thanh và huyện Hòa An; Thanh niên Hòa Bình; Vị Thanh định hướng dân cư, tái lập "
        "quy hoạch. Thanh tra huyện Hòa An kiểm tra. Cư dân Vị Thanh hòa giải.",
    ),
    (
        DocumentRecord(id=PLAN, doc_type="ke_hoach", title="tổ chức đối thoại với nhân dân năm 2022"),
        "Kế hoạch tổ chức các cuộc đối thoại.",
    ),
    (
        # Says "kế hoạch" more often than the plan itself does, but is a report.
        DocumentRecord(id=REPORT, doc_type="bao_cao", title="kết quả thực hiện các kế hoạch năm 2022 về đối thoại"),
        "Thực hiện kế hoạch đối thoại, kế hoạch kiểm tra và kế hoạch giám sát năm 2022.",
    ),
    (
        DocumentRecord(
            id=SIGNED,
            doc_type="bao_cao",
            title="kết quả tiếp xúc, đối thoại năm 2023",
            signer=Signer(authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ", name="Nguyễn Văn An"),
        ),
        "Báo cáo kết quả tiếp xúc, đối thoại năm 2023.",
    ),
    (
        DocumentRecord(
            id=UNSIGNED,
            doc_type="bao_cao",
            title="kết quả tiếp xúc, đối thoại năm 2023 của Ban Thường vụ",
            signer=Signer(authority="K/T TRƯỞNG BAN", position="PHÓ TRƯỞNG BAN", name="Lê Văn Bình"),
        ),
        "Báo cáo kết quả tiếp xúc, đối thoại năm 2023 theo chỉ đạo của Ban Thường vụ Tỉnh ủy.",
    ),
    (
        DocumentRecord(id=TITLED, doc_type="tin_bai", title="Dồn điền đổi thửa ở xã Vũ Hội"),
        "Nhân dân đồng thuận với chủ trương của xã.",
    ),
    (
        DocumentRecord(id=BODY_ONLY, doc_type="tin_bai", title="Tin từ cơ sở"),
        "Xã Vũ Hội bàn việc dồn điền đổi thửa với nhân dân.",
    ),
    (
        DocumentRecord(
            id=UBND,
            doc_type="thong_bao",
            issue_date=date(2021, 3, 3),
            issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
            title="Kết luận của Chủ tịch UBND tỉnh tại buổi đối thoại",
        ),
        "Đối thoại với các hộ dân về bồi thường.",
    ),
    (
        DocumentRecord(
            id=HU,
            doc_type="thong_bao",
            issue_date=date(2018, 8, 9),
            issuer="Huyện ủy Krông Pắc",
            title="kết luận của đồng chí Bí thư Huyện ủy tại buổi đối thoại",
            signer=Signer(authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ", name="Hồ Thị Mai Hương"),
        ),
        "Đối thoại với nhân dân xã Ea Kly về đất đai.",
    ),
]


@pytest.fixture
def ranked(empty_backend: SearchBackend) -> SearchBackend:
    empty_backend.add_many(RANKING)
    return empty_backend


def ids(backend: SearchBackend, q: str, **kw: object) -> list[str]:
    return [h.id for h in backend.search(parse_query(q, **kw)).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["Thanh Hóa", "thanh hoa", "tái định cư", "tai dinh cu"])
def test_syllables_together_as_typed_rank_above_the_same_syllables_apart(ranked: SearchBackend, query: str) -> None:
    found = ids(ranked, query)
    assert found[0] == THANH_HOA
    assert SCATTERED not in found[:1]


def test_a_long_question_finds_documents_with_most_of_its_words(ranked: SearchBackend) -> None:
    # Nine words: no document has all of them (no "cử tri", no "cấp huyện") — most is enough.
    found = ids(ranked, "kết quả thực hiện kế hoạch đối thoại của cử tri cấp huyện năm 2022")
    assert found[:1] == [REPORT]
    assert THANH_HOA not in found  # "đối thoại" alone is not most of the question


def test_a_type_named_first_favours_documents_of_that_type(ranked: SearchBackend) -> None:
    assert ids(ranked, "kế hoạch đối thoại năm 2022")[0] == PLAN
    assert ids(ranked, "báo cáo kế hoạch đối thoại năm 2022")[0] == REPORT


def test_a_signing_authority_favours_documents_signed_so(ranked: SearchBackend) -> None:
    for query in ("báo cáo T/M BAN THƯỜNG VỤ", "bao cao t/m ban thuong vu"):
        found = ids(ranked, query)
        assert found[0] == SIGNED and found.index(SIGNED) < found.index(UNSIGNED)


def test_the_title_weighs_more_than_the_body(ranked: SearchBackend) -> None:
    assert ids(ranked, "dồn điền đổi thửa")[:2] == [TITLED, BODY_ONLY]


def test_a_single_short_query_still_needs_every_word(ranked: SearchBackend) -> None:
    assert ids(ranked, "Vũ Hội đồng thuận") == [TITLED]


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("UBND tỉnh", {UBND}),
        ("ubnd tinh quang ngai", {UBND}),
        ("Ủy ban nhân dân tỉnh", {UBND}),
        ("HU", {HU}),
        ("HU Krông Pắc", {HU}),
        ("BTV Huyện ủy Krông Pắc", {HU}),  # signed T/M BAN THƯỜNG VỤ: its standing committee issued it
        ("MTTQ", set()),
    ],
)
def test_issuer_filter_understands_the_usual_abbreviations(
    ranked: SearchBackend, issuer: str, expected: set[str]
) -> None:
    assert set(ids(ranked, "", filters=Filters(issuer=issuer))) == expected
    assert set(ids(ranked, "đối thoại", filters=Filters(issuer=issuer))) == expected
