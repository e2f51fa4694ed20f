"""What a document cites and what cites it, resolved between archived documents in both directions."""

from __future__ import annotations

from pathlib import Path

from archive import Settings, open_store
from flows.links import links
from flows.local import ingest_direct
from search import get_backend


def _doc(province: str, org_line: str, number: str, date: str, kind: str, title: str, body: str) -> str:
    return (
        f"{org_line}        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố {number}        {province}, ngày {date}\n\n"
        f"{kind}\n{title}\n-----\n{body}\n"
    )


def test_citations_resolve_within_the_province_and_back(tmp_path: Path, settings: Settings) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "qd-hau-giang.txt").write_text(
        _doc("Hậu Giang", "TỈNH ỦY HẬU GIANG", "1681-QĐ/TU", "23 tháng 01 năm 2019", "QUYẾT ĐỊNH",
             "về việc điều chỉnh Quy chế tiếp xúc, đối thoại", "Ban hành kèm theo Quy chế.")
    )  # fmt: skip
    (inbox / "qd-lang-son.txt").write_text(
        _doc("Lạng Sơn", "TỈNH ỦY LẠNG SƠN", "1681-QĐ/TU", "02 tháng 3 năm 2020", "QUYẾT ĐỊNH",
             "về công tác cán bộ", "Nội dung khác hẳn.")
    )  # fmt: skip
    (inbox / "bc-hau-giang.txt").write_text(
        _doc("Hậu Giang", "TỈNH ỦY HẬU GIANG", "215-BC/TU", "25 tháng 11 năm 2024", "BÁO CÁO",
             "sơ kết 05 năm", "Thực hiện Quyết định số 1681-QĐ/TU ngày 23/01/2019 và Quy định số 11-QĐi/TW.")
    )  # fmt: skip
    (inbox / "tb-lang-son.txt").write_text(
        _doc("Lạng Sơn", "TỈNH ỦY LẠNG SƠN", "40-TB/TU", "10 tháng 5 năm 2020", "THÔNG BÁO",
             "kết luận", "Theo Quyết định số 1681-QĐ/TU của Ban Thường vụ Tỉnh ủy.")
    )  # fmt: skip
    outcomes = {Path(o.path).name: o.id for o in ingest_direct([inbox], settings)}
    store, backend = open_store(settings), get_backend(settings)

    report = links(store.load_record(outcomes["bc-hau-giang.txt"] or ""), backend)
    cites = {r.citation.number_symbol: r for r in report.cites}
    resolved = cites["1681-QĐ/TU"].resolved
    assert resolved is not None and resolved.id == outcomes["qd-hau-giang.txt"]
    assert cites["1681-QĐ/TU"].candidates == 2
    assert cites["11-QĐi/TW"].resolved is None  # not archived here

    decision = links(store.load_record(outcomes["qd-hau-giang.txt"] or ""), backend)
    assert [h.id for h in decision.cited_by] == [outcomes["bc-hau-giang.txt"]]

    other = links(store.load_record(outcomes["qd-lang-son.txt"] or ""), backend)
    assert [h.id for h in other.cited_by] == [outcomes["tb-lang-son.txt"]]
