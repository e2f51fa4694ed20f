#!/usr/bin/env python3
"""OCR benchmark: doithoai's scan pipeline against plain tesseract on scans of many kinds.

    python bench/ocr/run.py [--pages 4] [--seed 101] [--conditions office_grey,fax_std] [--scaling]

Typesets the seed texts (tests/data/shared/seeds) as A4 pages in a font drawn per page
(Liberation Serif, DejaVu Serif, FreeSerif, Noto Serif: whichever are installed; 11-14 pt)
and degrades each page by the condition's recipe, every parameter drawn from a range with
the run's ``--seed`` (tune on one seed, report on another: the reader never learns the
generator). Conditions:

- ``office_grey``: 150-300 dpi grey scan, paper grain and fibres, blur, skew up to 3°, JPEG q 35-90;
- ``office_uneven``: the same with light falling off to one side (a lid not closed);
- ``office_bleed``: the same with the other side's text showing through, mirrored;
- ``office_saltpepper``: the same with salt-and-pepper noise of density 0.2-2%;
- ``fax_std``: bilevel 200×100 dpi (every other line dropped, shown line-doubled), dropout, specks;
- ``fax_150``: bilevel 150 dpi, dropout of 1-6%, specks;
- ``clean_300`` and ``rotated_90``: a clean 300 dpi page, upright and scanned sideways;
- ``blank``: backs of duplex pages and separator sheets (paper, specks, holes, show-through).

For each condition it prints character and word error rates against the typeset text (after
NFC and whitespace collapse) and pages per minute with all cores busy, for doithoai and, in
the same run on the same images, plain ``tesseract IMAGE - -l vie`` (psm 3, default settings,
``OMP_THREAD_LIMIT=1``). For the blank condition, the characters each system left on the
pages (there should be none).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from archive.vntext import fold, normalize  # noqa: E402
from bench.ocr import degrade as D  # noqa: E402
from bench.typeset import wrap  # noqa: E402
from extractors.scan import ScanSettings, read_scan  # noqa: E402

WORKERS = os.cpu_count() or 1
FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",  # Times New Roman metrics
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",  # fonts-freefont-ttf
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",  # fonts-noto-core
]
TAIL = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]  # short right-aligned lines, as on a signature page
OFFICE = ["office_grey", "office_uneven", "office_bleed", "office_saltpepper"]
FAX = ["fax_std", "fax_150"]
CONDITIONS = ["clean_300", *OFFICE, *FAX, "rotated_90", "blank"]
Item = tuple[Image.Image, int, str]


def fonts() -> list[str]:
    found = [f for f in FONTS if Path(f).exists()]
    if not found:
        raise SystemExit("no serif font with Vietnamese glyphs: apt-get install fonts-liberation2 fonts-dejavu-core")
    return found


def typeset(text: str, font_path: str, size_pt: float, dpi: int) -> list[list[str]]:
    """Lines that fit an A4 text block in this font and size, as many as fit on a page each."""
    font = ImageFont.truetype(font_path, round(size_pt * dpi / 72))
    width = round(8.27 * dpi) - round(0.93 * dpi) - round(0.6 * dpi)
    lines = [line for para in text.split("\n") for line in wrap(para, font, width)]
    per_page = int((11.69 - 0.9 - 1.2) * 72 / (size_pt * 1.5)) - len(TAIL) - 1
    return [lines[i : i + per_page] for i in range(0, len(lines), per_page)]


def render(lines: list[str], font_path: str, size_pt: float, dpi: int, number: int) -> Image.Image:
    """The body lines, a right-aligned signature block and a centred page number, like an official page."""
    font = ImageFont.truetype(font_path, round(size_pt * dpi / 72))
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    y = round(0.9 * dpi)
    step = round(size_pt * 1.5 * dpi / 72)
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


class Generator:
    """Pages of one condition; every random choice comes from the run's seed."""

    def __init__(self, texts: list[str], seed: int) -> None:
        self.texts = texts
        self.rng = np.random.default_rng(seed)
        self.fonts = fonts()

    def _page(self, dpi: int) -> tuple[Image.Image, str]:
        font = self.fonts[int(self.rng.integers(len(self.fonts)))]
        size = float(self.rng.choice([11.0, 12.0, 13.0, 14.0]))
        text = self.texts[int(self.rng.integers(len(self.texts)))]
        pages = typeset(text, font, size, dpi)
        index = int(self.rng.integers(len(pages)))
        number = index + 1
        return render(pages[index], font, size, dpi, number), truth_of(pages[index], number)

    def _office(self, back: bool = False) -> tuple[Image.Image, int, str]:
        r = self.rng
        dpi = int(r.choice([150, 200, 240, 300]))
        img, truth = self._page(dpi)
        img = D.paper(
            img, r, tone=float(r.uniform(225, 250)), texture=float(r.uniform(2, 8)), grain=float(r.uniform(2, 9))
        )
        if back:
            other, _ = self._page(dpi)
            img = D.bleed_through(img, other, strength=float(r.uniform(0.08, 0.22)))
        img = D.blur(img, float(r.uniform(0.3, 1.0)) * dpi / 200)
        img = D.skew(img, float(r.choice([-1, 1]) * r.uniform(0.3, 3.0)))
        return img, dpi, truth

    def item(self, condition: str) -> Item:
        r = self.rng
        if condition == "clean_300":
            img, truth = self._page(300)
            return img, 300, truth
        if condition == "rotated_90":
            img, truth = self._page(300)
            return img.rotate(90, expand=True), 300, truth
        if condition in OFFICE:
            img, dpi, truth = self._office(back=condition == "office_bleed")
            if condition == "office_uneven":
                img = D.uneven_light(img, r, depth=float(r.uniform(0.2, 0.45)))
            if condition == "office_saltpepper":
                img = D.salt_and_pepper(img, r, float(r.uniform(0.002, 0.02)))
            return D.jpeg(img, int(r.integers(35, 91))), dpi, truth
        if condition in FAX:
            dpi = 200 if condition == "fax_std" else 150
            img, truth = self._page(dpi)
            img = D.bilevel(D.blur(img, float(r.uniform(0.2, 0.6))), threshold=float(r.uniform(120, 170)))
            if condition == "fax_std":
                img = D.fax_lines(img)
            img = D.dropout(img, r, float(r.uniform(0.01, 0.06)))
            img = D.bilevel(D.salt_and_pepper(img, r, float(r.uniform(0.0005, 0.005))))
            return img, dpi, truth
        if condition == "blank":
            return self._blank(), 200, ""
        raise ValueError(condition)

    def _blank(self) -> Image.Image:
        r = self.rng
        dpi = 200
        white = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
        kind = int(r.integers(5))
        img = D.paper(
            white, r, tone=float(r.uniform(225, 250)), texture=float(r.uniform(2, 8)), grain=float(r.uniform(2, 9))
        )
        if kind == 1:
            other, _ = self._page(dpi)
            img = D.bleed_through(img, other, strength=float(r.uniform(0.08, 0.22)))
        elif kind == 2:
            img = D.salt_and_pepper(img, r, float(r.uniform(0.002, 0.02)))
        elif kind == 3:
            img = D.uneven_light(D.hole_punches(img, dpi), r)
        elif kind == 4:
            img = D.bilevel(D.salt_and_pepper(white, r, float(r.uniform(0.001, 0.01))))
            return img
        return D.jpeg(img, int(r.integers(35, 91)))


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


def run(system: Callable[[Image.Image, int], str], items: list[Item]) -> tuple[float, float, float, float, float]:
    """CER, WER, folded CER (weighted by characters), characters left per page, pages/min."""
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        texts = list(pool.map(lambda it: system(it[0], it[1]), items))
    wall = time.perf_counter() - t0
    errs = [0.0, 0.0, 0.0]
    chars = 0
    left = 0
    for (_, _, truth), got in zip(items, texts, strict=True):
        cer, wer, fcer, n = rates(truth, got)
        if not truth:
            left += len(_clean(got))
            continue
        errs = [errs[0] + cer * n, errs[1] + wer * n, errs[2] + fcer * n]
        chars += n
    n = max(chars, 1)
    return errs[0] / n, errs[1] / n, errs[2] / n, left / len(items), len(items) / wall * 60


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
    ap.add_argument("--pages", type=int, default=4, help="pages per condition")
    ap.add_argument("--seed", type=int, default=101, help="generator seed (tuned on 101; report on another too)")
    ap.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated, of: " + ", ".join(CONDITIONS))
    ap.add_argument("--shared", type=Path, default=REPO / "tests" / "data" / "shared")
    ap.add_argument("--scaling", action="store_true", help="also one scanned PDF through extract, 1 vs all workers")
    ap.add_argument("--text-only", action="store_true", help="only the text-layer PDF rate")
    args = ap.parse_args()
    if args.text_only:
        text_pdf_rate(args.shared)
        return
    texts = [normalize(p.read_text(encoding="utf-8")) for p in sorted((args.shared / "seeds").glob("*.txt"))]
    gen = Generator(texts, args.seed)
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split()[1]
    names = [c for c in args.conditions.split(",") if c]
    print(f"seed {args.seed}, {args.pages} pages per condition, {WORKERS} workers, tesseract {version}")
    print(f"fonts: {', '.join(Path(f).stem for f in gen.fonts)}")
    head = ["condition".ljust(18), "system".ljust(16), "CER".rjust(7), "WER".rjust(7), "fold CER", "left/pg"]
    print(" ".join([*head, "pages/min", " vs plain"]))
    totals: dict[str, list[float]] = {}
    office: list[Item] = []
    for name in names:
        items = [gen.item(name) for _ in range(args.pages)]
        office = items if name == "office_grey" else office
        chars = sum(len(_clean(t)) for _, _, t in items)
        plain = run(plain_tesseract, items)
        mine = run(ours, items)
        for label, r in (("plain tesseract", plain), ("doithoai", mine)):
            cer_ratio = f"CER {r[0] / plain[0]:.2f}x" if plain[0] else ""
            speed = f"speed {r[4] / plain[4]:.2f}x"
            note = f"{cer_ratio}  {speed}" if label == "doithoai" else ""
            print(f"{name:<18} {label:<16} {r[0]:7.2%} {r[1]:7.2%} {r[2]:8.2%} {r[3]:7.1f} {r[4]:9.1f}  {note}")
        for group in ("office" if name in OFFICE else "fax" if name in FAX else None,):
            if group:
                acc = totals.setdefault(group, [0.0, 0.0, 0.0, 0.0, 0.0])
                acc[0] += plain[0] * chars
                acc[1] += mine[0] * chars
                acc[2] += args.pages / plain[4]
                acc[3] += args.pages / mine[4]
                acc[4] += chars
    for group, (p_err, m_err, p_min, m_min, chars) in totals.items():
        print(
            f"{group:<18} all pages: plain CER {p_err / chars:.2%}, doithoai {m_err / chars:.2%} "
            f"({m_err / max(p_err, 1e-9):.2f}x plain), throughput {p_min / m_min:.2f}x plain"
        )
    if args.scaling and office:
        scaling(office)


if __name__ == "__main__":
    main()
