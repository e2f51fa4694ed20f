#!/usr/bin/env python3
"""Ingest benchmark: peak memory and wall time per case, by way of running the steps.

    python bench/ingest.py                       # every case, every way
    python bench/ingest.py --quick               # 50 ordinary files, smaller hostile cases
    python bench/ingest.py --cases ordinary --ways steps,direct,cli

Cases, made at run time in a temporary folder (tests/hostile.py, tests/makers.py):

- ``samples``: the 11 bundled samples (``samples/inbox``: text and scanned, one broken PDF);
- ``ordinary``: 200 ordinary files (TXT, DOCX, text PDFs) written from the seed sentences;
- ``tiff``: a 12-page TIFF of 8000×9999 bilevel pages (once 6.5 GB);
- ``shared-20``, ``shared-2000``: PDFs whose 20 / 2,000 pages share one 1 MB content stream
  (once 81 s / days);
- ``deep-tree``: a page tree deeper than pypdf allows (once ``failed`` forever);
- ``scan-20``, ``scan-80``: scanned PDFs of 20 and 80 pages (memory must not grow with pages);
- ``backs-2000``: a 2,000-page duplex scan, 4 printed pages and the grainy blank backs and
  separator sheets (~150 KB a page, 300 MB): every page is rendered, measured and written into
  the searchable PDF, but only the printed ones are OCR'd, so the run measures what grows with
  the page count, not tesseract (once 1.7 GB for 1,999 pages);
- ``doc``: an old Word .doc (LibreOffice conversion).

Ways, each in a fresh process under ``/usr/bin/time`` (its peak is that of the largest process of
the tree: the caller, a reader worker, tesseract or LibreOffice), each on a fresh archive:

- ``steps``: the bare steps, ``flows.steps.ingest_one`` over the files on ``workers`` threads;
- ``direct``: ``flows.local.ingest_direct`` (a run: lock, run log, inbox hygiene);
- ``prefect``: ``flows.ingest.run_ingest_flow`` (Prefect's ephemeral API);
- ``cli``: the ``doithoai ingest --json`` executable, whatever its default way is.

The hostile cases run with ``DOITHOAI_TEXT_FILE_TIMEOUT=30`` so that a run ends in minutes
(the default, 600 s, stops the 2,000-page case after ten minutes instead).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WAYS = ("steps", "direct", "prefect", "cli")
CASES = (
    "samples", "ordinary", "tiff", "shared-20", "shared-2000", "deep-tree", "scan-20", "scan-80", "backs-2000", "doc",
)  # fmt: skip
HOSTILE_ENV = {"DOITHOAI_TEXT_FILE_TIMEOUT": "30"}


def _sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "tests/data/shared/seeds").glob("*.txt")))
    return [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if 40 <= len(s.strip()) <= 400]


def make_ordinary(folder: Path, n: int) -> None:
    from tests.makers import make_docx, make_pdf

    rng = random.Random(14)
    sentences = _sentences()
    for i in range(n):
        body = [f"Văn bản thử số {i}: tiếp xúc, đối thoại với nhân dân.", *rng.sample(sentences, rng.randint(8, 30))]
        kind = ("txt", "txt", "docx", "pdf", "pdf")[i % 5]
        if kind == "txt":
            (folder / f"van-ban-{i:03d}.txt").write_text("\n".join(body), encoding="utf-8")
        elif kind == "docx":
            make_docx(folder / f"van-ban-{i:03d}.docx", body)
        else:
            make_pdf(
                folder / f"van-ban-{i:03d}.pdf", ["\n".join(body[: len(body) // 2]), "\n".join(body[len(body) // 2 :])]
            )


def _scanned_pdf(path: Path, pages: int) -> None:
    from tests.makers import page_image, scanned_pdf

    lines = [f"Trang quét: tiếp xúc, đối thoại với nhân dân về giải phóng mặt bằng, dòng {k}." for k in range(12)]
    scanned_pdf(path, [page_image(lines, dpi=150) for _ in range(pages)], dpi=150)


def _duplex_scan(path: Path, pages: int) -> None:
    """A long duplex scan as a scanner writes it (image pages): 4 printed, then grainy blank backs."""
    from PIL import Image, ImageFilter

    from tests.makers import page_image

    lines = [f"Trang quét: tiếp xúc, đối thoại với nhân dân về giải phóng mặt bằng, dòng {k}." for k in range(12)]
    printed = page_image(lines, dpi=150).convert("L")
    backs = [
        Image.effect_noise(printed.size, 4 + k).point(lambda v: min(255, v + 120)).filter(ImageFilter.GaussianBlur(1.0))
        for k in range(3)
    ]
    rest = [printed] * 3 + [backs[n % 3] for n in range(pages - 4)]  # three images, many references
    printed.save(path, "PDF", resolution=150.0, save_all=True, append_images=rest, quality=85)


def make_case(case: str, folder: Path, quick: bool) -> None:
    from tests.hostile import big_tiff, deep_page_tree_pdf, office_copy, shared_stream_pdf
    from tests.makers import make_docx

    folder.mkdir(parents=True)
    if case == "samples":
        for sample in sorted((REPO / "samples" / "inbox").iterdir()):
            shutil.copy2(sample, folder / sample.name)
    elif case == "ordinary":
        make_ordinary(folder, 50 if quick else 200)
    elif case == "tiff":
        big_tiff(folder / "12-trang-80MP.tif", frames=4 if quick else 12)
    elif case == "shared-20":
        shared_stream_pdf(folder / "20-trang-chung-noi-dung.pdf", pages=20)
    elif case == "shared-2000":
        shared_stream_pdf(folder / "2000-trang-chung-noi-dung.pdf", pages=200 if quick else 2000)
    elif case == "deep-tree":
        deep_page_tree_pdf(folder / "cay-trang-rat-sau.pdf", depth=500)
    elif case.startswith("scan-"):
        n = int(case.split("-")[1])
        _scanned_pdf(folder / f"quet-{n}-trang.pdf", n // 4 if quick else n)
    elif case.startswith("backs-"):
        n = int(case.split("-")[1])
        _duplex_scan(folder / f"quet-hai-mat-{n}-trang.pdf", n // 10 if quick else n)
    elif case == "doc":
        with tempfile.TemporaryDirectory() as tmp:
            docx = make_docx(Path(tmp) / "thong-bao-cu.docx", [s for s in _sentences()[:40]])
            office_copy(docx, "doc", folder)


_RUNNER = """
import json, sys, time
from pathlib import Path
from archive.settings import Settings
way, folder = sys.argv[1], Path(sys.argv[2])
settings = Settings()
t0 = time.monotonic()
if way == "steps":
    from concurrent.futures import ThreadPoolExecutor
    from flows import steps
    ctx = steps.open_context(settings)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with ThreadPoolExecutor(settings.workers) as pool:
        outcomes = list(pool.map(lambda p: steps.ingest_one(p, ctx), files))
    outcomes = ctx.queue.settle(outcomes)
elif way == "direct":
    from flows.local import ingest_direct
    outcomes = ingest_direct([folder], settings)
else:
    from flows.ingest import run_ingest_flow
    outcomes = run_ingest_flow([folder], settings)
seconds = time.monotonic() - t0
try:
    from extractors.worker import shutdown
    shutdown()
except ImportError:
    pass
counts = {}
for o in outcomes:
    counts[o.status] = counts.get(o.status, 0) + 1
reasons = sorted({o.reason for o in outcomes if o.reason})[:3]
print(json.dumps({"seconds": seconds, "counts": counts, "reasons": reasons}))
"""


def run_way(way: str, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-home-") as home:
        env = {**env, "DOITHOAI_HOME": home}
        if way == "cli":
            argv = [str(Path(sys.executable).parent / "doithoai"), "ingest", "--json", str(folder)]
        else:
            argv = [sys.executable, "-c", _RUNNER, way, str(folder)]
        timing = Path(home) / "time.txt"
        t0 = time.monotonic()
        proc = subprocess.run(
            ["/usr/bin/time", "-o", str(timing), "-f", "%e %M", *argv],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=7200,
        )  # fmt: skip
        wall = time.monotonic() - t0
        peak_kb = int(timing.read_text().split()[-1]) if timing.exists() else 0
    result: dict[str, Any] = {"wall": wall, "peak_mb": peak_kb / 1024, "exit": proc.returncode}
    try:
        inner = json.loads(proc.stdout)
    except json.JSONDecodeError:
        inner = {}
    if way == "cli":
        result["counts"] = {k: v for k, v in inner.get("counts", {}).items() if isinstance(v, int) and v}
        result["reasons"] = sorted({f["reason"] for f in inner.get("files", []) if f.get("reason")})[:3]
    else:
        result.update(inner)
    if proc.returncode != 0:
        result["error"] = proc.stderr.strip().splitlines()[-1:] if proc.stderr.strip() else []
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--ways", default=",".join(WAYS))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cases, ways = args.cases.split(","), args.ways.split(",")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DOITHOAI_")}
    base_env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    base_env.setdefault("DO_NOT_TRACK", "1")
    base_env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    base_env.setdefault("PREFECT_HOME", str(work / "prefect"))
    print(f"{os.cpu_count()} cores; peak = largest process of the tree (/usr/bin/time %M); wall = whole process")
    print(f"hostile cases with {' '.join(f'{k}={v}' for k, v in HOSTILE_ENV.items())}\n")
    header = f"{'case':<12} {'way':<8} {'wall s':>8} {'× steps':>8} {'peak MB':>8}  outcome"
    print(header)
    print("-" * len(header))
    try:
        for case in cases:
            folder = work / case
            make_case(case, folder, args.quick)
            env = base_env if case == "ordinary" else {**base_env, **HOSTILE_ENV}
            base: float | None = None
            for way in ways:
                r = run_way(way, folder, env)
                base = r["wall"] if way == "steps" else base
                ratio = f"{r['wall'] / base:.2f}" if base else "—"
                outcome = ", ".join(f"{k} {v}" for k, v in sorted(r.get("counts", {}).items()))
                if r.get("reasons") and case != "ordinary":
                    outcome += f" ({r['reasons'][0][:60]})"
                if r.get("error"):
                    outcome += f" exit {r['exit']}: {r['error']}"
                print(f"{case:<12} {way:<8} {r['wall']:>8.1f} {ratio:>8} {r['peak_mb']:>8.0f}  {outcome}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
