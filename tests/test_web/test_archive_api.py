"""Changing the archive over HTTP: upload into the inbox, "lưu ngay", quarantine retry and dismiss."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import httpx
import pytest

from tests.test_web.conftest import Server, api_client

NOTICE = """TỈNH ỦY THỬ NGHIỆM
*
Số 501-TB/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 05 tháng 5 năm 2024

THÔNG BÁO
kết luận về chăn nuôi bò sữa ở vùng đồi Ba Vì

Tỉnh ủy kết luận về phát triển chăn nuôi bò sữa bền vững.
"""


@pytest.fixture
def client(writable_server: Server) -> Iterator[httpx.Client]:
    with api_client(writable_server, "vanthu") as client:
        yield client


def _wait(client: httpx.Client, run_id: str) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in ("finished", "failed"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} did not end in 180 s")


def test_upload_then_ingest_now_makes_the_files_findable(client: httpx.Client, writable_server: Server) -> None:
    files = [
        ("files", ("../../etc/thông báo bò sữa.txt", NOTICE.encode(), "text/plain")),
        (
            "files",
            ("C:\\Users\\vanthu\\tin-bai-ba-vi.txt", "Tin bài: nông dân Ba Vì nuôi bò sữa.".encode(), "text/plain"),
        ),
    ]
    r = client.post("/api/inbox", files=files)
    assert r.status_code == 201, r.text
    names = [f["name"] for f in r.json()["files"]]
    assert names == ["thông báo bò sữa.txt", "tin-bai-ba-vi.txt"]  # NFC, folders stripped
    inbox = writable_server.home / "inbox"
    assert sorted(p.name for p in inbox.iterdir()) == sorted(names)
    assert not list((writable_server.home / ".inbox.uploads").iterdir())  # no temporary file left
    started = client.post("/api/ingest")
    assert started.status_code == 202
    run = _wait(client, started.json()["id"])
    assert run["status"] == "finished" and run["done"] == run["total"] == 2
    assert {f["name"]: f["status"] for f in run["files"]} == {n: "archived" for n in names}
    found = client.get("/api/search", params={"q": "bo sua Ba Vi"}).json()
    assert {h["path"].rsplit("/", 1)[-1] for h in found["hits"]} >= set(names)
    assert client.get("/api/search", params={"q": "501-TB/TU"}).json()["hits"][0]["number_symbol"] == "501-TB/TU"


def test_a_file_over_the_limit_is_refused_whole(client: httpx.Client, writable_server: Server) -> None:
    big = b"x" * 3_000_001  # DOITHOAI_MAX_FILE_BYTES=3000000 for this server
    r = client.post("/api/inbox", files=[("files", ("qua-lon.txt", big, "text/plain"))])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert not (writable_server.home / "inbox" / "qua-lon.txt").exists()


def test_quarantine_retry_and_dismiss(client: httpx.Client) -> None:
    files = client.get("/api/quarantine").json()["files"]
    assert [f["name"] for f in files] == ["tai-ve-do-dang.pdf"]
    key = files[0]["id"][:12]
    retried = client.post(f"/api/quarantine/{key}/retry")
    assert retried.status_code == 200
    assert retried.json()["status"] == "quarantined" and "PDF" in retried.json()["reason"]  # still broken
    assert len(client.get("/api/quarantine").json()["files"]) == 1
    assert client.post(f"/api/quarantine/{key}/dismiss").status_code == 200
    assert client.get("/api/quarantine").json()["files"] == []
    assert client.post(f"/api/quarantine/{key}/retry").status_code == 404


def test_runs_are_listed_with_local_times(client: httpx.Client) -> None:
    runs = client.get("/api/runs").json()["runs"]
    assert runs and all(r["started_at"].endswith("+07:00") for r in runs)
    first = client.get(f"/api/runs/{runs[-1]['id']}").json()
    assert first["id"] == runs[-1]["id"]


def test_uploaded_names_are_kept_safe(tmp_path: Path) -> None:
    from doithoai.web.uploads import safe_name

    assert safe_name("../../a/b\\c\\Thông báo.docx") == "Thông báo.docx"
    assert safe_name("Tho\u0302ng.txt") == "Thông.txt"  # NFD → NFC
    assert safe_name("a\x1b[31mb\n.txt") == "a[31mb.txt"


def test_a_viewer_may_not_change_the_archive(writable_server: Server) -> None:
    with api_client(writable_server, "nguoixem") as viewer:
        assert viewer.post("/api/ingest").status_code == 403
        r = viewer.post("/api/inbox", files=[("files", ("a.txt", b"abc", "text/plain"))])
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_drafting_over_the_api(client: httpx.Client) -> None:
    templates = client.get("/api/templates").json()["templates"]
    notice = next(t for t in templates if t["name"] == "thong_bao_ket_luan")
    data = json.loads(json.dumps(notice["example"]))
    data["header"]["issue_date"] = "31/02/2025"
    refused = client.post("/api/templates/thong_bao_ket_luan/draft", json=data)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "invalid_data"
    assert [d["path"] for d in error["details"] if d["severity"] == "error"] == ["header.issue_date"]
    data["header"]["issue_date"] = "05/02/2025"
    drafted = client.post("/api/templates/thong_bao_ket_luan/draft", json=data)
    assert drafted.status_code == 200, drafted.text
    document = docx.Document(io.BytesIO(drafted.content))
    assert "THÔNG BÁO" in "\n".join(p.text for p in document.paragraphs)
    assert "filename*=UTF-8''du-thao-thong_bao_ket_luan.docx" in drafted.headers["content-disposition"]
