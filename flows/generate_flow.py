"""The drafting flow, for deployments and ``generate --prefect``; plain ``generate`` calls
flows.generate directly, so an officer does not wait for Prefect to start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

from archive.settings import Settings
from flows.generate import generate

__all__ = ["generate_flow"]


@flow(name="doithoai-generate", validate_parameters=False)
def generate_flow(
    template: str, data: dict[str, Any], output: str, settings: Settings | dict[str, Any], pdf: bool = False
) -> dict[str, Any]:
    """Render ``template`` from ``data`` to ``output`` (a path on the worker) and archive it."""
    if not isinstance(settings, Settings):
        settings = Settings(**settings)
    result = generate(template, data, Path(output), settings, pdf=pdf)
    return {
        "path": str(result.path),
        "pdf": str(result.pdf) if result.pdf else None,
        "number_symbol": result.number_symbol,
        "id": result.id,
        "warnings": result.warnings,
    }
