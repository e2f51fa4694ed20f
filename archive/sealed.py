"""Files sealed with a key that lives only in memory.

What is written before it is known whether it may be kept at all (the searchable PDF of a scan,
before its secrecy mark has been read: flows/secrets.py) is written through a stream cipher
(ChaCha20) with a random key that never reaches the disk. Once the key is dropped the bytes are
noise: an erasure that holds where overwriting does not (SSDs, copy-on-write file systems,
snapshots), while the file is as large as it needs to be and costs no memory.

The cipher is length-preserving, so a writer can ask where it is (``tell``) as with a plain file.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol

from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms

__all__ = ["KEY_BYTES", "Sink", "new_key", "open_sink", "unseal"]

KEY_BYTES = 48  # a 256-bit key and a 128-bit nonce (ChaCha20's counter and nonce)
_CHUNK = 1 << 20


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def tell(self) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _cipher(key: bytes) -> CipherContext:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a sealing key has {KEY_BYTES} bytes, not {len(key)}")
    return Cipher(algorithms.ChaCha20(key[:32], key[32:]), mode=None).encryptor()


class _SealedFile:
    """A file opened for writing whose bytes go through the cipher."""

    def __init__(self, path: Path, key: bytes) -> None:
        self._cipher = _cipher(key)
        self._file = path.open("wb")

    def write(self, data: bytes, /) -> int:
        return self._file.write(self._cipher.update(data))

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> _SealedFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def open_sink(path: Path, key: bytes | None) -> Sink:
    """``path`` opened for writing (truncated): sealed with ``key``, plain without one."""
    return path.open("wb") if key is None else _SealedFile(path, key)


def unseal(path: Path, key: bytes, out: BinaryIO) -> int:
    """Write the plain bytes of sealed ``path`` to ``out``; returns how many."""
    cipher = _cipher(key)  # ChaCha20 is its own inverse: the same key stream undoes it
    total = 0
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            total += out.write(cipher.update(chunk))
    return total
