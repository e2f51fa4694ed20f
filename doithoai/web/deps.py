"""What a request needs from the app: settings, the search backend, the store, the visibility filter."""

from __future__ import annotations

import threading

from fastapi import Request

from archive import open_store
from archive.access import Principal, visible_levels
from archive.settings import Settings
from archive.store import Store
from search import SearchBackend, get_backend

__all__ = ["Backends", "backend", "settings", "store", "visible"]


class Backends:
    """One search backend per app, reopened when ``reindex`` swaps the tantivy generation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._backend: SearchBackend | None = None
        self._generation: str | None = None

    def _current_generation(self) -> str | None:
        if self.settings.search_backend != "tantivy":
            return None
        try:
            return str((self.settings.index_dir / "tantivy" / "current").readlink())
        except OSError:
            return None

    def get(self) -> SearchBackend:
        generation = self._current_generation()
        with self._lock:
            if self._backend is None or generation != self._generation:
                if self._backend is not None:
                    self._backend.close()
                self._backend = get_backend(self.settings)
                self._generation = generation
            return self._backend


def settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def backend(request: Request) -> SearchBackend:
    b: Backends = request.app.state.backends
    return b.get()


def store(request: Request) -> Store:
    return open_store(settings(request))


def visible(principal: Principal) -> tuple[str, ...]:
    """The confidentiality filter for this principal's searches (never empty on the web)."""
    return visible_levels(principal.clearance)
