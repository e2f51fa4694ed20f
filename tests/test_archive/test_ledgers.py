"""The SQLite ledgers under DOITHOAI_HOME hold up when several processes write at once."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.register import NumberRegister
from archive.runs import FileRow, RunLog


def _officer(path: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    register = NumberRegister(Path(path))
    try:
        out.put([register.take("UBND TỈNH BÌNH THUẬN", "thong_bao", "2026") for _ in range(15)])
    except BaseException as exc:
        out.put(repr(exc))


def _in_processes(target: Callable[..., None], path: Path, n: int = 4) -> list[Any]:
    """Run ``target(path, queue)`` in ``n`` fresh processes at once; what each put on the queue."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=target, args=(str(path), out)) for _ in range(n)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join()
    return results


def test_officers_in_separate_processes_get_distinct_numbers_from_a_fresh_register(tmp_path: Path) -> None:
    results = _in_processes(_officer, tmp_path / "register.db")
    assert [r for r in results if isinstance(r, str)] == []
    assert sorted(n for r in results for n in r) == list(range(1, 61))


def _runner(path: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    log = RunLog(Path(path))
    try:
        for _ in range(5):
            run = log.start("cli", pid=1)
            log.finish(run, [FileRow("a.txt", "archived", "x", None, 0.1)], pages_ocr=0, seconds=0.1)
        out.put("ok")
    except BaseException as exc:
        out.put(repr(exc))


def test_concurrent_runs_each_leave_their_row_in_the_run_log(tmp_path: Path) -> None:
    results = _in_processes(_runner, tmp_path / "runs.db")
    assert results == ["ok"] * 4
    runs = RunLog(tmp_path / "runs.db").recent(limit=100)
    assert len(runs) == 20
    assert all(r.status == "finished" and r.counts == {"archived": 1} for r in runs)
