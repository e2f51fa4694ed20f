"""Send a quarantined file through the pipeline again (after a limit was raised or a tool installed)."""

from __future__ import annotations

from pathlib import Path

from archive import open_store
from archive.errors import InfrastructureError, NotFound
from archive.settings import Settings
from flows import steps
from flows.run import ingest_run

__all__ = ["retry_quarantined"]


def retry_quarantined(key: str, settings: Settings) -> steps.Outcome:
    """Ingest the kept copy of quarantine entry ``key``; the entry goes once the file is archived."""
    store = open_store(settings)
    entry = store.quarantined(key)
    copies = [p for p in entry.path.glob("original*") if p.is_file()]
    if not copies:
        raise NotFound(f"tệp cách ly {key} không còn bản sao để xử lý lại (chỉ có lý do); hãy chép lại tệp gốc")
    with ingest_run(settings, [copies[0]], "retry") as run:
        try:
            outcome = steps.ingest_one(copies[0], run.ctx, source_path=Path(entry.source))
        except InfrastructureError as exc:
            outcome = steps.failed(copies[0], exc)
        [outcome] = run.finish([outcome])
    if outcome.status in ("archived", "duplicate"):
        store.release_quarantine(entry)
    return outcome
