"""Old rows deleted in short batches: the shape every retention job shares (decision 42)."""

from __future__ import annotations

from datetime import datetime
from typing import LiteralString

from api.db import Connection


async def delete_in_batches(conn: Connection, statement: LiteralString, before: datetime, batch: int) -> int:
    """Run ``statement`` (a delete of at most ``$2`` rows older than ``$1``) until a run deletes fewer than
    ``batch``; each run is its own short transaction, so writers never wait long on its locks.

    Returns:
        How many rows were deleted in all.
    """
    deleted = 0
    while True:
        status = await conn.execute(statement, before, batch)
        count = int(status.rsplit(" ", 1)[-1])
        deleted += count
        if count < batch:
            return deleted
