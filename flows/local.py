"""Run the ingest steps in this process without Prefect: a fast start for one-off commands.

Same steps, same outcomes as the Prefect flow (flows/ingest.py), recorded in the same run log.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from archive.errors import InfrastructureError
from archive.settings import Settings
from flows import steps
from flows.run import ingest_run

__all__ = ["ingest_direct"]


def ingest_direct(
    paths: list[Path],
    settings: Settings,
    on_outcome: Callable[[steps.Outcome], None] | None = None,
    trigger: str = "cli",
) -> list[steps.Outcome]:
    with ingest_run(settings, paths, trigger) as run:

        def one(path: Path) -> steps.Outcome:
            try:
                out = steps.ingest_tracked(path, run.ctx)
            except InfrastructureError as exc:
                out = steps.failed(path, exc)
            if on_outcome:
                on_outcome(out)
            return out

        outcomes = [one(p) for p in run.solo]  # suspects of a killed run: one at a time
        with ThreadPoolExecutor(max_workers=settings.workers) as pool:
            outcomes += list(pool.map(one, run.files))
        return run.finish(outcomes)
