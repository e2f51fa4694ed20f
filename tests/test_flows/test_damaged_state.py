"""Damaged SQLite files under DOITHOAI_HOME: the run log (a report) is moved aside and started
anew without stopping ingest; the ledgers of record (audit, secrets register, accounts, outgoing
register) are never recreated: they stop with an error naming the file.

Every log here is grown by real runs, then damaged the way a disk damages one: whole pages
inside a file whose header is intact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from archive import Settings, sqlite
from archive.accounts import Accounts
from archive.audit import AuditLog
from archive.errors import StoreError
from archive.register import NumberRegister
from archive.runs import FileRow, RunLog
from flows import steps
from flows.local import ingest_direct
from flows.secrets import RegisterEntry, SecretRegister

REPO = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path, workers: int = 2) -> Settings:
    return Settings(home=tmp_path / "home", workers=workers, inbox_settle_seconds=0)


def _env(settings: Settings) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")},
        "DOITHOAI_HOME": str(settings.home),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_WORKERS": "2",
    }


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=_env(settings), cwd=REPO, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _text(i: int) -> str:
    return f"Thông báo số {i} về kết quả tiếp xúc, đối thoại với nhân dân xã số {i}; giải quyết ý kiến, kiến nghị."


def _grow_run_log(settings: Settings, runs: int = 12, files: int = 40) -> Path:
    """A run log grown by real runs: one archives ``files`` files, the others find them again."""
    src = settings.home.parent / "tu-lieu"
    src.mkdir(parents=True)
    for i in range(files):
        (src / f"thong-bao-ket-luan-hoi-nghi-doi-thoai-so-{i:03d}.txt").write_text(_text(i), encoding="utf-8")
    for _ in range(runs):
        ingest_direct([src], settings)
    return settings.home / "state.db"


def _damage(db_path: Path, tables: tuple[str, ...]) -> list[int]:
    """Overwrite the root page of each table with 0xff, the header left intact; the pages hit."""
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        marks = ",".join("?" * len(tables))
        pages = [r[0] for r in db.execute(f"SELECT rootpage FROM sqlite_master WHERE name IN ({marks})", tables)]
    assert len(pages) == len(tables) and 1 not in pages
    with db_path.open("r+b") as f:
        for page in pages:
            f.seek(page_size * (page - 1))
            f.write(b"\xff" * page_size)
    return pages


def _pages(db_path: Path) -> int:
    return db_path.stat().st_size // 4096


def test_an_ingest_goes_on_when_the_run_log_is_damaged_inside(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    state = _grow_run_log(settings)
    assert _pages(state) >= 30  # a log of some size: its damage is inside, not in the header
    _damage(state, ("run_files",))  # what the tester did: a run's files cannot be written any more
    new = tmp_path / "moi.txt"
    new.write_text(_text(999), encoding="utf-8")

    proc = _cli(settings, "ingest", "--json", str(new))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"]["archived"] == 1
    [aside] = settings.home.glob("state.db.hong-*")
    assert "nhật ký lượt chạy" in proc.stderr and "hỏng" in proc.stderr and str(aside) in proc.stderr
    with aside.open("rb") as f:
        assert f.read(16) == b"SQLite format 3\x00"  # the damaged log itself, kept for whoever looks

    runs = _cli(settings, "runs", "--json")
    assert runs.returncode == 0, runs.stderr
    [run] = json.loads(runs.stdout)["runs"]
    assert (run["status"], run["counts"]) == ("finished", {"archived": 1})

    again = _cli(settings, "ingest", "--json", str(new))  # and every later run works on the new log
    assert again.returncode == 0, again.stderr
    assert "hỏng" not in again.stderr
    assert [r.counts for r in RunLog(state).recent()] == [{"duplicate": 1}, {"archived": 1}]


def test_damage_met_in_the_middle_of_a_run_moves_the_log_aside_and_the_run_is_still_recorded(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, workers=1)  # one file at a time: the damage falls between two files
    state = _grow_run_log(settings, runs=6)
    inbox = tmp_path / "moi"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"{i}.txt").write_text(_text(500 + i), encoding="utf-8")
    damaged: list[int] = []

    def damage_once(outcome: steps.Outcome) -> None:  # after the run's start and its quick check
        if not damaged:
            damaged.extend(_damage(state, ("runs", "run_files", "in_progress")))

    outcomes = ingest_direct([inbox], settings, on_outcome=damage_once)
    assert damaged and [o.status for o in outcomes] == ["archived"] * 3
    assert len(list(settings.home.glob("state.db.hong-*"))) == 1
    [run] = RunLog(state).recent()
    assert (run.status, run.counts) == ("finished", {"archived": 3})


def test_runs_on_a_damaged_log_moves_it_aside_and_answers(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    state = _grow_run_log(settings, runs=4)
    _damage(state, ("run_files",))
    proc = _cli(settings, "runs", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"runs": []}
    [aside] = settings.home.glob("state.db.hong-*")
    assert str(aside) in proc.stderr


def test_a_locked_or_full_log_is_an_infrastructure_error_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    log = RunLog(path)
    log.finish(log.start("cli", 1), [FileRow("a.txt", "archived", "x", None, 0.1)], 0, 0.1)
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        with closing(sqlite3.connect(path, timeout=0)) as other, pytest.raises(sqlite3.OperationalError) as locked:
            other.execute("BEGIN IMMEDIATE")  # a second writer (WAL readers are never locked out)
        assert "locked" in str(locked.value)
        assert not sqlite.is_damaged(locked.value, path)
        holder.execute("ROLLBACK")
    assert not sqlite.is_damaged(sqlite3.OperationalError("database or disk is full"), path)  # the file checks ok
    assert sqlite.is_damaged(sqlite3.DatabaseError("database disk image is malformed"))
    assert sqlite.is_damaged(sqlite3.DatabaseError("file is not a database"))
    assert list(tmp_path.glob("state.db.hong-*")) == []


def test_ledgers_of_record_stop_with_the_file_named_and_are_never_recreated(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    audit = AuditLog(settings.home)
    for i in range(400):
        audit.record("vanthu", "document.download", f"{i:064x}", {"tệp": f"thong-bao-{i}.pdf"})
    _damage(audit.path, ("audit",))
    before = audit.path.read_bytes()
    with pytest.raises(StoreError) as exc:
        audit.record("vanthu", "login")
    assert str(audit.path) in exc.value.message and "hỏng" in exc.value.message and "sao lưu" in exc.value.message
    assert audit.path.read_bytes() == before
    assert list(settings.home.glob("audit.db.hong-*")) == []

    proc = _cli(settings, "audit", "--json")  # the CLI says the same, with the infrastructure exit code
    said = proc.stderr.replace("\n", "")  # rich wraps the message at the terminal's width
    assert proc.returncode == 10 and str(audit.path) in said and "hỏng" in said
    assert audit.path.read_bytes() == before


def test_an_error_of_no_telling_kind_is_decided_by_a_quick_check_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    log = RunLog(path)
    for i in range(60):
        files = [FileRow(f"{i}-{j}.txt", "archived", f"{j:064x}", None, 0.1) for j in range(20)]
        log.finish(log.start("cli", 1), files, pages_ocr=0, seconds=0.1)
    vague = sqlite3.OperationalError("no such table: runs")  # what a damaged schema page can say
    assert not sqlite.is_damaged(vague, path)
    _damage(path, ("run_files",))
    assert sqlite.is_damaged(vague, path)
    with pytest.raises(sqlite.Corrupt), closing(sqlite3.connect(path)) as db:
        sqlite.quick_check(db)


def _secrets_register(settings: Settings) -> tuple[Path, str, Callable[[], object]]:
    register = SecretRegister(settings)
    entry = RegisterEntry("a" * 64, "mat", "thong_bao", "21-TB/TU", "2024-04-03", "Tỉnh ủy Hà Nam", "kết luận",
                          "thong-bao-mat.txt", None, "2024-04-03T00:00:00+00:00", None)  # fmt: skip
    register.add(entry)
    return register.path, "register", register.entries


def _accounts(settings: Settings) -> tuple[Path, str, Callable[[], object]]:
    accounts = Accounts(settings)
    accounts.add("vanthu", "clerk", "none", "mật khẩu rất dài 2024")
    return accounts.path, "users", lambda: accounts.get("vanthu")


def _outgoing_register(settings: Settings) -> tuple[Path, str, Callable[[], object]]:
    register = NumberRegister(settings.home / "register.db")
    register.take("TỈNH ỦY HÀ NAM", "thong_bao", "2024")
    return register.path, "issued", lambda: register.take("TỈNH ỦY HÀ NAM", "thong_bao", "2024")


@pytest.mark.parametrize("make", [_secrets_register, _accounts, _outgoing_register])
def test_every_other_ledger_of_record_names_its_damaged_file_and_keeps_it(
    tmp_path: Path, make: Callable[[Settings], tuple[Path, str, Callable[[], object]]]
) -> None:
    settings = _settings(tmp_path)
    path, table, use = make(settings)
    _damage(path, (table,))
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        use()
    assert str(path) in exc.value.message and "hỏng" in exc.value.message
    assert path.read_bytes() == before and list(settings.home.glob("*.hong-*")) == []
