"""The shell: the ``doithoai`` command line (and later the web app). Imported by nobody."""

from __future__ import annotations
