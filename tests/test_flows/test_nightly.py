"""The nightly ingest nobody watches: inbox hygiene, crashes, concurrent runs, retries, the schedule."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from archive import Settings, open_store
from archive.runs import RunLog
from flows.local import ingest_direct
from flows.retry import retry_quarantined
from search import get_backend, parse_query
from tests.makers import make_pdf

REPO = Path(__file__).resolve().parents[2]


def _inbox_settings(tmp_path: Path, **kw: object) -> Settings:
    values: dict[str, object] = {"home": tmp_path / "home", "workers": 2, "inbox_settle_seconds": 0, **kw}
    values.setdefault("inbox_release_seconds", 0)
    return Settings(**values)  # type: ignore[arg-type]


def _text(i: int) -> str:
    return f"Báo cáo số {i} về kết quả tiếp xúc, đối thoại với nhân dân xã số {i}; giải quyết ý kiến, kiến nghị."


def test_done_files_leave_the_inbox_for_the_processed_area(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    (settings.inbox_dir / "a.txt").write_text(_text(1))
    (settings.inbox_dir / "hong.pdf").write_bytes(b"%PDF-1.4 broken")
    os.utime(settings.inbox_dir / "hong.pdf", (978307200, 978307200))  # broken, and not being written any more
    outcomes = {Path(o.path).name: o.status for o in ingest_direct([settings.inbox_dir], settings)}
    assert outcomes == {"a.txt": "archived", "hong.pdf": "quarantined"}
    assert list(settings.inbox_dir.iterdir()) == []
    processed = sorted(p.name for p in (settings.home / "processed").rglob("*") if p.is_file())
    assert processed == ["a.txt", "hong.pdf"]


def test_a_file_just_written_waits_and_an_old_copy_is_still_taken(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path, inbox_settle_seconds=3600)
    settings.inbox_dir.mkdir(parents=True)
    fresh, old = settings.inbox_dir / "dang-chep.txt", settings.inbox_dir / "chep-tu-may-cu.txt"
    fresh.write_text(_text(1))
    old.write_text(_text(2))
    os.utime(old, (978307200, 978307200))  # copied with its 2001 modification time
    outcomes = {Path(o.path).name: o.status for o in ingest_direct([settings.inbox_dir], settings)}
    assert outcomes == {"dang-chep.txt": "waiting", "chep-tu-may-cu.txt": "archived"}
    assert fresh.exists() and not old.exists()


def test_delete_instead_of_move(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path, inbox_after="delete")
    settings.inbox_dir.mkdir(parents=True)
    (settings.inbox_dir / "a.txt").write_text(_text(1))
    ingest_direct([settings.inbox_dir], settings)
    assert not (settings.home / "processed").exists() and list(settings.inbox_dir.iterdir()) == []


def test_a_file_growing_during_the_run_is_left_for_the_next_run(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    growing = settings.inbox_dir / "lon-dan.txt"
    growing.write_text(_text(0) * 200_000)  # ~25 MB: copying it takes a while
    stop = threading.Event()

    def writer() -> None:
        with growing.open("a") as f:
            while not stop.is_set():
                f.write(_text(9))
                f.flush()
                time.sleep(0.002)

    t = threading.Thread(target=writer)
    t.start()
    try:
        [outcome] = ingest_direct([settings.inbox_dir], settings)
    finally:
        stop.set()
        t.join()
    assert outcome.status == "waiting"
    assert growing.exists() and open_store(settings).count() == 0
    [again] = ingest_direct([settings.inbox_dir], settings)
    assert again.status == "archived" and not growing.exists()


def test_runs_are_logged_with_counts_and_reasons(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    (settings.inbox_dir / "a.txt").write_text(_text(1))
    (settings.inbox_dir / "rong.txt").touch()
    ingest_direct([settings.inbox_dir], settings)
    [run] = RunLog(settings.home / "state.db").recent()
    assert run.status == "finished" and run.finished_at
    assert run.counts == {"archived": 1, "quarantined": 1}
    assert [(Path(f.path).name, f.reason) for f in run.quarantined] == [("rong.txt", "tệp rỗng (0 byte)")]


def test_retry_sends_a_quarantined_file_through_again(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path, max_pages=1)
    settings.inbox_dir.mkdir(parents=True)
    make_pdf(settings.inbox_dir / "hai-trang.pdf", ["Trang một về đối thoại với nhân dân.", "Trang hai về môi trường."])
    [first] = ingest_direct([settings.inbox_dir], settings)
    assert first.status == "quarantined" and "2 trang" in (first.reason or "")
    [entry] = open_store(settings).iter_quarantine()
    raised = _inbox_settings(tmp_path, max_pages=10)
    outcome = retry_quarantined(entry.sha256[:8], raised)
    assert outcome.status == "archived"
    assert list(open_store(raised).iter_quarantine()) == []
    record = open_store(raised).load_record(outcome.id or "")
    assert record.source is not None and record.source.name == "hai-trang.pdf"
    assert get_backend(raised).search(parse_query("moi truong")).total == 1


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "doithoai", *args], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _env(settings: Settings) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")},
        "DOITHOAI_HOME": str(settings.home),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_INBOX_RELEASE_SECONDS": "0",
        "DOITHOAI_WORKERS": "2",
    }


def test_a_run_killed_mid_way_then_run_again_archives_every_file_exactly_once(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    n = 60
    for i in range(n):
        (settings.inbox_dir / f"{i:03d}.txt").write_text(_text(i))
    make_pdf(settings.inbox_dir / "bao-cao.pdf", ["Báo cáo tổng hợp kết quả đối thoại năm 2024."] * 3)
    proc = _cli(_env(settings), "ingest", "--direct")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and open_store(settings).count() < 10:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = open_store(settings).count()
    assert 10 <= done_before < n + 1, "the kill should land mid-run"

    rerun = _cli(_env(settings), "ingest", "--direct", "--json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    report = json.loads(out)
    store = open_store(settings)
    assert store.count() == n + 1  # every distinct file, once
    assert report["counts"]["archived"] + done_before >= n + 1
    assert get_backend(settings).count() == n + 1  # and indexed once
    assert list(settings.inbox_dir.iterdir()) == []
    assert not store.staging.exists() or list(store.staging.iterdir()) == []
    statuses = [r.status for r in RunLog(settings.home / "state.db").recent()]
    assert statuses == ["finished", "interrupted"]


def test_two_runs_started_together_do_not_process_a_file_twice(tmp_path: Path) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    for i in range(30):
        (settings.inbox_dir / f"{i:03d}.txt").write_text(_text(i))
    procs = [_cli(_env(settings), "ingest", "--direct", "--json") for _ in range(2)]
    reports = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    archived = sum(r["counts"]["archived"] for r in reports)
    duplicates = sum(r["counts"]["duplicate"] for r in reports)
    assert archived == 30 and duplicates == 0
    assert open_store(settings).count() == 30


def test_the_nightly_schedule_is_registered_with_its_cron_and_time_zone(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from flows import deploy
    from flows.deploy import UNSAFE_PARAMETERS

    def deployments(settings: Settings) -> list[Any]:
        # In a thread of its own: after a browser test (pytest-playwright's sync API) this worker's
        # main thread reports a running event loop, and Prefect's to_deployment then returns a
        # coroutine instead of the deployment. serve calls it from a plain thread.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(deploy.deployments, settings).result()

    settings = Settings(home=tmp_path / "home")
    by_name = {d.name: d for d in deployments(settings)}
    assert {"nightly-ingest", "ingest-now", "reindex"} <= set(by_name) <= {"nightly-ingest", "ingest-now", "reindex",
                                                                             "generate"}  # fmt: skip
    [schedule] = by_name["nightly-ingest"].schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 1 * * *", "Asia/Ho_Chi_Minh")
    assert by_name["nightly-ingest"].parameters == {"trigger": "schedule"}
    for d in by_name.values():  # nothing a caller of the API could point somewhere else
        assert not set(d.parameters) & UNSAFE_PARAMETERS
        assert not set(d._parameter_openapi_schema.properties or {}) & UNSAFE_PARAMETERS, d.name
        assert d.enforce_parameter_schema
    custom = Settings(home=tmp_path / "h2", schedule_cron="30 22 * * 1-5")
    [s] = {d.name: d for d in deployments(custom)}["nightly-ingest"].schedules
    assert s.schedule.cron == "30 22 * * 1-5"


@pytest.mark.parametrize("trigger", ["cli"])
def test_runs_command_lists_runs_as_json(tmp_path: Path, trigger: str) -> None:
    settings = _inbox_settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    (settings.inbox_dir / "rong.txt").touch()
    ingest_direct([settings.inbox_dir], settings, trigger=trigger)
    proc = subprocess.run(
        [sys.executable, "-m", "doithoai", "runs", "--json"], env=_env(settings), capture_output=True, text=True
    )
    [run] = json.loads(proc.stdout)["runs"]
    assert run["trigger"] == trigger and run["counts"] == {"quarantined": 1}
    assert run["quarantined"][0]["reason"] == "tệp rỗng (0 byte)"
    quarantine = subprocess.run(
        [sys.executable, "-m", "doithoai", "quarantine", "--json"], env=_env(settings), capture_output=True, text=True
    )
    assert json.loads(quarantine.stdout)["files"][0]["name"] == "rong.txt"
