"""What a person reads from the CLI: Vietnamese labels, local dates, numbers in any spelling, safe names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, capture_output=True, text=True, timeout=300
    )


MINUTES = """HUYỆN ỦY QUỲNH LƯU
*
Số 05-BB/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Quỳnh Lưu, ngày 10 tháng 3 năm 2025

BIÊN BẢN
hội nghị tiếp xúc, đối thoại trực tiếp giữa Bí thư Huyện ủy với nhân dân

Hôm nay, ngày 10/3/2025, đồng chí Bí thư Huyện ủy chủ trì hội nghị đối thoại với nhân dân.
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("cli-present")
    inbox = root / "inbox"
    inbox.mkdir()
    shutil.copy(REPO / "samples" / "inbox" / "thong-bao-ket-luan-nghe-an-2019.docx", inbox)
    (inbox / "bien-ban-quynh-luu.txt").write_text(MINUTES, encoding="utf-8")
    (inbox / "tin\x1b[31m đỏ\nxuống dòng.txt").write_text("Tin bài: đối thoại về đường giao thông nông thôn.")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env |= {"DOITHOAI_HOME": str(root / "home"), "DOITHOAI_WORKERS": "2", "COLUMNS": "160"}
    done = run(env, "ingest", "--direct", str(inbox), "--json")
    assert done.returncode == 0, done.stderr
    yield env


def test_show_opens_a_document_by_its_number_in_any_spelling(env: dict[str, str]) -> None:
    ids = {json.loads(run(env, "show", spelling, "--json").stdout)["id"] for spelling in
           ("1876-TB/TU", "1876/TB-TU", "TB 1876", "1876-tb/tu", "1876-TB-TU")}  # fmt: skip
    assert len(ids) == 1
    missing = run(env, "show", "1877-TB/TU")
    assert missing.returncode == ExitCode.not_found and "chưa có văn bản số 1877-TB/TU" in missing.stderr


def test_show_speaks_vietnamese_never_codes(env: dict[str, str]) -> None:
    shown = run(env, "show", "1876-TB/TU").stdout
    assert "Lượt người tham dự" in shown and "Cấp tỉnh" in shown and "29/05/2019" in shown
    for code in ("luot_nguoi", "so_y_kien", "thong_bao", "tinh │"):
        assert code not in shown, code
    assert "Lưu lúc" in shown and "+00:00" not in shown


def test_search_facets_are_labelled(env: dict[str, str]) -> None:
    shown = run(env, "search", "doi thoai").stdout
    assert "Loại văn bản: " in shown and "Thông báo (1)" in shown
    assert "doc_type" not in shown and "thong_bao" not in shown


def test_an_offset_past_the_end_says_so(env: dict[str, str]) -> None:
    shown = run(env, "search", "doi thoai", "--offset", "40").stdout
    assert "đã quá cuối" in shown and "Không tìm thấy" not in shown


def test_file_names_cannot_drive_the_terminal(env: dict[str, str]) -> None:
    shown = run(env, "search", "giao thong nong thon").stdout
    assert "\x1b[31m" not in shown
    assert "tin\\x1b[31m đỏ\\x0axuống dòng.txt" in shown


def test_due_names_its_year_and_the_notice_deadline_of_each_dialogue(env: dict[str, str]) -> None:
    shown = run(env, "due", "--year", "2025").stdout
    assert "Lịch văn bản năm 2025" in shown
    assert "Thông báo kết luận sau đối thoại ngày 10/03/2025 → hạn 19/03/2025, quá hạn" in shown
    data = json.loads(run(env, "due", "--year", "2025", "--json").stdout)
    assert data["year"] == 2025
    assert {(i["kind"], i["due"], i["status"]) for i in data["items"] if i["kind"] == "notice"} == {
        ("notice", "2025-03-19", "overdue")
    }


def test_status_speaks_vietnamese(env: dict[str, str]) -> None:
    shown = run(env, "status")
    assert shown.returncode == 0, shown.stderr
    assert "Văn bản đã lưu:" in shown.stdout and "Hộp thư đến:" in shown.stdout
    assert "documents:" not in shown.stdout and "not_indexed" not in shown.stdout


def test_log_lines_cannot_be_faked_or_reversed_by_a_file_name(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "tin\x1b[31m\n2026-11-30 INFO doithoai.ingest: archived gia.txt\u202egpj.txt"
    (inbox / name).write_text("Tin bài: đối thoại về đường giao thông nông thôn.", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env |= {"DOITHOAI_HOME": str(tmp_path / "home"), "DOITHOAI_WORKERS": "1"}
    done = run(env, "-v", "ingest", str(inbox))
    assert done.returncode == 0, done.stderr
    logged = [line for line in done.stderr.splitlines() if "doithoai.ingest" in line]
    assert len(logged) == 1, done.stderr  # the newline in the name did not make a second line
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert "tin\\x1b[31m\\x0a2026-11-30" in logged[0] and "\\x202egpj.txt" in logged[0]
