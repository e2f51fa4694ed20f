"""The two exception families of doithoai, and the exit codes they map to.

::

    DoithoaiError                 (reason: str, exit_code)
    ├── InputError                bad input: the file is quarantined, the run goes on
    │   ├── InputRejected         refused before reading (empty, unknown kind, too big, encrypted …)
    │   ├── ExtractionError       could not be read (corrupt PDF, undecodable text …)
    │   └── ParseError            read, but not understood as a document
    ├── InfrastructureError       the machine or a service is at fault: retry, tell an operator
    │   ├── StoreError            the archive directory cannot be written or read
    │   ├── SearchError           the search index or server failed
    │   └── ToolMissing           an external program (tesseract, LibreOffice) is not installed
    ├── NotReady                  the file is still being written: leave it for the next run
    ├── UsageError                the user asked for something impossible (unknown id, bad option)
    └── TemplateError             a template or its data is wrong

Messages are written for the person who has to act: a clerk for input errors,
an operator for infrastructure errors.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

__all__ = [
    "Damaged",
    "DoithoaiError",
    "ExitCode",
    "ExtractionError",
    "InfrastructureError",
    "InputError",
    "InputRejected",
    "NotFound",
    "NotReady",
    "ParseError",
    "SearchError",
    "StoreError",
    "TemplateError",
    "ToolMissing",
    "UsageError",
]


class ExitCode(IntEnum):
    """Stable process exit codes (a contract for scripts, like OCRmyPDF's)."""

    ok = 0
    usage = 2
    not_found = 3
    bad_input = 4
    template = 5
    damaged = 6  # verify found damaged entries or an index that does not match the store
    infrastructure = 10


class DoithoaiError(Exception):
    """Base of every error doithoai raises on purpose."""

    exit_code: ExitCode = ExitCode.infrastructure

    def __init__(self, reason: str, *, path: Path | str | None = None) -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.path is not None:
            return f"{self.path.name}: {self.reason}"
        return self.reason


class InputError(DoithoaiError):
    """The input is at fault; quarantine it with this reason and go on."""

    exit_code = ExitCode.bad_input


class InputRejected(InputError):
    """Refused before reading: empty, unsupported kind, over a limit, encrypted."""


class ExtractionError(InputError):
    """The file claims a known kind but cannot be read."""


class ParseError(InputError):
    """Text was read but is not understood as a document."""


class InfrastructureError(DoithoaiError):
    """The machine or a service failed; the input is not to blame."""

    exit_code = ExitCode.infrastructure


class StoreError(InfrastructureError):
    """The archive directory cannot be written or read."""


class Damaged(StoreError):
    """One archived entry is damaged (a file missing, unreadable or not what its id says).

    Reported with the entry's id and path and skipped; the rest of the archive keeps working.
    """

    def __init__(self, reason: str, *, doc_id: str = "", path: Path | str | None = None) -> None:
        self.doc_id = doc_id
        super().__init__(reason, path=path)


class SearchError(InfrastructureError):
    """The search index or server failed."""


class ToolMissing(InfrastructureError):
    """An external program or its data is not installed."""


class NotReady(DoithoaiError):
    """The file changed while it was read: it is still being copied in."""

    exit_code = ExitCode.infrastructure


class UsageError(DoithoaiError):
    """The user asked for something that cannot be done as asked."""

    exit_code = ExitCode.usage


class NotFound(UsageError):
    """No archived document has this id."""

    exit_code = ExitCode.not_found


class TemplateError(DoithoaiError):
    """A template or the data given to it is wrong."""

    exit_code = ExitCode.template
