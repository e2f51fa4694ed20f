"""The reindex flow, for deployments; the CLI calls steps.reindex_all directly."""

from __future__ import annotations

from typing import Any

from prefect import flow

from archive.settings import Settings
from flows import steps

__all__ = ["reindex_flow"]


@flow(name="doithoai-reindex", validate_parameters=False)
def reindex_flow(settings: Settings | dict[str, Any]) -> int:
    """Rebuild the search index from the store; searches keep working meanwhile."""
    if not isinstance(settings, Settings):
        settings = Settings(**settings)
    return steps.reindex_all(steps.open_context(settings))
