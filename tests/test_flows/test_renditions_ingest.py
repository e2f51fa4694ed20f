"""The same notice archived as a Word draft, a .txt export and the signed scan: one document, three files.

Real ingest (OCR of the scan included), on both search backends, then the real ``doithoai show``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from archive import Settings, open_store
from flows import secrets, steps
from flows.local import ingest_direct
from search import Filters, SearchRequest, get_backend, parse_query
from search.renditions import rendition_key
from tests.makers import make_docx, official_page_image
from tests.test_search.conftest import backend_settings

TITLE = ["kết luận của đồng chí Bí thư Tỉnh ủy tại hội nghị tiếp xúc, đối thoại", "với nhân dân huyện Quỳnh Lưu"]
BODY = ["Thực hiện Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị, ngày 21/5/2019,",
        "đồng chí Bí thư Tỉnh ủy chủ trì hội nghị với 385 đại biểu; có 19 lượt ý kiến phát biểu."]  # fmt: skip


def text_notice(number: str) -> str:
    return (
        f"TỈNH ỦY NGHỆ AN        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố {number}        Nghệ An, ngày 29 tháng 5 năm 2019\n\n"
        f"THÔNG BÁO\n{' '.join(TITLE)}\n-----\n{' '.join(BODY)}\n"
    )


@pytest.fixture(params=["tantivy", "elasticsearch"])
def home(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return backend_settings(request.param, tmp_path, request).model_copy(update={"workers": 2})


def ids_by_name(outcomes: list[steps.Outcome]) -> dict[str, str]:
    assert {o.status for o in outcomes} == {"archived"}, outcomes
    return {Path(o.path).name: o.id or "" for o in outcomes}


def test_a_draft_an_export_and_the_signed_scan_are_one_document(home: Settings, tmp_path: Path) -> None:
    first, later = tmp_path / "truoc", tmp_path / "sau"
    first.mkdir()
    later.mkdir()
    make_docx(
        first / "tb-1876-du-thao.docx",
        ["THÔNG BÁO", *TITLE, "-----", *BODY],
        header_cells=(
            ["TỈNH ỦY NGHỆ AN", "*", "Số 1876-TB/TU"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Nghệ An, ngày 29 tháng 5 năm 2019"],
        ),
    )
    (first / "tb-1876.txt").write_text(text_notice("1876-TB/TU"), encoding="utf-8")
    (first / "tb-1877.txt").write_text(text_notice("1877-TB/TU"), encoding="utf-8")  # another notice, same day
    official_page_image("TỈNH ỦY NGHỆ AN", "Số 1876-TB/TU", "Nghệ An, ngày 29 tháng 5 năm 2019", "THÔNG BÁO",
                        TITLE, BODY).save(later / "tb-1876-da-ky.png", dpi=(200, 200))  # fmt: skip

    ids = ids_by_name(ingest_direct([first], home))
    # The scan arrives in a later run: the files already indexed are regrouped around it.
    ids |= ids_by_name(ingest_direct([later], home))
    scan, draft, export, other = (
        ids[n] for n in ("tb-1876-da-ky.png", "tb-1876-du-thao.docx", "tb-1876.txt", "tb-1877.txt")
    )
    records = {sha: open_store(home).load_record(sha) for sha in ids.values()}
    assert len({rendition_key(records[s]) for s in (scan, draft, export)}) == 1, [records[s] for s in (scan, draft)]

    def check_searches() -> None:
        backend = get_backend(home)
        words = backend.search(parse_query("Quỳnh Lưu"))
        assert words.total == 2 and {h.id for h in words.hits} == {scan, other}  # the document once, by its scan
        assert {f.value: f.count for f in words.facets["year"]} == {"2019": 2}
        number = backend.search(parse_query("1876-TB/TU"))
        assert (number.total, [h.id for h in number.hits]) == (1, [scan])
        assert backend.count() == 4  # every file is still indexed and archived: nothing deleted
        key = rendition_key(records[scan])
        files = backend.search(SearchRequest(filters=Filters(rendition_key=key, all_renditions=True)))
        assert {h.id for h in files.hits} == {scan, draft, export}

    check_searches()
    assert open_store(home).count() == 4
    assert steps.reindex_all(steps.open_context(home)) == 4
    check_searches()  # a reindex groups the store's records the same way

    # `doithoai show` of any of the files lists every rendition, the scan first and primary.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env |= {"DOITHOAI_HOME": str(home.home), "DOITHOAI_WORKERS": "2", "DOITHOAI_SEARCH_BACKEND": home.search_backend}
    if home.es_url:
        env |= {"DOITHOAI_ES_URL": home.es_url, "DOITHOAI_ES_INDEX": home.es_index}
    proc = subprocess.run([sys.executable, "-m", "doithoai", "show", draft, "--json"], env=env,
                          capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    shown = json.loads(proc.stdout)
    assert shown["id"] == draft
    assert [(r["id"], r["primary"]) for r in shown["renditions"]] == [(scan, True), (draft, False), (export, False)]
    assert [r["name"] for r in shown["renditions"]] == ["tb-1876-da-ky.png", "tb-1876-du-thao.docx", "tb-1876.txt"]
    assert shown["renditions"][1]["media_type"].endswith("wordprocessingml.document")
    alone = subprocess.run([sys.executable, "-m", "doithoai", "show", other, "--json"], env=env,
                           capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    assert [r["id"] for r in json.loads(alone.stdout)["renditions"]] == [other]

    # A clerk marks the scan MẬT (held under register-only): the draft becomes what searches show.
    store, backend = open_store(home), get_backend(home)
    secrets.correct_confidentiality(home, store, backend, scan, "mat")
    public = backend.search(replace(parse_query("1876-TB/TU"), filters=Filters(confidentiality=("none",))))
    assert (public.total, [h.id for h in public.hits]) == (1, [draft])
