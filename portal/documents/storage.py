"""File storage behind a small interface: uploads stream in under random names, outside any served folder.

``LocalStorage`` keeps files in a folder (a local disk, or a mount every process shares). Another backend
(S3-compatible storage, say) implements the same four methods.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 64 * 1024


class TooLarge(ValueError):
    """The stream went past the size cap; nothing was kept."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, stream: BinaryIO, max_bytes: int) -> StoredFile: ...
    def path(self, key: str) -> Path: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in one folder, named by random keys; written to a temporary name, then renamed into place."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, stream: BinaryIO, max_bytes: int) -> StoredFile:
        key = secrets.token_hex(16)
        final = self.path(key)
        partial = final.with_suffix(".partial")
        digest = hashlib.sha256()
        size = 0
        try:
            with partial.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"larger than {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        return StoredFile(key=key, size=size, sha256=digest.hexdigest())

    def path(self, key: str) -> Path:
        if not key.isalnum():  # keys are ours; anything else is an attempt to walk the file system
            raise ValueError("invalid storage key")
        return self.root / key

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def current_storage() -> Storage:
    """The storage configured for the running app."""
    from flask import current_app  # noqa: PLC0415  (documents/ loads no Flask unless an app asks for its storage)

    return current_app.extensions["storage"]
