"""The command line as scripts use it: real process, real home, ``--json`` is one JSON document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from archive.errors import ExitCode
from tests.makers import make_pdf


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
    return proc


def run_json(env: dict[str, str], *args: str) -> Any:
    proc = run(env, *args, "--json")
    return json.loads(proc.stdout)  # the whole of stdout is one document


@pytest.fixture
def archived(cli_env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Thông báo 386.txt").write_text(
        "TỈNH ỦY CẦN THƠ        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 386-TB/TU        Cần Thơ, ngày 11 tháng 8 năm 2016\n\n"
        "THÔNG BÁO\nkết luận về giải phóng mặt bằng\n-----\nThực hiện Quyết định số 1681-QĐ/TU về đất đai.\n"
    )
    make_pdf(inbox / "bc.pdf", ["TỈNH ỦY HẬU GIANG\nSố 215-BC/TU\nBÁO CÁO\nsơ kết\n-----\nNội dung báo cáo kết quả."])
    (inbox / "hong.pdf").write_bytes(b"%PDF-1.4 broken")
    return run_json(cli_env, "ingest", "--direct", str(inbox))


def test_ingest_json_lists_every_file_with_its_outcome(archived: dict[str, Any]) -> None:
    files = {Path(f["path"]).name: f for f in archived["files"]}
    assert set(files) == {"Thông báo 386.txt", "bc.pdf", "hong.pdf"}
    for f in files.values():
        assert set(f) >= {"path", "status", "id", "reason", "doc_type", "number_symbol", "pages"}
    tb = files["Thông báo 386.txt"]
    assert (tb["status"], tb["doc_type"], tb["number_symbol"], tb["pages"]) == ("archived", "thong_bao", "386-TB/TU", 1)
    assert len(tb["id"]) == 64
    assert files["hong.pdf"]["status"] == "quarantined" and files["hong.pdf"]["reason"]
    assert archived["counts"] == {
        "archived": 2,
        "duplicate": 0,
        "quarantined": 1,
        "failed": 0,
        "waiting": 0,
        "not_indexed": 0,
    }


def test_search_json_has_hits_with_path_and_facets(cli_env: dict[str, str], archived: dict[str, Any]) -> None:
    data = run_json(cli_env, "search", "giai phong mat bang")
    assert data["total"] == 1
    hit = data["hits"][0]
    assert set(hit) >= {"id", "score", "doc_type", "number_symbol", "issue_date", "title", "snippet", "path"}
    assert Path(hit["path"]).name == "Thông báo 386.txt"
    assert hit["issue_date"] == "2016-08-11"
    assert "<b>" in hit["snippet"]
    assert data["facets"]["doc_type"] == [{"value": "thong_bao", "count": 1}]


def test_search_filters_on_the_command_line(cli_env: dict[str, str], archived: dict[str, Any]) -> None:
    assert run_json(cli_env, "search", "", "--type", "BC")["total"] == 1
    assert run_json(cli_env, "search", "", "--type", "thông báo", "--year", "2016")["total"] == 1
    assert run_json(cli_env, "search", "", "--from", "01/01/2017")["total"] == 0
    assert run_json(cli_env, "search", "", "--issuer", "can tho")["total"] == 1


def test_show_prints_the_record(cli_env: dict[str, str], archived: dict[str, Any]) -> None:
    doc = next(f for f in archived["files"] if f["status"] == "archived" and f["doc_type"] == "thong_bao")
    record = run_json(cli_env, "show", doc["id"][:10])
    assert record["id"] == doc["id"]
    assert record["number_symbol"] == "386-TB/TU"
    assert record["source"]["name"] == "Thông báo 386.txt"
    assert Path(record["original"]).is_file()
    human = run(cli_env, "show", doc["id"]).stdout
    assert "386-TB/TU" in human and "11/08/2016" in human


def test_reindex_keeps_search_results(cli_env: dict[str, str], archived: dict[str, Any]) -> None:
    before = run_json(cli_env, "search", "đất đai")
    assert run_json(cli_env, "reindex") == {"indexed": 2, "total": 2, "backend": "tantivy"}
    after = run_json(cli_env, "search", "đất đai")
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]


def test_extract_and_parse_archive_nothing(cli_env: dict[str, str], tmp_path: Path) -> None:
    f = make_pdf(
        tmp_path / "ct.pdf", ["TỈNH ỦY HẬU GIANG\nSố 23-CT/TU\nCHỈ THỊ\nvề nâng cao chất lượng\n-----", "Trang hai"]
    )
    pages = run_json(cli_env, "extract", str(f))["pages"]
    assert [(p["number"], p["method"]) for p in pages] == [(1, "text"), (2, "text")]
    record = run_json(cli_env, "parse", str(f))
    assert (record["doc_type"], record["number_symbol"]) == ("chi_thi", "23-CT/TU")
    assert run_json(cli_env, "status")["documents"] == 0


def test_errors_are_one_line_with_an_exit_code(cli_env: dict[str, str]) -> None:
    missing = run(cli_env, "show", "abcdef0123", check=False)
    assert missing.returncode == ExitCode.not_found
    assert "Traceback" not in missing.stderr and "Lỗi" in missing.stderr
    bad_type = run(cli_env, "search", "x", "--type", "khong-co", check=False)
    assert bad_type.returncode == ExitCode.usage
    assert run(cli_env, "ingest", "/khong/co/tep", check=False).returncode == ExitCode.usage


def test_usage_errors_and_help_are_in_vietnamese_whatever_the_locale(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    not_a_number = run(env, "search", "x", "--limit", "abc", check=False)
    assert not_a_number.returncode == ExitCode.usage
    assert "Lỗi: Giá trị không hợp lệ cho '--limit': 'abc' không phải là số." in not_a_number.stderr
    assert "Xem hướng dẫn: 'doithoai search --help'." in not_a_number.stderr
    typo = run(env, "serch", check=False)
    assert "Không có lệnh 'serch'." in typo.stderr and "'search'" in typo.stderr
    assert "Thiếu tham số 'DOC_ID'." in run(env, "show", check=False).stderr
    helped = run(env, "search", "--help").stdout
    assert "Cách dùng: doithoai search" in helped and "Tùy chọn:" in helped
    for english in ("Usage:", "Options:", "Show this message"):
        assert english not in helped


def test_bad_input_to_extract_is_a_clear_error(cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    proc = run(cli_env, "extract", str(bad), "--json", check=False)
    assert proc.returncode == ExitCode.bad_input
    assert proc.stdout == ""
    assert "PDF" in proc.stderr


def test_ingest_through_prefect_by_default(cli_env: dict[str, str], tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Nội dung đối thoại với nhân dân về môi trường")
    data = run_json(cli_env, "ingest", str(f))
    assert [x["status"] for x in data["files"]] == ["archived"]
    assert run_json(cli_env, "search", "moi truong")["total"] == 1


def test_every_command_has_help_with_an_example(cli_env: dict[str, str]) -> None:
    for command in (
        "ingest",
        "search",
        "show",
        "extract",
        "parse",
        "reindex",
        "status",
        "runs",
        "quarantine",
        "retry",
        "serve",
        "templates",
        "generate",
        "issue",
        "due",
    ):
        text = run(cli_env, command, "--help").stdout
        assert "Example:" in text, command


def test_templates_lists_fields_and_an_example_that_generates(cli_env: dict[str, str], tmp_path: Path) -> None:
    listing = run_json(cli_env, "templates")["templates"]
    names = [t["name"] for t in listing]
    assert names == ["thong_bao_ket_luan", "ke_hoach", "bao_cao_ket_qua", "bao_cao_tong_hop"]
    tb = listing[0]
    fields = {f["name"]: f for f in tb["fields"]}
    assert fields["header.issue_date"]["required"] is True and fields["header.number"]["required"] is False
    data = tmp_path / "tb.json"
    data.write_text(json.dumps(tb["example"], ensure_ascii=False))
    out = tmp_path / "tb.docx"
    result = run_json(cli_env, "issue", "thong_bao_ket_luan", "--data", str(data), "-o", str(out))
    assert result["number_symbol"] == "01-TB/TU" and out.is_file() and len(result["id"]) == 64
    due = run_json(cli_env, "due", "--year", "2025")["items"]
    assert {(i["unit"], i["status"]) for i in due} >= {("Tỉnh ủy Hậu Giang", "overdue")}


def test_bad_generate_data_is_a_list_of_problems_not_a_traceback(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "bad.yaml"
    data.write_text("header:\n  issuer: TỈNH ỦY X\ntitle: thử\n")
    proc = run(
        cli_env, "generate", "thong_bao_ket_luan", "--data", str(data), "-o", str(tmp_path / "x.docx"), check=False
    )
    assert proc.returncode == ExitCode.template
    assert "header.issue_date: thiếu trường bắt buộc" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_cli_on_elasticsearch(cli_env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """With DOITHOAI_ES_URL set, ingest, search, show and reindex use the cluster (osmem-server here)."""
    import os

    url = os.environ.get("DOITHOAI_TEST_ES_URL") or request.getfixturevalue("osmem_clone").url
    env = {**cli_env, "DOITHOAI_ES_URL": url, "DOITHOAI_ES_INDEX": f"cli-{tmp_path.name[-8:].lower()}"}
    f = tmp_path / "tb.txt"
    f.write_text(
        "TỈNH ỦY CẦN THƠ        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 386-TB/TU        Cần Thơ, ngày 11 tháng 8 năm 2016\n\n"
        "THÔNG BÁO\nkết luận về giải phóng mặt bằng\n-----\nThực hiện Quyết định số 1681-QĐ/TU.\n"
    )
    [archived] = run_json(env, "ingest", "--direct", str(f))["files"]
    assert archived["status"] == "archived" and archived["indexed"] is True
    hits = run_json(env, "search", "giai phong mat bang")["hits"]
    assert [h["number_symbol"] for h in hits] == ["386-TB/TU"] and "<b>" in hits[0]["snippet"]
    assert run_json(env, "search", "QĐ 1681")["total"] == 1
    assert run_json(env, "show", archived["id"])["number_symbol"] == "386-TB/TU"
    assert run_json(env, "reindex") == {"indexed": 1, "total": 1, "backend": "elasticsearch"}
    assert run_json(env, "status")["search_backend"] == "elasticsearch"


def test_generate_through_the_prefect_flow(cli_env: dict[str, str], tmp_path: Path) -> None:
    example = run_json(cli_env, "templates")["templates"][1]["example"]  # ke_hoach
    data = tmp_path / "kh.json"
    data.write_text(json.dumps(example, ensure_ascii=False))
    done = run_json(cli_env, "generate", "ke_hoach", "--data", str(data), "-o", str(tmp_path / "kh.docx"), "--prefect")
    assert done["draft"] and done["number_symbol"] is None and done["path"] == str(tmp_path / "kh.docx")
    assert Path(done["path"]).is_file() and Path(done["service_path"]).is_file()
