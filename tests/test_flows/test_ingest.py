"""Ingest: every file ends archived, duplicate or quarantined with a reason; the run always finishes."""

from __future__ import annotations

import json
from pathlib import Path

from archive import Settings, open_store
from flows import steps
from flows.local import ingest_direct
from search import get_backend, parse_query


def by_name(outcomes: list[steps.Outcome]) -> dict[str, steps.Outcome]:
    return {Path(o.path).name: o for o in outcomes}


def test_good_files_are_archived_and_bad_ones_quarantined_in_the_same_run(
    mixed_inbox: Path, settings: Settings
) -> None:
    outcomes = by_name(ingest_direct([mixed_inbox], settings))
    assert len(outcomes) == 7
    statuses = {name: o.status for name, o in outcomes.items()}
    assert statuses["ke-hoach.docx"] == "archived"
    assert statuses["bao-cao.pdf"] == "archived"
    assert sorted([statuses["thong-bao-386.txt"], statuses["ban sao cua thong bao.txt"]]) == ["archived", "duplicate"]
    assert statuses["tcvn3-cu.txt"] == "quarantined"
    assert statuses["hong.pdf"] == "quarantined"
    assert statuses["rong.docx"] == "quarantined"
    assert "bảng mã" in (outcomes["tcvn3-cu.txt"].reason or "")
    assert "PDF" in (outcomes["hong.pdf"].reason or "")
    assert "rỗng" in (outcomes["rong.docx"].reason or "")

    pdf = outcomes["bao-cao.pdf"]
    assert (pdf.doc_type, pdf.number_symbol, pdf.pages, pdf.indexed) == ("bao_cao", "215-BC/TU", 2, True)

    store = open_store(settings)
    assert store.count() == 3
    reasons = {q.name: q.reason for q in store.iter_quarantine()}
    assert set(reasons) == {"tcvn3-cu.txt", "hong.pdf", "rong.docx"}
    for q in store.iter_quarantine():
        assert json.loads((q.path / "reason.json").read_text())["reason"] == q.reason


def test_archived_documents_are_searchable_by_the_name_the_clerk_knows(mixed_inbox: Path, settings: Settings) -> None:
    ingest_direct([mixed_inbox], settings)
    hits = get_backend(settings).search(parse_query("giai phong mat bang")).hits
    assert len(hits) == 1
    assert Path(hits[0].path or "").name in {"thong-bao-386.txt", "ban sao cua thong bao.txt"}
    assert [h.number_symbol for h in get_backend(settings).search(parse_query("1681/QD-TU")).hits] == ["215-BC/TU"]


def test_a_second_run_finds_only_duplicates(mixed_inbox: Path, settings: Settings) -> None:
    ingest_direct([mixed_inbox], settings)
    again = ingest_direct([mixed_inbox], settings)
    assert {o.status for o in again if o.status != "quarantined"} == {"duplicate"}
    assert open_store(settings).count() == 3
    assert get_backend(settings).count() == 3


def test_when_the_index_fails_documents_are_still_archived_and_indexed_later(
    mixed_inbox: Path, settings: Settings
) -> None:
    index_root = settings.index_dir / "tantivy"
    index_root.parent.mkdir(parents=True)
    index_root.write_text("not a directory: the index cannot be opened")
    outcomes = ingest_direct([mixed_inbox], settings)
    archived = [o for o in outcomes if o.status == "archived"]
    assert len(archived) == 3 and all(o.indexed is False for o in archived)
    from archive.runs import RunLog

    assert RunLog(settings.home / "state.db").recent()[0].counts["not_indexed"] == 3
    index_root.unlink()
    again = ingest_direct([mixed_inbox], settings)  # the next run indexes what the last one could not
    assert {o.status for o in again} == {"duplicate", "quarantined"}
    ctx = steps.open_context(settings)
    assert ctx.backend.count() == 3
    assert steps.index_missing(ctx) == 0
    assert ctx.backend.search(parse_query("giai phong mat bang")).total == 1


def test_index_missing_finds_exactly_the_documents_the_index_lacks(mixed_inbox: Path, settings: Settings) -> None:
    ingest_direct([mixed_inbox], settings)
    ctx = steps.open_context(settings)
    victim = next(iter(ctx.store.iter_ids()))
    ctx.backend.remove(victim)
    assert victim not in ctx.backend.ids()
    assert steps.index_missing(ctx) == 1
    assert victim in ctx.backend.ids()


def test_the_prefect_flow_gives_the_same_outcomes(mixed_inbox: Path, settings: Settings) -> None:
    from flows.ingest import run_ingest_flow

    outcomes = by_name(run_ingest_flow([mixed_inbox], settings))
    assert sorted(o.status for o in outcomes.values()) == sorted(
        ["archived", "archived", "archived", "duplicate", "quarantined", "quarantined", "quarantined"]
    )
    assert get_backend(settings).search(parse_query("đất đai")).total == 1
    # the run summary table an operator sees in Prefect's UI, read back from Prefect's API
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    assert artifact.type == "table"
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert rows[0] == {"tệp": "TỔNG", "kết quả": "archived 3, duplicate 1, quarantined 3", "lý do": ""}
    quarantined = {r["tệp"]: r["lý do"] for r in rows[1:]}
    assert quarantined.keys() == {n for n, o in outcomes.items() if o.status == "quarantined"}
    assert all(quarantined.values())


def test_a_scanned_page_is_found_by_search_and_gets_a_searchable_pdf(tmp_path: Path, settings: Settings) -> None:
    from pypdf import PdfReader

    from tests.makers import page_image

    inbox = tmp_path / "scans"
    inbox.mkdir()
    page_image(
        ["THÔNG BÁO", "kết luận về việc thu gom rác thải sinh hoạt ở thôn Đông", "Số 12-TB/ĐU"], dpi=200, skew=1.0
    ).save(inbox / "quet.jpg", quality=80, dpi=(200, 200))
    [outcome] = ingest_direct([inbox], settings)
    assert outcome.status == "archived"
    hits = get_backend(settings).search(parse_query("thu gom rac thai")).hits
    assert [h.id for h in hits] == [outcome.id]
    store = open_store(settings)
    searchable = store.searchable_path(outcome.id or "")
    assert searchable is not None
    assert "rác thải" in PdfReader(str(searchable)).pages[0].extract_text()
    assert store.load_extraction(outcome.id or "").pages[0].method == "ocr"


def test_an_oversized_image_and_a_too_long_file_are_quarantined_while_the_rest_is_archived(
    tmp_path: Path,
) -> None:
    from tests.makers import make_pdf, page_image

    settings = Settings(home=tmp_path / "home", max_pixels=4_000_000, max_pages=2, workers=2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page_image(["Trang quét khổ lớn"], dpi=300).save(inbox / "qua-lon.png")  # 2481 x 3507 = 8.7 Mpx
    make_pdf(inbox / "qua-dai.pdf", ["Trang một.", "Trang hai.", "Trang ba."])
    (inbox / "tot.txt").write_text("Báo cáo kết quả đối thoại với nhân dân về đất đai.")
    page_image(["THÔNG BÁO", "về thu gom rác thải sinh hoạt"], dpi=150).save(inbox / "quet-nho.png", dpi=(150, 150))
    outcomes = by_name(ingest_direct([inbox], settings))
    assert outcomes["qua-lon.png"].status == "quarantined" and "điểm ảnh" in (outcomes["qua-lon.png"].reason or "")
    assert outcomes["qua-dai.pdf"].status == "quarantined" and "3 trang" in (outcomes["qua-dai.pdf"].reason or "")
    assert outcomes["tot.txt"].status == "archived"
    assert outcomes["quet-nho.png"].status == "archived" and outcomes["quet-nho.png"].ocr_pages == 1
