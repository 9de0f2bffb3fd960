"""Where attachment bytes live: addressed by their SHA-256, behind a small interface.

The local folder is the default; an object store (S3-compatible) is a later drop-in that implements
the same three methods. Content addressing makes every write idempotent and deduplicates the same
PDF attached to several documents.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class BlobStore(Protocol):
    async def put(self, data: bytes) -> bytes:
        """Store the bytes; return their SHA-256."""

    async def path(self, digest: bytes) -> Path | None:
        """A local file holding the bytes, or None if they are not stored."""


class LocalBlobStore:
    """Blobs under ``root/ab/cd/<sha256 hex>``, written atomically (temp file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _location(self, digest: bytes) -> Path:
        name = digest.hex()
        return self.root / name[:2] / name[2:4] / name

    async def put(self, data: bytes) -> bytes:
        digest = hashlib.sha256(data).digest()
        await asyncio.to_thread(self._write, self._location(digest), data)
        return digest

    async def path(self, digest: bytes) -> Path | None:
        location = self._location(digest)
        return location if await asyncio.to_thread(location.is_file) else None

    @staticmethod
    def _write(location: Path, data: bytes) -> None:
        if location.is_file():
            return
        location.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=location.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(location)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
