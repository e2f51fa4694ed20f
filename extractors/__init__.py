"""Bytes -> pages of text -> DocumentRecord. Imports ``archive`` only."""

from __future__ import annotations

from extractors.extract import extract
from extractors.parse import parse, parse_text
from extractors.sniff import sniff

__all__ = ["extract", "parse", "parse_text", "sniff"]
