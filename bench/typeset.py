"""Typesetting shared by the benchmarks that make their own page images."""

from __future__ import annotations

from PIL import ImageFont

__all__ = ["FONT", "wrap"]

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels (a longer single word stays whole)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if font.getlength(trial) > width and cur:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines
