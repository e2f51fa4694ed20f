"""The reindex flow, for deployments; the CLI calls steps.reindex_all directly."""

from __future__ import annotations

from prefect import flow

from archive.settings import Settings
from flows import steps

__all__ = ["reindex_flow"]


@flow(name="doithoai-reindex", validate_parameters=False)
def reindex_flow(settings: Settings) -> int:
    """Rebuild the search index from the store; searches keep working meanwhile."""
    return steps.reindex_all(steps.open_context(settings))
