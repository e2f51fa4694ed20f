"""The audit log: append-only, hash-chained; verify finds deleted and edited rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.audit import AuditLog
from archive.settings import Settings


@pytest.fixture
def log(settings: Settings) -> AuditLog:
    log = AuditLog(settings.home)
    for i in range(5):
        log.record(f"nguoi{i % 2}", "login.ok", "", {"lần": i}, client="127.0.0.1")
    return log


def _tamper(path: Path, sql: str) -> None:
    """What someone with write access to the file can do: drop the triggers, then change rows."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("DROP TRIGGER audit_no_delete")
        db.execute(sql)


def test_an_untouched_log_verifies(log: AuditLog) -> None:
    result = log.verify()
    assert result.ok and result.checked == 5 and result.problems == []


def test_the_application_cannot_update_or_delete_rows(log: AuditLog) -> None:
    with sqlite3.connect(log.path) as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit SET actor = 'x' WHERE seq = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit WHERE seq = 2")


def test_a_deleted_row_is_detected(log: AuditLog) -> None:
    _tamper(log.path, "DELETE FROM audit WHERE seq = 3")
    result = log.verify()
    assert not result.ok
    assert any("thiếu dòng 3" in p for p in result.problems)


def test_an_edited_row_is_detected(log: AuditLog) -> None:
    _tamper(log.path, "UPDATE audit SET actor = 'nguoi-khac' WHERE seq = 2")
    result = log.verify()
    assert not result.ok
    assert any("dòng 2" in p and "đã bị sửa" in p for p in result.problems)


def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link(log: AuditLog) -> None:
    from archive.audit import _digest

    with sqlite3.connect(log.path) as db:
        seq, at, _actor, action, target, detail, client, prev, _h = db.execute(
            "SELECT * FROM audit WHERE seq = 2"
        ).fetchone()
    forged = _digest(seq, at, "nguoi-khac", action, target, detail, client, prev)
    _tamper(log.path, f"UPDATE audit SET actor = 'nguoi-khac', hash = '{forged}' WHERE seq = 2")
    result = log.verify()
    assert not result.ok
    assert any("dòng 3: không nối" in p for p in result.problems)


def test_rows_cut_from_the_end_are_detected_by_the_head(log: AuditLog) -> None:
    _tamper(log.path, "DELETE FROM audit WHERE seq >= 4")
    result = log.verify()
    assert not result.ok
    assert any("thiếu các dòng cuối" in p for p in result.problems)


def test_entries_filter_by_user_time_and_action_newest_first(log: AuditLog) -> None:
    log.record("quantri", "user.add", "vanthu", {"role": "clerk"})
    assert [e.seq for e in log.entries(actor="nguoi1")] == [4, 2]
    assert [e.action for e in log.entries(action="user.*")] == ["user.add"]
    assert log.entries(since=datetime.now(UTC) + timedelta(minutes=1)) == []
    newest = log.entries(limit=1)[0]
    assert newest.detail == {"role": "clerk"} and newest.target == "vanthu"
