""" "Lưu ngay": an ingest run started from the web, in a background thread, watched file by file.

The run goes through the same steps as the nightly one (flows.local.ingest_direct, which
takes the archive's ingest lock: a run already going means this one waits its turn). The
page polls ``GET /api/runs/{id}``; nothing here blocks a request.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.settings import Settings
from doithoai import present
from flows import steps

__all__ = ["Job", "Jobs"]

log = logging.getLogger("doithoai.web")


@dataclass
class Job:
    id: str
    total: int
    status: str = "queued"  # queued → running → finished | failed
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    outcomes: list[steps.Outcome] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        return {
            "id": self.id,
            "status": self.status,
            "status_label": present.status_label(self.status),
            "total": max(self.total, len(self.outcomes)),
            "done": len(self.outcomes),
            "counts": counts,
            "started_at": self.started_at.astimezone(present.TZ).isoformat(timespec="seconds"),
            "finished_at": self.finished_at.astimezone(present.TZ).isoformat(timespec="seconds")
            if self.finished_at
            else None,
            "error": self.error,
            "files": [
                o.to_json() | {"name": present.file_name(o.path), "status_label": present.status_label(o.status)}
                for o in self.outcomes
            ],
        }


class Jobs:
    """The web's ingest runs, kept in memory (the run log in state.db keeps the history)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, paths: list[Path] | None = None) -> Job:
        targets = paths or [self.settings.inbox_dir]
        total = sum(1 for _ in steps.collect_inputs([t for t in targets if t.exists()]))
        job = Job(id="w" + secrets.token_hex(5), total=total)
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, targets), name=f"ingest-{job.id}", daemon=True).start()
        return job

    def _run(self, job: Job, targets: list[Path]) -> None:
        from flows.local import ingest_direct

        def seen(outcome: steps.Outcome) -> None:
            with self._lock:
                job.outcomes.append(outcome)

        job.status = "running"
        try:
            final = ingest_direct([t for t in targets if t.exists()], self.settings, on_outcome=seen, trigger="web")
            with self._lock:
                job.outcomes = list(final)  # the settled outcomes (indexed, released), waiting files included
                job.status = "finished"
        except Exception as exc:  # the page must show the end of the run, whatever happened
            log.exception("web ingest %s failed", job.id)
            job.error = str(exc) or type(exc).__name__
            job.status = "failed"
        finally:
            job.finished_at = datetime.now(UTC)
