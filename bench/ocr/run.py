#!/usr/bin/env python3
"""OCR benchmark: doithoai's scan pipeline against plain tesseract, on pages made from the seeds.

    python bench/ocr/run.py [--pages 8] [--shared tests/data/shared]

Typesets the seed texts (tests/data/shared/seeds) as A4 pages (Liberation Serif 13 pt) and renders
each page four ways: (a) clean 300 dpi; (b) office scan: 200 dpi grey, slight blur and noise,
1-2° skew, JPEG; (c) poor fax: 150 dpi, binarised, speckle; (d) clean page rotated 90°.
For each condition it prints character and word error rates against the typeset text
(after NFC and whitespace collapse), the CER with diacritics folded (what is left is letter
and layout error), and pages per minute with all cores busy, for doithoai's pipeline and,
measured in the same run on the same images, for plain ``tesseract IMAGE - -l vie``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from archive.vntext import fold, normalize  # noqa: E402
from bench.typeset import FONT, wrap  # noqa: E402
from extractors.scan import ScanSettings, read_scan  # noqa: E402

WORKERS = os.cpu_count() or 1


def typeset(text: str, pages: int) -> list[list[str]]:
    """Lines of ~A4 width (Liberation Serif 13 pt), 36 lines a page."""
    font = ImageFont.truetype(FONT, 54)
    width = 2480 - 2 * 280
    out: list[list[str]] = []
    lines = [line for para in text.split("\n") for line in wrap(para, font, width)]
    for i in range(0, len(lines), 36):
        out.append(lines[i : i + 36])
        if len(out) == pages:
            break
    return out


TAIL = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]  # short right-aligned lines, as on a signature page


def render(lines: list[str], dpi: int, number: int = 1) -> Image.Image:
    """The body lines, a right-aligned signature block and a centred page number, like an official page."""
    font = ImageFont.truetype(FONT, round(13 * dpi / 72))
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    y = round(0.9 * dpi)
    step = round(13 * 1.5 * dpi / 72)
    for line in lines:
        d.text((round(0.93 * dpi), y), line, font=font, fill=0)
        y += step
    y += step
    for line in TAIL:
        d.text((width - round(0.6 * dpi) - font.getlength(line), y), line, font=font, fill=0)
        y += step
    d.text(((width - font.getlength(str(number))) / 2, height - round(0.6 * dpi)), str(number), font=font, fill=0)
    return img


def truth_of(lines: list[str], number: int) -> str:
    return "\n".join([*lines, *TAIL, str(number)])


def condition(name: str, lines: list[str], rng: random.Random) -> tuple[Image.Image, int]:
    if name == "a_clean_300":
        return render(lines, 300), 300
    if name == "b_office_200":
        angle = rng.choice([-1, 1]) * rng.uniform(1, 2)
        img = render(lines, 200).rotate(angle, fillcolor=255, resample=Image.Resampling.BICUBIC)
        img = img.filter(ImageFilter.GaussianBlur(0.7))
        noise = np.random.default_rng(rng.randint(0, 10**6)).normal(0, 10, img.size[::-1])
        arr = np.asarray(img, dtype=np.float32) + noise
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        path = Path(tempfile.mkstemp(suffix=".jpg")[1])
        img.save(path, quality=60)
        out = Image.open(path).convert("L")
        path.unlink()
        return out, 200
    if name == "c_fax_150":
        img = render(lines, 150).filter(ImageFilter.GaussianBlur(0.4))
        arr = np.asarray(img) < 150
        noise = np.random.default_rng(rng.randint(0, 10**6)).random(arr.shape)
        arr = (arr & (noise > 0.02)) | (noise < 0.003)  # dropouts and speckle
        return Image.fromarray(np.where(arr, 0, 255).astype(np.uint8)), 150
    if name == "d_rotated_90":
        return render(lines, 300).rotate(90, expand=True), 300
    raise ValueError(name)


def plain_tesseract(image: Image.Image, dpi: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "p.png"
        image.save(src, dpi=(dpi, dpi))
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        return subprocess.run(
            ["tesseract", str(src), "-", "-l", "vie"], capture_output=True, text=True, env=env, check=True
        ).stdout


def ours(image: Image.Image, dpi: int) -> str:
    return read_scan(image, dpi, 1, ScanSettings(lang="vie", timeout=300, workers=WORKERS)).page.text


def _clean(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def rates(truth: str, got: str) -> tuple[float, float, float, int]:
    t, g = _clean(truth), _clean(normalize(got))
    cer = Levenshtein.distance(t, g) / max(1, len(t))
    wer = Levenshtein.distance(t.split(), g.split()) / max(1, len(t.split()))
    fcer = Levenshtein.distance(fold(t), fold(g)) / max(1, len(t))
    return cer, wer, fcer, len(t)


def run(system, items: list[tuple[Image.Image, int, str]]) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        texts = list(pool.map(lambda it: system(it[0], it[1]), items))
    wall = time.perf_counter() - t0
    total = [0.0, 0.0, 0.0]
    chars = 0
    for (_, _, truth), got in zip(items, texts, strict=True):
        cer, wer, fcer, n = rates(truth, got)
        total = [total[0] + cer * n, total[1] + wer * n, total[2] + fcer * n]
        chars += n
    return total[0] / chars, total[1] / chars, total[2] / chars, len(items) / wall * 60


def text_pdf_rate(shared: Path) -> None:
    """Pages per second read from a text-layer PDF (no OCR), the 19-page seed typeset."""
    from archive.settings import Settings
    from extractors import extract
    from tests.makers import make_pdf

    text = "\n".join(normalize(p.read_text(encoding="utf-8")) for p in sorted((shared / "seeds").glob("*.txt")))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp) / "seeds.pdf", [text])
        settings = Settings(home=Path(tmp) / "home")
        extract(pdf, settings)  # warm
        t0 = time.perf_counter()
        pages = sum(len(extract(pdf, settings).pages) for _ in range(3))
        rate = pages / (time.perf_counter() - t0)
    print(f"\ntext-layer PDF: {pages // 3} pages, {rate:.0f} pages/s (one process, no OCR)")


def scaling(items: list[tuple[Image.Image, int, str]]) -> None:
    """One scanned PDF through ``extract`` (searchable PDF included) with 1 worker, then all cores:
    the pages of one document are read in parallel."""
    from archive.settings import Settings
    from extractors import extract

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "scan.pdf"
        images = [img for img, _, _ in items]
        images[0].save(pdf, save_all=True, append_images=images[1:], resolution=float(items[0][1]), quality=85)
        print(f"\none scanned PDF of {len(images)} office pages through extract (searchable PDF included)")
        base = 0.0
        for workers in sorted({1, WORKERS}):
            settings = Settings(home=Path(tmp) / f"home{workers}", workers=workers)
            t0 = time.perf_counter()
            extract(pdf, settings, searchable_pdf=Path(tmp) / f"out{workers}.pdf")
            ppm = len(images) / (time.perf_counter() - t0) * 60
            base = base or ppm
            print(f"  {workers} worker(s): {ppm:6.1f} pages/min  ({ppm / base:.2f}x one worker)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=8, help="pages per condition")
    ap.add_argument("--shared", type=Path, default=REPO / "tests" / "data" / "shared")
    ap.add_argument("--text-only", action="store_true", help="only the text-layer PDF rate")
    args = ap.parse_args()
    if args.text_only:
        text_pdf_rate(args.shared)
        return
    rng = random.Random(20261121)
    texts = [normalize(p.read_text(encoding="utf-8")) for p in sorted((args.shared / "seeds").glob("*.txt"))]
    pages = [pg for t in texts for pg in typeset(t, 3)][: args.pages]
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split()[1]
    print(f"{len(pages)} pages per condition, {WORKERS} workers, tesseract {version}")
    print(f"{'condition':<14} {'system':<18} {'CER':>7} {'WER':>7} {'folded CER':>10} {'pages/min':>9}")
    office: list[tuple[Image.Image, int, str]] = []
    for name in ("a_clean_300", "b_office_200", "c_fax_150", "d_rotated_90"):
        items = [(*condition(name, lines, rng), truth_of(lines, 1)) for lines in pages]
        office = items if name == "b_office_200" else office
        for label, system in (("plain tesseract", plain_tesseract), ("doithoai", ours)):
            cer, wer, fcer, ppm = run(system, items)
            print(f"{name:<14} {label:<18} {cer:7.2%} {wer:7.2%} {fcer:10.2%} {ppm:9.1f}")
    scaling(office)
    text_pdf_rate(args.shared)


if __name__ == "__main__":
    main()
