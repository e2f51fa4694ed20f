"""Blank and near-blank scanned pages: empty text and the flag ``blank``, never OCR garbage.

Every page here is a real image made at test time and read by real tesseract. The blank ones
are what a duplex scanner and a clerk's separator sheets give: grey paper with grain, salt and
pepper, the other side's text showing through mirrored, punched holes, uneven light, a fax
with specks, JPEG. The pages that are not blank (a page number alone, one short line) keep
what they show.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from archive import Settings
from extractors import extract, parse
from extractors.preprocess import measure
from extractors.scan import ScanSettings, read_scan
from tests.makers import find_font, page_image

DPI = 200
SCAN = ScanSettings(lang="vie", timeout=120, workers=1)
BACK_TEXT = ["Thông báo kết luận của đồng chí Bí thư Tỉnh ủy tại buổi đối thoại với nhân dân"] * 24


def _size(dpi: int = DPI) -> tuple[int, int]:
    return round(8.27 * dpi), round(11.69 * dpi)


def _paper(img: Image.Image, seed: int, tone: float = 236.0) -> Image.Image:
    """Ink on greyish paper: fibres (low-frequency texture) and sensor grain."""
    rng = np.random.default_rng(seed)
    a = np.asarray(img.convert("L"), dtype=np.float32) / 255
    h, w = a.shape
    coarse = rng.uniform(0, 255, (h // 40 + 2, w // 40 + 2)).astype(np.uint8)
    fibres = np.asarray(Image.fromarray(coarse).resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32) / 127.5 - 1
    paper = tone + 6 * fibres + 5 * rng.standard_normal((h, w))
    return Image.fromarray(np.clip(25 + (paper - 25) * a, 0, 255).astype(np.uint8))


def _show_through(img: Image.Image, strength: float = 0.18) -> Image.Image:
    """The other side's text, mirrored, blurred and faint."""
    back = page_image(BACK_TEXT, dpi=DPI).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    back = back.filter(ImageFilter.GaussianBlur(1.5))
    shadow = (255 - np.asarray(back, dtype=np.float32)) * strength
    return Image.fromarray(np.clip(np.asarray(img, dtype=np.float32) - shadow, 0, 255).astype(np.uint8))


def _salt_and_pepper(img: Image.Image, density: float, seed: int) -> Image.Image:
    a = np.asarray(img, dtype=np.uint8).copy()
    r = np.random.default_rng(seed).random(a.shape)
    a[r < density / 2] = 0
    a[(r >= density / 2) & (r < density)] = 255
    return Image.fromarray(a)


def _punched(img: Image.Image) -> Image.Image:
    a = np.asarray(img, dtype=np.uint8).copy()
    yy, xx = np.mgrid[0 : a.shape[0], 0 : a.shape[1]]
    for cy in (a.shape[0] * 0.35, a.shape[0] * 0.65):
        a[(yy - cy) ** 2 + (xx - 0.45 * DPI) ** 2 < (0.12 * DPI) ** 2] = 60
    return Image.fromarray(a)


def _uneven(img: Image.Image) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    light = np.linspace(1.0, 0.72, a.shape[1], dtype=np.float32)[None, :]
    return Image.fromarray(np.clip(a * light, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def _white() -> Image.Image:
    return Image.new("L", _size(), 255)


def _page_number(n: int) -> Image.Image:
    img = _white()
    font = ImageFont.truetype(str(find_font()), round(13 * DPI / 72))
    ImageDraw.Draw(img).text((img.width / 2, img.height - 0.6 * DPI), str(n), font=font, fill=0)
    return img


BLANKS = {
    "paper grain": lambda: _paper(_white(), 1),
    "salt and pepper": lambda: _salt_and_pepper(_paper(_white(), 2), 0.01, 2),
    "show-through of the other side": lambda: _show_through(_paper(_white(), 3)),
    "show-through, JPEG": lambda: _jpeg(_show_through(_paper(_white(), 4), 0.14), 50),
    "punched holes": lambda: _punched(_paper(_white(), 5)),
    "uneven light": lambda: _uneven(_paper(_white(), 6)),
    "fax with specks": lambda: _salt_and_pepper(_white(), 0.006, 7),
}


@pytest.mark.parametrize("kind", list(BLANKS))
def test_a_blank_page_gives_no_text_and_the_blank_flag(kind: str) -> None:
    page = read_scan(BLANKS[kind](), DPI, 2, SCAN).page
    assert (page.text, page.flags) == ("", ("blank",))


def test_a_page_number_alone_is_kept() -> None:
    page = read_scan(_punched(_show_through(_paper(_page_number(7), 8))), DPI, 7, SCAN).page
    assert page.text.strip() == "7"
    assert "blank" not in page.flags and "low_confidence" not in page.flags


def test_one_short_line_on_a_page_with_show_through_is_kept() -> None:
    image = _show_through(_paper(page_image(["Nơi nhận: Ban Dân vận Tỉnh ủy."], dpi=DPI), 9))
    page = read_scan(image, DPI, 3, SCAN).page
    assert "Nơi nhận: Ban Dân vận Tỉnh ủy." in page.text
    assert "blank" not in page.flags


def test_a_text_page_on_grey_paper_keeps_its_words() -> None:
    lines = ["Giải phóng mặt bằng, đất đai, môi trường là các vấn đề bức xúc.", "Số 23-CT/TU, ngày 18/02/2019."] * 6
    page = read_scan(_show_through(_paper(page_image(lines, dpi=DPI), 10), 0.1), DPI, 1, SCAN).page
    assert page.text.count("Giải phóng mặt bằng") >= 5 and "23-CT/TU" in page.text
    assert page.flags == ()


def test_the_blank_back_of_a_duplex_scan_reaches_the_record_empty(tmp_path: Path, settings: Settings) -> None:
    """Front and back of one sheet in a TIFF: the back adds nothing to the text, the record or
    the pages a human has to check."""
    front = page_image(
        ["TỈNH ỦY HẬU GIANG", "Số 23-CT/TU", "CHỈ THỊ", "về nâng cao chất lượng tiếp xúc, đối thoại trực tiếp"], dpi=DPI
    )
    back = _show_through(_paper(_white(), 11))
    f = tmp_path / "hai-mat.tif"
    front.save(f, save_all=True, append_images=[back], dpi=(DPI, DPI), compression="tiff_deflate")
    extraction = extract(f, settings)
    assert [p.flags for p in extraction.pages] == [(), ("blank",)]
    assert extraction.pages[1].text == ""
    assert extraction.text.rstrip().endswith("đối thoại trực tiếp")
    assert parse(extraction).low_confidence_pages == ()


def test_measure_tells_print_from_holes_specks_and_show_through() -> None:
    holes = measure(_punched(_salt_and_pepper(_paper(_white(), 12), 0.01, 12)), DPI)
    assert holes.glyphs == 0 and holes.specks > 50  # the discs are not letters; the dots are specks
    through = measure(_show_through(_paper(_white(), 13)), DPI)
    assert through.glyphs == 0 and through.faint_glyphs > 0  # marks, but none dark enough to be print
    text = measure(_paper(page_image(BACK_TEXT[:3], dpi=DPI), 14), DPI)
    assert text.glyphs > 100 and not text.bilevel and 12 < text.glyph_height < 40  # 13 pt: ~2 mm letters
