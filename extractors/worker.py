"""Reading a file in a worker process that can be killed.

A hostile file can keep pypdf busy for days in pure Python, make a C decoder use gigabytes,
or crash the interpreter; none of that may stop the night's run or go unexplained. So every
file is read by a worker process (``extractors.worker.main`` in a fresh interpreter) in its own process group
(its tesseract and LibreOffice children with it), and the caller only waits:

- the worker announces each step it starts with the time that step may take ("the text of
  page 3: 60 s"), and the parent kills the whole group when a step or the whole file overruns;
  the file is then rejected with the limit that was hit, in words a clerk can act on;
- an error raised while reading is the file's fault (InputError: quarantine) unless it is a
  resource or OS error (memory, disk, a missing program): those are the machine's;
- a worker killed by the kernel (out of memory) or crashed costs that one file, with a reason.

Workers are kept in a small pool between files (starting one costs ~0.3 s of imports) and
retired when they were killed, when the environment changed, or when they hold more memory
than a fresh one would.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import itertools
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from archive import errors
from archive.errors import DoithoaiError, ExtractionError, InfrastructureError, InputRejected
from archive.records import Extraction
from archive.settings import Settings

__all__ = ["Steps", "is_resource_error", "peak_rss_kb", "read_in_worker", "shutdown"]

_HEADER = struct.Struct("!Q")
_START_TIMEOUT = 120.0  # a busy machine can take long to import pypdf, Pillow and pdfium
_RETIRE_RSS_KB = 400 * 1024  # a worker holding more than this after a file is not reused
# OS errors that mean the machine, not the file: disk, memory, permissions, a vanished copy.
_RESOURCE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.ENOMEM, errno.EMFILE, errno.ENFILE, errno.EIO, errno.EROFS,
     errno.EACCES, errno.EPERM, errno.ENOENT, errno.EAGAIN}
)  # fmt: skip


# --- both sides: length-prefixed pickles over a pipe -------------------------------------------


def _write(out: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _read_exact(fd: int, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read(fd: int) -> Any:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size))
    return pickle.loads(_read_exact(fd, size))


# --- the worker's side ----------------------------------------------------------------------------


class Steps:
    """How the reading code tells the parent what it is doing and how long that may take.

    ``Steps()`` without a pipe (reading in this process) only runs the code: no limit applies.
    """

    def __init__(self, out: IO[bytes] | None = None) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def _send(self, message: Any) -> None:
        if self._out is not None:
            with self._lock:
                _write(self._out, message)

    @contextlib.contextmanager
    def step(self, seconds: float, overrun: str) -> Iterator[None]:
        """Run the body; the parent kills the worker when it takes longer than ``seconds``.

        ``overrun`` is the reason the file is quarantined with then (Vietnamese, naming the setting).
        """
        n = next(self._ids)
        self._send(("begin", n, seconds, overrun))
        try:
            yield
        finally:
            self._send(("end", n))

    @contextlib.contextmanager
    def child_group(self, pgid: int) -> Iterator[None]:
        """While the body runs, the child process group ``pgid`` (LibreOffice) dies with this worker."""
        _CHILD_GROUPS.add(pgid)
        self._send(("group", pgid))
        try:
            yield
        finally:
            self._send(("group-end", pgid))
            _CHILD_GROUPS.discard(pgid)


_CHILD_GROUPS: set[int] = set()


def is_resource_error(exc: BaseException) -> bool:
    """Is this the machine's fault (memory, disk, permissions, a vanished file), not the file's?"""
    return isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno in _RESOURCE_ERRNOS)


def _blame(exc: BaseException) -> tuple[str, str]:
    """(error class name, reason) for an exception raised while reading a file."""
    if isinstance(exc, DoithoaiError):
        return type(exc).__name__, exc.reason
    if isinstance(exc, MemoryError):
        return "InfrastructureError", "hết bộ nhớ khi đọc tệp; thử lại khi máy rảnh hơn"
    if isinstance(exc, OSError) and exc.errno in _RESOURCE_ERRNOS:
        return "InfrastructureError", f"lỗi hệ thống khi đọc tệp: {exc}"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return "ExtractionError", f"tệp hỏng, không đọc được ({type(exc).__name__}{': ' + detail if detail else ''})"


def _die_with_parent() -> None:
    """End this worker (and, through its process group's fate, nothing else) when its parent dies.

    Not PR_SET_PDEATHSIG: that fires when the *thread* that started the worker ends, and pooled
    workers outlive the threads that started them.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        for pgid in [*_CHILD_GROUPS, 0]:
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)  # the worker and whatever it started (tesseract, LibreOffice)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _rss_peak_kb() -> int:
    import resource

    return max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )


def main() -> None:
    """The worker: read requests on stdin, answer on the original stdout (stray prints go to stderr)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _die_with_parent()
    from extractors.extract import extract_here  # the heavy imports, once per worker

    _write(out, ("ready", os.getpid()))
    steps = Steps(out)
    fd = sys.stdin.fileno()
    while True:
        try:
            path, settings, searchable, seal = _read(fd)
        except EOFError:
            return
        try:
            result = extract_here(Path(path), settings, searchable_pdf=searchable, seal=seal, steps=steps)
        except BaseException as exc:  # every failure is reported, and the worker lives on
            name, reason = _blame(exc)
            _write(out, ("error", name, reason, _rss_peak_kb()))
            if not isinstance(exc, Exception):
                raise
            continue
        _write(out, ("done", result, _rss_peak_kb()))


# --- the parent's side ----------------------------------------------------------------------------


class _Died(Exception):
    pass


@dataclass
class _Worker:
    proc: subprocess.Popen[bytes]
    env_key: int
    groups: set[int] = field(default_factory=set)
    busy: bool = False  # a file was sent and its answer not yet received

    @classmethod
    def start(cls) -> _Worker:
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", "from extractors.worker import main; main()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise InfrastructureError(f"không khởi động được tiến trình đọc tệp: {exc}") from exc
        worker = cls(proc, _env_key(), {proc.pid})
        try:
            message = worker.receive(_START_TIMEOUT)
        except _Died:
            message = None
        if not message or message[0] != "ready":
            worker.kill()
            raise InfrastructureError(
                f"tiến trình đọc tệp không khởi động được (mã thoát {proc.returncode}); xem nhật ký lỗi ở stderr"
            )
        return worker

    def send(self, message: Any) -> None:
        assert self.proc.stdin is not None
        try:
            _write(self.proc.stdin, message)
        except (BrokenPipeError, OSError) as exc:
            raise _Died from exc

    def receive(self, timeout: float) -> Any | None:
        """The next message, None when ``timeout`` passed first; _Died when the worker is gone."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            return _read(fd)
        except (EOFError, pickle.UnpicklingError, OSError) as exc:
            raise _Died from exc

    def kill(self) -> None:
        """Kill the worker's process group and its children's groups, and reap it."""
        for pgid in self.groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        self.proc.wait()

    def reusable(self) -> bool:
        if self.proc.poll() is not None or self.env_key != _env_key():
            return False
        try:
            rss_pages = int(Path(f"/proc/{self.proc.pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            return False
        return rss_pages * (os.sysconf("SC_PAGE_SIZE") // 1024) < _RETIRE_RSS_KB


def _env_key() -> int:
    return hash(frozenset(os.environ.items()))


_idle: list[_Worker] = []
_lock = threading.Lock()
_peak_kb = 0


def _checkout() -> _Worker:
    key = _env_key()
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.env_key == key and worker.proc.poll() is None:
                return worker
            worker.kill()
    return _Worker.start()


def _checkin(worker: _Worker, keep: int) -> None:
    worker.groups = {worker.proc.pid}
    if worker.reusable():
        with _lock:
            if len(_idle) < keep:
                _idle.append(worker)
                return
    worker.kill()


def shutdown() -> None:
    """Stop the idle workers (at exit; tests call it before reading their children's peak memory)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


atexit.register(shutdown)


def peak_rss_kb() -> int:
    """The largest peak resident memory any worker (or its tesseract) reported in this process."""
    return _peak_kb


def _note_peak(kb: int) -> None:
    global _peak_kb
    with _lock:
        _peak_kb = max(_peak_kb, kb)


def read_in_worker(path: Path, settings: Settings, searchable_pdf: Path | None, seal: bytes | None) -> Extraction:
    """``extract_here`` run by a worker process, within the limits of ``settings`` (the sealing
    key, if any, goes through the pipe, never through a file)."""
    worker = _checkout()
    try:
        worker.busy = True
        out = Path(os.path.abspath(searchable_pdf)) if searchable_pdf is not None else None
        worker.send((os.path.abspath(path), settings, out, seal))  # the worker may have another working folder
        return _follow(worker, path, settings)
    except _Died:
        raise _death(worker, path) from None
    finally:
        if worker.busy or worker.proc.poll() is not None:
            worker.kill()  # killed for a limit, died, or interrupted in the middle of the file
        else:
            _checkin(worker, keep=settings.workers)


def _follow(worker: _Worker, path: Path, settings: Settings) -> Extraction:
    """Wait for the worker's answer, killing it when a step or the whole file overruns its time."""
    file_limit = (
        time.monotonic() + settings.file_timeout,
        f"đọc tệp quá {settings.file_timeout:g} giây (DOITHOAI_FILE_TIMEOUT)",
    )
    open_steps: dict[int, tuple[float, str]] = {}
    while True:
        deadline, overrun = min([file_limit, *open_steps.values()])
        now = time.monotonic()
        if now >= deadline:
            worker.kill()
            raise InputRejected(overrun, path=path)
        message = worker.receive(deadline - now)
        if message is None:
            continue
        kind = message[0]
        if kind == "begin":
            _, n, seconds, reason = message
            open_steps[n] = (time.monotonic() + seconds, reason)
        elif kind == "end":
            open_steps.pop(message[1], None)
        elif kind == "group":
            worker.groups.add(message[1])
        elif kind == "group-end":
            worker.groups.discard(message[1])
        elif kind == "done":
            worker.busy = False
            _note_peak(message[2])
            result: Extraction = message[1]
            return result
        elif kind == "error":
            _, name, reason, peak = message
            worker.busy = False
            _note_peak(peak)
            cls = getattr(errors, name, None)
            if not (isinstance(cls, type) and issubclass(cls, DoithoaiError)):
                cls = ExtractionError
            raise cls(reason, path=path)


def _death(worker: _Worker, path: Path) -> DoithoaiError:
    """Why a worker died in the middle of a file, as the file's reason (it caused it)."""
    worker.kill()
    code = worker.proc.returncode
    if code == -signal.SIGKILL:
        return InputRejected(
            "tiến trình đọc tệp bị hệ điều hành dừng (thường do hết bộ nhớ): tệp cần quá nhiều bộ nhớ", path=path
        )
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return ExtractionError(f"trình đọc bị lỗi nghiêm trọng ({name}) khi đọc tệp này", path=path)
    return ExtractionError(f"trình đọc dừng đột ngột (mã thoát {code}) khi đọc tệp này", path=path)


if __name__ == "__main__":
    main()
