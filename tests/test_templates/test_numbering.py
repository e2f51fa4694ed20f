"""Drafts take no number and are not archived; issuing takes the next number from the register,
archives the document and records which file holds it; a failed issue gives its number back or
voids it with the reason; a lost register is rebuilt from the archive."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from archive import Settings, ToolMissing, open_store
from archive.register import NumberRegister
from flows.generate import draft, issue, register_of
from templates.schemas import TEMPLATES

TB = TEMPLATES["thong_bao_ket_luan"].example
KEY = ("TỈNH ỦY HẬU GIANG (TU)", "thong_bao", "2025-2030")


def _number_line(path: Path) -> str:
    return Document(str(path)).tables[0].cell(1, 0).paragraphs[-1].text


def test_drafts_take_no_number_and_are_not_archived(tmp_path: Path, settings: Settings) -> None:
    for i in range(3):
        result = draft("thong_bao_ket_luan", TB, settings, tmp_path / f"du-thao-{i}.docx")
        assert result.draft and result.number_symbol is None and result.id is None
        assert _number_line(result.path) == "Số      -TB/TU"  # the blank the clerk fills by hand
    assert open_store(settings).count() == 0
    assert register_of(settings).rows() == []
    issued = issue("thong_bao_ket_luan", TB, settings, tmp_path / "tb.docx")
    assert (issued.draft, issued.number_symbol) == (False, "01-TB/TU")
    assert _number_line(issued.path) == "Số 01-TB/TU"


def test_issuing_records_which_file_holds_the_number(tmp_path: Path, settings: Settings) -> None:
    first = issue("thong_bao_ket_luan", TB, settings, tmp_path / "a.docx")
    second = issue("thong_bao_ket_luan", TB, settings, tmp_path / "b.docx")
    assert (first.number_symbol, second.number_symbol) == ("01-TB/TU", "02-TB/TU")
    rows = register_of(settings).rows()
    assert [(r.number, r.status, r.file, r.record_id) for r in rows] == [
        (1, "issued", str(tmp_path / "a.docx"), first.id),
        (2, "issued", str(tmp_path / "b.docx"), second.id),
    ]
    store = open_store(settings)
    assert store.load_record(second.id or "").number_symbol == "02-TB/TU"


def test_a_failed_issue_gives_its_number_back_and_leaves_no_numbered_file(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue("thong_bao_ket_luan", TB, settings, tmp_path / "a.docx")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))  # LibreOffice cannot be found: the PDF fails
    with pytest.raises(ToolMissing, match="số đã được trả lại sổ"):
        issue("thong_bao_ket_luan", TB, settings, tmp_path / "b.docx", pdf=True)
    assert not (tmp_path / "b.docx").exists()
    monkeypatch.undo()
    again = issue("thong_bao_ket_luan", TB, settings, tmp_path / "c.docx")
    assert again.number_symbol == "02-TB/TU"
    assert [(r.number, r.status) for r in register_of(settings).rows()] == [(1, "issued"), (2, "issued")]


def test_a_number_that_cannot_be_given_back_is_voided_with_its_reason(tmp_path: Path) -> None:
    register = NumberRegister(tmp_path / "register.db")
    first = register.take(*KEY)
    second = register.take(*KEY)  # another officer issued meanwhile
    assert register.release(*KEY, first, "ghi văn bản không thành: đĩa đầy") == "void"
    register.issued(*KEY, second, file="/srv/tb-2.docx", record_id=None)
    assert register.take(*KEY) == 3
    rows = {r.number: (r.status, r.reason) for r in register.rows()}
    assert rows[1] == ("void", "ghi văn bản không thành: đĩa đầy")
    assert rows[2] == ("issued", None)
    assert register.release(*KEY, 3, "thử") == "returned" and register.take(*KEY) == 3


def test_a_lost_register_is_rebuilt_from_the_archive(tmp_path: Path, settings: Settings) -> None:
    issue("thong_bao_ket_luan", TB, settings, tmp_path / "a.docx")
    issue("thong_bao_ket_luan", TB, settings, tmp_path / "b.docx")
    plan = issue("ke_hoach", TEMPLATES["ke_hoach"].example, settings, tmp_path / "kh.docx")
    for f in settings.home.glob("register.db*"):
        f.unlink()
    third = issue("thong_bao_ket_luan", TB, settings, tmp_path / "c.docx")
    assert third.number_symbol == "03-TB/TU"  # never 01 again
    rows = {(r.doc_type, r.number): r for r in register_of(settings).rows()}
    assert set(rows) == {("thong_bao", 1), ("thong_bao", 2), ("thong_bao", 3), ("ke_hoach", 1)}
    assert rows[("ke_hoach", 1)].record_id == plan.id and rows[("thong_bao", 2)].file == str(tmp_path / "b.docx")


def test_a_number_the_officer_gives_is_used_once(tmp_path: Path, settings: Settings) -> None:
    data = copy.deepcopy(TB)
    data["header"]["number"] = 12
    assert issue("thong_bao_ket_luan", data, settings, tmp_path / "a.docx").number_symbol == "12-TB/TU"
    with pytest.raises(Exception, match="đã được cấp"):
        issue("thong_bao_ket_luan", data, settings, tmp_path / "b.docx")
    assert not (tmp_path / "b.docx").exists()


def test_the_register_command_shows_which_file_holds_each_number(
    cli_env: dict[str, str], tmp_path: Path, settings: Settings
) -> None:
    import json
    import subprocess

    first = issue("thong_bao_ket_luan", TB, settings, tmp_path / "a.docx")
    exe = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "doithoai")
    done = subprocess.run([exe, "register", "--json"], env=cli_env, capture_output=True, text=True, check=True,
                          timeout=120)  # fmt: skip
    [row] = json.loads(done.stdout)["numbers"]
    assert (row["number"], row["status"], row["file"], row["record_id"]) == (
        1,
        "issued",
        str(tmp_path / "a.docx"),
        first.id,
    )


def test_issuing_from_the_cli_is_written_to_the_audit_log(
    cli_env: dict[str, str], tmp_path: Path, settings: Settings
) -> None:
    import json
    import subprocess

    from archive.audit import AuditLog

    data = tmp_path / "tb.json"
    data.write_text(json.dumps(TB, ensure_ascii=False), encoding="utf-8")
    exe = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "doithoai")
    done = subprocess.run([exe, "issue", "thong_bao_ket_luan", "--data", str(data), "-o", str(tmp_path / "tb.docx"),
                           "--json"], env=cli_env, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    issued = json.loads(done.stdout)
    [entry] = [e for e in AuditLog(settings.home).entries() if e.action == "draft.issue"]
    assert entry.target == "01-TB/TU" == issued["number_symbol"] and entry.detail["id"] == issued["id"]
    assert AuditLog(settings.home).verify().ok
