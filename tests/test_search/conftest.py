"""A small archive every search backend must answer the same way (the contract corpus)."""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

import pytest

from archive import DocumentRecord, Settings
from search import SearchBackend, get_backend

A, B, C, D, E = (ch * 64 for ch in "abcde")

CORPUS: list[tuple[DocumentRecord, str]] = [
    (
        DocumentRecord(
            id=A,
            doc_type="quyet_dinh",
            number_symbol="1681-QĐ/TU",
            issue_date=date(2019, 1, 23),
            issuer="Tỉnh ủy Hậu Giang",
            province="Hậu Giang",
            topics=("đất đai", "giải phóng mặt bằng"),
            title="về việc điều chỉnh, bổ sung Quy chế tiếp xúc, đối thoại trực tiếp",
        ),
        "Quy chế quy định việc tiếp xúc, đối thoại về đất đai và giải phóng mặt bằng trên địa bàn tỉnh.",
    ),
    (
        DocumentRecord(
            id=B,
            doc_type="bao_cao",
            number_symbol="215-BC/TU",
            issue_date=date(2024, 11, 25),
            issuer="Tỉnh ủy Hậu Giang",
            title="sơ kết 05 năm thực hiện Quyết định số 1681-QĐ/TU",
        ),
        "Tỉnh ủy báo cáo kết quả 05 năm thực hiện Quyết định số 1681-QĐ/TU. Giá đất dát vàng, kết quả đạt 99,94%.",
    ),
    (
        DocumentRecord(
            id=C,
            doc_type="thong_bao",
            number_symbol="386-TB/TU",
            issue_date=date(2016, 8, 11),
            issuer="Thành ủy Cần Thơ",
            province="Cần Thơ",
            topics=("giải phóng mặt bằng",),
            title="kết luận của đồng chí Bí thư Thành ủy tại buổi đối thoại với các hộ dân",
        ),
        "Các hộ dân nêu ý kiến về đơn giá bồi thường, bố trí tái định cư. Ghi chú: dat nen tai dinh cu.",
    ),
    (
        DocumentRecord(
            id=D,
            doc_type="thong_bao",
            number_symbol="27/TB-UBND",
            issue_date=date(2021, 3, 3),
            issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
            title="Kết luận của Chủ tịch UBND tỉnh tại buổi đối thoại về bồi thường",
        ),
        "Tỉnh uỷ và UBND tỉnh chỉ đạo giải quyết dứt điểm; hoà giải ở cơ sở. Thực hiện Kế hoạch số 18/KH-UBND.",
    ),
    (
        DocumentRecord(
            id=E,
            doc_type="tin_bai",
            title="Văn phòng Tỉnh ủy phối hợp tổ chức đối thoại",
            low_confidence_pages=(1,),  # a page that read badly: a human should look
        ),
        "Mặt trận và các đoàn thể phối hợp; phòng họp được bố trí; người dân đạt được đồng thuận.",
    ),
]


def backend_settings(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for one backend: tantivy on disk, or Elasticsearch over real HTTP — a real cluster
    when DOITHOAI_TEST_ES_URL is set, else a fresh osmem-server clone (in-memory, OpenSearch API)."""
    if kind == "tantivy":
        return Settings(home=tmp_path / "home-tantivy", search_backend="tantivy")
    url = os.environ.get("DOITHOAI_TEST_ES_URL")
    if not url:
        clone = request.getfixturevalue("osmem_clone")
        url = clone.url
    return Settings(
        home=tmp_path / "home-es", search_backend="elasticsearch", es_url=url, es_index=f"t-{uuid.uuid4().hex[:12]}"
    )


@pytest.fixture(params=["tantivy", "elasticsearch"])
def empty_backend(request: pytest.FixtureRequest, tmp_path: Path) -> SearchBackend:
    return get_backend(backend_settings(request.param, tmp_path, request))


@pytest.fixture
def backend(empty_backend: SearchBackend) -> SearchBackend:
    empty_backend.add_many(CORPUS)
    return empty_backend
