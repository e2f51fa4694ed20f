"""Page preparation before OCR: what each step changes, and what it must leave alone."""

from __future__ import annotations

import numpy as np
from PIL import Image

from extractors.preprocess import deskew, despeckle, skew_angle
from tests.makers import page_image

LINES = ["Thông báo kết luận của đồng chí Bí thư Tỉnh ủy", "tại buổi đối thoại với nhân dân xã Phan Hòa"]


def _fax(seed: int = 7) -> tuple[Image.Image, np.ndarray]:
    clean = np.asarray(page_image(LINES, dpi=150)) < 128
    rng = np.random.default_rng(seed)
    specks = (rng.random(clean.shape) < 0.003) & ~clean
    noisy = np.where(clean | specks, 0, 255).astype(np.uint8)
    return Image.fromarray(noisy), clean


def test_despeckle_removes_lone_dots_of_a_fax_and_keeps_every_letter() -> None:
    fax, letters = _fax()
    out = np.asarray(despeckle(fax)) < 128
    assert (out & letters).sum() == letters.sum()  # no ink of a letter lost, tone marks included
    stray_before = (np.asarray(fax) < 128).sum() - letters.sum()
    stray_after = out.sum() - letters.sum()
    assert stray_before > 5000 and stray_after < stray_before * 0.05  # specks that touch another stay


def test_despeckle_leaves_grey_scans_alone() -> None:
    grey = page_image(LINES, dpi=200)  # anti-aliased: many grey levels
    assert despeckle(grey) is grey


def test_deskew_levels_a_page_scanned_at_an_angle() -> None:
    tilted = page_image(LINES * 6, dpi=200, skew=1.5)
    assert abs(skew_angle(tilted) + 1.5) < 0.3 or abs(skew_angle(tilted) - 1.5) < 0.3
    level, angle = deskew(tilted)
    assert abs(skew_angle(level)) < 0.3 and abs(angle) > 1.0


def test_deskew_leaves_a_level_page_untouched() -> None:
    page = page_image(LINES * 6, dpi=200)
    assert deskew(page) == (page, 0.0)
