"""The parser on whole documents with ground truth: our own extra cases, the development
corpus and the real seed texts (copied into tests/data/shared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.parse import parse_text

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent / "data" / "shared"
EXTRA = HERE / "extra_corpus"


def _cases(corpus: Path) -> list[Any]:
    manifest = corpus / "manifest.jsonl"
    return [
        pytest.param(corpus, json.loads(line), id=json.loads(line)["file"])
        for line in manifest.read_text().splitlines()
    ]


def _check(corpus: Path, truth: dict[str, Any]) -> None:
    r = parse_text((corpus / truth["file"]).read_text(encoding="utf-8"))
    for field in ("doc_type", "number_symbol", "place", "issuer", "province", "title", "confidentiality"):
        assert getattr(r, field) == truth[field], field
    assert r.issue_date is not None and r.issue_date.isoformat() == truth["issue_date"]
    assert r.signer.model_dump() == truth["signer"]
    assert list(r.recipients) == truth["recipients"]
    assert [c.number_symbol for c in r.citations] == truth["cited_documents"]
    assert {(s.level, s.metric, s.value) for s in r.statistics} == {
        (s["level"], s["metric"], s["value"]) for s in truth["statistics"]
    }
    assert [(d.agency, d.due.isoformat() if d.due else None) for d in r.deadlines] == [
        (d["agency"], d["due"]) for d in truth["deadlines"]
    ]


@pytest.mark.parametrize(("corpus", "truth"), _cases(EXTRA))
def test_extra_cases_written_from_the_formats(corpus: Path, truth: dict[str, Any]) -> None:
    _check(corpus, truth)


@pytest.mark.parametrize(("corpus", "truth"), _cases(SHARED / "domain" / "corpus"))
def test_development_corpus(corpus: Path, truth: dict[str, Any]) -> None:
    _check(corpus, truth)


def _seed(prefix: str) -> str:
    [found] = sorted((SHARED / "seeds").glob(f"{prefix}_*.txt"))
    return found.read_text(encoding="utf-8")


def test_seed_004_cites_every_document_of_its_footnotes() -> None:
    r = parse_text(_seed("004"))
    assert [c.number_symbol for c in r.citations] == [
        "1681-QĐ/TU", "23-CT/TU", "323-QĐ/TU", "976-QĐ/TU", "69-KH/TU", "128-KH/TU",
        "150-KH/TU", "238-KH/TU", "4697-QĐ/TU", "218-QĐ/TW", "11-NQ/TU",
    ]  # fmt: skip
    by_symbol = {c.number_symbol: c for c in r.citations}
    assert by_symbol["218-QĐ/TW"].issuer == "Bộ Chính trị"
    assert str(by_symbol["69-KH/TU"].issue_date) == "2022-02-28"


def test_seed_004_statistics_by_level_and_its_inconsistency() -> None:
    r = parse_text(_seed("004"))
    got = {(s.level, s.metric): s.value for s in r.statistics}
    assert got[("tong", "so_cuoc")] == 779
    assert got[("huyen", "so_y_kien")] == 122159
    assert got[("huyen", "so_y_kien_da_giai_quyet")] == 122050
    assert got[("huyen", "so_y_kien_chua_giai_quyet")] == 37
    assert got[("tong", "ty_le_giai_quyet")] == 99.94
    assert any("122.146" in w and "122.159" in w for w in r.warnings)


def test_seed_000_meetings_by_level_do_not_add_up() -> None:
    r = parse_text(_seed("000"))
    assert "số cuộc: tổng 2.794 khác tổng các cấp 2.793 (cấp tỉnh 15, cấp huyện 265, cấp xã 2.513)" in r.warnings
