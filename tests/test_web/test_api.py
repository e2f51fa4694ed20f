"""The REST API over real HTTP to a running ``doithoai serve``: the contract, errors, CLI parity."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from tests.test_web.conftest import (
    PASSWORDS,
    REPO_SAMPLES,
    Server,
    add_user,
    api_client,
    build_archive,
    cli,
    serve_archive,
    stop_server,
    web_env,
)


@pytest.fixture(scope="module", params=["tantivy", "elasticsearch"])
def srv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same suite against both backends: the session's tantivy archive, and the same corpus
    ingested into Elasticsearch (osmem-server over real HTTP, or DOITHOAI_TEST_ES_URL)."""
    if request.param == "tantivy":
        yield request.getfixturevalue("archive_server")
        return
    clone = None if os.environ.get("DOITHOAI_TEST_ES_URL") else request.getfixturevalue("osmem_server").clone()
    url = os.environ.get("DOITHOAI_TEST_ES_URL") or clone.url
    root = tmp_path_factory.mktemp("web-es")
    env = build_archive(root, DOITHOAI_ES_URL=url, DOITHOAI_ES_INDEX=f"web-{uuid.uuid4().hex[:10]}")
    server = serve_archive(env)
    yield server
    stop_server(server)
    if clone is not None:
        clone.close()


@pytest.fixture(scope="module")
def api(srv: Server) -> Iterator[httpx.Client]:
    """A clerk without clearance, as a script: a personal API token."""
    with api_client(srv, "vanthu") as client:
        yield client


HIT_KEYS = ["id", "score", "doc_type", "number_symbol", "issue_date", "title", "issuer", "snippet", "path"]


def _one(api: httpx.Client, q: str) -> dict:
    body = api.get("/api/search", params={"q": q}).json()
    assert body["total"] >= 1, (q, body)
    return body["hits"][0]


def test_search_answers_the_contract_shape(api: httpx.Client) -> None:
    r = api.get("/api/search", params={"q": "giai phong mat bang", "limit": 3})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["total", "hits", "facets", "notes"]
    assert body["total"] >= 3 and len(body["hits"]) == 3
    assert all(list(h) == HIT_KEYS for h in body["hits"])
    assert set(body["facets"]) == {"doc_type", "year", "issuer", "province", "topics"}
    assert all(set(f) == {"value", "count"} for facet in body["facets"].values() for f in facet)
    assert any("<b>" in h["snippet"] for h in body["hits"])


def test_words_with_and_without_diacritics_find_the_same_documents(api: httpx.Client) -> None:
    plain = api.get("/api/search", params={"q": "giai phong mat bang", "limit": 50}).json()
    marked = api.get("/api/search", params={"q": "giải phóng mặt bằng", "limit": 50}).json()
    assert {h["id"] for h in plain["hits"]} == {h["id"] for h in marked["hits"]}


def test_filters_sort_and_pages(api: httpx.Client) -> None:
    notices = api.get("/api/search", params={"type": "thông báo", "year": 2019}).json()
    assert notices["total"] >= 1
    assert all(h["doc_type"] == "thong_bao" and h["issue_date"].startswith("2019") for h in notices["hits"])
    by_date = api.get("/api/search", params={"q": "doi thoai", "sort": "date", "limit": 30}).json()
    dates = [h["issue_date"] for h in by_date["hits"] if h["issue_date"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 5
    first = api.get("/api/search", params={"q": "doi thoai", "limit": 5}).json()
    second = api.get("/api/search", params={"q": "doi thoai", "limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] > 10
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


def test_a_document_and_its_three_downloads(api: httpx.Client) -> None:
    hit = _one(api, "48-KH/TU")
    doc = api.get(f"/api/documents/{hit['id']}").json()
    assert doc["number_symbol"] == "48-KH/TU" and doc["id"] == hit["id"]
    original = api.get(f"/api/documents/{hit['id']}/original")
    assert original.status_code == 200
    assert original.content == (REPO_SAMPLES / "ke-hoach-bac-giang-2021.pdf").read_bytes()
    assert "filename*=UTF-8''ke-hoach-bac-giang-2021.pdf" in original.headers["content-disposition"]
    pdf = api.get(f"/api/documents/{hit['id']}/searchable.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = api.get(f"/api/documents/{hit['id']}/text")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Bắc Giang" in text.text


def test_a_scanned_document_has_its_searchable_pdf_and_a_vietnamese_file_name(api: httpx.Client) -> None:
    hit = _one(api, "318-TB/HU")  # the JPEG scan, read by OCR
    pdf = api.get(f"/api/documents/{hit['id']}/searchable.pdf")
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
    disposition = pdf.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "thong-bao-quet-krong-pac.pdf"


def test_citations_resolve_both_ways(api: httpx.Client) -> None:
    notice = api.get(f"/api/documents/{_one(api, '1876-TB/TU')['id']}").json()
    plan_id = _one(api, "172-KH/TU")["id"]
    cited = {c["number_symbol"]: c["resolved_id"] for c in notice["citations"]}
    assert cited["172-KH/TU"] == plan_id
    plan = api.get(f"/api/documents/{plan_id}").json()
    assert notice["id"] in [h["id"] for h in plan["cited_by"]]


def test_a_document_above_the_askers_clearance_does_not_exist(api: httpx.Client, srv: Server) -> None:
    secret = json.loads(cli(srv.env, "search", "99-TB/TU", "--json").stdout)["hits"]  # the local operator
    assert secret and secret[0]["number_symbol"] == "99-TB/TU"
    sid = secret[0]["id"]
    for q in ("99-TB/TU", "đơn thư vượt cấp Diễn Châu", "bao ve bi mat nguoi to cao"):
        assert sid not in [h["id"] for h in api.get("/api/search", params={"q": q, "limit": 50}).json()["hits"]], q
    for path in ("", "/original", "/searchable.pdf", "/text"):
        r = api.get(f"/api/documents/{sid}{path}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", path
    assert api.get("/so/99-TB/TU").status_code == 404
    plan = api.get(f"/api/documents/{_one(api, '172-KH/TU')['id']}").json()
    assert sid not in [h["id"] for h in plan["cited_by"]]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/documents/ffffffffffff", 404, "not_found"),
        ("/api/search?limit=0", 400, "bad_query"),
        ("/api/search?limit=abc", 400, "bad_query"),
        ("/api/search?from=31/02/2024", 400, "bad_request"),
        ("/api/search?sort=name", 400, "bad_query"),
        ("/api/khong-co", 404, "not_found"),
        ("/api/runs/khong-co", 404, "not_found"),
    ],
)
def test_errors_are_json_with_a_vietnamese_message(api: httpx.Client, path: str, status: int, code: str) -> None:
    r = api.get(path)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["code"] == code and error["message"]
    assert re.search(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", error["message"].lower())


def test_state_never_changes_on_get(api: httpx.Client) -> None:
    for path in ("/api/ingest", "/api/inbox", "/api/quarantine/abcdef/retry"):
        assert api.get(path).status_code == 405, path


def test_openapi_and_offline_docs(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents/{doc_id}", "/api/documents/{doc_id}/original",
                 "/api/documents/{doc_id}/searchable.pdf", "/api/documents/{doc_id}/text", "/api/templates",
                 "/api/templates/{name}/draft", "/api/due", "/api/runs", "/api/runs/{run_id}", "/api/quarantine",
                 "/api/quarantine/{key}/retry", "/api/inbox", "/api/ingest"):  # fmt: skip
        assert path in spec["paths"], path
    docs = api.get("/api/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert api.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_due_lists_the_overdue_notice_of_an_archived_dialogue(api: httpx.Client) -> None:
    due = api.get("/api/due", params={"year": 2025}).json()
    assert due["year"] == 2025
    notice = [i for i in due["items"] if i["unit"] == "Huyện ủy Quỳnh Lưu" and i["kind"] == "notice"]
    assert [(i["due"], i["status"]) for i in notice] == [("2025-03-19", "overdue")]


QUERIES = ["giai phong mat bang", "QĐ 1681", "1681/QD-TU", '"tiếp xúc, đối thoại" Nghệ An', "doi thoai"]


@pytest.mark.parametrize("q", QUERIES)
def test_cli_and_api_answer_the_same(srv: Server, q: str) -> None:
    """The CLI acts as the local operator (every document); the API asks as a reader cleared for
    MẬT, which in this corpus is every document too: the answers must be the same."""
    by_cli = cli(srv.env, "search", q, "--limit", "5", "--json")
    assert by_cli.returncode == 0, by_cli.stderr
    with api_client(srv, "canbomat") as reader:
        web = reader.get("/api/search", params={"q": q, "limit": 5}).json()
    local = json.loads(by_cli.stdout)
    # The reader's clearance filter selects and never scores: the answers are equal, scores included.
    assert local == web


def test_cli_show_and_api_document_answer_the_same(api: httpx.Client, srv: Server) -> None:
    doc_id = _one(api, "1876-TB/TU")["id"]
    by_cli = cli(srv.env, "show", doc_id, "--json")
    assert by_cli.returncode == 0, by_cli.stderr
    assert json.loads(by_cli.stdout) == api.get(f"/api/documents/{doc_id}").json()


def test_search_server_down_is_a_503(tmp_path: Path) -> None:
    port_closed = "http://127.0.0.1:9"  # discard port: nothing listens
    env = web_env(tmp_path / "home", DOITHOAI_ES_URL=port_closed, DOITHOAI_SEARCH_BACKEND="elasticsearch")
    add_user(env, "quantri", "admin")  # the app refuses to run without an administrator
    srv = serve_archive(env)
    try:
        with srv.client(auth=("quantri", PASSWORDS["quantri"])) as client:  # HTTP Basic, UTF-8
            r = client.get("/api/search", params={"q": "dat dai"})
            assert r.status_code == 503 and r.json()["error"]["code"] == "search_unavailable"
            page = client.get("/", params={"q": "dat dai"})
            assert page.status_code == 503 and "Dịch vụ tạm thời không dùng được" in page.text
            assert "Traceback" not in page.text
    finally:
        stop_server(srv)


def test_without_credentials_the_api_answers_401(srv: Server) -> None:
    r = httpx.get(srv.url + "/api/search", params={"q": "dat dai"}, timeout=60)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_a_reader_cleared_for_mat_sees_the_marked_document(srv: Server) -> None:
    with api_client(srv, "canbomat") as client:
        hits = client.get("/api/search", params={"q": "99-TB/TU"}).json()["hits"]
        assert [h["number_symbol"] for h in hits][:1] == ["99-TB/TU"]
        assert client.get(f"/api/documents/{hits[0]['id']}").json()["confidentiality"] == "mat"
