"""The reindex flow, for deployments; the CLI calls steps.reindex_all directly."""

from __future__ import annotations

from prefect import flow

from archive.settings import Settings
from flows import steps

__all__ = ["reindex_flow"]


@flow(name="doithoai-reindex")
def reindex_flow() -> int:
    """Rebuild the search index from the store; searches keep working meanwhile.

    Takes nothing from its caller: the settings are the service's own (its environment).
    """
    return steps.reindex_all(steps.open_context(Settings()))
