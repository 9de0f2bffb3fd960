"""Scheduled work of sessions: rows of sessions that ended long ago go, with the IP address and user agent.

A session ends when it expires or is revoked; from then on nothing reads its row (sign-in checks and "my
sessions" take only live ones, revocations only unrevoked ones), and the audit log, a table of its own,
keeps the sign-ins. Without this job every sign-in's address and browser would be kept for ever.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from api.db import Connection
from api.purge import delete_in_batches
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("jobs.sql"))

KEPT = timedelta(days=30)
"""How long an ended session's row stays: long enough to answer a member's or an administrator's question
about a recent sign-out or a stolen device from the row itself, and no longer, since it holds the member's IP
address and user agent and no screen shows it once it has ended."""
BATCH = 1000
"""Sessions deleted per statement (each its own short transaction)."""


async def purge_ended(conn: Connection, now: datetime) -> int:
    """Delete every session that expired or was revoked more than :data:`KEPT` before ``now``.

    Args:
        conn: a connection outside a transaction (each batch commits on its own).
        now: the scheduler's clock.

    Returns:
        How many sessions were deleted.
    """
    return await delete_in_batches(conn, Q["purge_ended"], now - KEPT, BATCH)
