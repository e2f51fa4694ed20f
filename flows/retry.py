"""Send a quarantined file through the pipeline again (after a limit was raised or a tool installed)."""

from __future__ import annotations

from pathlib import Path

from archive import QuarantineEntry, open_store
from archive.errors import InfrastructureError, NotFound
from archive.settings import Settings
from flows import steps
from flows.run import ingest_run

__all__ = ["retry_quarantined"]


def retry_quarantined(key: str, settings: Settings) -> steps.Outcome:
    """Ingest the kept copy of quarantine entry ``key``; the entry goes once the file is archived."""
    store = open_store(settings)
    entry = store.quarantined(key)
    target = entry.copy() or _file_itself(entry)
    if target is None:
        raise NotFound(
            f"tệp cách ly {key} không còn bản sao để xử lý lại (chỉ có lý do); hãy chép lại tệp gốc "
            f"({entry.source}) vào hộp thư"
        )
    with ingest_run(settings, [target], "retry") as run:
        try:
            outcome = steps.ingest_tracked(target, run.ctx, source_path=Path(entry.source))
        except InfrastructureError as exc:
            outcome = steps.failed(target, exc)
        [outcome] = run.finish([outcome])
    if outcome.status in ("archived", "duplicate"):
        store.release_quarantine(entry)
    return outcome


def _file_itself(entry: QuarantineEntry) -> Path | None:
    """A file quarantined without a copy (too large, unreadable): where it was kept, or still is."""
    for where in (entry.kept, entry.source):
        if where and Path(where).is_file() and not Path(where).is_symlink():
            return Path(where)
    return None
