from __future__ import annotations

from doithoai.cli import main

main()
