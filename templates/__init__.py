"""DOCX generation (docxtpl in a Jinja2 sandbox). Arrives with the drafting issue."""

from __future__ import annotations
