"""Bottom layer: the domain model, settings, the content-addressed store, Vietnamese text helpers."""

from __future__ import annotations

from archive.errors import (
    DoithoaiError,
    ExitCode,
    ExtractionError,
    InfrastructureError,
    InputError,
    InputRejected,
    NotFound,
    ParseError,
    SearchError,
    StoreError,
    TemplateError,
    ToolMissing,
    UsageError,
)
from archive.records import (
    DOC_TYPES,
    Citation,
    Deadline,
    DocumentRecord,
    Extraction,
    Page,
    Signer,
    Source,
    StatRow,
)
from archive.settings import Settings
from archive.store import QuarantineEntry, StagedFile, Store

__all__ = [
    "DOC_TYPES",
    "Citation",
    "Deadline",
    "DocumentRecord",
    "DoithoaiError",
    "ExitCode",
    "Extraction",
    "ExtractionError",
    "InfrastructureError",
    "InputError",
    "InputRejected",
    "NotFound",
    "Page",
    "ParseError",
    "QuarantineEntry",
    "SearchError",
    "Settings",
    "Signer",
    "Source",
    "StagedFile",
    "StatRow",
    "Store",
    "StoreError",
    "TemplateError",
    "ToolMissing",
    "UsageError",
]


def open_store(settings: Settings) -> Store:
    """The store of these settings (a helper so callers never build paths themselves)."""
    return Store(settings.store_dir, settings.quarantine_dir)


__all__ += ["open_store"]
