"""DOITHOAI_SECRETS: a marked file is registered and held, and its content is kept nowhere else.

The main test runs the real ``doithoai ingest`` (through Prefect, whose database lives under
DOITHOAI_HOME here) on a MẬT text file, a MẬT DOCX, a scanned MẬT page and a TUYỆT MẬT text,
then looks for words only their bodies contain in every byte under DOITHOAI_HOME and in the
index. A public document with its own marker word is the control that the look can find a word.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive import open_store, sealed
from archive.errors import DoithoaiError
from archive.records import DocumentRecord, Extraction, Page
from archive.settings import Settings
from extractors import extract, parse
from flows import secrets
from search import get_backend
from search.query import parse_query
from tests.makers import make_docx, page_image

MARKERS = {"txt": "Xylofanterin", "docx": "Quobrelanxit", "scan": "Vemtoraxil", "tuyet": "Drumbelovic"}
TUYET_TITLE = "Zentrovakis"  # in a TUYỆT MẬT title: not even the register may keep it
PUBLIC = "Plumbarotex"  # in a public document: archived, so the look must find it

HEADER_TXT = (
    "TỈNH ỦY HÀ NAM        ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố {n}        Hà Nam, ngày 3 tháng 4 năm 2024\n{mark}\n\n"
)


def _secret_inbox(inbox: Path) -> dict[str, Path]:
    inbox.mkdir(parents=True)
    files = {}
    files["txt"] = inbox / "thong-bao-mat.txt"
    files["txt"].write_text(
        HEADER_TXT.format(n="21-TB/TU", mark="MẬT")
        + "THÔNG BÁO\nkết luận hội nghị đối thoại\n-----\n"
        + f"Ý kiến về dự án {MARKERS['txt']} được bàn kỹ.\n",
        encoding="utf-8",
    )
    files["docx"] = make_docx(
        inbox / "bao-cao-mat.docx",
        ["BÁO CÁO", "kết quả đối thoại năm 2024", f"Nội dung về khu {MARKERS['docx']} chưa công bố."],
        header_cells=(
            ["TỈNH ỦY HÀ NAM", "*", "Số 22-BC/TU", "MẬT"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nam, ngày 5 tháng 4 năm 2024"],
        ),
    )
    files["scan"] = inbox / "to-trinh-quet.png"
    page_image(
        [
            "TỈNH ỦY HÀ NAM\tĐẢNG CỘNG SẢN VIỆT NAM",
            "*",
            "Số 23-TB/TU\tHà Nam, ngày 6 tháng 4 năm 2024",
            "MẬT",
            "",
            "THÔNG BÁO",
            "kết luận hội nghị đối thoại",
            "-----",
            f"Nội dung riêng: {MARKERS['scan']} được bàn tại hội nghị.",
        ],
        dpi=200,
    ).save(files["scan"], dpi=(200, 200))
    files["tuyet"] = inbox / "tuyet-mat.txt"
    files["tuyet"].write_text(
        HEADER_TXT.format(n="24-TB/TU", mark="TUYỆT MẬT")
        + f"THÔNG BÁO\nvề việc {TUYET_TITLE}\n-----\nNội dung {MARKERS['tuyet']}.\n",
        encoding="utf-8",
    )
    (inbox / "cong-khai.txt").write_text(
        HEADER_TXT.format(n="25-TB/TU", mark="")
        + f"THÔNG BÁO\nkết luận công khai\n-----\nNội dung {PUBLIC} công khai.\n",
        encoding="utf-8",
    )
    page_image(
        ["TỈNH ỦY HÀ NAM\tĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 26-TB/TU\tHà Nam, ngày 7 tháng 4 năm 2024", "",
         "THÔNG BÁO", "kết luận công khai", "-----", "Nội dung công khai về đường liên xã."],
        dpi=200,
    ).save(inbox / "cong-khai-quet.png", dpi=(200, 200))  # fmt: skip
    return files


def _files_containing(root: Path, word: str, skip: Path | None = None) -> list[Path]:
    needles = [word.encode(), word.lower().encode(), word.upper().encode(), word.encode("utf-16-le")]
    found = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink() and (skip is None or not p.is_relative_to(skip)):
            data = p.read_bytes()
            if any(n in data for n in needles):
                found.append(p)
    return found


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_scans_searchable_pdf_touches_the_disk_only_sealed_until_its_mark_is_read(
    tmp_path: Path, settings: Settings
) -> None:
    scan = _secret_inbox(tmp_path / "inbox")["scan"]
    store = open_store(settings)
    staged = store.stage(scan, max_bytes=settings.max_file_bytes)
    screen = secrets.Screen(settings, staged, staged.directory / "searchable.pdf")
    assert screen.seal is not None
    extraction = extract(staged.path, settings, searchable_pdf=screen.searchable_pdf, seal=screen.seal)
    written = screen.searchable_pdf.read_bytes()
    assert len(written) > 10_000 and not written.startswith(b"%PDF")  # noise to whoever reads the disk
    plain = io.BytesIO()
    sealed.unseal(screen.searchable_pdf, screen.seal, plain)  # the control: the key opens it, the text is there
    assert MARKERS["scan"] in "".join(p.extract_text() for p in PdfReader(plain).pages)
    held = screen.hold_if_marked(parse(extraction, doc_id=staged.sha256), extraction, read_from=scan)
    screen.close()
    assert held is not None  # MẬT: nothing is unsealed, the sealed bytes are gone with their key
    assert screen.seal is None
    assert not screen.searchable_pdf.exists() and not (staged.directory / "searchable.pdf").exists()
    store.discard(staged)


@pytest.mark.slow
def test_marked_files_leave_nothing_but_register_entries(tmp_path: Path, settings: Settings) -> None:
    inbox = tmp_path / "inbox"
    files = _secret_inbox(inbox)
    hashes = {k: _sha(p) for k, p in files.items()}
    # The control for OCR: the scan really reads as its marker word and its mark.
    ocr = extract(files["scan"], settings)
    assert MARKERS["scan"] in ocr.text
    assert secrets.marked_level(parse(ocr, doc_id="0" * 64), ocr) == "mat"

    home = settings.home
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    env.update(DOITHOAI_HOME=str(home), DOITHOAI_INBOX=str(inbox), DOITHOAI_WORKERS="2",
               DOITHOAI_INBOX_SETTLE_SECONDS="0", DOITHOAI_INBOX_RELEASE_SECONDS="0",
               PREFECT_HOME=str(home / "prefect"))  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "doithoai", "ingest", "--json"], env=env, capture_output=True, text=True, timeout=400
    )
    assert run.returncode == 0, run.stderr
    outcomes = {Path(o["path"]).name: o for o in json.loads(run.stdout)["files"]}
    assert outcomes["cong-khai.txt"]["status"] == "archived"
    # A public scan still gets its searchable PDF, copied from memory once the mark was checked.
    scanned = outcomes["cong-khai-quet.png"]
    assert scanned["status"] == "archived"
    searchable = open_store(settings).searchable_path(scanned["id"])
    assert searchable is not None and searchable.read_bytes().startswith(b"%PDF")
    assert "đường liên xã" in "".join(p.extract_text() for p in PdfReader(searchable).pages)
    for path in files.values():
        o = outcomes[path.name]
        assert o["status"] == "quarantined"
        assert "KHÔNG ĐƯỢC LƯU TRÊN MÁY NÀY" in o["reason"] and "doithoai secrets purge" in o["reason"]
        assert not path.exists(), f"{path.name} is still in the inbox"
    # `doithoai ingest` runs in process since issue #14 item 11 (it writes no Prefect database);
    # the leak checks below cover everything under DOITHOAI_HOME, a Prefect folder included.

    hold = settings.secrets_hold_dir
    assert hold.is_relative_to(home) and not hold.is_relative_to(settings.store_dir)
    # The control: the public document's word is found where it was archived.
    assert _files_containing(home, PUBLIC, skip=hold)
    for word in [*MARKERS.values(), TUYET_TITLE]:
        assert _files_containing(home, word, skip=hold) == [], word
    held_hashes = {_sha(p) for p in hold.rglob("*") if p.is_file()}
    assert held_hashes == set(hashes.values())
    for p in home.rglob("*"):
        if p.is_file() and not p.is_relative_to(hold):
            assert _sha(p) not in held_hashes, p
    assert (hold.stat().st_mode & 0o777) == 0o700

    backend = get_backend(settings)
    for word in MARKERS.values():
        assert backend.search(parse_query(word)).total == 0
    assert backend.search(parse_query(PUBLIC)).total == 1

    listed = subprocess.run(
        [sys.executable, "-m", "doithoai", "secrets", "list", "--json"], env=env, capture_output=True, text=True
    )
    entries = {e["number_symbol"]: e for e in json.loads(listed.stdout)["entries"]}
    assert set(entries) == {"21-TB/TU", "22-BC/TU", "23-TB/TU", "24-TB/TU"}
    assert entries["21-TB/TU"]["confidentiality"] == "mat" and entries["21-TB/TU"]["title"]
    assert entries["24-TB/TU"]["confidentiality"] == "tuyet_mat" and entries["24-TB/TU"]["title"] is None
    assert entries["22-BC/TU"]["issue_date"] == "2024-04-05"

    for entry in entries.values():
        purged = subprocess.run(
            [sys.executable, "-m", "doithoai", "secrets", "purge", entry["id"][:10]], env=env, capture_output=True
        )
        assert purged.returncode == 0, purged.stderr
    assert [p for p in hold.rglob("*") if p.is_file()] == []
    audit = subprocess.run([sys.executable, "-m", "doithoai", "audit", "--json"], env=env, capture_output=True)
    actions = [e["action"] for e in json.loads(audit.stdout)["entries"]]
    assert actions.count("secret.register") == 4 and actions.count("secret.purge") == 4


def _staged_ingest(settings: Settings, path: Path) -> tuple[str, str | None]:
    from flows import steps

    ctx = steps.open_context(settings)
    outcome = steps.ingest_one(path, ctx)
    ctx.queue.flush()
    return outcome.status, outcome.id


def test_a_register_that_cannot_be_written_leaves_the_marked_file_in_the_inbox(
    tmp_path: Path, settings: Settings
) -> None:
    files = _secret_inbox(tmp_path / "inbox")
    settings.home.mkdir(parents=True, exist_ok=True)
    (settings.home / "secrets.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # damaged
    with pytest.raises(DoithoaiError, match=r"secrets\.db"):
        _staged_ingest(settings, files["txt"])
    assert files["txt"].exists()  # not held where no register lists it
    assert not settings.secrets_hold_dir.exists() or not any(settings.secrets_hold_dir.rglob("*.txt"))


def test_store_mode_archives_marked_documents_with_their_level(tmp_path: Path, settings: Settings) -> None:
    inbox = tmp_path / "inbox"
    files = _secret_inbox(inbox)
    stored = settings.model_copy(update={"secrets": "store"})
    status, doc_id = _staged_ingest(stored, files["txt"])
    assert status == "archived" and doc_id
    assert open_store(stored).load_record(doc_id).confidentiality == "mat"
    assert secrets.SecretRegister(stored).entries() == []


def test_a_held_file_leaves_no_staging_leftovers_and_the_same_bytes_twice_are_one_entry(
    tmp_path: Path, settings: Settings
) -> None:
    files = _secret_inbox(tmp_path / "inbox")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(files["txt"].read_bytes())
    assert _staged_ingest(settings, files["txt"])[0] == "quarantined"
    assert _staged_ingest(settings, copy)[0] == "quarantined"
    assert not copy.exists()
    assert list((settings.store_dir / ".staging").iterdir()) == []
    [entry] = secrets.SecretRegister(settings).entries()
    assert entry.held_path and Path(entry.held_path).read_bytes().startswith("TỈNH ỦY".encode())


def _record(text: str, confidentiality: str | None = None) -> tuple[DocumentRecord, Extraction]:
    ex = Extraction(media_type="text/plain", pages=(Page(number=1, text=text, method="text"),))
    rec = parse(ex, doc_id="0" * 64)
    if confidentiality:
        rec = rec.model_copy(update={"confidentiality": confidentiality})
    return rec, ex


@pytest.mark.parametrize(
    ("header_line", "level"),
    [("MẬT", "mat"), ("MẶT", "mat"), ("TỐI  MẬT", "toi_mat"), ("TUYỆT MẬT", "tuyet_mat"), ("Mặt trận", None)],
)
def test_the_mark_is_found_even_where_ocr_misread_it(header_line: str, level: str | None) -> None:
    rec, ex = _record(f"TỈNH ỦY HÀ NAM\n*\nSố 1-TB/TU\n{header_line}\nTHÔNG BÁO\nvề việc\n-----\nNội dung.\n")
    assert secrets.marked_level(rec, ex) == level


def test_a_correction_to_mat_in_store_mode_hides_the_document_at_once(tmp_path: Path, settings: Settings) -> None:
    from search.model import Filters

    stored = settings.model_copy(update={"secrets": "store"})
    public = tmp_path / "cong-khai.txt"
    public.write_text(HEADER_TXT.format(n="25-TB/TU", mark="") + f"THÔNG BÁO\nkết luận\n-----\n{PUBLIC}.\n", "utf-8")
    status, doc_id = _staged_ingest(stored, public)
    assert status == "archived" and doc_id
    backend = get_backend(stored)
    uncleared = parse_query(PUBLIC, filters=Filters(confidentiality=("none",)))
    assert backend.search(uncleared).total == 1
    done = secrets.correct_confidentiality(stored, open_store(stored), backend, doc_id, "mat")
    assert done.before is None and done.record is not None and done.record.confidentiality == "mat"
    assert open_store(stored).load_record(doc_id).confidentiality == "mat"
    assert backend.search(uncleared).total == 0
    cleared = parse_query(PUBLIC, filters=Filters(confidentiality=("none", "mat")))
    assert backend.search(cleared).total == 1


def test_a_correction_to_mat_in_register_only_mode_takes_the_document_out(tmp_path: Path, settings: Settings) -> None:
    public = tmp_path / "cong-khai.txt"
    public.write_text(HEADER_TXT.format(n="25-TB/TU", mark="") + f"THÔNG BÁO\nkết luận\n-----\n{PUBLIC}.\n", "utf-8")
    original = public.read_bytes()
    status, doc_id = _staged_ingest(settings, public)
    assert status == "archived" and doc_id
    kept = settings.home / "processed" / "2026-01-01" / "cong-khai.txt"  # where the night moves a done inbox file
    kept.parent.mkdir(parents=True)
    kept.write_bytes(original)
    backend = get_backend(settings)
    done = secrets.correct_confidentiality(settings, open_store(settings), backend, doc_id, "toi_mat")
    assert not kept.exists()
    assert done.record is None and done.held is not None and done.held.confidentiality == "toi_mat"
    assert not open_store(settings).doc_dir(doc_id).exists()
    assert backend.search(parse_query(PUBLIC)).total == 0
    assert _files_containing(settings.home, PUBLIC, skip=settings.secrets_hold_dir) == []
    assert done.held.held_path and Path(done.held.held_path).read_bytes() == original
