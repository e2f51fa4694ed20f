#!/usr/bin/env python3
"""Make samples/inbox/ reproducibly from the seed texts and the development corpus (tests/data/shared).

    python scripts/make_samples.py [--shared tests/data/shared]

Writes TXT in three encodings, DOCX (with a two-column header table, as offices type them),
text-layer PDFs, and one truncated PDF that ingest must quarantine. The files are committed;
run this again only to change them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.makers import make_docx, make_pdf, official_page_image, to_cp1258  # noqa: E402


def header_split(text: str) -> tuple[tuple[list[str], list[str]], list[str]]:
    """Split a corpus text into its two header columns and the body paragraphs."""
    lines = text.splitlines()
    left: list[str] = []
    right: list[str] = []
    i = 0
    while i < len(lines) and lines[i].strip() != "":
        cells = [c.strip() for c in lines[i].split("  ") if c.strip()]
        if cells:
            left.append(cells[0])
        if len(cells) > 1:
            right.append(cells[-1])
        i += 1
    return (left, right), [line for line in lines[i:]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO / "tests" / "data" / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "samples" / "inbox")
    args = ap.parse_args()
    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((args.shared / "seeds").glob("*.txt"))}
    corpus = args.shared / "domain" / "corpus"
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()

    # Plain text in the three encodings offices produce.
    (out / "tin-bai-lao-cai-so-ket-quy-che.txt").write_text(seeds["000"], encoding="utf-8")
    (out / "van-phong-tinh-uy-binh-thuan.txt").write_bytes(to_cp1258(seeds["002"]))  # Windows-1258
    (out / "toa-dam-doi-thoai-ha-nam.txt").write_text(seeds["003"], encoding="utf-16")  # with BOM
    (out / "ket-luan-thong-bao-ubnd-quang-ngai.txt").write_text(
        (corpus / "dev-15.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )

    # DOCX: a Kết luận without a header, and a Thông báo with its header as a table.
    make_docx(out / "ket-luan-ban-thuong-vu.docx", seeds["001"].strip("\n").split("\n"))
    cells, body = header_split((corpus / "dev-01.txt").read_text(encoding="utf-8"))
    make_docx(out / "thong-bao-ket-luan-nghe-an-2019.docx", body, header_cells=cells)

    # Text-layer PDFs.
    make_pdf(out / "bao-cao-so-ket-05-nam-hau-giang.pdf", [seeds["004"]])
    make_pdf(out / "bao-cao-lam-dong-2024.pdf", [(corpus / "dev-12.txt").read_text(encoding="utf-8")])
    make_pdf(out / "ke-hoach-bac-giang-2021.pdf", [(corpus / "dev-02.txt").read_text(encoding="utf-8")])

    # A scanned page (200 dpi JPEG, slightly skewed): OCR'd, parsed and given a searchable PDF.
    body = [line for line in (corpus / "dev-04.txt").read_text(encoding="utf-8").splitlines()[9:] if line.strip()]
    words = " ".join(body[:3]).split()
    lines = [" ".join(words[i : i + 13]) for i in range(0, min(len(words), 13 * 14), 13)]
    scan = official_page_image(
        "HUYỆN ỦY KRÔNG PẮC", "Số 318-TB/HU", "Krông Pắc, ngày 09 tháng 8 năm 2018", "THÔNG BÁO",
        ["kết luận của đồng chí Bí thư Huyện ủy tại buổi tiếp xúc,", "đối thoại với nhân dân xã Ea Kly"], lines,
    ).rotate(-1.3, fillcolor=255)  # fmt: skip
    scan.save(out / "thong-bao-quet-krong-pac.jpg", quality=75, dpi=(200, 200))

    # A download that broke off: ingest quarantines it with a reason and goes on.
    whole = (out / "ke-hoach-bac-giang-2021.pdf").read_bytes()
    (out / "tai-ve-do-dang.pdf").write_bytes(whole[: len(whole) // 3])
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>8}  {p.name}")


if __name__ == "__main__":
    main()
