"""The leak suite: a document a user may not see shows up nowhere, on both search backends.

A real ``doithoai serve`` (tantivy on disk, or Elasticsearch over real HTTP to osmem-server)
answers two users over real HTTP: ``vanthu`` (clerk, no clearance) and ``canbomat`` (cleared
for MẬT). The archive (``DOITHOAI_SECRETS=store``: an installation on no network) holds a MẬT
plan that cites a public notice and has a word, an issuer, a type and a year of its own, plus
public and MẬT documents that share one word, for the counts and the pages.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.test_web.conftest import STANDARD_USERS, Server, add_user, doithoai, login, web_env

SECRET_WORD = "Kryptolanh"  # only in the MẬT plan
SHARED_WORD = "Ostravanh"  # in 7 public and 5 MẬT documents
PUBLIC_SHARED, SECRET_SHARED = 7, 5
HEADER = (
    "{issuer}        ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
    "Số {number}        Hà Nam, ngày {day} tháng {month} năm {year}\n{mark}\n\n"
)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _inbox(folder: Path) -> None:
    folder.mkdir(parents=True)
    head = HEADER.format(issuer="TỈNH ỦY HÀ NAM", number="30-TB/TU", day=5, month=3, year=2024, mark="")
    _write(folder, "thong-bao-30.txt", head + "THÔNG BÁO\nkết luận hội nghị đối thoại công khai\n-----\nNội dung.\n")
    _write(
        folder,
        "ke-hoach-mat.txt",
        HEADER.format(issuer="BAN NỘI CHÍNH TỈNH ỦY HÀ NAM", number="31-KH/TU", day=10, month=1, year=2023, mark="MẬT")
        + "KẾ HOẠCH\ntổ chức tiếp xúc, đối thoại năm 2023\n-----\n"
        + f"Thực hiện Thông báo số 30-TB/TU, dự án {SECRET_WORD} được bàn riêng.\n",
    )
    for i in range(PUBLIC_SHARED):
        head = HEADER.format(issuer="TỈNH ỦY HÀ NAM", number=f"{40 + i}-TB/TU", day=i + 1, month=6, year=2024, mark="")
        _write(folder, f"cong-khai-{i}.txt", head + f"THÔNG BÁO\nkết luận số {i}\n-----\n{SHARED_WORD} {i}.\n")
    for i in range(SECRET_SHARED):
        head = HEADER.format(
            issuer="TỈNH ỦY HÀ NAM", number=f"{60 + i}-TB/TU", day=i + 1, month=7, year=2024, mark="MẬT"
        )
        _write(folder, f"mat-{i}.txt", head + f"THÔNG BÁO\nkết luận mật {i}\n-----\n{SHARED_WORD} {i}.\n")


@pytest.fixture(scope="module", params=["tantivy", "elasticsearch"])
def archive(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    make_server: Callable[[dict[str, str]], Server],
) -> Iterator[dict[str, Any]]:
    extra = {"DOITHOAI_SECRETS": "store"}
    clone = None
    if request.param == "elasticsearch":
        clone = request.getfixturevalue("osmem_server").clone()
        extra |= {"DOITHOAI_ES_URL": clone.url, "DOITHOAI_ES_INDEX": f"leak-{uuid.uuid4().hex[:10]}"}
    env = web_env(tmp_path_factory.mktemp("leaks") / "home", **extra)
    inbox = tmp_path_factory.mktemp("leak-inbox") / "inbox"
    _inbox(inbox)
    ingested = doithoai(env, "ingest", "--direct", "--json", str(inbox))
    assert ingested.returncode == 0, ingested.stderr
    files = {Path(f["path"]).name: f for f in json.loads(ingested.stdout)["files"]}
    assert all(f["status"] == "archived" for f in files.values()), files
    for name, role, clearance in STANDARD_USERS:
        add_user(env, name, role, clearance)
    server = make_server(env)
    yield {
        "server": server,
        "secret": files["ke-hoach-mat.txt"]["id"],
        "cited": files["thong-bao-30.txt"]["id"],
        "uncleared": login(server, "vanthu"),
        "cleared": login(server, "canbomat"),
    }
    if clone is not None:
        clone.close()


def _search(client: httpx.Client, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def _facet_values(result: dict[str, Any]) -> dict[str, set[str]]:
    return {name: {str(b["value"]) for b in buckets} for name, buckets in result["facets"].items()}


def test_a_word_only_the_secret_document_has_finds_nothing_for_the_uncleared(archive: dict[str, Any]) -> None:
    hidden = _search(archive["uncleared"], q=SECRET_WORD)
    assert hidden["total"] == 0 and hidden["hits"] == []
    assert all(not buckets for buckets in hidden["facets"].values())
    seen = _search(archive["cleared"], q=SECRET_WORD)
    assert seen["total"] == 1 and seen["hits"][0]["id"] == archive["secret"]
    page = archive["uncleared"].get("/", params={"q": SECRET_WORD})
    assert page.status_code == 200  # the query is echoed back; the document is not
    assert archive["secret"] not in page.text and "31-KH/TU" not in page.text and "dự án" not in page.text


def test_totals_and_every_facet_leave_the_secret_documents_out(archive: dict[str, Any]) -> None:
    everything = _search(archive["uncleared"], q="", limit=50)
    cleared = _search(archive["cleared"], q="", limit=50)
    assert everything["total"] == 1 + PUBLIC_SHARED
    assert cleared["total"] == 2 + PUBLIC_SHARED + SECRET_SHARED
    hidden, shown = _facet_values(everything), _facet_values(cleared)
    assert "2023" not in hidden["year"] and "2023" in shown["year"]
    assert "ke_hoach" not in hidden["doc_type"] and "ke_hoach" in shown["doc_type"]
    assert not any("Nội chính" in v for v in hidden["issuer"]) and any("Nội chính" in v for v in shown["issuer"])
    counts = {b["value"]: b["count"] for b in everything["facets"]["doc_type"]}
    assert counts == {"thong_bao": 1 + PUBLIC_SHARED}
    assert archive["secret"] not in json.dumps(everything)


def test_pages_over_a_mix_of_visible_and_hidden_documents_are_full(archive: dict[str, Any]) -> None:
    pages = [_search(archive["uncleared"], q=SHARED_WORD, limit=3, offset=o) for o in (0, 3, 6)]
    assert [p["total"] for p in pages] == [PUBLIC_SHARED] * 3
    assert [len(p["hits"]) for p in pages] == [3, 3, 1]
    ids = [h["id"] for p in pages for h in p["hits"]]
    assert len(set(ids)) == PUBLIC_SHARED
    cleared = [_search(archive["cleared"], q=SHARED_WORD, limit=5, offset=o) for o in (0, 5, 10)]
    assert [len(p["hits"]) for p in cleared] == [5, 5, 2]


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/{id}",
        "/api/documents/{id}/original",
        "/api/documents/{id}/text",
        "/documents/{id}",
        "/documents/{id}/original",
        "/documents/{id}/text",
        "/documents/{short}",
    ],
)
def test_the_secret_document_cannot_be_opened_or_downloaded_by_id(archive: dict[str, Any], path: str) -> None:
    url = path.format(id=archive["secret"], short=archive["secret"][:10])
    hidden = archive["uncleared"].get(url)
    assert hidden.status_code == 404
    assert SECRET_WORD not in hidden.text and "31-KH/TU" not in hidden.text
    assert archive["cleared"].get(url).status_code == 200


def test_the_secret_document_cannot_be_opened_by_its_number(archive: dict[str, Any]) -> None:
    for number in ("31-KH/TU", "31/KH-TU"):
        hidden = archive["uncleared"].get(f"/so/{number}")
        assert hidden.status_code == 404, number
        assert archive["secret"] not in hidden.text
        shown = archive["cleared"].get(f"/so/{number}")
        assert shown.status_code in (200, 303) and archive["secret"] in (shown.headers.get("location", "") + shown.text)
    hidden_hits = _search(archive["uncleared"], q="31-KH/TU")
    assert hidden_hits["total"] == 0


def test_cited_by_does_not_name_the_secret_document(archive: dict[str, Any]) -> None:
    hidden = archive["uncleared"].get(f"/api/documents/{archive['cited']}").json()
    shown = archive["cleared"].get(f"/api/documents/{archive['cited']}").json()
    assert archive["secret"] in json.dumps(shown["cited_by"])
    assert archive["secret"] not in json.dumps(hidden) and "31-KH/TU" not in json.dumps(hidden, ensure_ascii=False)
    page = archive["uncleared"].get(f"/documents/{archive['cited']}")
    assert page.status_code == 200 and archive["secret"] not in page.text and "31-KH/TU" not in page.text


def test_the_calendar_does_not_show_the_secret_plan(archive: dict[str, Any]) -> None:
    hidden = archive["uncleared"].get("/api/due", params={"year": 2023})
    shown = archive["cleared"].get("/api/due", params={"year": 2023})
    assert hidden.status_code == shown.status_code == 200
    assert archive["secret"] in shown.text
    assert archive["secret"] not in hidden.text and "31-KH/TU" not in hidden.text
    page = archive["uncleared"].get("/lich", params={"year": 2023})
    assert archive["secret"] not in page.text and "31-KH/TU" not in page.text


def test_run_reports_do_not_name_the_secret_documents(archive: dict[str, Any]) -> None:
    for url in ("/api/runs", "/api/runs/1", "/luu-tru"):
        hidden = archive["uncleared"].get(url)
        assert hidden.status_code == 200, url
        for name in ("ke-hoach-mat.txt", "mat-0.txt", archive["secret"], "31-KH/TU"):
            assert name not in hidden.text, (url, name)


def test_run_reports_count_only_what_the_asker_may_see(archive: dict[str, Any]) -> None:
    everything = 2 + PUBLIC_SHARED + SECRET_SHARED  # the notice, the MẬT plan, the shared ones
    [cleared] = archive["cleared"].get("/api/runs").json()["runs"]
    [uncleared] = archive["uncleared"].get("/api/runs").json()["runs"]
    assert cleared["counts"]["archived"] == everything
    assert uncleared["counts"]["archived"] == everything - 1 - SECRET_SHARED
    assert archive["uncleared"].get("/api/runs/1").json()["counts"] == uncleared["counts"]


def test_views_and_downloads_of_the_marked_document_are_audited(archive: dict[str, Any]) -> None:
    server, secret = archive["server"], archive["secret"]
    assert archive["cleared"].get(f"/api/documents/{secret}").status_code == 200
    assert archive["cleared"].get(f"/documents/{secret}/original").status_code == 200
    assert archive["uncleared"].get(f"/api/documents/{archive['cited']}/original").status_code == 200
    assert archive["uncleared"].get(f"/api/documents/{archive['cited']}").status_code == 200  # public: no entry
    entries = json.loads(doithoai(server.env, "audit", "--json").stdout)["entries"]
    seen = {(e["actor"], e["action"], e["target"]) for e in entries}
    assert ("canbomat", "document.view", secret) in seen
    assert ("canbomat", "original.download", secret) in seen
    assert ("vanthu", "original.download", archive["cited"]) in seen
    assert ("vanthu", "document.view", archive["cited"]) not in seen
    assert all(e["detail"].get("độ mật") == "mat" for e in entries if e["action"] == "document.view")
    assert doithoai(server.env, "audit", "verify").returncode == 0
