"""Scheduled work of the outbox: rows delivered long ago go.

Once a row is expanded into inboxes (``dispatched_at``) and its pushes are on the queue (``fanned_out_at``),
nothing reads it again: the dispatcher takes only rows missing one of the two, a withdrawal cancels only
undispatched rows, and the inbox rows and push figures keep their own copy of the source (decision 21), with
no foreign key to the outbox. Without this job every notification's payload (named members among it) would be
kept for ever.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from api.db import Connection
from api.purge import delete_in_batches
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("jobs.sql"))

KEPT = timedelta(days=30)
"""How long a dispatched row stays: long past any retry of its pushes (hours at most), and enough to look at
what was sent in the last weeks when a member says a notification never came; the inbox and the funnel keep
the rest for good."""
BATCH = 1000
"""Rows deleted per statement (each its own short transaction)."""


async def purge_dispatched(conn: Connection, now: datetime) -> int:
    """Delete every fanned-out row dispatched more than :data:`KEPT` before ``now``.

    Args:
        conn: a connection outside a transaction (each batch commits on its own).
        now: the scheduler's clock.

    Returns:
        How many rows were deleted.
    """
    return await delete_in_batches(conn, Q["purge_dispatched"], now - KEPT, BATCH)
