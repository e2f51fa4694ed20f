"""The ingest flows: Prefect orchestrates, flows/steps.py does the work.

``ingest_inbox_flow`` is the one that is deployed (``doithoai serve``): it takes nothing from
its caller but the trigger's name; settings come from the service's own environment and it
reads only the configured inbox. ``ingest_flow`` (paths and settings as arguments) is for
library use inside one process and is never deployed. Infrastructure failures are retried
with backoff; bad input is never retried, it is quarantined by the step itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import httpx
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from archive.errors import DoithoaiError, InfrastructureError
from archive.runs import RunLog
from archive.settings import Settings
from archive.vntext import printable
from flows import steps
from flows.run import ingest_run

__all__ = ["ingest_flow", "ingest_inbox_flow", "run_ingest_flow", "run_on_server"]


def _infrastructure_only(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except InfrastructureError:
        return True
    except Exception:
        return False
    return False


@task(
    name="ingest-file",
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_condition_fn=_infrastructure_only,
    cache_policy=NO_CACHE,
)
def ingest_file(path: str, ctx: steps.IngestContext) -> steps.Outcome:
    outcome = steps.ingest_tracked(Path(path), ctx)
    get_run_logger().info(
        "%s %s %s (%.2f s)",
        outcome.status,
        printable(Path(path).name),
        outcome.reason or outcome.id or "",
        outcome.seconds,
    )
    return outcome


@flow(name="doithoai-ingest", validate_parameters=False)
def ingest_flow(paths: list[str], settings: Settings | dict[str, Any], trigger: str = "cli") -> list[steps.Outcome]:
    """Archive every file under ``paths``; the run report is the list of outcomes. Never deployed."""
    return _ingest(as_settings(settings), [Path(p) for p in paths], trigger)


@flow(name="doithoai-ingest-inbox")
def ingest_inbox_flow(trigger: Literal["schedule", "prefect"] = "prefect") -> dict[str, int]:
    """Archive the configured inbox with the service's own settings; returns the counts by outcome.

    The run log names this run ``<trigger>:<flow run id>`` so ``doithoai ingest`` can show its files.
    """
    from prefect.runtime import flow_run

    settings = Settings()
    outcomes = _ingest(settings, [settings.inbox_dir], f"{trigger}:{flow_run.id}")
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    if trigger == "schedule":  # the night also checks the archive, incrementally (flows/verify.py)
        from flows.verify import verify_archive

        report = verify_archive(settings, full=False)
        counts["damaged"] = len(report.problems) + len(report.not_indexed) + len(report.not_stored)
        if not report.ok:
            get_run_logger().warning("kiểm tra kho: %s", report.to_json())
    return counts


def _ingest(settings: Settings, paths: list[Path], trigger: str) -> list[steps.Outcome]:
    with ingest_run(settings, paths, trigger) as run:
        outcomes: list[steps.Outcome] = []
        pending = []
        for p in run.solo:  # suspects of a killed run: one at a time
            future = ingest_file.submit(str(p), run.ctx)
            future.wait()
            pending.append((str(p), future))
        files = [str(p) for p in run.files]
        futures = ingest_file.map(files, ctx=unmapped(run.ctx)) if files else []
        for path, future in [*pending, *zip(files, futures, strict=True)]:
            future.wait()
            if future.state.is_completed():
                outcomes.append(future.result())
            else:
                exc = future.state.result(raise_on_failure=False)
                outcomes.append(steps.failed(path, exc if isinstance(exc, BaseException) else RuntimeError(str(exc))))
        outcomes = run.finish(outcomes)
    _summary_artifact(outcomes)
    return outcomes


def _summary_artifact(outcomes: list[steps.Outcome]) -> None:
    """The run report as a table in Prefect's UI (a summary row, then each file that needs a look)."""
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    rows: list[dict[str, Any]] = [{"tệp": "TỔNG", "kết quả": ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
                                   "lý do": ""}]  # fmt: skip
    rows += [
        {"tệp": printable(Path(o.path).name), "kết quả": o.status, "lý do": o.reason or ""}
        for o in outcomes
        if o.status in ("quarantined", "failed", "waiting")
    ]
    create_table_artifact(table=rows, key="ingest-summary", description="Kết quả lượt lưu trữ")


def as_settings(value: Settings | dict[str, Any]) -> Settings:
    """Deployments pass parameters as JSON: rebuild the Settings value."""
    return value if isinstance(value, Settings) else Settings(**value)


def run_on_server(settings: Settings, timeout: float | None = None) -> list[steps.Outcome]:
    """Hand an inbox run to the ``ingest-now`` deployment of the configured server and follow it."""
    from prefect.deployments import run_deployment

    try:
        run: Any = run_deployment(f"{ingest_inbox_flow.name}/ingest-now", timeout=timeout)
    except (RuntimeError, OSError, ValueError, httpx.HTTPError) as exc:
        raise InfrastructureError(
            f"không giao được lượt chạy cho máy chủ Prefect ({exc}); kiểm tra 'doithoai serve' và PREFECT_API_URL, "
            "hoặc bỏ PREFECT_API_URL để chạy ngay trong tiến trình này"
        ) from exc
    if run.state is None or not run.state.is_completed():
        state = run.state.name if run.state else "không rõ"
        raise InfrastructureError(f"lượt chạy {run.id} trên máy chủ Prefect kết thúc ở trạng thái {state}")
    rows = RunLog(settings.home / "state.db").files_of(f"prefect:{run.id}")
    return [steps.Outcome(r.path, r.status, id=r.doc_id, reason=r.reason, seconds=r.seconds or 0.0) for r in rows]  # type: ignore[arg-type]


def run_ingest_flow(paths: list[Path], settings: Settings) -> list[steps.Outcome]:
    runner: Any = ThreadPoolTaskRunner(max_workers=settings.workers)
    try:
        return ingest_flow.with_options(task_runner=runner)([str(p) for p in paths], settings)
    except DoithoaiError:
        raise
    except (RuntimeError, OSError, httpx.HTTPError) as exc:
        raise InfrastructureError(
            f"Prefect không chạy được ({exc}); kiểm tra PREFECT_API_URL / PREFECT_HOME, "
            "hoặc chạy 'doithoai ingest --direct' (không qua Prefect)"
        ) from exc
