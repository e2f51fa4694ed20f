"""An archive trusted with the only copy: one damaged entry never stops the rest, and is named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive import Settings, open_store
from archive.runs import RunLog
from flows import steps
from flows.local import ingest_direct
from search import get_backend
from search.query import parse_query

REPO = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path, **kw: object) -> Settings:
    values: dict[str, object] = {"home": tmp_path / "home", "workers": 2, "inbox_settle_seconds": 0, **kw}
    values.setdefault("inbox_release_seconds", 0)
    return Settings(**values)  # type: ignore[arg-type]


def _text(i: int) -> str:
    return f"Báo cáo số {i} về kết quả tiếp xúc, đối thoại với nhân dân xã số {i}; giải quyết ý kiến, kiến nghị."


def _env(settings: Settings) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")},
        "DOITHOAI_HOME": str(settings.home),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_INBOX_RELEASE_SECONDS": "0",
        "DOITHOAI_WORKERS": "2",
    }


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=_env(settings), cwd=REPO, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _archive(settings: Settings, n: int) -> list[str]:
    src = settings.home.parent / "src"
    src.mkdir(exist_ok=True)
    for i in range(n):
        (src / f"{i:02d}.txt").write_text(_text(i))
    return [o.id or "" for o in ingest_direct([src], settings)]


def test_a_truncated_record_with_a_lagging_index_is_named_and_skipped(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    ids = _archive(settings, 3)
    store = open_store(settings)
    victim = ids[1]
    record = store.doc_dir(victim) / "record.json"
    record.write_bytes(record.read_bytes()[:40])  # a disk that lost the end of the file
    get_backend(settings).remove(victim)  # and an index that lags behind

    more = settings.home.parent / "more"
    more.mkdir()
    (more / "moi.txt").write_text(_text(99))
    ingest = _cli(settings, "ingest", "--json", str(more))
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["counts"]["archived"] == 1
    assert "Cấu hình sai" not in ingest.stderr
    assert victim in ingest.stderr and str(record) in ingest.stderr

    reindex = _cli(settings, "reindex", "--json")
    assert reindex.returncode == 0, reindex.stderr
    report = json.loads(reindex.stdout)
    assert report["indexed"] == 3 and report["total"] == 3
    assert [d["id"] for d in report["damaged"]] == [victim]
    assert str(record) in report["damaged"][0]["reason"]


def test_a_corrupt_run_log_is_moved_aside_and_started_anew(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    settings.home.joinpath("state.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    (settings.inbox_dir / "a.txt").write_text(_text(1))
    proc = _cli(settings, "ingest", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["counts"]["archived"] == 1
    assert "nhật ký lượt chạy" in proc.stderr
    [aside] = settings.home.glob("state.db.hong-*")
    assert aside.read_bytes().startswith(b"SQLite format 3\x00\xff")
    [run] = RunLog(settings.home / "state.db").recent()
    assert run.counts == {"archived": 1}


def test_a_settings_error_is_still_reported_as_one(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    env = {**_env(settings), "DOITHOAI_WORKERS": "không phải số"}
    proc = subprocess.run([sys.executable, "-m", "doithoai", "status"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "Cấu hình sai" in proc.stderr and "workers" in proc.stderr


def test_index_missing_skips_a_damaged_entry_and_indexes_the_rest(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    ids = _archive(settings, 3)
    store = open_store(settings)
    (store.doc_dir(ids[0]) / "pages.json").write_text("{")
    backend = get_backend(settings)
    for sha in ids:
        backend.remove(sha)
    ctx = steps.open_context(settings)
    assert steps.index_missing(ctx) == 2
    assert [d.reason.split(":")[0] for d in ctx.damaged] == [f"bản lưu {ids[0]} hỏng"]
    assert get_backend(settings).ids() == set(ids[1:])


# -- 1. inbox hygiene: a file leaves the inbox only when a complete copy is kept -------------


def _old(path: Path) -> Path:
    os.utime(path, (978307200, 978307200))  # unchanged since 2001: nobody is writing it
    return path


def test_delete_mode_never_deletes_a_file_the_quarantine_could_not_copy(tmp_path: Path) -> None:
    from flows.retry import retry_quarantined

    settings = _settings(tmp_path, inbox_after="delete", max_file_bytes=1000)
    settings.inbox_dir.mkdir(parents=True)
    big = settings.inbox_dir / "bao-cao-lon.txt"
    big.write_text(_text(1) * 20)
    _old(big)
    [outcome] = ingest_direct([settings.inbox_dir], settings)
    assert outcome.status == "quarantined" and "quá lớn" in (outcome.reason or "")
    assert big.is_file(), "the only copy of the file was deleted"
    raised = _settings(tmp_path, inbox_after="delete", max_file_bytes=10_000)
    [entry] = open_store(raised).iter_quarantine()
    again = retry_quarantined(entry.path.name, raised)
    assert again.status == "archived"
    assert open_store(raised).load_record(again.id or "").source.name == "bao-cao-lon.txt"  # type: ignore[union-attr]
    assert not big.exists() and list(open_store(raised).iter_quarantine()) == []


def test_three_different_files_of_one_name_quarantined_the_same_day_all_survive(tmp_path: Path) -> None:
    settings = _settings(tmp_path, max_file_bytes=1000)
    settings.inbox_dir.mkdir(parents=True)
    contents = [_text(i) * (20 + i) for i in range(3)]
    for content in contents:  # the clerk drops a file of that name, the night takes it; again, and again
        f = settings.inbox_dir / "van-ban.txt"
        f.write_text(content)
        _old(f)
        [outcome] = ingest_direct([settings.inbox_dir], settings)
        assert outcome.status == "quarantined"
        assert not f.exists()
    kept = sorted(p.read_text() for p in (settings.home / "processed").rglob("*") if p.is_file())
    assert kept == sorted(contents)
    entries = list(open_store(settings).iter_quarantine())
    assert len(entries) == 3 and all(Path(e.kept).is_file() for e in entries)


def test_archived_and_quarantined_files_of_one_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    versions = [_text(1), "%PDF-1.4 hỏng", _text(2), "%PDF-1.4 hỏng nữa"]
    for content in versions:
        f = settings.inbox_dir / "van-ban.txt"
        f.write_text(content)
        _old(f)
        ingest_direct([settings.inbox_dir], settings)
        assert not f.exists()
    kept = sorted(p.read_text() for p in (settings.home / "processed").rglob("*") if p.is_file())
    assert kept == sorted(versions)


def test_a_pdf_whose_writer_paused_is_kept_until_complete_and_then_replaces_the_broken_entry(tmp_path: Path) -> None:
    from tests.makers import make_pdf

    settings = _settings(tmp_path)  # settle 0 s: the pause is longer than the settle time
    settings.inbox_dir.mkdir(parents=True)
    whole = make_pdf(tmp_path / "whole.pdf", ["Báo cáo kết quả tiếp xúc, đối thoại năm 2024.", "Trang hai."])
    data = whole.read_bytes()
    target = settings.inbox_dir / "bao-cao.pdf"
    target.write_bytes(data[: len(data) // 2])  # the copy stalls half-way
    [first] = ingest_direct([settings.inbox_dir], settings)
    assert first.status == "quarantined"
    assert target.read_bytes() == data[: len(data) // 2], "the half-written file must stay where the writer is"
    assert len(list(open_store(settings).iter_quarantine())) == 1

    with target.open("ab") as f:  # the writer resumes and finishes
        f.write(data[len(data) // 2 :])
    [second] = ingest_direct([settings.inbox_dir], settings)
    assert second.status == "archived" and second.pages == 2
    assert not target.exists()
    assert list(open_store(settings).iter_quarantine()) == []  # the broken entry was only a partial copy
    assert open_store(settings).original_path(second.id or "").read_bytes() == data


@pytest.mark.parametrize("after", ["delete", "move"])
def test_a_text_file_whose_writer_paused_stays_until_complete_and_replaces_its_beginning(
    tmp_path: Path, after: str
) -> None:
    # Half a text file is a valid text file: it is archived (and found), but it changed a moment
    # ago, so it stays in the inbox, where the writer goes on writing into it.
    settings = _settings(tmp_path, inbox_after=after, inbox_release_seconds=600)
    settings.inbox_dir.mkdir(parents=True)
    data = (_text(1) + "\n" + "Phần sau: kiến nghị về đường liên xã Quobrelanxit.\n").encode()
    target = settings.inbox_dir / "bai.txt"
    target.write_bytes(data[:60])  # the copy stalls here, longer than the settle time
    [first] = ingest_direct([settings.inbox_dir], settings)
    assert first.status == "archived" and target.read_bytes() == data[:60]
    assert "để lại trong hộp thư" in (first.reason or "")

    with target.open("ab") as f:  # the writer resumes and finishes
        f.write(data[60:])
    _old(target)
    [second] = ingest_direct([settings.inbox_dir], settings)
    assert second.status == "archived" and second.id != first.id
    assert not target.exists()  # complete, archived and quiet: it leaves the inbox
    store = open_store(settings)
    assert list(store.iter_ids()) == [second.id]  # the beginning was never a document of its own
    [aside] = (store.root / ".superseded").iterdir()
    assert (aside / "original.txt").read_bytes() == data[:60]  # set aside, not deleted
    backend = get_backend(settings)
    assert [h.id for h in backend.search(parse_query("Quobrelanxit")).hits] == [second.id]
    assert [h.id for h in backend.search(parse_query("đối thoại")).hits] == [second.id]


def test_a_file_that_grew_long_after_it_left_the_inbox_is_a_new_document(tmp_path: Path) -> None:
    settings = _settings(tmp_path, inbox_release_seconds=600)
    settings.inbox_dir.mkdir(parents=True)
    target = settings.inbox_dir / "bai.txt"
    target.write_text(_text(1))
    _old(target)
    [first] = ingest_direct([settings.inbox_dir], settings)
    assert first.status == "archived" and not target.exists()  # quiet for long: released at once
    target.write_text(_text(1) + " Bổ sung sau.")  # a new file of the same name, starting the same
    _old(target)
    [second] = ingest_direct([settings.inbox_dir], settings)
    assert second.status == "archived"
    assert sorted(open_store(settings).iter_ids()) == sorted([first.id, second.id])


def _paused_copy(tmp_path: Path) -> tuple[Settings, Path, bytes]:
    settings = _settings(tmp_path, inbox_after="delete", inbox_release_seconds=600)
    settings.inbox_dir.mkdir(parents=True)
    data = (_text(2) + "\n" + "Phần sau: kiến nghị về đường liên xã Quobrelanxit.\n").encode()
    target = settings.inbox_dir / "bai.txt"
    target.write_bytes(data[:60])
    return settings, target, data


def test_the_same_beginning_brought_from_elsewhere_is_a_document_of_its_own(tmp_path: Path) -> None:
    settings, target, data = _paused_copy(tmp_path)
    [first] = ingest_direct([settings.inbox_dir], settings)
    elsewhere = tmp_path / "cong-van" / "ban-rieng.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(data[:60])
    [again] = ingest_direct([elsewhere], settings)
    assert again.status == "duplicate" and again.id == first.id
    with target.open("ab") as f:
        f.write(data[60:])
    _old(target)
    [second] = ingest_direct([settings.inbox_dir], settings)
    assert second.status == "archived"
    assert sorted(open_store(settings).iter_ids()) == sorted([first.id, second.id])  # nothing set aside


def test_a_file_that_grew_while_it_was_read_is_completed_next_run(tmp_path: Path) -> None:
    from flows.run import release

    settings, target, data = _paused_copy(tmp_path)
    ctx = steps.open_context(settings)
    outcome = ctx.queue.settle([steps.ingest_one(target, ctx)])[0]
    with target.open("ab") as f:  # the writer resumed while the file was being read
        f.write(data[60:])
    kept = release(outcome, settings, ctx.store)
    assert "đã đổi sau khi đọc" in (kept.reason or "") and target.exists()
    _old(target)
    [second] = ingest_direct([settings.inbox_dir], settings)
    assert second.status == "archived" and not target.exists()
    assert list(open_store(settings).iter_ids()) == [second.id]
    hits = get_backend(settings).search(parse_query("Quobrelanxit")).hits
    assert [h.id for h in hits] == [second.id]


def test_a_run_killed_after_setting_a_beginning_aside_leaves_it_out_of_search_next_time(tmp_path: Path) -> None:
    settings, target, data = _paused_copy(tmp_path)
    [first] = ingest_direct([settings.inbox_dir], settings)
    with target.open("ab") as f:
        f.write(data[60:])
    _old(target)
    ctx = steps.open_context(settings)
    complete = steps.ingest_one(target, ctx)  # archived, the beginning set aside ...
    assert complete.status == "archived"  # ... and the run dies before its index batch is written
    assert first.id in get_backend(settings).ids()
    ingest_direct([tmp_path / "nothing-new"], settings)  # the next run, whatever it brings
    backend = get_backend(settings)
    assert first.id not in backend.ids() and complete.id in backend.ids()
    assert [h.id for h in backend.search(parse_query("đối thoại")).hits] == [complete.id]


def test_page_images_a_killed_reader_left_in_the_temporary_folder_are_removed_next_run(tmp_path: Path) -> None:
    import tempfile

    gone = subprocess.Popen(["true"])  # a process that no longer runs
    gone.wait()
    left = Path(tempfile.gettempdir()) / f"doithoai-ocr-{gone.pid}-abc123"
    left.mkdir()
    (left / "page.pgm").write_bytes(b"P5 page of a MAT scan")
    live = Path(tempfile.mkdtemp(prefix=f"doithoai-ocr-{os.getpid()}-"))  # this process's own
    try:
        ingest_direct([tmp_path / "nothing"], _settings(tmp_path))
        assert not left.exists()
        assert live.exists()
    finally:
        shutil.rmtree(left, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)


def test_a_broken_file_that_stopped_changing_long_ago_leaves_the_inbox(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    broken = settings.inbox_dir / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    _old(broken)
    [outcome] = ingest_direct([settings.inbox_dir], settings)
    assert outcome.status == "quarantined" and not broken.exists()
    [entry] = open_store(settings).iter_quarantine()
    assert entry.copy() is not None and entry.copy().read_bytes() == b"%PDF-1.4 broken"  # type: ignore[union-attr]


# -- 2. verify, and ingest repairs a damaged entry from a good copy ---------------------------


def test_verify_names_every_kind_of_damage_and_exits_6(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    ids = _archive(settings, 5)
    assert _cli(settings, "verify").returncode == 0
    store = open_store(settings)
    changed, deleted, no_record, unindexed = ids[0], ids[1], ids[2], ids[3]
    with store.original_path(changed).open("ab") as f:
        f.write(b" ")  # one byte more: the bytes are no longer the ones the id names
    store.original_path(deleted).unlink()
    (store.doc_dir(no_record) / "record.json").unlink()
    get_backend(settings).remove(unindexed)

    proc = _cli(settings, "verify", "--json")
    assert proc.returncode == 6, proc.stderr
    report = json.loads(proc.stdout)
    problems = {p["id"]: p["problem"] for p in report["problems"]}
    assert set(problems) == {changed, deleted, no_record}
    assert "đã bị thay đổi" in problems[changed]
    assert "thiếu bản gốc" in problems[deleted]
    assert "record.json" in problems[no_record]
    assert report["not_indexed"] == [unindexed]
    assert report["not_stored"] == []  # no_record is indexed, but it is a damaged entry: named once, above
    text = _cli(settings, "verify")
    assert text.returncode == 6 and "Hỏng" in text.stdout and str(store.doc_dir(changed)) in text.stdout


def test_the_quick_check_rehashes_only_what_changed(tmp_path: Path) -> None:
    from flows.verify import verify_archive

    settings = _settings(tmp_path)
    ids = _archive(settings, 4)
    first = verify_archive(settings, full=False, slice_days=10_000)
    assert first.ok and first.hashed == 4
    again = verify_archive(settings, full=False, slice_days=10_000)
    assert again.ok and again.hashed <= 1  # at most the one in today's rotating slice
    original = open_store(settings).original_path(ids[2])
    original.write_bytes(original.read_bytes()[::-1])
    third = verify_archive(settings, full=False, slice_days=10_000)
    assert [p.id for p in third.problems] == [ids[2]]


def test_ingesting_a_good_copy_repairs_a_damaged_entry(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    ids = _archive(settings, 2)
    store = open_store(settings)
    src = settings.home.parent / "src"
    store.original_path(ids[0]).write_bytes(b"bit rot")
    (store.doc_dir(ids[1]) / "record.json").unlink()
    outcomes = {o.id: o for o in ingest_direct([src], settings)}
    assert {o.status for o in outcomes.values()} == {"archived"}
    assert all("đã sửa bản lưu hỏng" in (o.reason or "") for o in outcomes.values())
    assert _cli(settings, "verify").returncode == 0
    assert store.original_path(ids[0]).read_bytes() == (src / "00.txt").read_bytes()
    assert store.load_record(ids[1]).id == ids[1]
    assert len(list((store.root / ".damaged").iterdir())) == 2  # the damaged copies are kept aside, not deleted
    assert [o.status for o in ingest_direct([src], settings)] == ["duplicate", "duplicate"]


# -- 4. reindex and ingest share one index ------------------------------------------------------


def test_reindex_while_an_ingest_runs_loses_no_document_from_search(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _archive(settings, 20)
    settings.inbox_dir.mkdir(parents=True)
    n = 160
    for i in range(n):
        (settings.inbox_dir / f"{i:03d}.txt").write_text(_text(1000 + i))
    ingest = subprocess.Popen(
        [sys.executable, "-m", "doithoai", "ingest", "--json"], env=_env(settings), cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    reindexes = 0
    while ingest.poll() is None or reindexes == 0:
        proc = _cli(settings, "reindex", "--json")
        assert proc.returncode == 0, proc.stderr
        reindexes += 1
    out, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err
    report = json.loads(out)
    assert report["counts"]["archived"] == n and report["counts"]["not_indexed"] == 0
    store_ids = set(open_store(settings).iter_ids())
    assert len(store_ids) == n + 20
    assert get_backend(settings).ids() == store_ids


def test_a_reindex_killed_half_way_leaves_nothing_behind_after_the_next_one(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _archive(settings, 3)
    root = settings.index_dir / "tantivy"
    serving = (root / "current").resolve()
    # A reindex process that dies (like kill -9: no cleanup at all) in the middle of its rebuild.
    script = (
        "import os, sys\n"
        "from archive import Settings, open_store\n"
        "from flows import steps\n"
        "ctx = steps.open_context(Settings())\n"
        "def items():\n"
        "    for sha in ctx.store.iter_ids():\n"
        "        yield ctx.store.load_record(sha), ctx.store.load_extraction(sha).text\n"
        "        os._exit(9)\n"
        "ctx.backend.rebuild(items())\n"
    )
    died = subprocess.run([sys.executable, "-c", script], env=_env(settings), cwd=REPO, timeout=120)
    assert died.returncode == 9
    assert len(list(root.glob("gen-*"))) == 2  # the half-built generation is left behind
    assert (root / "current").resolve() == serving
    ctx = steps.open_context(settings)
    steps.index_missing(ctx)  # what every ingest run does first
    assert list(root.glob("gen-*")) == [serving]
    assert get_backend(settings).count() == 3


# -- 6. nothing in the archive is readable by other users -------------------------------------


def test_everything_the_archive_creates_is_0640_in_0750_folders(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    settings.home.chmod(0o750)  # made by the test for its inbox; everything under it by doithoai
    for name, mode in (("rieng.txt", 0o600), ("chung.txt", 0o644)):
        f = settings.inbox_dir / name
        f.write_text(_text(len(name)))
        f.chmod(mode)
    broken = settings.inbox_dir / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    _old(broken)
    for args in (("ingest",), ("reindex",), ("verify",)):
        proc = subprocess.run(
            [sys.executable, "-m", "doithoai", *args], env=_env(settings), cwd=REPO, capture_output=True, text=True,
            preexec_fn=lambda: os.umask(0o022), timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    seen = {"original": 0, "pages.json": 0, "index": 0, "state.db": 0, "processed": 0, "quarantine": 0}
    for path in [settings.home, *settings.home.rglob("*")]:
        if path.is_symlink() or path == settings.inbox_dir:
            continue
        mode = path.stat().st_mode & 0o777
        assert mode & 0o027 == 0, f"{path} is {oct(mode)}"
        rel = path.relative_to(settings.home).parts
        if "index" in rel and path.is_file():  # the web app reads it through the service's group
            assert mode == 0o640, f"{path} is {oct(mode)}"
        for key in seen:
            if key in rel or (rel and rel[-1].startswith(key)):
                seen[key] += 1
    assert all(seen.values()), seen


# -- 12. a file name cannot drive the clerk's terminal -----------------------------------------


def test_control_characters_in_file_names_are_escaped_in_ingest_runs_and_quarantine(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a\x1b[2Jb\nc.txt").touch()  # empty: quarantined, so its name shows everywhere
    (src / "d\x1b]0;title\x07.txt").write_text(_text(1))
    env = {**_env(settings), "COLUMNS": "200"}
    outputs = []
    for args in (("ingest", str(src)), ("runs",), ("quarantine",)):
        proc = subprocess.run(
            [sys.executable, "-m", "doithoai", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
        assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout, args
    assert all("\\x1b" in o for o in outputs)
    assert "a\\x1b[2Jb\\x0ac.txt" in outputs[2]


# -- 7. a file that kills the process is blamed, not every later run ---------------------------


def test_a_run_killed_while_reading_a_file_quarantines_that_file_next_time(tmp_path: Path) -> None:
    import signal
    import time

    from tests.makers import scanned_pdf

    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    for i in range(3):
        (settings.inbox_dir / f"{i}.txt").write_text(_text(i))
    heavy = scanned_pdf(
        settings.inbox_dir / "z-quet.pdf", [f"Trang quét số {i} về đối thoại với nhân dân." for i in range(4)]
    )
    env = {**_env(settings), "DOITHOAI_WORKERS": "1"}
    log = RunLog(settings.home / "state.db")

    def kill_while_reading_the_scan() -> None:
        proc = subprocess.Popen([sys.executable, "-m", "doithoai", "ingest"], env=env, cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 180
        while str(heavy) not in (log.in_progress(proc.pid) if log.path.exists() else []):
            assert proc.poll() is None and time.monotonic() < deadline, "the run should still be reading the scan"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)  # what the kernel's OOM killer does
        proc.wait()

    kill_while_reading_the_scan()  # a first death may be an operator's kill -9: the scan is read again, alone
    kill_while_reading_the_scan()  # read alone and the run dies again: now it is blamed

    again = _cli(settings, "ingest", "--json")
    assert again.returncode == 0, again.stderr
    files = {Path(f["path"]).name: f for f in json.loads(again.stdout)["files"]}
    assert files["z-quet.pdf"]["status"] == "quarantined"
    assert "lần trước làm dừng tiến trình" in files["z-quet.pdf"]["reason"]
    assert {files[f"{i}.txt"]["status"] for i in range(3)} <= {"archived", "duplicate"}
    assert set(open_store(settings).iter_ids()) and not heavy.exists()  # its copy is in quarantine
    third = _cli(settings, "ingest", "--json")  # and the night after is an ordinary night
    assert json.loads(third.stdout)["files"] == []
    retry = _cli(settings, "retry", files["z-quet.pdf"]["id"], "--json")  # once the cause is fixed
    assert json.loads(retry.stdout)["status"] == "archived", retry.stderr
    from archive.audit import AuditLog

    [audited] = [e for e in AuditLog(settings.home).entries() if e.action == "quarantine.retry"]
    assert audited.actor.startswith("(máy chủ:") and audited.target == files["z-quet.pdf"]["id"]


def test_files_in_progress_together_when_a_run_died_are_not_blamed_but_read_again(tmp_path: Path) -> None:
    from archive.store import file_signature

    settings = _settings(tmp_path)
    settings.inbox_dir.mkdir(parents=True)
    names = [settings.inbox_dir / f"{i}.txt" for i in range(2)]
    for i, f in enumerate(names):
        f.write_text(_text(i))
    gone = subprocess.Popen(["true"])
    gone.wait()
    log = RunLog(settings.home / "state.db")
    run_id = log.start("schedule", gone.pid)  # a run whose process is gone, with two files in progress
    for f in names:
        log.begin_file(run_id, str(f), file_signature(f.lstat()))
    outcomes = ingest_direct([settings.inbox_dir], settings)
    assert [o.status for o in outcomes] == ["archived", "archived"]  # which one did it is unknown: none is blamed
    assert log.suspects() == [] and log.in_progress() == []


def test_records_for_reports_and_the_calendar_leave_out_a_damaged_entry(tmp_path: Path) -> None:
    from flows.records import records_matching
    from search import Filters

    settings = _settings(tmp_path)
    ids = _archive(settings, 3)
    (open_store(settings).doc_dir(ids[0]) / "record.json").write_text("{")
    assert sorted(r.id for r in records_matching(settings, Filters())) == sorted(ids[1:])


def test_a_file_quarantined_again_on_retry_keeps_the_name_the_clerk_knows(tmp_path: Path) -> None:
    from flows.retry import retry_quarantined

    settings = _settings(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    broken = src / "bao-cao-do-dang.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")  # truncated: no page tree, no xref
    [first] = ingest_direct([broken], settings)
    assert first.status == "quarantined"
    again = retry_quarantined(first.id or "", settings)
    assert again.status == "quarantined"
    [entry] = open_store(settings).iter_quarantine()
    assert entry.name == "bao-cao-do-dang.pdf"  # not the kept copy's "original.pdf"
