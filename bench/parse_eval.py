#!/usr/bin/env python3
"""Parser accuracy per field against a corpus with ground truth (manifest.jsonl).

    python bench/parse_eval.py                                   # tests/data/shared/domain/corpus
    python bench/parse_eval.py --corpus tests/test_extractors/extra_corpus
    python bench/parse_eval.py -v                                # print every miss
    python bench/parse_eval.py --scan                            # each document as a scan, OCR'd first

Scalar fields: exact match. Citations (canonical symbols) and statistics
((level, metric, value) triples): precision, recall and F1 summed over documents.
Deadlines: F1 over (agency, due) pairs (the task text is a paraphrase in the manifest).
Recipients: F1 over items.

With --scan, each document is first typeset as an office scan (A4, 200 dpi, Liberation Serif
12 pt, header cells in two columns, "| a | b | c |" table rows in evenly spaced columns, a little
blur, noise and skew, JPEG) and read back through extract (OCR); the parser then reads what OCR
gave. Figures in the raw text stay the truth.

A document with no signature has a signer of nulls: it matches a manifest's null or all-null signer.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.typeset import FONT, wrap  # noqa: E402
from extractors.parse import parse_text  # noqa: E402

_CELLS = re.compile(r"\t+|\s{3,}|\s*\|\s*")


def as_scan(text: str, work: Path, seed: int) -> str:
    """The text typeset as scanned A4 pages, then OCR'd; returns what OCR read."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from archive.settings import Settings
    from extractors import extract

    dpi, rng = 200, random.Random(seed)
    font = ImageFont.truetype(FONT, round(12 * dpi / 72))
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    left, right, usable = round(1.18 * dpi), round(4.3 * dpi), round(6.5 * dpi)
    rows: list[list[tuple[int, str]]] = []  # each row: (x, text) pieces
    for line in text.splitlines():
        cells = [c.strip() for c in _CELLS.split(line) if c.strip()]
        if len(cells) >= 3 and line.strip().startswith("|") and len(line) < 140:
            # a table row: one column per cell, evenly spaced, as a table prints
            step_x = usable // len(cells)
            rows.append([(left + k * step_x, c) for k, c in enumerate(cells)])
            continue
        if len(cells) >= 2 and len(line) < 140:
            # a header line: two columns; a left cell too wide for its column wraps, as in Word
            wrapped = wrap(cells[0], font, right - left - round(0.15 * dpi))
            rows.append([(left, wrapped[0]), (right, " ".join(cells[1:]))])
            rows += [[(left, w)] for w in wrapped[1:]]
            continue
        # a lone cell of a "|" row is drawn without its pipes; an empty line stays one
        rows += [[(left, w)] for w in wrap(" ".join(cells), font, usable) or [""]]
    step = round(12 * 1.45 * dpi / 72)
    per_page = (height - round(1.6 * dpi)) // step  # 20 mm margins top and bottom, roughly
    pages = []
    for start in range(0, len(rows), per_page):
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        for i, row in enumerate(rows[start : start + per_page]):
            y = round(0.8 * dpi) + i * step
            for x, piece in row:
                if piece:
                    draw.text((x, y), piece, font=font, fill=0)
        img = img.rotate(rng.uniform(-1.2, 1.2), fillcolor=255, resample=Image.Resampling.BICUBIC)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        noisy = np.asarray(img, dtype=np.float32) + np.random.default_rng(seed).normal(0, 8, img.size[::-1])
        pages.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))
    pdf = work / f"scan-{seed}.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=float(dpi), quality=75)
    extraction = extract(pdf, Settings(home=work / "home"))
    return "\n\n".join(p.text for p in extraction.pages)


_NO_SIGNER = ("authority", "position", "name")  # no signature: null, or a signer whose parts are all null
SCALARS = [
    "doc_type",
    "number_symbol",
    "issue_date",
    "place",
    "issuer",
    "province",
    "title",
    "signer",
    "confidentiality",
]


def _scalar(record: Any, field: str) -> Any:
    value = getattr(record, field)
    if field == "signer":
        found = {"authority": value.authority, "position": value.position, "name": value.name}
        return found if any(found.values()) else None
    return value.isoformat() if hasattr(value, "isoformat") else value


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / "tests" / "data" / "shared" / "domain" / "corpus")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--scan", action="store_true", help="typeset each document as a scan and OCR it first")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="doithoai-parse-eval-"))
    manifest = [json.loads(line) for line in (args.corpus / "manifest.jsonl").read_text().splitlines() if line]
    right = dict.fromkeys(SCALARS, 0)
    sets: dict[str, list[int]] = {k: [0, 0, 0] for k in ("citations", "statistics", "deadlines", "recipients")}
    for i, truth in enumerate(manifest):
        text = (args.corpus / truth["file"]).read_text(encoding="utf-8")
        record = parse_text(as_scan(text, work, i) if args.scan else text)
        for field in SCALARS:
            value = _scalar(record, field)
            if value == truth[field] or (
                field == "signer" and value is None and truth[field] == dict.fromkeys(_NO_SIGNER)
            ):
                right[field] += 1
            elif args.verbose:
                print(f"{truth['file']} {field}: {value!r} != {truth[field]!r}")
        got_sets: dict[str, set[Any]] = {
            "citations": {c.number_symbol for c in record.citations},
            "statistics": {(s.level, s.metric, float(s.value)) for s in record.statistics},
            "deadlines": {(d.agency, d.due.isoformat() if d.due else None) for d in record.deadlines},
            "recipients": set(record.recipients),
        }
        want_sets: dict[str, set[Any]] = {
            "citations": set(truth["cited_documents"]),
            "statistics": {(s["level"], s["metric"], float(s["value"])) for s in truth["statistics"]},
            "deadlines": {(d["agency"], d["due"]) for d in truth["deadlines"]},
            "recipients": set(truth["recipients"]),
        }
        for key in sets:
            got, want = got_sets[key], want_sets[key]
            sets[key][0] += len(got & want)
            sets[key][1] += len(got - want)
            sets[key][2] += len(want - got)
            if args.verbose and got != want:
                print(
                    f"{truth['file']} {key}: extra {sorted(got - want, key=str)} missing {sorted(want - got, key=str)}"
                )
    n = len(manifest)
    print(f"{n} documents in {args.corpus}" + (" (typeset as scans and OCR'd)" if args.scan else ""))
    print(f"{'field':<16} {'accuracy':>8}")
    for field in SCALARS:
        print(f"{field:<16} {right[field] / n:8.3f}")
    print(f"\n{'set field':<16} {'precision':>9} {'recall':>7} {'F1':>6}")
    for key, (tp, fp, fn) in sets.items():
        p, r, f = _prf(tp, fp, fn)
        print(f"{key:<16} {p:9.3f} {r:7.3f} {f:6.3f}")


if __name__ == "__main__":
    main()
