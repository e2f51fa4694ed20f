"""A document the index lost is put back, even when a damaged store entry elsewhere makes the
index's count equal to the store's: the repair compares ids, not counts.

Real store, real tantivy index, the real ``doithoai`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from archive import Settings, open_store
from flows import steps
from flows.local import ingest_direct
from search import get_backend

REPO = Path(__file__).resolve().parents[2]
WORDS = {"a": "Vantorelix", "b": "Quimbaroth", "c": "Zelphiradon"}  # one word only each document holds


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", workers=2, inbox_settle_seconds=0)


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")},
        "DOITHOAI_HOME": str(settings.home),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_WORKERS": "2",
    }
    return subprocess.run(
        [sys.executable, "-m", "doithoai", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )


def _archive_three(settings: Settings) -> tuple[Path, dict[str, str]]:
    src = settings.home.parent / "src"
    src.mkdir(parents=True)
    for name, word in WORDS.items():
        (src / f"{name}.txt").write_text(
            f"Báo cáo kết quả tiếp xúc, đối thoại với nhân dân; ý kiến về dự án {word} được trả lời.", encoding="utf-8"
        )
    ids = {Path(o.path).stem: o.id or "" for o in ingest_direct([src], settings)}
    assert sorted(ids) == ["a", "b", "c"] and all(ids.values())
    return src, ids


def _damage_a_and_drop_b(settings: Settings, ids: dict[str, str]) -> None:
    """Entry a loses its record.json (still in the index); b loses its index entry (whole in the store)."""
    store = open_store(settings)
    (store.doc_dir(ids["a"]) / "record.json").unlink()
    backend = get_backend(settings)
    backend.remove(ids["b"])
    assert ids["b"] not in backend.ids()
    assert backend.count() == len(list(store.iter_ids())) == 2  # the counts agree: a count check sees nothing


def _found(settings: Settings, word: str) -> list[str]:
    proc = _cli(settings, "search", word, "--json")
    assert proc.returncode == 0, proc.stderr
    return [h["id"] for h in json.loads(proc.stdout)["hits"]]


def _verify(settings: Settings) -> dict[str, object]:
    proc = _cli(settings, "verify", "--json")
    assert proc.returncode == 6, proc.stderr  # entry a is damaged: that stays until a good copy comes
    report: dict[str, object] = json.loads(proc.stdout)
    return report


def test_bringing_the_file_again_puts_its_lost_index_entry_back(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    src, ids = _archive_three(settings)
    _damage_a_and_drop_b(settings, ids)
    assert _found(settings, WORDS["b"]) == []

    proc = _cli(settings, "ingest", "--json", str(src / "b.txt"))
    assert proc.returncode == 0, proc.stderr
    [out] = json.loads(proc.stdout)["files"]
    assert (out["status"], out["id"], out["indexed"]) == ("duplicate", ids["b"], True)
    assert "chỉ mục" in out["reason"]
    assert _found(settings, WORDS["b"]) == [ids["b"]]

    again = _cli(settings, "ingest", "--json", str(src / "b.txt"))  # now whole: a plain duplicate
    [out] = json.loads(again.stdout)["files"]
    assert (out["status"], out["reason"]) == ("duplicate", None)

    report = _verify(settings)
    assert [p["id"] for p in report["problems"]] == [ids["a"]]  # type: ignore[union-attr,index]
    assert "record.json" in report["problems"][0]["problem"]  # type: ignore[index]
    assert (report["not_indexed"], report["not_stored"]) == ([], [])  # a: named once, as damaged


def test_what_verify_found_missing_is_indexed_by_the_next_run(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _src, ids = _archive_three(settings)
    _damage_a_and_drop_b(settings, ids)
    report = _verify(settings)
    assert (report["not_indexed"], report["not_stored"]) == ([ids["b"]], [])
    assert (settings.home / steps.INDEX_CHECK).is_file()

    other = tmp_path / "khac.txt"  # the next run, of an unrelated file
    other.write_text("Thông báo kết luận hội nghị đối thoại với nhân dân xã Phú Cường.", encoding="utf-8")
    proc = _cli(settings, "ingest", "--json", str(other))
    assert proc.returncode == 0, proc.stderr
    assert _found(settings, WORDS["b"]) == [ids["b"]]
    assert not (settings.home / steps.INDEX_CHECK).exists()
    report = _verify(settings)
    assert [p["id"] for p in report["problems"]] == [ids["a"]]  # type: ignore[union-attr,index]
    assert (report["not_indexed"], report["not_stored"]) == ([], [])


def test_reindex_missing_compares_ids(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _src, ids = _archive_three(settings)
    _damage_a_and_drop_b(settings, ids)
    proc = _cli(settings, "reindex", "--missing", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["indexed"] == 1
    assert ids["b"] in get_backend(settings).ids()


def test_a_copy_in_the_same_run_is_a_plain_duplicate(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    text = "Kế hoạch tổ chức tiếp xúc, đối thoại với nhân dân năm 2024 về đất đai, môi trường."
    for name in ("goc.txt", "ban-sao.txt"):
        (src / name).write_text(text, encoding="utf-8")
    outcomes = sorted(ingest_direct([src], settings), key=lambda o: o.status)
    assert [(o.status, o.reason) for o in outcomes] == [("archived", None), ("duplicate", None)]
    assert get_backend(settings).count() == 1
