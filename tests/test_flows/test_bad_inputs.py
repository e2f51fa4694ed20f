"""Every kind of hostile file in one night's inbox: each gets a clear outcome, memory stays
bounded, the run finishes, and the good files of the same run are archived."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from archive.vntext import printable
from tests.makers import make_docx, make_pdf

REPO = Path(__file__).resolve().parents[2]
GOOD = "Thông báo kết luận về giải phóng mặt bằng và tái định cư ở xã {}."


def _pdf_with(path: Path, patch: bytes, replacement: bytes) -> Path:
    good = make_pdf(path.with_suffix(".base.pdf"), ["Một trang về đối thoại với nhân dân."])
    data = good.read_bytes()
    assert patch in data
    path.write_bytes(data.replace(patch, replacement, 1))
    good.unlink()
    return path


def _bomb_png(path: Path) -> Path:
    # A real PNG that claims 100,000 x 100,000 pixels; decoding it would need 10 GB.
    Image.new("L", (1, 1)).save(path)
    data = bytearray(path.read_bytes())
    data[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height (CRC now wrong: also refused)
    path.write_bytes(bytes(data))
    return path


def make_bad_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """Files and what must happen to each: 'archived' or a word of the quarantine reason."""
    inbox.mkdir(parents=True)
    outside.mkdir(parents=True)
    expect: dict[str, str] = {}

    def good(name: str) -> None:
        (inbox / name).write_text(GOOD.format(len(expect)))
        expect[name] = "archived"

    good("binh-thuong.txt")
    good("ten\nco xuong dong.txt")
    good("-rf --danh-lua.txt")
    good("d" * 246 + ".txt")
    raw_name = os.fsdecode(b"ten-khong-utf8-\xff\xfe.txt")
    (inbox / raw_name).write_text(GOOD.format("x"))
    expect[printable(raw_name)] = "archived"  # reported as ten-khong-utf8-\\xff\\xfe.txt

    (inbox / "rong.pdf").touch()
    expect["rong.pdf"] = "rỗng"
    whole = make_pdf(inbox / "tmp.pdf", ["Trang về đối thoại."]).read_bytes()
    (inbox / "tmp.pdf").unlink()
    (inbox / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    expect["cut.pdf"] = "PDF"
    (inbox / "rac.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    expect["rac.pdf"] = "PDF"
    _pdf_with(inbox / "100k-trang.pdf", b"/Count 1", b"/Count 100000")
    expect["100k-trang.pdf"] = "archived"  # the claim is a lie: the tree holds one page, which is read
    _pdf_with(inbox / "vong-lap.pdf", b"/Kids [ 3 0 R ]", b"/Kids [ 2 0 R ]")
    expect["vong-lap.pdf"] = "PDF"
    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(outside / "p.pdf", ["Bí mật."]))))
    writer.encrypt(user_password="matkhau", owner_password="x", algorithm="AES-128")
    with (inbox / "mat-khau.pdf").open("wb") as f:
        writer.write(f)
    expect["mat-khau.pdf"] = "mật khẩu"
    _bomb_png(inbox / "bom.png")
    expect["bom.png"] = "ảnh"
    bomb = make_docx(inbox / "bom.docx", ["vô hại"])
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/x.bin", b"\0" * (300 * 1024 * 1024))
    expect["bom.docx"] = "bom nén"
    liar = make_docx(outside / "that.docx", [GOOD.format("docx")])
    (inbox / "gia-pdf.pdf").write_bytes(liar.read_bytes())
    expect["gia-pdf.pdf"] = "archived"
    (outside / "bi-mat.txt").write_text("nằm ngoài hộp thư")
    (inbox / "lien-ket-ra-ngoai.txt").symlink_to(outside / "bi-mat.txt")
    expect["lien-ket-ra-ngoai.txt"] = "symlink"
    (inbox / "vong-a").symlink_to(inbox / "vong-b")
    (inbox / "vong-b").symlink_to(inbox / "vong-a")
    expect["vong-a"] = expect["vong-b"] = "symlink"
    os.mkfifo(inbox / "ong.txt")
    expect["ong.txt"] = "không phải tệp thông thường"
    with (inbox / "thua-10GB.bin").open("wb") as f:
        f.truncate(10 * 1024**3)
    expect["thua-10GB.bin"] = "quá lớn"
    return expect


def test_each_bad_input_is_handled_and_good_files_are_archived(tmp_path: Path) -> None:
    inbox = tmp_path / "home" / "inbox"
    expect = make_bad_inbox(inbox, tmp_path / "outside")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")},
        "DOITHOAI_HOME": str(tmp_path / "home"),
        "DOITHOAI_INBOX_SETTLE_SECONDS": "0",
        "DOITHOAI_INBOX_RELEASE_SECONDS": "0",
    }
    # The real CLI in a child process that reports, when it exits, the peak memory of itself and of
    # the reader processes it started (files are read in killable workers: extractors/worker.py).
    code = (
        "import resource, sys\nfrom doithoai.cli import main\nsys.argv = ['doithoai', 'ingest', '--direct', '--json']\n"
        "try:\n    main()\nfinally:\n"
        "    from extractors import worker\n    worker.shutdown()\n"
        "    peak = max(resource.getrusage(r).ru_maxrss for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "    print('MAXRSS_KB', peak, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, timeout=600)
    out, err = proc.stdout, proc.stderr
    assert proc.returncode == 0, err.decode()
    peak_kb = int(err.decode().rsplit("MAXRSS_KB", 1)[1].split()[0])
    assert peak_kb < 1_000_000, f"peak memory {peak_kb / 1024:.0f} MB"  # a 300 MB zip bomb, a 10 GB sparse file
    report = json.loads(out)
    got = {Path(f["path"]).name: f for f in report["files"]}
    assert set(got) == set(expect)
    for name, want in expect.items():
        f = got[name]
        if want == "archived":
            assert f["status"] == "archived", (name, f["reason"])
        else:
            assert f["status"] == "quarantined", (name, f)
            assert any(w in f["reason"] for w in want.split("|")), (name, f["reason"])
    assert report["counts"]["archived"] == sum(1 for w in expect.values() if w == "archived")
    assert (tmp_path / "outside" / "bi-mat.txt").read_text() == "nằm ngoài hộp thư"  # never followed, never moved
