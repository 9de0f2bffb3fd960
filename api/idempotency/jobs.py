"""Scheduled work of Idempotency-Key: keys past their day go, also those of accounts that stopped posting.

A request expires its own account's old keys when it claims one (``expire`` in queries.sql); without this
job the stored answers (response bodies, personal data among them) of an account that never posts again
would stay for ever.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from api.db import Connection
from api.purge import delete_in_batches
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("jobs.sql"))

KEPT = timedelta(days=1)
"""How long a key lives: the same day as ``expire`` in queries.sql."""
BATCH = 1000
"""Keys deleted per statement (each its own short transaction)."""


async def purge_expired(conn: Connection, now: datetime) -> int:
    """Delete every key claimed more than :data:`KEPT` before ``now``.

    Args:
        conn: a connection outside a transaction (each batch commits on its own).
        now: the scheduler's clock.

    Returns:
        How many keys were deleted.
    """
    return await delete_in_batches(conn, Q["purge_expired"], now - KEPT, BATCH)
